"""Appointments from the staff side: booking a time for a caller from the request, emailing a
"choose your own time" link, and moving, cancelling and marking appointments on the request page.

The clock is fixed at NOW (django.utils.timezone.now is patched): Monday 2 March 2026, 8:00 in
Chicago, where the library is. Hana works at Central Library from 9:00 to 12:00 every day.
"""

import html
import re
from datetime import UTC, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling.domain import book_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 2, 8)
REFERENCE = "BKG234"
BOOK_URL = f"/staff/requests/{REFERENCE}/book/"
REQUEST_URL = f"/staff/requests/{REFERENCE}/"
KEY = "a-form-key-of-the-right-shape"
TAKEN = "That time was just taken. Please choose another time."
NOT_OFFERED = "Choose one of the times offered."


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def hours(hana, central):
    every_day(hana, central, time(9), time(12))


@pytest.fixture
def caller(library, hana):
    """A caller without email, assigned to Hana."""
    return HelpRequestFactory(
        organization=library,
        reference=REFERENCE,
        name="Rosa María Lopez",
        phone="+17635550142",
        email="",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
    )


def slot(helper, location, starts) -> str:
    return f"{helper.pk}-{location.pk}-{starts.astimezone(UTC):%Y%m%dT%H%MZ}"


def book_post(phone_help, value, key=KEY) -> dict:
    return {"type": str(phone_help.pk), "slot": value, "idempotency_key": key}


def flashed(response) -> list[tuple[str, str]]:
    """The messages shown at the top of the page, as (kind, text)."""
    return [
        (kind, html.unescape(text))
        for kind, text in re.findall(
            r'usa-alert--(\w+) usa-alert--slim" role="status">\s*'
            r'<div class="usa-alert__body"><p class="usa-alert__text">(.*?)</p>',
            response.content.decode(),
        )
    ]


def shown_slots(response) -> list[str]:
    """The labels of the times offered, in page order."""
    return [
        " ".join(html.unescape(label).split())
        for label in re.findall(
            r'<label class="usa-radio__label" for="slot-[^"]+">(.*?)</label>',
            response.content.decode(),
            flags=re.S,
        )
    ]


def snapshot() -> tuple:
    return (
        list(Appointment.objects.order_by("pk").values()),
        list(HelpRequest.objects.order_by("pk").values("pk", "state", "assigned_to")),
        AuditEntry.objects.count(),
        OutboundMessage.objects.count(),
    )


def booked_for(caller, hana, central, phone_help, front_desk, starts):
    return book_appointment(
        request=caller,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=starts,
        by=front_desk,
    )


# --- Who may open the booking page and act ------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("no_membership", 403),
        ("outsider", 404),
        ("helper", 403),  # sees the request, but it is Hana's
        ("front_desk", 200),
        ("manager", 200),
        ("hana", 200),
    ],
)
def test_who_may_open_the_booking_page(client, log_in, caller, hours, phone_help, persona, status):
    log_in(persona)

    response = client.get(BOOK_URL)

    assert response.status_code == status
    if status == 302:
        assert response.url == f"/staff/login/?next={BOOK_URL}"
    if status != 200:
        assert b"Rosa" not in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("no_membership", 403), ("outsider", 404), ("helper", 403)],
)
def test_who_may_not_book_writes_nothing(
    client, log_in, caller, hours, hana, central, phone_help, persona, status
):
    log_in(persona)
    before = snapshot()

    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 2, 9)))
    )

    assert response.status_code == status
    assert snapshot() == before


@pytest.fixture
def appointment(caller, hours, hana, central, phone_help, front_desk):
    return booked_for(caller, hana, central, phone_help, front_desk, local(2026, 3, 2, 10))


ACTIONS = ["reschedule", "cancel", "attended", "no-show"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("no_membership", 403), ("outsider", 404), ("helper", 403)],
)
def test_who_may_not_change_an_appointment_changes_nothing(
    client, log_in, appointment, action, persona, status
):
    log_in(persona)
    before = snapshot()

    response = client.post(f"/staff/appointments/{appointment.pk}/{action}/", {"late": "on"})

    assert response.status_code == status
    assert snapshot() == before


@pytest.mark.parametrize("action", ["cancel", "attended", "no-show"])
def test_actions_need_a_post(client, front_desk, appointment, action):
    client.force_login(front_desk)

    response = client.get(f"/staff/appointments/{appointment.pk}/{action}/")

    assert response.status_code == 405
    assert Appointment.objects.get().state == AppointmentState.BOOKED


def test_an_appointment_that_does_not_exist_is_not_found(client, front_desk, appointment):
    client.force_login(front_desk)

    assert client.post(f"/staff/appointments/{appointment.pk + 1}/cancel/").status_code == 404
    assert client.get(f"/staff/appointments/{appointment.pk + 1}/reschedule/").status_code == 404


# --- Booking for a caller -------------------------------------------------------------------


def test_the_page_lists_free_times_by_day_on_the_librarys_clock(
    client, front_desk, caller, hours, phone_help
):
    client.force_login(front_desk)

    response = client.get(BOOK_URL)

    assert response.status_code == 200
    # The library's only type is chosen already.
    assert response.context["appointment_type"] == phone_help
    # The days with free times, as a picker: the whole window (today and 28 days).
    days = [link["day"].date.isoformat() for link in response.context["days"]]
    assert days[:3] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert (len(days), days[-1]) == (29, "2026-03-30")
    # The first day is shown: its times only.
    assert response.context["plan"].day.isoformat() == "2026-03-02"
    assert [s["starts"] for s in response.context["other"]] == [
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 10),
        local(2026, 3, 2, 10, 30),
        local(2026, 3, 2, 11),
        local(2026, 3, 2, 11, 30),
    ]
    assert shown_slots(response)[:2] == [
        "9 a.m. CST — Hana Lee, Central Library",
        "9:30 a.m. CST — Hana Lee, Central Library",
    ]
    assert len(shown_slots(response)) == 6
    assert "Monday, March 2, 2026" in response.content.decode()


def test_after_the_clock_change_the_times_stay_at_nine_local(
    client, front_desk, caller, hours, phone_help
):
    client.force_login(front_desk)

    saturday = client.get(BOOK_URL, {"type": phone_help.pk, "day": "2026-03-07"})
    monday = client.get(BOOK_URL, {"type": phone_help.pk, "day": "2026-03-09"})

    assert shown_slots(saturday)[0] == "9 a.m. CST — Hana Lee, Central Library"
    assert shown_slots(monday)[0] == "9 a.m. CDT — Hana Lee, Central Library"


def test_front_desk_books_a_phone_appointment_for_a_caller_without_email(
    client, front_desk, caller, hours, hana, central, phone_help
):
    client.force_login(front_desk)

    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 3, 10)))
    )

    assert (response.status_code, response.url) == (302, REQUEST_URL)
    stored = Appointment.objects.get()
    assert (
        stored.request,
        stored.helper,
        stored.location,
        stored.appointment_type,
        stored.starts,
        stored.state,
    ) == (caller, hana, central, phone_help, local(2026, 3, 3, 10), AppointmentState.BOOKED)
    assert HelpRequest.objects.get(pk=caller.pk).state == RequestState.SCHEDULED
    # A caller without email is told nothing by email: the front desk reads the code out.
    assert OutboundMessage.objects.count() == 0

    page = client.get(REQUEST_URL)
    assert flashed(page) == [
        ("success", "Appointment booked for Tuesday, March 3, 10:00 AM CST with Hana Lee.")
    ]
    content = page.content.decode()
    assert "Read this to the caller:" in content
    assert (
        f'<p class="jh-appointment-reference"><span aria-hidden="true">'
        f"{stored.display_reference}</span>" in content
    )
    # Shown once: the next visit does not repeat it.
    assert "Read this to the caller:" not in client.get(REQUEST_URL).content.decode()


def test_a_double_submit_books_once(client, front_desk, caller, hours, hana, central, phone_help):
    client.force_login(front_desk)
    data = book_post(phone_help, slot(hana, central, local(2026, 3, 3, 10)))

    first = client.post(BOOK_URL, data)
    second = client.post(BOOK_URL, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Appointment.objects.count() == 1
    assert AuditEntry.objects.filter(action="jobhelp.appointment.booked").count() == 1


def test_each_drawing_of_the_form_has_its_own_key(client, front_desk, caller, hours, phone_help):
    client.force_login(front_desk)

    keys = [client.get(BOOK_URL).context["form"]["idempotency_key"].value() for _ in range(2)]

    assert len(set(keys)) == 2
    assert all(len(k) >= 32 for k in keys)


def test_a_time_just_taken_shows_the_next_free_times(
    client, front_desk, caller, hours, hana, central, phone_help, library
):
    client.force_login(front_desk)
    client.get(BOOK_URL)
    # Someone else books Hana at 9:00 while the page is open.
    other = HelpRequestFactory(organization=library, state="assigned", assigned_to=hana)
    booked_for(other, hana, central, phone_help, front_desk, local(2026, 3, 2, 9))
    before = snapshot()

    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 2, 9)))
    )

    assert response.status_code == 200
    assert response.context["errors"] == [TAKEN]
    assert [s["starts"] for d in response.context["taken"] for s in d["slots"]] == [
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 10),
        local(2026, 3, 2, 10, 30),
    ]
    assert 'id="next-free-times"' in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "garbage"}, "This form is out of date. Please reload the page and try again."),
        ({"type": "999999"}, "This form is out of date. Please reload the page and try again."),
        ({"slot": ""}, "Choose a time."),
        ({"slot": "garbage"}, NOT_OFFERED),
        ({"slot": "1-2-20269999T9999Z"}, NOT_OFFERED),
        (
            {"idempotency_key": ""},
            "This form is out of date. Please reload the page and try again.",
        ),
        (
            {"idempotency_key": "<script>"},
            "This form is out of date. Please reload the page and try again.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    client, front_desk, caller, hours, hana, central, phone_help, change, message
):
    client.force_login(front_desk)
    data = {**book_post(phone_help, slot(hana, central, local(2026, 3, 2, 9))), **change}
    before = snapshot()

    response = client.post(BOOK_URL, data)

    assert response.status_code == 200
    assert response.context["errors"] == [message]
    assert message in html.unescape(response.content.decode())
    assert snapshot() == before


def test_a_time_that_is_not_offered_is_refused(
    client, front_desk, caller, hours, hana, central, phone_help
):
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 2, 15)))
    )

    assert response.context["errors"] == [
        "Hana is not available at that time. Please choose one of the times offered."
    ]
    assert snapshot() == before


def test_a_time_in_the_past_is_refused(
    client, front_desk, caller, hours, hana, central, phone_help
):
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 1, 9)))
    )

    assert response.context["errors"] == ["That time has already passed."]
    assert snapshot() == before


def test_another_organizations_helper_crafted_into_the_post_is_refused(
    client, front_desk, caller, hours, central, phone_help, other_library
):
    stranger = staff_member(other_library, Role.HELPER, needs=["resume"])
    every_day(stranger, central, time(9), time(12))
    elsewhere = LocationFactory(organization=other_library)
    client.force_login(front_desk)
    before = snapshot()

    for value in (
        slot(stranger, central, local(2026, 3, 2, 9)),
        slot(caller.assigned_to, elsewhere, local(2026, 3, 2, 9)),
    ):
        response = client.post(BOOK_URL, book_post(phone_help, value))
        assert response.context["errors"] == [NOT_OFFERED]

    assert snapshot() == before


def test_another_organizations_type_crafted_into_the_post_is_refused(
    client, front_desk, caller, hours, hana, central, other_library
):
    theirs = AppointmentTypeFactory(organization=other_library)
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(BOOK_URL, book_post(theirs, slot(hana, central, local(2026, 3, 2, 9))))

    assert response.context["errors"] == [
        "This form is out of date. Please reload the page and try again."
    ]
    assert snapshot() == before


def test_the_chosen_time_stays_chosen_after_a_refusal(
    client, front_desk, caller, hours, hana, central, phone_help
):
    client.force_login(front_desk)
    value = slot(hana, central, local(2026, 3, 2, 9))

    response = client.post(BOOK_URL, {**book_post(phone_help, value), "idempotency_key": ""})

    assert f'value="{value}" checked' in response.content.decode()


def test_a_new_request_cannot_be_booked_yet(
    client, front_desk, library, hana, central, hours, phone_help
):
    HelpRequestFactory(organization=library, reference=REFERENCE, state=RequestState.NEW)
    client.force_login(front_desk)
    before = snapshot()

    page = client.get(BOOK_URL)
    response = client.post(
        BOOK_URL, book_post(phone_help, slot(hana, central, local(2026, 3, 2, 9)))
    )

    message = "Assign this request to a helper before booking an appointment for it."
    assert message in page.content.decode()
    assert (page.context["plan"], 'name="slot"' in page.content.decode()) == (None, False)
    assert response.context["errors"] == [message]
    assert snapshot() == before


def test_choosing_a_kind_of_appointment_and_a_helper(
    client, front_desk, caller, hours, hana, central, phone_help, library
):
    in_person = AppointmentTypeFactory(
        organization=library, name="Drop-in help", modality="in_person"
    )
    ben = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben", last_name="Berg")
    every_day(ben, central, time(11), time(12))
    client.force_login(front_desk)

    unchosen = client.get(BOOK_URL)
    everyone = client.get(BOOK_URL, {"type": in_person.pk, "helper": "any"})
    only_ben = client.get(BOOK_URL, {"type": in_person.pk, "helper": ben.pk})
    garbage = client.get(BOOK_URL, {"type": "x"})

    # The caller asked by phone: the phone type, and Hana, who is assigned, are chosen.
    assert unchosen.context["appointment_type"] == phone_help
    assert unchosen.context["finder"]["helper"].value() == str(hana.pk)
    assert {s["helper"] for s in unchosen.context["other"]} == {hana}
    # "Anyone free" is a choice: everyone's times, in time order.
    assert shown_slots(everyone)[4:8] == [
        "11 a.m. CST — Ben Berg, Central Library",
        "11 a.m. CST — Hana Lee, Central Library",
        "11:30 a.m. CST — Ben Berg, Central Library",
        "11:30 a.m. CST — Hana Lee, Central Library",
    ]
    assert shown_slots(only_ben)[:2] == [
        "11 a.m. CST — Ben Berg, Central Library",
        "11:30 a.m. CST — Ben Berg, Central Library",
    ]
    assert garbage.context["finder"].errors == {
        "type": ["Choose one of the kinds of appointment listed."]
    }
    assert 'name="slot"' not in garbage.content.decode()
    assert in_person.name in everyone.content.decode()
    assert phone_help.name in unchosen.content.decode()


def test_the_helpers_are_offered_assigned_first_with_their_reasons(
    client, front_desk, caller, hours, library, central, phone_help
):
    caller.language = "es"
    caller.save()
    ana = staff_member(
        library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana", last_name="Ruiz"
    )
    ben = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben", last_name="Berg")
    client.force_login(front_desk)

    response = client.get(BOOK_URL)

    options = re.findall(
        r'<option value="([^"]*)"[^>]*>(.*?)</option>',
        response.content.decode().split('name="helper"')[1].split("</select>")[0],
    )
    assert [(value, html.unescape(label)) for value, label in options] == [
        (str(caller.assigned_to.pk), "Hana Lee (assigned, qualified for Resumé)"),
        (str(ana.pk), "Ana Ruiz (speaks Spanish, qualified for Resumé)"),
        (str(ben.pk), "Ben Berg (qualified for Resumé)"),
        ("any", "Anyone free"),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"helper": "999999"}, "Choose a helper from the list."),
        ({"helper": "<b>"}, "Choose a helper from the list."),
        (
            {"day": "2099-01-01"},
            "There are no free times on that day. Choose one of the days listed.",
        ),
        (
            {"day": "2026-03-01"},
            "There are no free times on that day. Choose one of the days listed.",
        ),
        ({"day": "garbage"}, "Choose one of the days listed."),
    ],
)
def test_a_tampered_helper_or_a_day_out_of_range_says_so(
    client, front_desk, caller, hours, phone_help, query, message
):
    client.force_login(front_desk)
    before = snapshot()

    response = client.get(BOOK_URL, {"type": phone_help.pk, **query})

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    # The kind of appointment chosen stays chosen.
    assert f'<option value="{phone_help.pk}" selected>' in response.content.decode()
    if "day" in query:
        # The first day with times is shown instead.
        assert response.context["plan"].day.isoformat() == "2026-03-02"
        assert len(shown_slots(response)) == 6
    assert snapshot() == before


def test_the_callers_best_time_of_day_comes_first(
    client, front_desk, caller, hana, central, phone_help
):
    every_day(hana, central, time(9), time(19))
    caller.best_time = "afternoon"
    caller.save()
    client.force_login(front_desk)

    response = client.get(BOOK_URL)

    best = [s["starts"].strftime("%H:%M") for s in response.context["best"]]
    other = [s["starts"].strftime("%H:%M") for s in response.context["other"]]
    assert best == [f"{h:02}:{m:02}" for h in range(12, 17) for m in (0, 30)]
    assert other == [f"{h:02}:{m:02}" for h in (9, 10, 11, 17, 18) for m in (0, 30)]
    labels = shown_slots(response)
    assert labels[0] == "noon CST — Hana Lee, Central Library"
    assert "The caller’s best time: Afternoon (noon to 5)" in html.unescape(
        response.content.decode()
    )


def test_a_phone_caller_is_not_offered_video_types(
    client, front_desk, caller, hours, hana, central, library, phone_help
):
    video = AppointmentTypeFactory(organization=library, name="Video help", modality="video")
    in_person = AppointmentTypeFactory(
        organization=library, name="At the desk", modality="in_person"
    )
    client.force_login(front_desk)
    before = snapshot()

    page = client.get(BOOK_URL)
    posted = client.post(BOOK_URL, book_post(video, slot(hana, central, local(2026, 3, 2, 9))))

    assert list(page.context["finder"].fields["type"].queryset) == [phone_help, in_person]
    assert posted.context["errors"] == [
        "This form is out of date. Please reload the page and try again."
    ]
    assert snapshot() == before


def test_booking_page_query_count_does_not_grow_with_the_helpers(
    client, front_desk, caller, hours, library, central, phone_help
):
    client.force_login(front_desk)
    url = f"{BOOK_URL}?type={phone_help.pk}&helper=any"
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert {s["helper"].pk for s in response.context["other"]} == {caller.assigned_to.pk}

    for name in ("Ben", "Cy"):
        more = staff_member(library, Role.HELPER, needs=["resume"], first_name=name)
        every_day(more, central, time(9), time(12))
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    helpers = {s["helper"].pk for s in response.context["other"]}
    assert len(helpers) == 3
    assert len(response.context["days"]) == 29

    assert len(three) == len(one)


# --- Emailing a "choose your own time" link -------------------------------------------------


@pytest.fixture
def self_service(library):
    return AppointmentTypeFactory(
        organization=library, name="Resumé review", self_service=True, duration=30
    )


def test_the_patron_with_email_is_sent_a_link(client, front_desk, caller, self_service, phone_help):
    HelpRequest.objects.filter(pk=caller.pk).update(email="rosa@example.org")
    client.force_login(front_desk)

    page = client.get(REQUEST_URL)
    response = client.post(f"/staff/requests/{REFERENCE}/offer/", {"type": self_service.pk})

    assert list(page.context["offer_form"].fields["type"].queryset) == [self_service]
    assert (response.status_code, response.url) == (302, REQUEST_URL)
    message = OutboundMessage.objects.get()
    assert (message.to, message.template) == ("rosa@example.org", "appointment_offer")
    assert flashed(client.get(REQUEST_URL)) == [
        ("success", "We emailed rosa@example.org a link to choose a time for “Resumé review”.")
    ]


def test_a_patron_who_chose_texts_is_texted_the_link(
    client, front_desk, caller, self_service, phone_help, texting
):
    HelpRequest.objects.filter(pk=caller.pk).update(preferred_contact="text")
    client.force_login(front_desk)

    page = client.get(REQUEST_URL)
    client.post(f"/staff/requests/{REFERENCE}/offer/", {"type": self_service.pk})

    assert "Text (763) 555-0142 a link to choose a time" in page.content.decode()
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.template) == (
        "sms",
        "+17635550142",
        "appointment_offer",
    )
    assert flashed(client.get(REQUEST_URL)) == [
        ("success", "We texted (763) 555-0142 a link to choose a time for “Resumé review”.")
    ]


def test_no_link_button_for_a_caller_without_email(client, front_desk, caller, self_service):
    client.force_login(front_desk)
    before = snapshot()

    page = client.get(REQUEST_URL)
    response = client.post(f"/staff/requests/{REFERENCE}/offer/", {"type": self_service.pk})

    assert page.context["offer_form"] is None
    assert "a link to choose a time" not in page.content.decode()
    assert flashed(client.get(response.url)) == [
        (
            "error",
            "This patron has no email address and gets no text messages. Book a time with them "
            "by phone instead.",
        )
    ]
    assert snapshot() == before


@pytest.mark.parametrize("value", ["", "garbage", "staff-only"])
def test_a_link_only_for_self_service_types(client, front_desk, caller, phone_help, value):
    HelpRequest.objects.filter(pk=caller.pk).update(email="rosa@example.org")
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        f"/staff/requests/{REFERENCE}/offer/",
        {"type": phone_help.pk if value == "staff-only" else value},
    )

    expected = (
        "Choose the kind of appointment."
        if value == ""
        else "Patrons cannot choose a time for that kind of appointment."
    )
    assert flashed(client.get(response.url)) == [("error", expected)]
    assert snapshot() == before


def test_a_phone_caller_is_not_sent_a_link_for_a_video_call(
    client, front_desk, caller, self_service, library
):
    video = AppointmentTypeFactory(
        organization=library, name="Resumé review by video", modality="video", self_service=True
    )
    HelpRequest.objects.filter(pk=caller.pk).update(email="rosa@example.org")
    client.force_login(front_desk)
    before = snapshot()

    page = client.get(REQUEST_URL)
    response = client.post(f"/staff/requests/{REFERENCE}/offer/", {"type": video.pk})

    assert list(page.context["offer_form"].fields["type"].queryset) == [self_service]
    assert flashed(client.get(response.url)) == [
        ("error", "Patrons cannot choose a time for that kind of appointment.")
    ]
    assert snapshot() == before

    # Only video calls to offer: no link button at all.
    self_service.delete()
    assert client.get(REQUEST_URL).context["offer_form"] is None


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("helper", 403)])
def test_who_may_not_send_a_link(client, log_in, caller, self_service, persona, status):
    HelpRequest.objects.filter(pk=caller.pk).update(email="rosa@example.org")
    log_in(persona)

    response = client.post(f"/staff/requests/{REFERENCE}/offer/", {"type": self_service.pk})

    assert response.status_code == status
    assert OutboundMessage.objects.count() == 0


# --- The request page's Appointments section ------------------------------------------------


def test_the_request_page_lists_the_appointments_with_their_actions(
    client, front_desk, appointment
):
    client.force_login(front_desk)

    response = client.get(REQUEST_URL)

    rows = response.context["appointments"]
    assert [(r["appointment"], r["can_change"], r["can_mark"]) for r in rows] == [
        (appointment, True, False)
    ]
    content = response.content.decode()
    assert f'id="appointment-{appointment.pk}"' in content
    assert "Mon, March 2, 2026, 10 a.m.–10:30 a.m. CST" in html.unescape(content)
    assert f"/staff/appointments/{appointment.pk}/cancel/" in content
    assert f"/staff/appointments/{appointment.pk}/reschedule/" in content
    # Not started yet: nothing to mark.
    assert f"/staff/appointments/{appointment.pk}/attended/" not in content
    assert f'href="{BOOK_URL}"' in content


def test_who_may_not_book_sees_the_appointments_but_no_buttons(client, helper, appointment):
    client.force_login(helper)

    response = client.get(REQUEST_URL)

    content = response.content.decode()
    assert appointment.display_reference in content
    assert "/staff/appointments/" not in content
    assert BOOK_URL not in content


def test_request_page_query_count_does_not_grow_with_the_appointments(
    client, front_desk, caller, hours, hana, central, phone_help
):
    client.force_login(front_desk)
    booked_for(caller, hana, central, phone_help, front_desk, local(2026, 3, 2, 10))
    client.get(REQUEST_URL)

    with CaptureQueriesContext(connection) as one:
        response = client.get(REQUEST_URL)
    assert len(response.context["appointments"]) == 1

    cancelled = booked_for(caller, hana, central, phone_help, front_desk, local(2026, 3, 3, 10))
    client.post(f"/staff/appointments/{cancelled.pk}/cancel/")
    booked_for(caller, hana, central, phone_help, front_desk, local(2026, 3, 4, 10))
    client.get(REQUEST_URL)
    with CaptureQueriesContext(connection) as three:
        response = client.get(REQUEST_URL)
    assert len(response.context["appointments"]) == 3

    assert len(three) == len(one)


def test_cancelling_late(client, front_desk, appointment, caller):
    client.force_login(front_desk)

    response = client.post(f"/staff/appointments/{appointment.pk}/cancel/", {"late": "on"})

    assert (response.status_code, response.url) == (302, REQUEST_URL)
    assert Appointment.objects.get().state == AppointmentState.CANCELLED_LATE
    assert HelpRequest.objects.get(pk=caller.pk).state == RequestState.IN_PROGRESS
    page = client.get(REQUEST_URL)
    assert flashed(page) == [("success", "The appointment is cancelled (late).")]
    assert 'class="jh-cancelled"' in page.content.decode()


def test_cancelling_twice_says_so(client, front_desk, appointment):
    client.force_login(front_desk)
    client.post(f"/staff/appointments/{appointment.pk}/cancel/")
    client.get(REQUEST_URL)

    response = client.post(f"/staff/appointments/{appointment.pk}/cancel/", {"late": "on"})

    assert Appointment.objects.get().state == AppointmentState.CANCELLED
    assert flashed(client.get(response.url)) == [
        ("error", "This appointment is no longer booked, so it cannot be cancelled.")
    ]


def test_marking_before_the_start_is_refused(client, hana, appointment):
    client.force_login(hana)

    response = client.post(f"/staff/appointments/{appointment.pk}/attended/")

    assert Appointment.objects.get().state == AppointmentState.BOOKED
    assert flashed(client.get(response.url)) == [
        ("error", "This appointment has not started yet, so it cannot be marked that way.")
    ]


@pytest.mark.parametrize(
    ("action", "state", "message"),
    [
        ("attended", AppointmentState.ATTENDED, "Marked as attended."),
        ("no-show", AppointmentState.NO_SHOW, "Marked as not come."),
    ],
)
def test_marking_after_the_start(client, hana, caller, central, phone_help, action, state, message):
    started = AppointmentFactory(
        request=caller,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=NOW - timedelta(hours=1),
    )
    client.force_login(hana)

    page = client.get(REQUEST_URL)
    response = client.post(f"/staff/appointments/{started.pk}/{action}/")

    assert [r["can_mark"] for r in page.context["appointments"]] == [True]
    assert Appointment.objects.get().state == state
    assert flashed(client.get(response.url)) == [("success", message)]


def test_moving_an_appointment(client, front_desk, appointment, caller):
    client.force_login(front_desk)
    url = f"/staff/appointments/{appointment.pk}/reschedule/"

    page = client.get(url)
    response = client.post(url, {"starts": "20260303T1530Z", "idempotency_key": KEY})

    first_day = page.context["days"][0]
    assert [s["starts"] for s in first_day["slots"]] == [
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 10, 30),
        local(2026, 3, 2, 11),
        local(2026, 3, 2, 11, 30),
    ]
    assert (response.status_code, response.url) == (302, REQUEST_URL)
    old, new = Appointment.objects.order_by("pk")
    assert (old.state, new.state, new.starts, new.reference, new.sequence) == (
        AppointmentState.CANCELLED,
        AppointmentState.BOOKED,
        local(2026, 3, 3, 9, 30),
        old.reference,
        1,
    )
    after = client.get(REQUEST_URL)
    assert flashed(after) == [
        ("success", "Appointment moved to Tuesday, March 3, 9:30 AM CST with Hana Lee.")
    ]
    assert [
        (r["appointment"].pk, r["appointment"].moved, r["changes"])
        for r in after.context["appointments"]
    ] == [(new.pk, False, "moved 1 time"), (old.pk, True, "")]
    assert "Read this to the caller:" in after.content.decode()


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        ("", "Choose a time."),
        ("garbage", NOT_OFFERED),
        (
            "20260302T2100Z",
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
    ],
)
def test_moving_to_a_bad_time_changes_nothing(client, front_desk, appointment, starts, message):
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        f"/staff/appointments/{appointment.pk}/reschedule/",
        {"starts": starts, "idempotency_key": KEY},
    )

    assert response.status_code == 200
    assert response.context["errors"] == [message]
    assert snapshot() == before


def test_moving_to_a_time_just_taken(
    client, front_desk, appointment, library, hana, central, phone_help
):
    other = HelpRequestFactory(organization=library, state="assigned", assigned_to=hana)
    booked_for(other, hana, central, phone_help, front_desk, local(2026, 3, 3, 9))
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        f"/staff/appointments/{appointment.pk}/reschedule/",
        {"starts": "20260303T1500Z", "idempotency_key": KEY},
    )

    assert response.context["errors"] == [TAKEN]
    assert [s["starts"] for s in response.context["taken"]] == [
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 10, 30),
    ]
    assert snapshot() == before


def test_a_cancelled_appointment_cannot_be_moved(client, front_desk, appointment):
    client.force_login(front_desk)
    client.post(f"/staff/appointments/{appointment.pk}/cancel/")
    client.get(REQUEST_URL)

    response = client.get(f"/staff/appointments/{appointment.pk}/reschedule/")

    assert (response.status_code, response.url) == (302, REQUEST_URL)
    assert flashed(client.get(REQUEST_URL)) == [
        ("error", "This appointment is no longer booked, so it cannot be rescheduled.")
    ]


def test_a_library_without_kinds_of_appointment_says_so(client, front_desk, caller, hours):
    client.force_login(front_desk)

    response = client.get(BOOK_URL)

    assert (response.context["has_types"], response.context["plan"]) == (False, None)
    assert "This library offers no kinds of appointment yet." in response.content.decode()
