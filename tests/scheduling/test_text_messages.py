"""Appointments told by text message to a patron without email who chose texts."""

import re
from datetime import time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jobhelp.intake.enums import RequestState
from jobhelp.notifications import sms
from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling import links, messages
from jobhelp.scheduling.attendance import mark_no_show
from jobhelp.scheduling.domain import book_appointment, cancel_appointment, reschedule_appointment
from jobhelp.scheduling.models import AppointmentType
from jobhelp.scheduling.reminders import send_due_reminders
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)
PHONE = "+17635550123"
LINK = re.compile(r"http://127\.0\.0\.1:8000/appointments/([A-Za-z0-9_-]+)/")


@pytest.fixture
def in_person(library):
    return AppointmentTypeFactory(
        organization=library, name="Resumé review", modality="in_person", self_service=True
    )


@pytest.fixture
def texter(library, hana, central):
    every_day(hana, central, time(9), time(12))
    return HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        name="Rosa María Pérez",
        phone=PHONE,
        email="",
        preferred_contact="text",
        language="es",
    )


def book(request, appointment_type, hana, central, front_desk, starts=None):
    return book_appointment(
        request=request,
        helper=hana,
        location=central,
        appointment_type=appointment_type,
        starts=starts or local(2026, 3, 9, 10),
        by=front_desk,
        now=NOW,
    )


def sent():
    return list(
        OutboundMessage.objects.order_by("pk").values_list("template", "channel", "to", "language")
    )


def without_token(body: str) -> str:
    return LINK.sub("<link>", body)


def token_in(body: str) -> str:
    return LINK.search(body)[1]


def test_booking_texts_the_patron_in_spanish_with_the_local_time_and_a_link(
    texter, in_person, hana, central, front_desk
):
    # The process, and the person booking, are somewhere else: the text keeps the library's clock.
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        appointment = book(texter, in_person, hana, central, front_desk)

    message = OutboundMessage.objects.get()
    assert sent() == [("appointment_booked", "sms", PHONE, "es")]
    assert (message.subject, message.attachment_name, message.attachment) == (
        "Su cita con Riverbend County Library",
        "",
        "",
    )
    assert without_token(message.body) == (
        'Riverbend County Library: su cita de "Resumé review" está reservada.\n'
        "Lunes, 9 de marzo, 10:00 (CDT)\n"
        "Central Library, 100 Main St, Riverbend, MN\n"
        f"Código: {appointment.display_reference}\n"
        "Para verla, cambiarla de horario o cancelarla: <link>"
    )
    assert links.open_link(token_in(message.body), now=NOW).appointment == appointment
    assert len(message.body) <= 320


def test_a_booking_text_in_english_uses_the_english_clock(
    texter, phone_help, hana, central, front_desk
):
    texter.language = "en"
    texter.save()
    appointment = book(texter, phone_help, hana, central, front_desk, starts=local(2026, 3, 9, 11))

    assert without_token(OutboundMessage.objects.get().body) == (
        'Riverbend County Library: your appointment "Phone help" is booked.\n'
        "Monday, March 9, 11 a.m. (CDT)\n"
        "By phone: your helper will call you\n"
        f"Code: {appointment.display_reference}\n"
        "To see, move or cancel it: <link>"
    )


def test_the_text_is_delivered_and_erased(texter, phone_help, hana, central, front_desk, texting):
    book(texter, phone_help, hana, central, front_desk)
    message = OutboundMessage.objects.get()
    body = message.body

    deliver_message(message.pk)

    message.refresh_from_db()
    assert texting == [sms.TextMessage(to=PHONE, body=body)]
    assert (message.state, message.body) == ("sent", "")


def test_moving_and_cancelling_are_texted_each_with_the_code(
    texter, phone_help, hana, central, front_desk
):
    appointment = book(texter, phone_help, hana, central, front_desk)
    moved = reschedule_appointment(
        appointment, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW
    )
    cancel_appointment(moved, by=front_desk, now=NOW)

    rescheduled, cancelled = OutboundMessage.objects.order_by("pk")[1:]
    assert sent()[1:] == [
        ("appointment_rescheduled", "sms", PHONE, "es"),
        ("appointment_cancelled", "sms", PHONE, "es"),
    ]
    assert without_token(rescheduled.body) == (
        'Riverbend County Library: su cita de "Phone help" tiene un nuevo horario.\n'
        "Martes, 10 de marzo, 11:00 (CDT)\n"
        "Por teléfono: la persona que le ayuda le llamará\n"
        f"Código: {moved.display_reference}\n"
        "Para verla, cambiarla de horario o cancelarla: <link>"
    )
    assert links.open_link(token_in(rescheduled.body), now=NOW).appointment == moved
    assert cancelled.body == (
        'Riverbend County Library: su cita de "Phone help" está cancelada.\n'
        "Martes, 10 de marzo, 11:00 (CDT)\n"
        f"Código: {moved.display_reference}\n"
        "Si todavía necesita ayuda, llámenos o vuelva a pedirla en nuestro sitio web."
    )


@pytest.mark.parametrize("runs", [1, 2])
def test_the_reminder_is_texted_once_even_when_queued_and_delivered_twice(
    texter,
    phone_help,
    hana,
    central,
    front_desk,
    texting,
    run_worker,
    runs,
    django_capture_on_commit_callbacks,
):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        appointment = book(texter, phone_help, hana, central, front_desk)

    with django_capture_on_commit_callbacks(execute=True):
        queued = [send_due_reminders(now=local(2026, 3, 8, 10)) for _run in range(runs)]
    reminder = OutboundMessage.objects.get(template="appointment_reminder")
    body = reminder.body
    # Two workers draining the queue, then a stray task for the same message.
    run_worker()
    run_worker()
    assert deliver_message(reminder.pk) is None

    assert queued == [1, 0][:runs]
    assert (reminder.dedupe_key, reminder.channel) == (
        f"reminder:{appointment.uid}:0:1440",
        "sms",
    )
    assert without_token(body) == (
        'Riverbend County Library: le recordamos su cita de "Phone help".\n'
        "Lunes, 9 de marzo, 10:00 (CDT)\n"
        "Por teléfono: la persona que le ayuda le llamará\n"
        f"Código: {appointment.display_reference}\n"
        "Si no puede venir, cancélela o cámbiela de horario: <link>"
    )
    assert links.open_link(token_in(body), now=NOW).appointment == appointment
    assert [t for t in texting if "le recordamos" in t.body] == [
        sms.TextMessage(to=PHONE, body=body)
    ]


def test_a_no_show_is_texted(texter, phone_help, hana, central, front_desk):
    appointment = book(texter, phone_help, hana, central, front_desk)
    mark_no_show(appointment, by=hana, now=local(2026, 3, 9, 10, 15))

    missed = OutboundMessage.objects.get(template="appointment_missed")
    assert (missed.channel, missed.to, missed.body) == (
        "sms",
        PHONE,
        'Riverbend County Library: le extrañamos en su cita de "Phone help".\n'
        "Lunes, 9 de marzo, 10:00 (CDT)\n"
        f"Código: {appointment.display_reference}\n"
        "Si todavía quiere ayuda, le llamaremos, o puede volver a pedirla en nuestro sitio web.",
    )


def test_a_no_show_of_a_self_service_type_texts_a_link_to_choose_again(
    texter, in_person, hana, central, front_desk
):
    AppointmentType.objects.filter(pk=in_person.pk).update(follow_up_no_shows=True)
    in_person.refresh_from_db()
    appointment = book(texter, in_person, hana, central, front_desk)
    mark_no_show(appointment, by=hana, now=local(2026, 3, 9, 10, 15))

    missed = OutboundMessage.objects.get(template="appointment_missed")
    assert (missed.channel, without_token(missed.body).splitlines()[-1]) == (
        "sms",
        "Para elegir un nuevo horario: <link>",
    )
    assert links.open_link(token_in(missed.body), now=NOW).is_offer is True


def test_an_offer_of_times_is_texted_with_its_link(texter, in_person, front_desk):
    token = links.offer_times(texter, in_person, by=front_desk)
    messages.offered(texter, in_person, token=token)

    offer = OutboundMessage.objects.get()
    assert (offer.template, offer.channel, offer.to, without_token(offer.body)) == (
        "appointment_offer",
        "sms",
        PHONE,
        'Riverbend County Library: elija un horario para su cita de "Resumé review".\n'
        f"Código: {texter.display_reference}\n"
        "Abra este enlace para ver los horarios libres y elegir uno: <link>",
    )
    assert token_in(offer.body) == token


def test_nothing_is_texted_while_texting_is_off(
    texter, phone_help, hana, central, front_desk, settings
):
    settings.SMS_BACKEND = ""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        appointment = book(texter, phone_help, hana, central, front_desk)
    reminders = send_due_reminders(now=local(2026, 3, 8, 10))
    cancel_appointment(appointment, by=front_desk, now=NOW)

    assert (sent(), reminders) == ([], 0)


def test_a_patron_who_also_gave_an_email_gets_email_only(
    texter, phone_help, hana, central, front_desk
):
    texter.email = "rosa@example.org"
    texter.save()
    book(texter, phone_help, hana, central, front_desk)

    assert sent() == [("appointment_booked", "email", "rosa@example.org", "es")]


def test_a_patron_who_prefers_calls_is_not_texted(texter, phone_help, hana, central, front_desk):
    texter.preferred_contact = "phone"
    texter.save()
    book(texter, phone_help, hana, central, front_desk)

    assert sent() == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_appointment_text_stays_short(texter, in_person, hana, central, front_desk, language):
    texter.language = language
    texter.save()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        appointment = book(texter, in_person, hana, central, front_desk)
    send_due_reminders(now=local(2026, 3, 8, 10))
    moved = reschedule_appointment(
        appointment, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW
    )
    token = links.offer_times(texter, in_person, by=front_desk)
    messages.offered(texter, in_person, token=token)
    messages.missed(moved, offer_token=token)
    cancel_appointment(moved, by=front_desk, now=NOW)

    bodies = dict(OutboundMessage.objects.values_list("template", "body"))
    assert sorted(bodies) == [
        "appointment_booked",
        "appointment_cancelled",
        "appointment_missed",
        "appointment_offer",
        "appointment_reminder",
        "appointment_rescheduled",
    ]
    assert {t: len(body) for t, body in bodies.items() if len(body) > 320} == {}


@pytest.fixture(autouse=True)
def _texting_on(texting):
    """Every test here runs with texting on unless it turns it off."""
