"""Classes by text: a registrant who gave only a phone number and chose texts is told everything
by text, in their language, through the one outbox: the confirmation with the join details,
the waitlist place, a seat offer with its link, changes, a cancellation and the reminders,
each reminder once. Every text fits in 320 characters, in English and in Spanish."""

import re
from datetime import timedelta

import pytest

from jobhelp.notifications import sms
from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops import messages
from jobhelp.workshops.domain import Registrant, accept_offer, cancel_registration, register
from jobhelp.workshops.enums import Delivery
from jobhelp.workshops.links import registration_for_token
from jobhelp.workshops.reminders import send_due_class_reminders
from jobhelp.workshops.sessions import cancel_session, change_session
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

PHONE = "+17635550123"
REGISTERED_AT = local(2026, 3, 2, 9)
STARTS = local(2026, 3, 9, 10)
JOIN_URL = "https://meet.example.org/interview-tips"
LINK = re.compile(r"http://127\.0\.0\.1:8000/classes/registration/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _texting_on(texting):
    """Every test here runs with texting on unless it turns it off."""


@pytest.fixture
def session(library, central):
    workshop = WorkshopFactory(
        organization=library, title="Online Interviewing Tips", capacity=1, offer_hold_hours=24
    )
    return WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=STARTS,
        ends=STARTS + timedelta(hours=1),
        capacity=1,
        join_url=JOIN_URL,
    )


def texter(session, *, name="Rosa María Pérez", phone=PHONE, language="es", **fields):
    registrant = Registrant(
        name=name, phone=phone, language=language, preferred_contact="text", **fields
    )
    return register(session, registrant=registrant, now=REGISTERED_AT)


def texts() -> list[tuple]:
    return list(
        OutboundMessage.objects.order_by("pk").values_list("template", "channel", "to", "language")
    )


def body(template: str) -> str:
    return LINK.sub("<link>", OutboundMessage.objects.get(template=template).body)


def token_in(template: str) -> str:
    return LINK.search(OutboundMessage.objects.get(template=template).body)[1]


def test_the_confirmation_is_texted_in_spanish_with_the_join_link(session):
    registered = texter(session)

    assert texts() == [("workshop_registered", "sms", PHONE, "es")]
    message = OutboundMessage.objects.get()
    assert (message.attachment_name, message.attachment) == ("", "")
    assert body("workshop_registered") == (
        'Riverbend County Library: tiene un lugar en "Online Interviewing Tips".\n'
        "Lunes, 9 de marzo, 10:00 (CDT)\n"
        f"{JOIN_URL}\n"
        "Para verlo o dejarlo: <link>"
    )
    assert (
        registration_for_token(token_in("workshop_registered"), now=REGISTERED_AT)
        == registered.registration
    )


def test_a_phone_conference_class_texts_the_number_and_code(session):
    session.workshop.delivery = Delivery.PHONE
    session.workshop.save()
    session.conference_phone = "763-555-0199"
    session.conference_code = "482913"
    session.save()
    texter(session, language="en")

    assert body("workshop_registered") == (
        'Riverbend County Library: you have a seat in "Online Interviewing Tips".\n'
        "Monday, March 9, 10 a.m. (CDT)\n"
        "Call 763-555-0199, code 482913\n"
        "To see it or leave: <link>"
    )


def test_the_waitlist_place_then_the_offer_then_the_seat_are_texted(session):
    seated = register(
        session,
        registrant=Registrant(name="Ana", email="ana@example.org"),
        now=REGISTERED_AT,
    )
    waiting = texter(session, language="en").registration

    cancel_registration(seated.registration, now=REGISTERED_AT)
    accept_offer(waiting, now=REGISTERED_AT + timedelta(hours=1))

    assert [t for t in texts() if t[1] == "sms"] == [
        ("workshop_waitlisted", "sms", PHONE, "en"),
        ("workshop_offer", "sms", PHONE, "en"),
        ("workshop_confirmed", "sms", PHONE, "en"),
    ]
    assert body("workshop_waitlisted") == (
        'Riverbend County Library: "Online Interviewing Tips" is full. You are number 1 on the '
        "waitlist.\n"
        "Monday, March 9, 10 a.m. (CDT)\n"
        "We will text you if a seat frees up: <link>"
    )
    assert body("workshop_offer") == (
        'Riverbend County Library: a seat in "Online Interviewing Tips" is free and held for '
        "you.\n"
        "Monday, March 9, 10 a.m. (CDT)\n"
        "Take it before 9 a.m., March 3: <link>"
    )
    assert registration_for_token(token_in("workshop_offer"), now=REGISTERED_AT) == waiting
    assert body("workshop_confirmed") == (
        'Riverbend County Library: you now have a seat in "Online Interviewing Tips".\n'
        "Monday, March 9, 10 a.m. (CDT)\n"
        f"{JOIN_URL}"
    )


def test_a_change_and_a_cancellation_are_texted(session, manager):
    texter(session)
    change_session(session, by=manager, starts=STARTS + timedelta(days=1), now=REGISTERED_AT)
    following = WorkshopSessionFactory(
        workshop=session.workshop,
        location=session.location,
        starts=STARTS + timedelta(days=7),
        ends=STARTS + timedelta(days=7, hours=1),
    )
    cancel_session(session, by=manager, now=REGISTERED_AT)

    assert [t[0] for t in texts()] == [
        "workshop_registered",
        "workshop_changed",
        "workshop_cancelled",
    ]
    assert body("workshop_changed") == (
        'Riverbend County Library: "Online Interviewing Tips" ha cambiado. Ahora es:\n'
        "Martes, 10 de marzo, 10:00 (CDT)\n"
        f"{JOIN_URL}"
    )
    assert body("workshop_cancelled") == (
        'Riverbend County Library: lo sentimos, "Online Interviewing Tips" está cancelada.\n'
        "Martes, 10 de marzo, 10:00 (CDT)\n"
        f"Para inscribirse en la próxima sesión: http://127.0.0.1:8000/classes/{following.pk}/"
    )


def test_the_reminders_are_texted_once_each(session):
    registered = texter(session).registration

    runs = [
        send_due_class_reminders(now=at)
        for at in (
            local(2026, 3, 8, 10),
            local(2026, 3, 8, 10, 1),
            local(2026, 3, 9, 8),
            local(2026, 3, 9, 8, 1),
        )
    ]

    assert runs == [1, 0, 1, 0]
    assert list(
        OutboundMessage.objects.filter(template="workshop_reminder")
        .order_by("pk")
        .values_list("channel", "dedupe_key")
    ) == [
        ("sms", f"class-reminder:{registered.pk}:0:1440"),
        ("sms", f"class-reminder:{registered.pk}:0:120"),
    ]
    assert LINK.sub(
        "<link>", OutboundMessage.objects.filter(template="workshop_reminder")[0].body
    ) == (
        'Riverbend County Library: le recordamos "Online Interviewing Tips".\n'
        "Lunes, 9 de marzo, 10:00 (CDT)\n"
        f"{JOIN_URL}\n"
        "Si no puede venir, deje su lugar: <link>"
    )


def test_the_text_is_delivered_by_the_sms_backend_and_erased(session, texting):
    texter(session)
    message = OutboundMessage.objects.get()
    sent_body = message.body

    deliver_message(message.pk)

    message.refresh_from_db()
    assert texting == [sms.TextMessage(to=PHONE, body=sent_body)]
    assert (message.state, message.body) == ("sent", "")


def test_while_texting_is_off_a_texter_gets_email_if_they_gave_one_else_nothing(session, settings):
    settings.SMS_BACKEND = ""
    session.capacity = 5
    session.save()
    texter(session, name="Ana", phone="+17635550101", email="ana@example.org")
    texter(session, name="Ben", phone="+17635550102")

    assert texts() == [("workshop_registered", "email", "ana@example.org", "es")]


def test_someone_who_chose_no_messages_gets_none_even_with_an_email(session):
    register(
        session,
        registrant=Registrant(
            name="Ana", phone=PHONE, email="ana@example.org", preferred_contact="none"
        ),
        now=REGISTERED_AT,
    )
    assert (texts(), send_due_class_reminders(now=local(2026, 3, 8, 10))) == ([], 0)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_class_text_stays_short(library, central, manager, settings, language):
    settings.PUBLIC_BASE_URL = "https://jobhelp.riverbendlibrary.org"
    workshop = WorkshopFactory(
        organization=library,
        title="Put Your Best Face Forward: Online Interviewing Tips",
        capacity=1,
        delivery=Delivery.PHONE,
    )

    def a_session(days: int):
        return WorkshopSessionFactory(
            workshop=workshop,
            location=central,
            starts=STARTS + timedelta(days=days),
            ends=STARTS + timedelta(days=days, hours=1),
            capacity=1,
            conference_phone="+1 763-555-0199",
            conference_code="48291377",
        )

    # The next session is named in the cancellation.
    first, _next = a_session(0), a_session(7)
    seated = texter(first, language=language, phone="+17635550101").registration
    waiting = texter(first, language=language).registration
    cancel_registration(seated, now=REGISTERED_AT)
    accept_offer(waiting, now=REGISTERED_AT)
    send_due_class_reminders(now=local(2026, 3, 8, 10))
    change_session(first, by=manager, starts=STARTS + timedelta(hours=1), now=REGISTERED_AT)
    # A no-show's later seat given up, under the class's rule (sent by mark_attendance).
    messages.released(texter(_next, language=language, phone="+17635550102").registration)
    cancel_session(first, by=manager, now=REGISTERED_AT)

    texts = list(OutboundMessage.objects.values_list("template", "body"))
    assert sorted({template for template, _body in texts}) == [
        "workshop_cancelled",
        "workshop_changed",
        "workshop_confirmed",
        "workshop_offer",
        "workshop_registered",
        "workshop_released",
        "workshop_reminder",
        "workshop_waitlisted",
    ]
    assert [(t, len(b)) for t, b in texts if len(b) > 320] == [], texts


def test_the_class_is_named_in_the_registrants_language(session):
    session.workshop.title_es = "Entrevistas en línea"
    session.workshop.save()
    texter(session)
    register(
        session,
        registrant=Registrant(name="Ann", email="ann@example.org", language="en"),
        now=REGISTERED_AT,
    )

    spanish, english = OutboundMessage.objects.order_by("pk")
    assert (spanish.body.splitlines()[0], english.subject) == (
        'Riverbend County Library: tiene un lugar en "Entrevistas en línea".',
        "You are on the waitlist: Online Interviewing Tips",
    )
