"""A location's directory details from the staff side (staff.views.directory.locations): its
coordinates, which the nearest free computer on /computers/ uses, and accessibility; its
closures and special hours on its own clock, DST days included. Bad input stays on the form
with nothing written; another organization's location is a 404; the list reads the same queries
for one and three locations."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.directory.computers import record_count
from jobhelp.directory.domain import set_hours_exception
from jobhelp.directory.models import HoursException
from jobhelp.directory.queries import service_page
from tests.factories.directory import PlaceFactory
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db


def test_coordinates_saved_on_the_page_place_the_location_for_the_nearest_computer(
    client, helper, computers
):
    PlaceFactory(name="Riverbend", postal_code="55401", latitude="45.1", longitude="-93.3")
    record_count(computers, by=helper, in_use=10, waiting=0)
    client.force_login(helper)
    assert client.get("/computers/", {"place": "55401"}).context["suggestion"].best is None

    assert client.get(f"/staff/directory/locations/{computers.pk}/").status_code == 200
    response = client.post(
        f"/staff/directory/locations/{computers.pk}/",
        {"latitude": "45.110000", "longitude": "-93.290000", "accessibility": "Ramp at the side"},
    )

    assert response.status_code == 302
    computers.refresh_from_db()
    assert (computers.latitude, computers.longitude) == (Decimal("45.11"), Decimal("-93.29"))
    assert computers.accessibility == "Ramp at the side"
    assert AuditEntry.objects.filter(action="jobhelp.location.updated").exists()
    near = client.get("/computers/", {"place": "55401"})
    assert near.context["suggestion"].best.location.location_id == computers.pk


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("95", "-93.3", "less than or equal to 90"),
        ("45.1", "-193.3", "greater than or equal to -180"),
        ("45.1", "", "Enter both the latitude and the longitude, or neither."),
        ("", "-93.3", "Enter both the latitude and the longitude, or neither."),
        ("north", "-93.3", "Enter a number."),
    ],
)
def test_wrong_coordinates_are_a_clear_error_and_nothing_is_written(
    client, helper, computers, latitude, longitude, message
):
    client.force_login(helper)
    audits = AuditEntry.objects.count()

    response = client.post(
        f"/staff/directory/locations/{computers.pk}/",
        {"latitude": latitude, "longitude": longitude, "accessibility": "Kept on the form"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Kept on the form" in page
    computers.refresh_from_db()
    assert (computers.latitude, computers.longitude, computers.accessibility) == (None, None, "")
    assert AuditEntry.objects.count() == audits


def test_a_closure_and_special_hours_are_added_listed_and_removed(client, helper, computers):
    client.force_login(helper)
    ahead = timezone.now().date() + timedelta(days=20)

    closed = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/",
        {"on": ahead.isoformat(), "opens": "", "closes": "", "note": "Staff training"},
    )
    special = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/",
        {"on": (ahead + timedelta(days=1)).isoformat(), "opens": "10:00", "closes": "14:00"},
    )

    assert (closed.status_code, special.status_code) == (302, 302)
    assert list(HoursException.objects.values_list("on", "opens", "closes", "note")) == [
        (ahead, None, None, "Staff training"),
        (ahead + timedelta(days=1), time(10), time(14), ""),
    ]
    page = client.get(f"/staff/directory/locations/{computers.pk}/").content.decode()
    assert "Staff training" in page and "Closed" in page
    listed = client.get("/staff/directory/locations/")
    assert [len(loc.coming_exceptions) for loc in listed.context["locations"]] == [2]

    removed = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/remove/",
        {"on": ahead.isoformat()},
    )

    assert removed.status_code == 302
    assert list(HoursException.objects.values_list("on", flat=True)) == [ahead + timedelta(days=1)]
    assert set(
        AuditEntry.objects.filter(action__startswith="jobhelp.hours_exception.").values_list(
            "action", flat=True
        )
    ) == {"jobhelp.hours_exception.set", "jobhelp.hours_exception.removed"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "", "opens": "", "closes": ""}, "This field is required."),
        ({"on": "2026-02-30", "opens": "", "closes": ""}, "Enter a valid date."),
        ({"on": "2026-12-24", "opens": "10:00", "closes": ""}, "Give both times, or neither"),
        ({"on": "2026-12-24", "opens": "14:00", "closes": "10:00"}, "It must open before it"),
        ({"on": "2026-12-24", "opens": "25:00", "closes": "26:00"}, "Enter a valid time."),
    ],
)
def test_a_wrong_exception_is_a_clear_error_and_nothing_is_written(
    client, helper, computers, data, message
):
    client.force_login(helper)

    response = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/", {**data, "note": "Kept"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    assert not HoursException.objects.exists()


def test_special_hours_on_the_day_clocks_fall_back_are_on_the_locations_clock(
    client, helper, resume, central
):
    """November 1, 2026: Chicago goes from CDT (UTC-5) to CST (UTC-6) at 2 a.m. Special hours of
    10:00 to 14:00 that day are 16:00 to 20:00 UTC, not 15:00 to 19:00."""
    client.force_login(helper)
    response = client.post(
        f"/staff/directory/locations/{central.pk}/exceptions/",
        {"on": "2026-11-01", "opens": "10:00", "closes": "14:00"},
    )
    assert response.status_code == 302

    def open_at(hour, minute=0) -> bool:
        now = datetime(2026, 11, 1, hour, minute, tzinfo=UTC)
        return service_page(resume.uuid, now=now).places[0].open_now

    assert [open_at(15, 30), open_at(16, 0), open_at(19, 59), open_at(20, 0)] == [
        False,
        True,
        True,
        False,
    ]
    # The day before and after keep the weekly hours (open all day).
    assert service_page(resume.uuid, now=datetime(2026, 11, 2, 15, tzinfo=UTC)).places[0].open_now


def test_a_closure_on_the_day_clocks_spring_forward_closes_the_whole_local_day(
    client, helper, resume, central
):
    client.force_login(helper)
    client.post(
        f"/staff/directory/locations/{central.pk}/exceptions/", {"on": "2026-03-08", "note": ""}
    )

    # 2026-03-08 is 06:00 UTC (CST) to 05:00 UTC the next day (CDT).
    def open_at(day, hour) -> bool:
        return (
            service_page(resume.uuid, now=datetime(2026, 3, day, hour, tzinfo=UTC))
            .places[0]
            .open_now
        )

    assert [open_at(8, 5), open_at(8, 6), open_at(9, 4), open_at(9, 5)] == [
        True,
        False,
        False,
        True,
    ]


def test_removing_a_date_with_no_exception_or_a_bad_date_writes_nothing(client, helper, computers):
    set_hours_exception(computers, by=helper, on=date(2026, 12, 24))
    client.force_login(helper)

    nothing = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/remove/", {"on": "2026-12-23"}
    )
    bad = client.post(
        f"/staff/directory/locations/{computers.pk}/exceptions/remove/", {"on": "someday"}
    )

    assert (nothing.status_code, bad.status_code) == (302, 302)
    assert HoursException.objects.count() == 1


def test_another_organizations_location_is_a_404(client, outsider, partner_staff, computers):
    for person in (outsider, partner_staff):
        client.force_login(person)
        assert client.get(f"/staff/directory/locations/{computers.pk}/").status_code == 404
        assert (
            client.post(
                f"/staff/directory/locations/{computers.pk}/",
                {"latitude": "45", "longitude": "-93"},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/staff/directory/locations/{computers.pk}/exceptions/", {"on": "2026-12-24"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/staff/directory/locations/{computers.pk}/exceptions/remove/",
                {"on": "2026-12-24"},
            ).status_code
            == 404
        )
    computers.refresh_from_db()
    assert computers.latitude is None
    assert not HoursException.objects.exists()
    assert list(client.get("/staff/directory/locations/").context["locations"]) == []


def test_the_list_reads_the_same_queries_for_one_and_three_locations(
    client, helper, library, central
):
    client.force_login(helper)
    ahead = timezone.now().date() + timedelta(days=5)
    set_hours_exception(central, by=helper, on=ahead)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/locations/").status_code == 200
        return len(queries)

    one = count_queries()
    for name in ("East", "West"):
        location = LocationFactory(organization=library, name=name)
        set_hours_exception(location, by=helper, on=ahead)
    assert count_queries() == one
    assert len(client.get("/staff/directory/locations/").context["locations"]) == 3
