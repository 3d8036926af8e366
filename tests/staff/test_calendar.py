"""The staff calendar (a day or a week of a helper or a location) and a helper's calendar feed.

The clock is fixed at NOW (django.utils.timezone.now is patched): Monday 2 March 2026, 8:00 in
Chicago. The week of 2 to 8 March ends on the day US clocks change.
"""

import re
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import Role
from jobhelp.core.links import GUESS_LIMIT
from jobhelp.core.models import AuditEntry
from jobhelp.scheduling import ics, links
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import CalendarFeed
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory
from tests.scheduling.times import local

NOW = local(2026, 3, 2, 8)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def rosa(library, hana):
    return HelpRequestFactory(
        organization=library,
        reference="RSA234",
        name="Rosa María Lopez",
        phone="+17635550142",
        email="rosa.lopez@example.org",
        state="scheduled",
        assigned_to=hana,
    )


def appointment_at(request, helper, location, kind, starts, **fields):
    return AppointmentFactory(
        request=request,
        helper=helper,
        location=location,
        appointment_type=kind,
        starts=starts,
        **fields,
    )


@pytest.fixture
def week(rosa, hana, central, phone_help):
    """Hana's week at Central: one booked, one cancelled, one on Sunday after the clock change,
    one the Monday after (not this week)."""
    return {
        "booked": appointment_at(rosa, hana, central, phone_help, local(2026, 3, 3, 10)),
        "cancelled": appointment_at(
            rosa,
            hana,
            central,
            phone_help,
            local(2026, 3, 4, 9),
            state=AppointmentState.CANCELLED,
        ),
        "sunday": appointment_at(rosa, hana, central, phone_help, local(2026, 3, 8, 9)),
        "next_week": appointment_at(rosa, hana, central, phone_help, local(2026, 3, 9, 9)),
    }


def shown(response) -> list:
    return [r["appointment"] for d in response.context["days"] for r in d["rows"]]


# --- Who may see it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("anonymous", 302, None),
        ("no_membership", 403, None),
        ("outsider", 200, []),  # their own (empty) calendar, none of ours
        ("helper", 200, []),  # their own calendar
        ("front_desk", 200, ["booked", "cancelled", "sunday"]),  # Central Library's
        ("manager", 200, ["booked", "cancelled", "sunday"]),
    ],
)
def test_who_may_open_the_calendar(client, log_in, week, persona, status, sees):
    log_in(persona)

    response = client.get("/staff/calendar/")

    assert response.status_code == status
    if status == 302:
        assert response.url == "/staff/login/?next=/staff/calendar/"
    if sees is not None:
        assert shown(response) == [week[name] for name in sees]
    if not sees:
        assert b"Rosa" not in response.content


@pytest.mark.parametrize("field", ["helper", "location"])
def test_another_organizations_helper_or_location_is_not_found(
    client, outsider, hana, central, week, field
):
    client.force_login(outsider)

    response = client.get("/staff/calendar/", {field: (hana if field == "helper" else central).pk})

    assert response.status_code == 404
    assert b"Rosa" not in response.content


@pytest.mark.parametrize("value", ["garbage", "999999", "-1"])
def test_a_garbage_helper_or_location_is_not_found(client, front_desk, week, value):
    client.force_login(front_desk)

    assert client.get("/staff/calendar/", {"helper": value}).status_code == 404
    assert client.get("/staff/calendar/", {"location": value}).status_code == 404


# --- What it shows ---------------------------------------------------------------------------


def test_a_helper_sees_their_own_week(client, hana, week):
    client.force_login(hana)

    response = client.get("/staff/calendar/")

    assert (response.context["helper"], response.context["view"]) == (hana, "week")
    assert [d["date"].isoformat() for d in response.context["days"]] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-07",
        "2026-03-08",
    ]
    assert shown(response) == [week["booked"], week["cancelled"], week["sunday"]]
    content = response.content.decode()
    # Each on the library's clock, with its zone: 9:00 on both sides of the clock change.
    assert "10 a.m.–10:30 a.m. CST" in content
    assert "9 a.m.–9:30 a.m. CDT" in content
    assert content.count('<tr class="jh-cancelled">') == 1
    # The patron by first name, linked to the request; nothing more of them.
    assert '<a class="usa-link" href="/staff/requests/RSA234/">Rosa</a>' in content
    assert "Lopez" not in content
    assert "rosa.lopez@example.org" not in content


def test_front_desk_sees_their_first_location(client, front_desk, library, central, week):
    LocationFactory(organization=library, name="Westside Library")
    client.force_login(front_desk)

    response = client.get("/staff/calendar/")

    assert (response.context["helper"], response.context["location"]) == (None, central)
    assert shown(response) == [week["booked"], week["cancelled"], week["sunday"]]


def test_a_day_and_its_neighbours(client, front_desk, central, week):
    client.force_login(front_desk)

    response = client.get(
        "/staff/calendar/", {"view": "day", "date": "2026-03-03", "location": central.pk}
    )

    assert shown(response) == [week["booked"]]
    assert (response.context["previous_url"], response.context["next_url"]) == (
        f"?view=day&location={central.pk}&date=2026-03-02",
        f"?view=day&location={central.pk}&date=2026-03-04",
    )
    assert response.context["today_url"] == f"?view=day&location={central.pk}"
    assert response.context["week_url"] == f"?view=week&location={central.pk}&date=2026-03-03"


def test_the_next_week(client, hana, week):
    client.force_login(hana)

    response = client.get(
        "/staff/calendar/", {"view": "week", "date": "2026-03-11", "helper": hana.pk}
    )

    assert shown(response) == [week["next_week"]]
    assert response.context["previous_url"] == f"?view=week&helper={hana.pk}&date=2026-03-04"


def test_a_bad_date_says_so_and_shows_this_week(client, hana, week):
    client.force_login(hana)

    response = client.get("/staff/calendar/", {"date": "2026-02-31"})

    assert response.status_code == 200
    assert response.context["date_errors"] == ["Enter a date like 2026-03-02."]
    assert shown(response) == [week["booked"], week["cancelled"], week["sunday"]]


def test_only_appointments_at_our_locations(client, hana, week, other_library, rosa, phone_help):
    # The same helper, at another organization's building: not ours to show.
    elsewhere = LocationFactory(organization=other_library)
    appointment_at(rosa, hana, elsewhere, phone_help, local(2026, 3, 5, 9))
    client.force_login(hana)

    response = client.get("/staff/calendar/", {"helper": hana.pk})

    assert shown(response) == [week["booked"], week["cancelled"], week["sunday"]]


def test_a_sibling_branchs_patron_is_not_named(client, branch, library, hana, central, phone_help):
    """Northtown's front desk sees an appointment at Northtown for a request of the library
    system, which they cannot open: the reference code only."""
    northtown = branch.locations.get()
    theirs = HelpRequestFactory(organization=library, name="Sal Secret", state="scheduled")
    appointment = appointment_at(theirs, hana, northtown, phone_help, local(2026, 3, 3, 9))
    client.force_login(staff_member(branch, Role.FRONT_DESK))

    response = client.get("/staff/calendar/")

    assert shown(response) == [appointment]
    assert [r["request"] for d in response.context["days"] for r in d["rows"]] == [None]
    assert b"Sal" not in response.content
    assert appointment.display_reference.encode() in response.content


def test_helper_and_location_choices_are_our_own(
    client, front_desk, hana, helper, central, branch, other_library, week
):
    staff_member(other_library, Role.HELPER, first_name="Stranger")
    LocationFactory(organization=other_library, name="Elsewhere Library")
    client.force_login(front_desk)

    form = client.get("/staff/calendar/").context["form"]

    assert sorted(form.fields["helper"].queryset, key=lambda u: u.pk) == sorted(
        [hana, helper], key=lambda u: u.pk
    )
    assert [loc.name for loc in form.fields["location"].queryset] == [
        "Central Library",
        "Northtown Library",
    ]


def test_calendar_week_query_count_does_not_grow_with_the_appointments(
    client, front_desk, library, rosa, hana, central, phone_help
):
    client.force_login(front_desk)
    appointment_at(rosa, hana, central, phone_help, local(2026, 3, 3, 10))
    client.get("/staff/calendar/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/calendar/")
    assert len(shown(response)) == 1

    ben = staff_member(library, Role.HELPER, first_name="Ben")
    video = AppointmentTypeFactory(organization=library, name="Video help", modality="video")
    other = HelpRequestFactory(organization=library, state="scheduled", assigned_to=ben)
    appointment_at(other, ben, central, video, local(2026, 3, 4, 10))
    appointment_at(
        None, hana, central, phone_help, local(2026, 3, 5, 10), state=AppointmentState.CANCELLED
    )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/calendar/")
    assert len(shown(response)) == 3

    assert len(three) == len(one)


def test_the_calendar_is_linked_from_the_navigation_and_home(client, front_desk):
    client.force_login(front_desk)

    response = client.get("/staff/")

    assert response.content.decode().count('href="/staff/calendar/"') == 2


# --- The feed page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("no_membership", 403), ("helper", 200), ("front_desk", 200)],
)
def test_who_may_open_the_feed_page(client, db, log_in, persona, status):
    log_in(persona)

    get = client.get("/staff/calendar/feed/")
    post = client.post("/staff/calendar/feed/")

    assert (get.status_code, post.status_code) == (status, status)
    assert CalendarFeed.objects.count() == (1 if status == 200 else 0)


def feed_address(response) -> str:
    match = re.search(
        r'id="feed-address" type="text" readonly value="([^"]+)"', response.content.decode()
    )
    return match.group(1) if match else ""


def test_a_helper_makes_an_address_shown_once(client, hana, settings):
    settings.PUBLIC_BASE_URL = "https://jobhelp.example.org"
    client.force_login(hana)

    made = client.post("/staff/calendar/feed/")
    again = client.get("/staff/calendar/feed/")

    address = feed_address(made)
    token = address.removeprefix("https://jobhelp.example.org/staff/calendar/feed/")
    assert address.endswith(".ics") and len(token) > 40
    assert made.context["webcal"] == "webcal://" + address.removeprefix("https://")
    assert feed_address(again) == ""
    assert token.removesuffix(".ics") not in again.content.decode()
    assert again.context["current"] == CalendarFeed.objects.get()
    assert links.helper_for_feed(token.removesuffix(".ics")) == hana
    assert AuditEntry.objects.filter(action="jobhelp.calendar_feed.created").count() == 1


def test_a_new_address_turns_off_the_old_one(client, hana):
    client.force_login(hana)
    first = feed_address(client.post("/staff/calendar/feed/"))

    second = feed_address(client.post("/staff/calendar/feed/"))

    path = "/staff/calendar/feed/"
    assert client.get(path + first.rsplit("/", 1)[1]).status_code == 404
    assert client.get(path + second.rsplit("/", 1)[1]).status_code == 200


def test_revoking_turns_the_address_off(client, hana):
    client.force_login(hana)
    address = feed_address(client.post("/staff/calendar/feed/"))

    response = client.post("/staff/calendar/feed/revoke/")

    assert (response.status_code, response.url) == (302, "/staff/calendar/feed/")
    client.logout()
    assert client.get("/staff/calendar/feed/" + address.rsplit("/", 1)[1]).status_code == 404


def test_revoking_without_an_address(client, hana):
    client.force_login(hana)

    response = client.post("/staff/calendar/feed/revoke/", follow=True)

    assert b"You have no calendar address to turn off." in response.content
    assert AuditEntry.objects.count() == 0


def test_revoking_needs_a_post(client, hana):
    client.force_login(hana)
    client.post("/staff/calendar/feed/")

    assert client.get("/staff/calendar/feed/revoke/").status_code == 405
    assert CalendarFeed.objects.get().revoked_at is None


# --- The feed itself ------------------------------------------------------------------------


@pytest.fixture
def token(hana):
    _feed, token = links.create_feed(hana, by=hana)
    return token


def test_the_feed_shows_first_names_and_codes_only(client, token, week, rosa):
    response = client.get(f"/staff/calendar/feed/{token}.ics")

    assert response.status_code == 200
    assert (response["Content-Type"], response["Cache-Control"]) == (
        "text/calendar; charset=utf-8",
        "private, no-store",
    )
    body = response.content.decode()
    reference = week["booked"].display_reference
    assert f"SUMMARY:{week['booked'].appointment_type.name} · Rosa · {reference}" in body
    for secret in ("Lopez", "María", "rosa.lopez", "example.org", "7635550142", "555-0142"):
        assert secret not in body
    statuses = re.findall(r"STATUS:(\w+)", body)
    assert sorted(statuses) == ["CANCELLED", "CONFIRMED", "CONFIRMED", "CONFIRMED"]
    assert "BEGIN:VTIMEZONE" in body and "TZID:America/Chicago" in body


def test_the_feed_covers_30_days_back_and_90_ahead(client, token, rosa, hana, central, phone_help):
    inside = [
        appointment_at(rosa, hana, central, phone_help, NOW - timedelta(days=29)),
        appointment_at(rosa, hana, central, phone_help, NOW + timedelta(days=89)),
    ]
    appointment_at(rosa, hana, central, phone_help, NOW - timedelta(days=31))
    appointment_at(rosa, hana, central, phone_help, NOW + timedelta(days=91))

    body = client.get(f"/staff/calendar/feed/{token}.ics").content.decode()

    assert sorted(re.findall(r"UID:([^\r\n]+)", body)) == sorted(ics.uid(a) for a in inside)


def test_a_moved_appointment_is_in_the_feed_once(client, token, rosa, hana, central, phone_help):
    old = appointment_at(
        rosa, hana, central, phone_help, local(2026, 3, 3, 9), state=AppointmentState.CANCELLED
    )
    new = appointment_at(
        rosa,
        hana,
        central,
        phone_help,
        local(2026, 3, 3, 10),
        uid=old.uid,
        reference=old.reference,
        sequence=1,
        rescheduled_from=old,
    )

    body = client.get(f"/staff/calendar/feed/{token}.ics").content.decode()

    assert re.findall(r"UID:([^\r\n]+)", body) == [ics.uid(new)]
    assert re.findall(r"SEQUENCE:(\d+)", body) == ["1"]


def test_only_the_helpers_own_appointments(client, token, rosa, library, central, phone_help):
    ben = staff_member(library, Role.HELPER, first_name="Ben")
    appointment_at(rosa, ben, central, phone_help, local(2026, 3, 3, 9))

    body = client.get(f"/staff/calendar/feed/{token}.ics").content.decode()

    assert "BEGIN:VEVENT" not in body


@pytest.mark.parametrize("bad", ["", "x", "not-a-token", "a" * 200])
def test_unknown_tokens_are_not_found(client, token, week, bad):
    response = client.get(f"/staff/calendar/feed/{bad}.ics")

    assert response.status_code == 404
    assert b"Rosa" not in response.content


def test_a_burst_of_unknown_feed_addresses_from_one_address_is_refused(client, token, week):
    guesser, calendar = "203.0.113.7", "198.51.100.2"
    burst = [
        client.get(f"/staff/calendar/feed/guess-{n}.ics", REMOTE_ADDR=guesser).status_code
        for n in range(GUESS_LIMIT)
    ]

    refused = client.get(f"/staff/calendar/feed/{token}.ics", REMOTE_ADDR=guesser)

    assert burst == [404] * GUESS_LIMIT
    assert (refused.status_code, refused["Retry-After"], refused.content) == (
        429,
        "3600",
        b"Too many tries. Please try again later.",
    )
    assert client.get(f"/staff/calendar/feed/{token}.ics", REMOTE_ADDR=calendar).status_code == 200
    # Feeds count apart from the patrons' links, which calendar services never open.
    assert client.get("/appointments/guess/", REMOTE_ADDR=guesser).status_code == 404


def test_a_revoked_token_is_not_found(client, token, hana, week):
    links.revoke_feed(hana, by=hana)

    response = client.get(f"/staff/calendar/feed/{token}.ics")

    assert response.status_code == 404
    assert b"Rosa" not in response.content


def test_an_inactive_helpers_feed_is_not_found(client, token, hana, week):
    hana.is_active = False
    hana.save()

    assert client.get(f"/staff/calendar/feed/{token}.ics").status_code == 404


def test_the_feed_answers_head_but_not_post(client, token, week):
    assert client.head(f"/staff/calendar/feed/{token}.ics").status_code == 200
    assert client.post(f"/staff/calendar/feed/{token}.ics").status_code == 405
