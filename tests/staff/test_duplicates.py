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


def _duplicate_badges(client, user) -> int:
    client.force_login(user)
    body = client.get("/staff/queue/").content.decode()
    return body.count("Maybe same person as")


def test_the_queue_names_a_sibling_branch_duplicate_only_to_who_can_see_it(
    client, library, branch, front_desk
):
    eastgate = LocationFactory(organization=BranchFactory(parent=library, slug="eastgate"))
    first = submit_request(organization=library, details=_details(eastgate), channel="phone")
    second = submit_request(
        organization=library, details=_details(branch.locations.get()), channel="phone"
    )
    branch_desk = staff_member(branch, Role.FRONT_DESK)

    assert second.possible_duplicate_of == first
    assert (_duplicate_badges(client, front_desk), _duplicate_badges(client, branch_desk)) == (1, 0)
