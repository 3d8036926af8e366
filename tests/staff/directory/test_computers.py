"""The count form and the computers' setup from the staff side (staff.views.directory.
computers): a count shows on the public page at the next load; a count that cannot be right is
refused with nothing written; another organization's location is a 404; a kiosk's address is
shown once and works."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.directory.computers import set_public_computers
from jobhelp.directory.models import ComputerCount, PublicComputers
from tests.factories.organizations import LocationFactory
from tests.forms_in_html import form_values

pytestmark = pytest.mark.django_db


def test_a_count_from_the_desk_shows_on_the_public_page_at_the_next_load(
    client, front_desk, computers
):
    client.force_login(front_desk)
    assert "Wait not known" in client.get("/computers/").content.decode()

    response = client.post(
        f"/staff/directory/computers/{computers.pk}/", {"in_use": "14", "waiting": "3"}
    )

    assert response.status_code == 302
    again = client.get(response["Location"])
    assert "14 of 16 in use, 3 waiting" in again.content.decode()
    assert again.context["form"].initial == {"in_use": 14, "waiting": 3}
    assert list(ComputerCount.objects.values_list("in_use", "waiting", "source")) == [
        (14, 3, "staff")
    ]
    assert "Wait: about" in client.get("/computers/").content.decode()


@pytest.mark.parametrize(
    ("in_use", "waiting", "message"),
    [
        ("17", "0", "at most 16 can be in use"),
        ("3", "-2", "greater than or equal to 0"),
        ("3", "", "This field is required"),
        ("3", "600", "More than 500 people waiting"),
    ],
)
def test_counts_that_cannot_be_right_write_nothing(
    client, front_desk, computers, in_use, waiting, message
):
    client.force_login(front_desk)

    response = client.post(
        f"/staff/directory/computers/{computers.pk}/", {"in_use": in_use, "waiting": waiting}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ComputerCount.objects.count() == 0
    assert form_values(response)["waiting"] == [waiting]


def test_another_organizations_location_is_404(client, outsider, partner_staff, computers):
    for person in (outsider, partner_staff):
        client.force_login(person)
        for path in ("", "setup/"):
            assert (
                client.get(f"/staff/directory/computers/{computers.pk}/{path}").status_code == 404
            )
        response = client.post(
            f"/staff/directory/computers/{computers.pk}/", {"in_use": "1", "waiting": "0"}
        )
        assert response.status_code == 404
    assert ComputerCount.objects.count() == 0


def test_the_list_reads_the_same_queries_for_one_and_three_locations(
    client, helper, library, computers
):
    client.force_login(helper)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/computers/").status_code == 200
        return len(queries)

    one = count_queries()
    for name in ("East", "West"):
        set_public_computers(LocationFactory(organization=library, name=name), by=helper, count=4)
    assert count_queries() == one


def test_setup_saves_the_computers_and_a_kiosk_address_works(client, helper, central):
    client.force_login(helper)

    bad = client.post(f"/staff/directory/computers/{central.pk}/setup/", {"count": "-1"})
    assert bad.status_code == 400
    assert not PublicComputers.objects.exists()

    client.post(
        f"/staff/directory/computers/{central.pk}/setup/",
        {"count": "8", "software": ["office"], "printing": "on"},
    )
    issued = client.post(f"/staff/directory/computers/{central.pk}/kiosk/", {"name": "Lobby"})
    address = issued.context["address"]
    client.logout()
    posted = client.post(address, {"in_use": "2", "waiting": "0"})

    assert PublicComputers.objects.values_list("count", "printing").get() == (8, True)
    assert issued["Cache-Control"] == "no-store"
    assert posted.status_code == 303
    assert ComputerCount.objects.values_list("in_use", "source").get() == (2, "kiosk")


def test_managers_see_computer_use_by_hour_on_the_locations_clock(
    client, manager, front_desk, other_library, helper, computers
):
    from datetime import timedelta

    from django.utils import timezone

    from jobhelp.accounts.enums import Role
    from jobhelp.directory.computers import record_count
    from tests.factories.accounts import staff_member

    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    record_count(computers, by=helper, in_use=10, waiting=0, now=hour + timedelta(minutes=5))
    record_count(computers, by=helper, in_use=16, waiting=4, now=hour + timedelta(minutes=35))
    client.force_login(manager)

    response = client.get("/staff/directory/computers/use/")

    [row] = response.context["rows"]
    assert (row["hour"].location, row["hour"].samples, row["hour"].in_use_average) == (
        "Central Library",
        2,
        13.0,
    )
    assert row["local"].tzinfo == computers.zone
    assert "13.0 / 16, 16" in response.content.decode()

    client.force_login(front_desk)
    assert client.get("/staff/directory/computers/use/").status_code == 403
    client.force_login(staff_member(other_library, Role.MANAGER))
    assert client.get("/staff/directory/computers/use/").context["rows"] == []


def test_computer_use_reads_the_same_queries_for_one_and_three_locations(
    client, manager, helper, library, computers
):
    from jobhelp.directory.computers import record_count

    client.force_login(manager)
    record_count(computers, by=helper, in_use=3, waiting=0)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/computers/use/").status_code == 200
        return len(queries)

    one = count_queries()
    for name in ("East", "West"):
        location = LocationFactory(organization=library, name=name)
        set_public_computers(location, by=helper, count=4)
        record_count(location, by=helper, in_use=1, waiting=0)
    assert count_queries() == one
    assert len(client.get("/staff/directory/computers/use/").context["rows"]) == 3
