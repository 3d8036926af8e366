from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from jobhelp.intake.domain import RequestDetails, submit_request
from tests.factories.accounts import staff_member
from tests.factories.organizations import BranchFactory, LocationFactory


def _details(location) -> RequestDetails:
    return RequestDetails(
        name="Rosa",
        phone="+17635550123",
        email="",
        preferred_contact="phone",
        best_time="any",
        voicemail_ok=False,
        needs=["resume"],
        language="es",
        preferred_location=location,
        modality="phone",
        note="",
    )


def _queue_duplicates(client, user) -> dict[str, str | None]:
    _token, key = create_api_token(user, name="test", by=user)
    response = client.get("/api/v1/queue", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    return {item["reference"]: item["possible_duplicate_of"] for item in response.json()["items"]}


def test_a_duplicate_at_a_sibling_branch_is_shown_only_to_who_can_see_it(
    client, library, branch, front_desk
):
    northtown = branch.locations.get()
    eastgate = LocationFactory(organization=BranchFactory(parent=library, slug="eastgate"))
    first = submit_request(organization=library, details=_details(eastgate), channel="phone")
    second = submit_request(organization=library, details=_details(northtown), channel="phone")
    branch_desk = staff_member(branch, Role.FRONT_DESK)

    assert second.possible_duplicate_of == first
    assert _queue_duplicates(client, front_desk) == {
        first.reference: None,
        second.reference: first.reference,
    }
    assert _queue_duplicates(client, branch_desk) == {second.reference: None}
