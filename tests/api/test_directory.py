"""The directory in the v1 API (api.directory): the owner's entries and locations; a count
from a reservation system, shown on the public page at the next load; a count that cannot be
right is a 422 and another organization's location a 404, nothing written."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.domain import create_api_token
from jobhelp.directory.computers import set_public_computers
from jobhelp.directory.domain import set_staff_details
from jobhelp.directory.models import ComputerCount
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory, open_every_day
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import agreement_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def caller(user, method, path, data=None):
        _token, key = create_api_token(user, name="api", by=user)
        headers = {"Authorization": f"Bearer {key}"}
        if method == "get":
            return client.get(path, headers=headers)
        return client.post(path, data or {}, content_type="application/json", headers=headers)

    return caller


@pytest.fixture
def central(library, helper):
    location = open_every_day(
        LocationFactory(organization=library, name="Central Library"),
        opens=time(0),
        closes=time(23, 59),
    )
    set_public_computers(location, by=helper, count=16)
    return location


def test_a_count_from_a_reservation_system_shows_on_the_next_load(
    call, client, front_desk, central
):
    response = call(
        front_desk,
        "post",
        f"/api/v1/directory/locations/{central.uuid}/counts",
        {"in_use": 16, "waiting": 4},
    )

    assert response.status_code == 201
    assert (response.json()["in_use"], response.json()["computers"]) == (16, 16)
    assert ComputerCount.objects.values_list("source", flat=True).get() == "api"
    assert "Wait: about" in client.get("/computers/").content.decode()
    locations = call(front_desk, "get", "/api/v1/directory/locations").json()
    assert [(loc["name"], loc["wait"]) for loc in locations] == [("Central Library", "wait")]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"in_use": 17, "waiting": 0}, 422),
        ({"in_use": -1, "waiting": 0}, 422),
        ({"in_use": 1}, 422),
        ({"in_use": "many", "waiting": 0}, 422),
    ],
)
def test_counts_that_cannot_be_right_write_nothing(call, front_desk, central, payload, status):
    response = call(
        front_desk, "post", f"/api/v1/directory/locations/{central.uuid}/counts", payload
    )

    assert response.status_code == status
    assert ComputerCount.objects.count() == 0


def test_another_organizations_location_is_404(call, outsider, partner_staff, central):
    for person in (outsider, partner_staff):
        response = call(
            person,
            "post",
            f"/api/v1/directory/locations/{central.uuid}/counts",
            {"in_use": 1, "waiting": 0},
        )
        assert response.status_code == 404
    assert call(outsider, "post", "/api/v1/directory/locations/x/counts", {}).status_code in (
        404,
        422,
    )
    assert ComputerCount.objects.count() == 0
    assert call(outsider, "get", "/api/v1/directory/locations").json() == []


def test_services_are_the_owners_with_the_review_flag(call, helper, library, center, central):
    old = ServiceFactory(organization=library, name="Old entry", reviewed_on=date(2020, 1, 1))
    ServiceAtLocationFactory(service=old, location=central)
    ServiceFactory(organization=center, name="Center entry")

    items = call(helper, "get", "/api/v1/directory/services").json()["items"]

    assert [(s["name"], s["due_for_review"], s["locations"]) for s in items] == [
        ("Old entry", True, [str(central.uuid)])
    ]


def test_services_take_the_same_queries_for_one_and_three(call, client, helper, library, central):
    _token, key = create_api_token(helper, name="api", by=helper)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                "/api/v1/directory/services", headers={"Authorization": f"Bearer {key}"}
            )
            assert response.status_code == 200
        return len(queries)

    count_queries()  # the token's first use is recorded once
    ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    one = count_queries()
    for _ in range(2):
        ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    assert count_queries() == one


@pytest.fixture
def entry(library, helper, central):
    service = ServiceFactory(organization=library, name="Resumé help")
    ServiceAtLocationFactory(service=service, location=central)
    set_staff_details(service, by=helper, direct_line="763-555-0199", notes_for_referrers="Ask Ana")
    return service


def test_an_entry_with_its_staff_only_details_for_the_partners_under_an_agreement(
    call, client, helper, partner_staff, outsider, entry, center, library, central
):
    path = f"/api/v1/directory/services/{entry.uuid}"
    agreement_between(center, library)

    own = call(helper, "get", path).json()
    partner = call(partner_staff, "get", path).json()
    unrelated = call(outsider, "get", path)

    assert own["staff_details"]["direct_line"] == "763-555-0199"
    assert partner["staff_details"]["notes_for_referrers"] == "Ask Ana"
    assert partner["locations"] == [str(central.uuid)]
    assert unrelated.status_code == 200
    assert unrelated.json()["staff_details"] is None
    assert "763-555-0199" not in unrelated.content.decode()
    assert client.get(path).status_code == 401


def test_without_an_agreement_the_center_gets_the_public_entry_only(call, partner_staff, entry):
    response = call(partner_staff, "get", f"/api/v1/directory/services/{entry.uuid}")

    assert response.status_code == 200
    assert response.json()["staff_details"] is None
    assert "Ask Ana" not in response.content.decode()


def test_an_unlisted_entry_of_another_organization_is_a_404(call, outsider, entry):
    entry.status = "inactive"
    entry.save()

    assert call(outsider, "get", f"/api/v1/directory/services/{entry.uuid}").status_code == 404
    assert call(outsider, "get", "/api/v1/directory/services/not-an-id").status_code == 404
