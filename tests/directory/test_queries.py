"""Public search, a service's page, the internal page and the editing scope
(directory.queries): filters, "open now" on each location's clock across the DST changes,
staff-only details that never leak, and fixed query counts."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.directory import rules
from jobhelp.directory.domain import set_hours_exception, set_staff_details
from jobhelp.directory.models import ServiceHours
from jobhelp.directory.places import PlaceUnknown
from jobhelp.directory.queries import (
    SearchError,
    due_for_review_for_user,
    internal_service_page,
    search_services,
    service_for_user,
    service_page,
    services_for_user,
)
from jobhelp.organizations.models import OpeningHours
from tests.factories.directory import (
    PlaceFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    open_every_day,
)
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import agreement_between
from tests.scheduling.times import local

MONDAY_NOON = local(2026, 5, 4, 12)


def names(matches) -> list[tuple[str, str | None]]:
    return [(m.service.name, m.place.location.name if m.place else None) for m in matches]


@pytest.fixture
def county(library, other_library):
    """Resumé help in Spanish at Central, computer access at Lakeside, an online resource."""
    central = open_every_day(LocationFactory(organization=library, name="Central Library"))
    lakeside = open_every_day(
        LocationFactory(
            organization=library,
            name="Lakeside Library",
            latitude="45.300000",
            longitude="-93.300000",
        ),
        opens=time(13),
        closes=time(17),
    )
    central.latitude, central.longitude = "45.100000", "-93.300000"
    central.save()
    resume = ServiceFactory(
        organization=library, name="Resumé help", needs=["resume"], languages=["en", "es"]
    )
    ServiceAtLocationFactory(service=resume, location=central)
    ServiceAtLocationFactory(service=resume, location=lakeside)
    computers = ServiceFactory(
        organization=library, name="Computer access", needs=["digital"], languages=["en"]
    )
    ServiceAtLocationFactory(service=computers, location=lakeside)
    ServiceFactory(
        organization=other_library,
        name="Job center online",
        needs=["resume", "applications"],
        access=["online"],
        languages=["en", "es"],
    )
    ServiceFactory(organization=library, name="Retired service", status="defunct")
    PlaceFactory(name="Riverbend", postal_code="55401", latitude="45.1", longitude="-93.3")
    PlaceFactory(name="Far Away", postal_code="55999", latitude="47.0", longitude="-95.0")
    return {"central": central, "lakeside": lakeside, "resume": resume}


def test_search_by_need_and_language_lists_each_location_and_online_services_last(county):
    assert names(search_services(now=MONDAY_NOON, need="resume", language="es")) == [
        ("Resumé help", "Central Library"),
        ("Resumé help", "Lakeside Library"),
        ("Job center online", None),
    ]
    assert names(search_services(now=MONDAY_NOON, language="vi")) == []


def test_defunct_services_are_not_listed(county):
    assert "Retired service" not in {m.service.name for m in search_services(now=MONDAY_NOON)}


def test_open_now_is_on_each_locations_clock(county):
    # Noon: Central (9-20) is open, Lakeside (13-17) not yet; the online resource always is.
    assert names(search_services(now=MONDAY_NOON, need="resume", open_now=True)) == [
        ("Resumé help", "Central Library"),
        ("Job center online", None),
    ]


def test_a_services_own_hours_override_the_locations(county):
    at = county["resume"].places.get(location=county["central"])
    ServiceHours.objects.create(at=at, weekday=0, opens=time(18), closes=time(19))

    assert names(search_services(now=MONDAY_NOON, need="resume", open_now=True)) == [
        ("Job center online", None)
    ]


def test_an_exception_closes_the_day(county, helper):
    set_hours_exception(county["central"], by=helper, on=date(2026, 5, 4), note="Staff training")

    assert names(search_services(now=MONDAY_NOON, need="resume", open_now=True)) == [
        ("Job center online", None)
    ]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Sundays, open 13:00-17:00 on the Chicago clock. 18:30 UTC is 13:30 in daylight time
        # (UTC-5) and 12:30 in standard time (UTC-6).
        (datetime(2026, 3, 1, 18, 30, tzinfo=UTC), False),  # standard time: 12:30, closed
        (datetime(2026, 3, 8, 18, 30, tzinfo=UTC), True),  # the change to daylight: 13:30
        (datetime(2026, 10, 25, 18, 30, tzinfo=UTC), True),  # daylight time: 13:30
        (datetime(2026, 11, 1, 18, 30, tzinfo=UTC), False),  # back to standard: 12:30
        (datetime(2026, 11, 1, 22, 59, tzinfo=UTC), True),  # 16:59 standard time
        (datetime(2026, 11, 1, 23, 0, tzinfo=UTC), False),  # 17:00: closed
    ],
)
def test_open_now_across_the_dst_changes(library, moment, expected):
    sunday = LocationFactory(organization=library, name="Sunday Library")
    OpeningHours.objects.create(location=sunday, weekday=6, opens=time(13), closes=time(17))
    ServiceAtLocationFactory(service__organization=library, location=sunday)

    assert [m.open_now for m in search_services(now=moment)] == [expected]


def test_search_near_a_town_or_zip_sorts_by_distance_and_keeps_within_reach(county):
    near_lakeside = PlaceFactory(
        name="Lakeside", postal_code="55402", latitude="45.29", longitude="-93.3"
    )

    assert [
        (n, m.distance_km)
        for n, m in zip(
            names(search_services(now=MONDAY_NOON, need="resume", place="55402")),
            search_services(now=MONDAY_NOON, need="resume", place=near_lakeside.postal_code),
            strict=True,
        )
    ] == [
        (("Resumé help", "Lakeside Library"), 1.1),
        (("Resumé help", "Central Library"), 21.1),
        (("Job center online", None), None),
    ]
    assert names(search_services(now=MONDAY_NOON, need="resume", place="far away")) == [
        ("Job center online", None)
    ]


def test_an_unknown_zip_or_need_is_a_clear_error(county):
    with pytest.raises(PlaceUnknown, match="We do not know the ZIP code 12345"):
        search_services(now=MONDAY_NOON, place="12345")
    with pytest.raises(PlaceUnknown, match="a town called Atlantis"):
        search_services(now=MONDAY_NOON, place="Atlantis")
    with pytest.raises(SearchError):
        search_services(now=MONDAY_NOON, need="astrology")


@pytest.mark.parametrize("services", [1, 3])
def test_search_takes_the_same_queries_for_one_or_three_services(library, services):
    for n in range(services):
        location = open_every_day(
            LocationFactory(
                organization=library, name=f"Branch {n}", latitude="45.2", longitude="-93.3"
            )
        )
        ServiceHours.objects.create(
            at=ServiceAtLocationFactory(service__organization=library, location=location),
            weekday=0,
            opens=time(9),
            closes=time(12),
        )
    PlaceFactory()

    with CaptureQueriesContext(connection) as queries:
        found = search_services(now=MONDAY_NOON, need="resume", place="55401", within_km=1e6)

    assert (len(found), len(queries)) == (services, 7)


def test_the_public_page_has_places_and_hours_and_never_staff_details(county, helper):
    set_staff_details(
        county["resume"],
        by=helper,
        direct_line="763-555-0199",
        notes_for_referrers="Ask for Dana; she speaks Somali.",
    )

    with CaptureQueriesContext(connection) as queries:
        page = service_page(county["resume"].uuid, now=MONDAY_NOON)

    assert [(p.location.name, p.open_now, p.follows_location_hours) for p in page.places] == [
        ("Central Library", True, True),
        ("Lakeside Library", False, True),
    ]
    assert (page.staff_details, len(queries)) == (None, 6)
    assert service_page("not-a-uuid", now=MONDAY_NOON) is None


def test_the_internal_page_adds_staff_details_for_the_offering_organizations_partners_only(
    county, helper, outsider, partner_staff, center, library, other_library, no_membership
):
    """Own staff and the staff of an organization under a running agreement (MOU) with it see
    the details; staff of an unrelated organization get the public page (no details, the row
    never read); someone who works for no organization, nothing."""
    set_staff_details(county["resume"], by=helper, direct_line="763-555-0199")
    agreement_between(center, library)

    for person in (helper, partner_staff):
        page = internal_service_page(person, county["resume"].uuid, now=MONDAY_NOON)
        assert page.staff_details.direct_line == "763-555-0199"
        assert page.sees_staff_details
    with CaptureQueriesContext(connection) as queries:
        page = internal_service_page(outsider, county["resume"].uuid, now=MONDAY_NOON)
    assert (page.service, page.staff_details, page.sees_staff_details) == (
        county["resume"],
        None,
        False,
    )
    assert not any("staff_details" in q["sql"] for q in queries.captured_queries)
    assert internal_service_page(no_membership, county["resume"].uuid, now=MONDAY_NOON) is None
    assert rules.sees_staff_details(partner_staff, library)
    assert not rules.sees_staff_details(partner_staff, other_library)
    assert not rules.sees_staff_details(outsider, library)
    assert not rules.sees_staff_details(no_membership, library)


def test_editing_is_scoped_to_the_users_organizations(county, helper, outsider, other_library):
    theirs = ServiceFactory(organization=other_library, name="Theirs")

    assert {s.name for s in services_for_user(helper)} == {
        "Resumé help",
        "Computer access",
        "Retired service",
    }
    assert service_for_user(helper, theirs.uuid) is None
    assert service_for_user(outsider, county["resume"].uuid) is None
    assert service_for_user(outsider, theirs.uuid) == theirs


def test_entries_not_reviewed_for_a_year_are_flagged_to_their_owner(library, helper, outsider):
    old = ServiceFactory(organization=library, name="Old", reviewed_on=date(2025, 5, 3))
    ServiceFactory(organization=library, name="Fresh", reviewed_on=date(2025, 5, 5))
    ServiceFactory(
        organization=library, name="Old but gone", reviewed_on=date(2024, 1, 1), status="defunct"
    )

    assert list(due_for_review_for_user(helper, today=date(2026, 5, 4))) == [old]
    assert list(due_for_review_for_user(outsider, today=date(2026, 5, 4))) == []
