"""The patron's appointment pages: the secret link's page, moving, cancelling, choosing a time
from an offer, and finding an appointment by reference code and phone number.

The clock is fixed at NOW (django.utils.timezone.now is patched), every appointment is after it.
A time someone else took first is answered with 409; a form with a mistake with 200."""

import re
from datetime import UTC, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import Role
from jobhelp.core.enums import Modality
from jobhelp.core.links import GUESS_LIMIT
from jobhelp.core.models import AuditEntry, RateLimitBucket
from jobhelp.core.tokens import hash_token
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from jobhelp.public.views import appointments as appointment_views
from jobhelp.scheduling import links
from jobhelp.scheduling.domain import book_appointment, reschedule_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment, PatronLink
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2027, 2, 1, 12)  # a Monday; the booking window ends before the clocks change
STARTS = local(2027, 2, 3, 10)
NOT_FOUND = (
    "We could not find an appointment with that code and phone number. Use the reference code "
    "from your appointment message, or the one you were given when you asked for help (both "
    "look like ABC-DEF), and the phone number you gave us."
)
TAKEN = "That time was just taken. Please choose another time."
SECRET_HEADERS = {
    # Not no-referrer, which makes browsers send `Origin: null` and fail the CSRF check.
    "Referrer-Policy": "strict-origin",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def self_service(library):
    return AppointmentTypeFactory(
        organization=library, name="Resumé review", self_service=True, duration=30
    )


@pytest.fixture
def rosa(library, hana):
    return HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        name="Rosa",
        email="rosa@example.org",
        phone="+17635550142",
    )


@pytest.fixture
def hours(hana, central):
    every_day(hana, central, time(9), time(12))


@pytest.fixture
def booked(rosa, hana, central, self_service, front_desk, hours):
    return book_appointment(
        request=rosa,
        helper=hana,
        location=central,
        appointment_type=self_service,
        starts=STARTS,
        by=front_desk,
        now=NOW,
    )


@pytest.fixture
def token(booked):
    return links.link_to_appointment(booked)


@pytest.fixture
def offer(rosa, self_service, front_desk, hours):
    return links.offer_times(rosa, self_service, by=front_desk, now=NOW)


def page(token: str, action: str = "") -> str:
    return f"/appointments/{token}/" + (f"{action}/" if action else "")


def snapshot() -> dict:
    """Everything a page behind a link could change."""
    return {
        "appointments": list(
            Appointment.objects.order_by("pk").values_list("pk", "state", "starts", "sequence")
        ),
        "links": list(
            PatronLink.objects.order_by("pk").values_list(
                "pk", "appointment_id", "expires_at", "revoked_at"
            )
        ),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
        "messages": list(OutboundMessage.objects.order_by("pk").values_list("pk", "template")),
        "requests": list(HelpRequest.objects.order_by("pk").values_list("pk", "state")),
    }


def text(html: str) -> str:
    """What a person reads: inline tags vanish, the others separate words."""
    html = re.sub(r"</?(a|span|strong)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def main(response) -> str:
    return text(re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)[1])


def details(response) -> dict[str, str]:
    """The appointment's details list, term by term."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", response.content.decode(), re.S)
    return {text(term): text(value) for term, value in pairs}


def times(response) -> list[list[str]]:
    """The times offered, day by day: the day heading, then each radio button's label."""
    return [
        [text(legend), *[text(label) for label in labels]]
        for legend, labels in (
            (
                day[0],
                re.findall(r'<label class="usa-radio__label"[^>]*>(.*?)</label>', day[1], re.S),
            )
            for day in re.findall(
                r"<legend[^>]*>(.*?)</legend>(.*?)</fieldset>", response.content.decode(), re.S
            )
        )
    ]


def value_of(response, label_start: str, day: int = 0) -> str:
    """The value of the radio button whose label starts with `label_start` on the `day`-th
    day listed."""
    days = re.findall(r"<fieldset[^>]*>(.*?)</fieldset>", response.content.decode(), re.S)
    for value, label in re.findall(
        r'value="([^"]+)"[^>]*>\s*<label[^>]*>(.*?)</label>', days[day], re.S
    ):
        if text(label).startswith(label_start):
            return value
    raise AssertionError(f"no time {label_start!r} on day {day}")


def day_links(response) -> list[str]:
    """The day picker's links, as their text."""
    nav = re.search(
        r'<nav aria-labelledby="days-heading"(.*?)</nav>', response.content.decode(), re.S
    )
    return [text(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", nav[1], re.S)] if nav else []


def alert(response) -> str:
    found = re.findall(r'role="alert"[^>]*>(.*?)</div>\s*</div>', response.content.decode(), re.S)
    return " | ".join(text(a) for a in found)


# --- The link's page ---------------------------------------------------------------------------


def test_the_link_shows_the_appointment_and_changes_nothing(client, token, booked):
    before = snapshot()

    response = client.get(page(token))

    assert response.status_code == 200
    assert details(response) == {
        "What": "Resumé review",
        "When": "Wednesday, Feb. 3, 2027, 10 a.m. (CST)",
        "Where": "By phone. We will call you at the number you gave us.",
        "With": "Hana",
        "Reference code": booked.display_reference,
        "Status": "Booked",
    }
    content = response.content.decode()
    assert "Your appointment is booked." in content
    assert f'href="{page(token, "reschedule")}"' in content
    assert f'action="{page(token, "cancel")}"' in content
    assert "<title>Your appointment · " in content
    assert snapshot() == before  # no audit entry, message, link or state was written


def test_the_page_is_in_spanish_on_the_clock_of_the_location(client, token, library):
    client.cookies["django_language"] = "es"

    response = client.get(page(token))

    assert details(response)["Cuándo"] == "Miércoles, 3 de febrero de 2027, 10:00 (CST)"
    assert '<html lang="es"' in response.content.decode()


def test_the_page_is_in_the_language_of_the_request_not_the_browsers(
    client, token, rosa, self_service
):
    rosa.language = "es"
    rosa.save()
    self_service.name_es = "Revisión del currículum"
    self_service.save()

    response = client.get(page(token), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert (response["Content-Language"], details(response)["Qué"]) == (
        "es",
        "Revisión del currículum",
    )
    # The switch is still offered, and what it chooses wins.
    assert 'name="language" value="en"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": page(token)})
    switched = client.get(page(token), HTTP_ACCEPT_LANGUAGE="es")
    assert (switched["Content-Language"], details(switched)["What"]) == ("en", "Resumé review")


def test_a_branchs_patron_is_given_the_branchs_number_not_the_systems(
    client, token, rosa, library, branch, central
):
    """The appointment is at the library system's Central Library, but the branch helps."""
    branch.phone = ""
    branch.save()
    branch.locations.update(phone="763-555-0122")
    HelpRequest.objects.filter(pk=rosa.pk).update(organization=branch)

    shown = main(client.get(page(token)))

    assert (
        "Questions? Call 763-555-0122." in shown,
        central.phone in shown,
        library.phone in shown,
    ) == (True, False, False)


def test_an_expired_link_says_so_in_the_patrons_language(client, token, rosa, monkeypatch):
    rosa.language = "es"
    rosa.save()
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: (STARTS + timedelta(days=30)).astimezone(UTC)
    )

    response = client.get(page(token), HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response["Content-Language"]) == (410, "es")


def test_an_untranslated_name_is_shown_in_english_on_a_spanish_page(client, token, rosa):
    rosa.language = "es"
    rosa.save()

    assert details(client.get(page(token)))["Qué"] == "Resumé review"


def test_the_offer_page_is_in_the_language_of_the_request(client, offer, rosa, self_service):
    rosa.language = "es"
    rosa.save()
    self_service.name_es = "Revisión del currículum"
    self_service.save()

    response = client.get(page(offer), HTTP_ACCEPT_LANGUAGE="en")

    assert "“Revisión del currículum” (30 minutos)" in main(response)


def test_an_in_person_appointment_shows_the_branch_and_its_address(
    client, rosa, hana, branch, front_desk
):
    northtown = branch.locations.get()
    every_day(hana, northtown, time(13), time(15))
    in_person = AppointmentTypeFactory(
        organization=branch.parent, modality=Modality.IN_PERSON, self_service=True
    )
    appointment = book_appointment(
        request=rosa,
        helper=hana,
        location=northtown,
        appointment_type=in_person,
        starts=local(2027, 2, 3, 13, 30),
        by=front_desk,
        now=NOW,
    )

    response = client.get(page(links.link_to_appointment(appointment)))

    assert (details(response)["When"], details(response)["Where"]) == (
        "Wednesday, Feb. 3, 2027, 1:30 p.m. (CST)",
        "Northtown Library 100 Main St Riverbend, MN 55400",
    )


def test_a_staff_only_type_offers_no_other_time(client, rosa, hana, central, front_desk, hours):
    staff_only = AppointmentTypeFactory(organization=rosa.organization, self_service=False)
    appointment = book_appointment(
        request=rosa,
        helper=hana,
        location=central,
        appointment_type=staff_only,
        starts=STARTS,
        by=front_desk,
        now=NOW,
    )
    token = links.link_to_appointment(appointment)
    before = snapshot()

    shown = client.get(page(token))
    listed = client.get(page(token, "reschedule"))
    posted = client.post(
        page(token, "reschedule"),
        {"slot": "20270203T1700Z", "idempotency_key": "k" * 20},
    )

    content = shown.content.decode()
    assert "Choose another time" not in content
    assert "To move this appointment to another time, please call us." in content
    assert f'action="{page(token, "cancel")}"' in content
    assert (listed.status_code, listed.url, posted.status_code, posted.url) == (
        302,
        page(token),
        302,
        page(token),
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("state", "situation"),
    [
        (
            AppointmentState.CANCELLED,
            "This appointment was cancelled. Call us if you want a new time.",
        ),
        (AppointmentState.ATTENDED, "You came to this appointment. Thank you!"),
        (AppointmentState.NO_SHOW, "This appointment was missed. Call us if you want a new time."),
    ],
)
def test_a_finished_appointment_says_what_happened_and_offers_nothing(
    client, token, booked, state, situation
):
    Appointment.objects.filter(pk=booked.pk).update(state=state)

    response = client.get(page(token))

    content = response.content.decode()
    assert situation in content
    assert ("<form" in content.split("<main", 1)[1], "Choose another time" in content) == (
        False,
        False,
    )


def test_a_past_appointment_can_no_longer_be_cancelled(client, token, booked, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: (STARTS + timedelta(minutes=5)).astimezone(UTC)
    )
    before = snapshot()

    shown = client.get(page(token))
    posted = client.post(page(token, "cancel"), {"confirm": "on"})

    assert "The time of this appointment has passed." in shown.content.decode()
    assert 'id="cancel-form"' not in shown.content.decode()
    assert posted.status_code == 200
    assert "This appointment cannot be cancelled any more. Nothing was changed." in alert(posted)
    assert snapshot() == before


def test_the_pages_behind_a_link_are_kept_private(client, token, offer):
    responses = [
        client.get(page(token)),
        client.get(page(token, "reschedule")),
        client.get(page(offer)),
        client.get(page("not-a-token")),
        client.post(page(token, "cancel"), {}),
        client.get("/appointments/"),
    ]

    assert [
        {name: response.headers.get(name) for name in SECRET_HEADERS} for response in responses
    ] == [SECRET_HEADERS] * len(responses)


def test_the_link_page_takes_no_post(client, token, booked):
    before = snapshot()

    response = client.post(page(token), {"confirm": "on"})

    assert response.status_code == 405
    assert snapshot() == before


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_cancels_and_tells_the_patron_and_helper(client, token, booked, hana):
    response = client.post(page(token, "cancel"), {"confirm": "on"})

    assert (response.status_code, response.url) == (302, page(token))
    booked.refresh_from_db()
    entry = AuditEntry.objects.get(action="jobhelp.appointment.cancelled")
    assert (booked.state, entry.actor, entry.object_id, entry.data) == (
        AppointmentState.CANCELLED,
        None,
        str(booked.pk),
        {"late": False, "state": "cancelled"},
    )
    assert list(
        OutboundMessage.objects.filter(template__contains="cancelled")
        .order_by("pk")
        .values_list("template", "to")
    ) == [
        ("appointment_cancelled", "rosa@example.org"),
        ("appointment_patron_cancelled", hana.email),
    ]
    assert HelpRequest.objects.get(pk=booked.request_id).state == RequestState.IN_PROGRESS

    after = client.get(response.url)

    content = after.content.decode()
    assert "Your appointment is cancelled." in content
    assert "This appointment was cancelled. Call us if you want a new time." in content
    assert details(after)["Status"] == "Cancelled"
    assert 'id="cancel-form"' not in content


def test_cancelling_needs_the_box_ticked(client, token, booked):
    before = snapshot()

    response = client.post(page(token, "cancel"), {})

    assert response.status_code == 200
    assert "Tick the box to confirm that you want to cancel." in alert(response)
    assert snapshot() == before


def test_cancelling_twice_changes_nothing_the_second_time(client, token, booked):
    client.post(page(token, "cancel"), {"confirm": "on"})
    before = snapshot()

    response = client.post(page(token, "cancel"), {"confirm": "on"})

    assert response.status_code == 200
    assert "This appointment cannot be cancelled any more. Nothing was changed." in alert(response)
    assert snapshot() == before


def test_opening_the_cancel_address_only_goes_back_to_the_appointment(client, token, booked):
    before = snapshot()

    response = client.get(page(token, "cancel"))

    assert (response.status_code, response.url) == (302, page(token))
    assert snapshot() == before


# --- Moving ------------------------------------------------------------------------------------


def test_the_other_times_are_those_of_the_same_helper_and_place(
    client, token, booked, library, central
):
    other = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben")
    every_day(other, central, time(13), time(14))  # free, but not Hana
    before = snapshot()

    response = client.get(page(token, "reschedule"))
    wednesday = client.get(page(token, "reschedule"), {"day": "2027-02-03"})

    assert response.status_code == 200
    assert times(response) + times(wednesday) == [
        [
            "Tuesday, Feb. 2, 2027",
            "9 a.m. (CST)",
            "9:30 a.m. (CST)",
            "10 a.m. (CST)",
            "10:30 a.m. (CST)",
            "11 a.m. (CST)",
            "11:30 a.m. (CST)",
        ],
        # Its own time, 10:00, is not offered.
        [
            "Wednesday, Feb. 3, 2027",
            "9 a.m. (CST)",
            "9:30 a.m. (CST)",
            "10:30 a.m. (CST)",
            "11 a.m. (CST)",
            "11:30 a.m. (CST)",
        ],
    ]
    # Day by day: today after noon has no time left; the window is 28 days after today.
    days = day_links(response)
    assert (len(days), days[0], days[1]) == (28, "Tue 02/02/2027 6 times", "Wed 02/03/2027 5 times")
    assert days[-1].startswith("Mon 03/01/2027")
    assert snapshot() == before


def test_moving_books_the_new_time_under_the_same_booking(client, token, booked):
    listed = client.get(page(token, "reschedule"), {"day": "2027-02-03"})
    key = re.search(r'name="idempotency_key" value="([^"]+)"', listed.content.decode())[1]

    response = client.post(
        page(token, "reschedule") + "?day=2027-02-03",
        {"slot": value_of(listed, "9:30 a.m."), "idempotency_key": key},
    )

    assert (response.status_code, response.url) == (302, page(token))
    new = Appointment.objects.get(state=AppointmentState.BOOKED)
    assert (new.uid, new.reference, new.sequence, new.rescheduled_from, new.starts) == (
        booked.uid,
        booked.reference,
        booked.sequence + 1,
        booked,
        local(2027, 2, 3, 9, 30),
    )
    assert Appointment.objects.get(pk=booked.pk).state == AppointmentState.CANCELLED
    entry = AuditEntry.objects.get(action="jobhelp.appointment.rescheduled")
    assert (entry.actor, entry.object_id) == (None, str(new.pk))

    shown = client.get(page(token))

    assert details(shown)["When"] == "Wednesday, Feb. 3, 2027, 9:30 a.m. (CST)"
    assert "Your appointment has been moved." in shown.content.decode()


def test_the_same_move_sent_twice_moves_once(client, token, booked):
    data = {"slot": "20270202T1500Z", "idempotency_key": "same-key-0123456789"}

    first = client.post(page(token, "reschedule"), data)
    after_first = snapshot()
    second = client.post(page(token, "reschedule"), data)

    assert (first.status_code, second.status_code, second.url) == (302, 302, page(token))
    assert snapshot() == after_first
    assert list(Appointment.objects.order_by("pk").values_list("starts", "state", "sequence")) == [
        (STARTS, AppointmentState.CANCELLED, 0),
        (local(2027, 2, 2, 9), AppointmentState.BOOKED, 1),
    ]


def test_moving_to_a_time_just_taken_shows_the_next_free_times(
    client, token, booked, library, hana, central, front_desk, self_service
):
    listed = client.get(page(token, "reschedule"))
    chosen = value_of(listed, "9 a.m.", day=0)
    book_appointment(  # someone else, a moment earlier
        request=HelpRequestFactory(
            organization=library, state=RequestState.ASSIGNED, assigned_to=hana
        ),
        helper=hana,
        location=central,
        appointment_type=self_service,
        starts=local(2027, 2, 2, 9),
        by=front_desk,
        now=NOW,
    )
    before = snapshot()

    response = client.post(page(token, "reschedule"), {"slot": chosen, "idempotency_key": "k" * 20})

    assert response.status_code == 409
    assert alert(response) == (
        "That time was just taken " + TAKEN + " The next free times are marked “Next free "
        "time” below: Tuesday, Feb. 2, 2027, 9:30 a.m. (CST) Tuesday, Feb. 2, 2027, 10 a.m. "
        "(CST) Tuesday, Feb. 2, 2027, 10:30 a.m. (CST)"
    )
    assert times(response)[0] == [
        "Tuesday, Feb. 2, 2027",
        "9:30 a.m. (CST) Next free time",
        "10 a.m. (CST) Next free time",
        "10:30 a.m. (CST) Next free time",
        "11 a.m. (CST)",
        "11:30 a.m. (CST)",
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"idempotency_key": "k" * 20}, "Choose a time: Choose one of the times."),
        ({"slot": "tomorrow", "idempotency_key": "k" * 20}, "Choose one of the times offered."),
        (
            {"slot": "20271399T9999Z", "idempotency_key": "k" * 20},
            "Choose one of the times offered.",
        ),
        (
            {"slot": "99991231T2359Z", "idempotency_key": "k" * 20},
            "Choose one of the times offered.",
        ),
        (
            {"slot": "1.1.20270202T1500Z", "idempotency_key": "k" * 20},
            "Choose one of the times offered.",
        ),
        (
            {"slot": "20270202T1507Z", "idempotency_key": "k" * 20},
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
        (
            {"slot": "20270125T1500Z", "idempotency_key": "k" * 20},
            "That time has already passed.",
        ),
        (
            {"slot": "20270202T1500Z"},
            "This form is out of date. Please reload the page and try again.",
        ),
    ],
)
def test_a_bad_move_says_what_is_wrong_and_changes_nothing(client, token, booked, data, message):
    before = snapshot()

    response = client.post(page(token, "reschedule"), data)

    assert response.status_code == 200
    assert message in alert(response)
    assert snapshot() == before


# --- Choosing a time from an offer ---------------------------------------------------------------


def test_an_offer_lists_the_free_times_by_day_and_changes_nothing(client, offer, library, central):
    before = snapshot()

    response = client.get(page(offer))

    assert response.status_code == 200
    listed = times(response)
    assert listed[0] == [
        "Tuesday, Feb. 2, 2027",
        "9 a.m. (CST), with Hana, Central Library",
        "9:30 a.m. (CST), with Hana, Central Library",
        "10 a.m. (CST), with Hana, Central Library",
        "10:30 a.m. (CST), with Hana, Central Library",
        "11 a.m. (CST), with Hana, Central Library",
        "11:30 a.m. (CST), with Hana, Central Library",
    ]
    # One day's times at a time; the days with free times are links above them.
    assert (len(listed), len(listed[0]) - 1) == (1, 6)
    assert len(day_links(response)) == 28
    assert "<title>Choose a time · " in response.content.decode()
    assert snapshot() == before


def test_choosing_a_time_books_it_once_even_when_sent_twice(client, offer, rosa, hana):
    listed = client.get(page(offer), {"day": "2027-02-03"})
    key = re.search(r'name="idempotency_key" value="([^"]+)"', listed.content.decode())[1]
    data = {"slot": value_of(listed, "10 a.m."), "idempotency_key": key}

    first = client.post(page(offer, "book"), data)
    after_first = snapshot()
    second = client.post(page(offer, "book"), data)

    assert (first.status_code, first.url, second.status_code, second.url) == (
        302,
        page(offer),
        302,
        page(offer),
    )
    assert snapshot() == after_first
    appointment = Appointment.objects.get()
    assert (appointment.request, appointment.helper, appointment.starts) == (
        rosa,
        hana,
        local(2027, 2, 3, 10),
    )
    assert AuditEntry.objects.filter(action="jobhelp.appointment.booked").count() == 1

    shown = client.get(page(offer))

    assert details(shown)["When"] == "Wednesday, Feb. 3, 2027, 10 a.m. (CST)"
    assert "Thank you! This time is booked for you." in shown.content.decode()


def test_choosing_a_time_just_taken_shows_the_next_free_times(
    client, offer, library, hana, central, front_desk, self_service
):
    listed = client.get(page(offer))
    chosen = value_of(listed, "9 a.m.", day=0)
    book_appointment(
        request=HelpRequestFactory(
            organization=library, state=RequestState.ASSIGNED, assigned_to=hana
        ),
        helper=hana,
        location=central,
        appointment_type=self_service,
        starts=local(2027, 2, 2, 9),
        by=front_desk,
        now=NOW,
    )
    before = snapshot()

    response = client.post(page(offer, "book"), {"slot": chosen, "idempotency_key": "k" * 20})

    assert response.status_code == 409
    assert alert(response).startswith("That time was just taken " + TAKEN)
    assert [
        (row["when"], row["helper"], row["location"])
        for day in response.context["next_free"]
        for row in day["slots"]
    ] == [
        (local(2027, 2, 2, 9, 30), hana, central),
        (local(2027, 2, 2, 10), hana, central),
        (local(2027, 2, 2, 10, 30), hana, central),
    ]
    assert times(response)[0][1:3] == [
        "9:30 a.m. (CST), with Hana, Central Library Next free time",
        "10 a.m. (CST), with Hana, Central Library Next free time",
    ]
    assert snapshot() == before


def test_a_time_with_a_helper_the_offer_does_not_list_is_refused(client, offer, library, central):
    # Works at the same library, but is not qualified for what Rosa needs.
    other = staff_member(library, Role.HELPER, needs=["interview"], first_name="Cy")
    every_day(other, central, time(13), time(15))
    before = snapshot()

    response = client.post(
        page(offer, "book"),
        {"slot": f"{other.pk}.{central.pk}.20270202T1900Z", "idempotency_key": "k" * 20},
    )

    assert response.status_code == 200
    assert "Choose one of the times offered." in alert(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        (None, "Choose a time: Choose one of the times."),
        ("20270202T1500Z", "Choose one of the times offered."),
        ("{hana}.{central}.20271302T1500Z", "Choose one of the times offered."),
        (
            "{hana}.{central}.20270202T1510Z",
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
    ],
)
def test_a_bad_choice_says_what_is_wrong_and_books_nothing(
    client, offer, hana, central, slot, message
):
    before = snapshot()
    data = {"idempotency_key": "k" * 20}
    if slot:
        data["slot"] = slot.format(hana=hana.pk, central=central.pk)

    response = client.post(page(offer, "book"), data)

    assert response.status_code == 200
    assert message in alert(response)
    assert snapshot() == before


def test_an_offer_shows_the_assigned_helper_first_and_anyone_free_is_a_choice(
    client, offer, rosa, library, central
):
    rosa.language = "es"
    rosa.save()
    ana = staff_member(library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana")
    every_day(ana, central, time(9), time(12))
    ben = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben")
    every_day(ben, central, time(13), time(14))

    client.cookies["django_language"] = "en"  # the switch chose English
    shown = client.get(page(offer))
    anyone = client.get(page(offer), {"helper": "any", "day": "2027-02-02"})

    options = re.findall(
        r'<option value="([^"]*)"[^>]*>(.*?)</option>', shown.content.decode(), re.S
    )
    assert [(value, unescape(label)) for value, label in options] == [
        (str(rosa.assigned_to.pk), "Hana, who is helping you"),
        (str(ana.pk), "Ana (speaks Spanish)"),
        (str(ben.pk), "Ben"),
        ("any", "Anyone who is free"),
    ]
    assert {t.split(", with ")[1] for t in times(shown)[0][1:]} == {"Hana, Central Library"}
    everyone = {t.split(", with ")[1] for day in times(anyone) for t in day[1:]}
    assert everyone == {"Hana, Central Library", "Ana, Central Library", "Ben, Central Library"}


def test_an_offer_shows_the_patrons_best_time_of_day_first(client, offer, rosa, hana, central):
    every_day(hana, central, time(13), time(19))
    rosa.best_time = "evening"
    rosa.save()

    response = client.get(page(offer))

    listed = times(response)
    assert listed[0][0] == "Monday, Feb. 1, 2027 — your best time: Evening (5 to 8)"
    assert listed[0][1:] == [
        "5 p.m. (CST), with Hana, Central Library",
        "5:30 p.m. (CST), with Hana, Central Library",
        "6 p.m. (CST), with Hana, Central Library",
        "6:30 p.m. (CST), with Hana, Central Library",
    ]
    assert listed[1][0] == "Monday, Feb. 1, 2027 — other times"
    assert listed[1][1] == "1 p.m. (CST), with Hana, Central Library"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"helper": "999999"}, "Choose one of the people listed."),
        (
            {"day": "2027-12-25"},
            "There are no free times on that day. Choose one of the days listed.",
        ),
        ({"day": "someday"}, "Choose one of the days listed."),
    ],
)
def test_a_tampered_choice_on_an_offer_says_so_and_shows_the_first_day(
    client, offer, query, message
):
    before = snapshot()

    response = client.get(page(offer), query)

    assert response.status_code == 200
    assert message in alert(response)
    assert times(response)[0][0] == "Tuesday, Feb. 2, 2027"
    assert len(times(response)[0]) == 7
    assert snapshot() == before


def test_a_refused_choice_comes_back_to_the_same_day(client, offer, hana, central):
    listed = client.get(page(offer), {"day": "2027-02-04"})
    action = re.search(r'<form[^>]*method="post" action="([^"]+)"', listed.content.decode())[1]
    before = snapshot()

    response = client.post(unescape(action), {"slot": "", "idempotency_key": "k" * 20})

    assert response.status_code == 200
    assert times(response)[0][0] == "Thursday, Feb. 4, 2027"
    assert snapshot() == before


def test_the_offer_page_reads_the_same_number_of_queries_for_one_or_three_helpers(
    client, offer, library, central
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(offer)).status_code == 200
        return len(queries)

    one = count()
    for name in ("Ben", "Cy"):
        every_day(
            staff_member(library, Role.HELPER, needs=["resume"], first_name=name),
            central,
            time(13),
            time(15),
        )
    three = count()

    assert one == three
    assert len({row[0] for row in appointment_views._offered(links.open_link(offer), NOW)}) == 3


# --- Links that do not work ----------------------------------------------------------------------


def test_unknown_altered_revoked_and_expired_links_show_nothing(client, token, booked, offer):
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    revoked = links.link_to_appointment(booked)
    PatronLink.objects.filter(token_hash=hash_token(revoked)).update(revoked_at=NOW)
    expired = links.link_to_appointment(booked)
    PatronLink.objects.filter(token_hash=hash_token(expired)).update(expires_at=NOW)
    before = snapshot()

    results = []
    for bad in ("unknown-token", altered, revoked, expired):
        for method, action, data in [
            ("get", "", None),
            ("get", "reschedule", None),
            ("post", "cancel", {"confirm": "on"}),
            ("post", "reschedule", {"slot": "20270202T1500Z", "idempotency_key": "k" * 20}),
            ("post", "book", {"slot": "20270202T1500Z", "idempotency_key": "k" * 20}),
        ]:
            response = getattr(client, method)(page(bad, action), data)
            content = response.content.decode()
            assert booked.display_reference not in content
            assert "Hana" not in content
            results.append((response.status_code, re.search(r"<h1>(.*?)</h1>", content)[1]))

    assert results == [(404, "This link does not work")] * 15 + [(410, "This link has expired")] * 5
    assert snapshot() == before


def test_the_link_problem_page_says_what_to_do(client, library):
    response = client.get(page("nothing-here"))

    assert (response.status_code, main(response)) == (
        404,
        "This link does not work The link may be incomplete, or it may have been replaced by a "
        "newer one. Check that you copied the whole link from your message. What you can do "
        "Call Riverbend County Library at 763-555-0100. Staff can see, move or cancel your "
        "appointment, or book a new one. If you have your reference code, find your "
        "appointment with it and your phone number.",
    )


def test_a_burst_of_unknown_links_from_one_address_is_refused_in_the_visitors_language(
    client, token
):
    guesser, holder = "203.0.113.7", "198.51.100.2"
    burst = [
        client.get(page(f"guess-{n}"), REMOTE_ADDR=guesser).status_code for n in range(GUESS_LIMIT)
    ]

    refused = client.get(page("guess-more"), REMOTE_ADDR=guesser, HTTP_ACCEPT_LANGUAGE="es")

    assert burst == [404] * GUESS_LIMIT
    assert (refused.status_code, main(refused).split(" Qué puede hacer")[0]) == (
        429,
        "Por favor, espere un poco No abrimos este enlace porque desde esta conexión se "
        "probaron muchos enlaces que no funcionan en poco tiempo. Por favor, inténtelo de "
        "nuevo en 60 minutos.",
    )
    assert {k: refused[k] for k in SECRET_HEADERS} == SECRET_HEADERS
    assert (
        client.post(page(token, "cancel"), {"confirm": "on"}, REMOTE_ADDR=guesser).status_code
        == 429
    )
    assert (
        client.get(page(token), REMOTE_ADDR=holder).status_code,
        client.get(page("guess-more"), REMOTE_ADDR=holder).status_code,
    ) == (200, 404)


# --- Finding an appointment by reference code and phone ----------------------------------------


def test_the_reference_code_and_phone_open_a_fresh_link(client, booked):
    response = client.post(
        "/appointments/",
        {"reference": booked.display_reference.lower(), "phone": "(763) 555-0142"},
    )

    assert response.status_code == 302
    token = re.fullmatch(r"/appointments/([A-Za-z0-9_-]{40,})/", response.url)[1]
    assert links.open_link(token).appointment == booked
    shown = client.get(response.url)
    assert details(shown)["Reference code"] == booked.display_reference


def test_the_lookup_finds_the_newest_booking_of_a_reference(client, booked, front_desk):
    moved = reschedule_appointment(booked, starts=local(2027, 2, 4, 9), by=front_desk, now=NOW)

    response = client.post("/appointments/", {"reference": booked.reference, "phone": "7635550142"})

    assert links.open_link(response.url.split("/")[2]).appointment == moved


def test_the_requests_code_opens_its_appointment_too(client, booked, rosa, front_desk):
    """One code per caller: the code they got when they asked for help works as well."""
    HelpRequest.objects.filter(pk=rosa.pk).update(reference="HXP234")
    moved = reschedule_appointment(booked, starts=local(2027, 2, 4, 9), by=front_desk, now=NOW)

    response = client.post("/appointments/", {"reference": "hxp-234", "phone": "763 555 0142"})

    assert response.status_code == 302
    assert links.open_link(response.url.split("/")[2]).appointment == moved
    assert AuditEntry.objects.order_by("pk").last().data == {
        "by": "reference_and_phone",
        "code": "request",
    }


def test_a_request_without_an_appointment_says_so_with_its_helpers_number(client, library, branch):
    branch.phone = ""
    branch.save()
    waiting = HelpRequestFactory(
        organization=branch, phone="+17635550177", reference="QRS234", language="es"
    )
    links_before = PatronLink.objects.count()

    response = client.post("/appointments/", {"reference": "QRS-234", "phone": "7635550177"})

    assert response.status_code == 200
    assert main(response).split(" Encontramos")[1].split(" Código de referencia")[0] == (
        " su solicitud QRS-234. Northtown Library todavía no le ha reservado una cita; una "
        "persona del personal se comunicará con usted como lo pidió. Para preguntar por ella, "
        "llame a Northtown Library al 763-555-0111."
    )
    assert (PatronLink.objects.count(), waiting.organization) == (links_before, branch)
    assert RateLimitBucket.objects.filter(scope="appointment_lookup").count() == 0


def test_a_mistyped_code_says_which_characters_codes_never_use(client, booked):
    mistyped = booked.reference[:5] + "0"

    response = client.post("/appointments/", {"reference": mistyped, "phone": "763-555-0142"})

    assert response.context["form"].errors == {
        "reference": [
            "Reference codes never use 0, 1, I, L or O, so one of these was mistyped. Check "
            "the code in your message, or the one you wrote down."
        ]
    }
    assert RateLimitBucket.objects.filter(scope="appointment_lookup").count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"reference": "ZZZ-ZZZ", "phone": "763-555-0142"},  # wrong code
        {"reference": "{reference}", "phone": "763-555-0143"},  # wrong phone
    ],
)
def test_a_wrong_code_or_phone_gets_one_message(client, booked, data):
    data = {**data, "reference": data["reference"].format(reference=booked.reference)}
    links_before = PatronLink.objects.count()

    response = client.post("/appointments/", data)

    assert response.status_code == 200
    assert alert(response) == (
        "Please fix one thing below. Everything you typed is still here. " + NOT_FOUND
    )
    assert PatronLink.objects.count() == links_before


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "reference": ["Enter your reference code."],
                "phone": ["Enter the phone number you gave us."],
            },
        ),
        (
            {"reference": "AB", "phone": "123"},
            {
                "reference": ["A reference code has six letters and numbers, for example ABC-DEF."],
                "phone": [
                    "That does not look like a working phone number. Check the area code and "
                    "digits."
                ],
            },
        ),
    ],
)
def test_a_lookup_with_missing_or_malformed_input_says_so(client, booked, data, errors):
    links_before = PatronLink.objects.count()

    response = client.post("/appointments/", data)

    assert (response.status_code, response.context["form"].errors) == (200, errors)
    assert PatronLink.objects.count() == links_before


def test_the_lookup_is_rate_limited(client, booked):
    wrong = {"reference": "ZZZ-ZZZ", "phone": "763-555-0142"}
    statuses = [
        client.post("/appointments/", wrong).status_code
        for _ in range(appointment_views.LOOKUP_RATE_LIMIT)
    ]
    links_before = PatronLink.objects.count()

    response = client.post(
        "/appointments/", {"reference": booked.reference, "phone": "763-555-0142"}
    )

    assert statuses == [200] * appointment_views.LOOKUP_RATE_LIMIT
    assert response.status_code == 429
    assert "Please wait a little while" in alert(response)
    assert PatronLink.objects.count() == links_before
    # Only the lookups that found nothing count; the refused one is not counted.
    assert RateLimitBucket.objects.get(scope="appointment_lookup").hits == 10


def test_the_lookup_page_is_linked_from_home_and_the_confirmation(client, library):
    home = client.get("/")
    session = client.session
    session["last_request"] = {
        "reference": "ABC-DEF",
        "email_given": False,
        "organization_slug": library.slug,
        "at": NOW.timestamp(),
    }
    session.save()
    received = client.get("/help/received/")

    link = '<a class="usa-link" href="/appointments/">Have an appointment? Manage it here</a>'
    assert (link in home.content.decode(), link in received.content.decode()) == (True, True)
    lookup = client.get("/appointments/")
    assert (lookup.status_code, re.search(r"<h1>(.*?)</h1>", lookup.content.decode())[1]) == (
        200,
        "Find your appointment",
    )
