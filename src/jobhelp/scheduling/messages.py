"""What patrons and helpers are told about appointments, through the one outbox.

A patron with an email address gets every confirmation, change, cancellation and reminder,
each with a fresh link to their appointment and a calendar file, in their language. A patron
without email who chose text messages and gave a phone number gets the same as a short text
(no calendar file) when texting is on; any other patron hears it from staff, who read the
reference code over the phone. Who gets which is intake.domain.patron_address. Helpers are
told by email when a patron moves or cancels through their link. Called by the domain inside
its transaction: nothing is sent unless the change commits.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jobhelp.intake.patrons import message_patron, patron_address
from jobhelp.notifications.outbox import message_language, queue_message
from jobhelp.scheduling import ics, links

CALENDAR_FILE = "appointment.ics"


def link_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "public:appointments:detail", args=[token]
    )


def _to_patron(appointment, template: str, *, dedupe_key: str | None = None, extra=None):
    request = appointment.request
    # No link is made for a patron nobody can write to.
    if request is None or patron_address(request) is None:
        return None
    url = link_url(links.link_to_appointment(appointment))
    language = message_language(request.language)

    def calendar_file(email: str) -> tuple[str, str, str]:
        with translation.override(language):
            calendar = ics.patron_calendar(appointment, email=email, manage_url=url)
        return (CALENDAR_FILE, ics.CONTENT_TYPE, calendar)

    return message_patron(
        request,
        template=template,
        context={
            "appointment": appointment,
            "request": request,
            "manage_url": url,
            "when": appointment.starts.astimezone(appointment.location.zone),
            "where": _where(appointment, language),
            **(extra or {}),
        },
        organization=appointment.location.organization,
        dedupe_key=dedupe_key,
        email_attachment=calendar_file,
    )


def _where(appointment, language: str) -> str:
    with translation.override(language):
        return ics.where(appointment)


def booked(appointment) -> None:
    _to_patron(appointment, "appointment_booked")


def rescheduled(appointment, *, previous, by) -> None:
    _to_patron(
        appointment,
        "appointment_rescheduled",
        extra={"was": previous.starts.astimezone(previous.location.zone)},
    )
    if by is None:
        _to_helper(appointment, "appointment_patron_rescheduled")


def cancelled(appointment, *, by) -> None:
    _to_patron(appointment, "appointment_cancelled")
    if by is None:
        _to_helper(appointment, "appointment_patron_cancelled")


def cancelled_for_erasure(appointment) -> None:
    """The patron's data was erased at their request: the helper who was to meet them is told
    the time is free, in the helper's language, and nothing about the patron (no name,
    contact, reference code or note; no link to the request, whose details are going)."""
    helper = appointment.helper
    if not helper.email:
        return
    queue_message(
        to=helper.email,
        template="appointment_erased_helper",
        context={
            "when": appointment.starts.astimezone(appointment.location.zone),
            "location": appointment.location.name,
            "appointment_type": appointment.appointment_type.name,
            "calendar_url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("staff:calendar:index"),
        },
        language=helper.preferred_language,
        organization=appointment.location.organization,
        # About no patron record: the erasure empties and stops the messages about the request
        # and the appointment (outbox.erase_messages_about), and this one must still go out.
        related=None,
    )


def reminder_key(appointment, minutes: int) -> str:
    """One key per (booking, change, reminder), whatever the channel: a patron has one channel
    (intake.domain.patron_address), and a reminder goes out once even if that changed."""
    return f"reminder:{appointment.uid}:{appointment.sequence}:{minutes}"


def reminder(appointment, *, minutes: int):
    """Queue the reminder `minutes` before; the key makes a second run (another worker, a
    retry) store nothing. A rescheduled booking has a new sequence, so it is reminded again."""
    return _to_patron(
        appointment,
        "appointment_reminder",
        dedupe_key=reminder_key(appointment, minutes),
    )


def missed(appointment, *, offer_token: str | None) -> None:
    """After a no-show: invite the patron to book again (with a link to choose a time when the
    type lets patrons book themselves)."""
    if appointment.request is None:
        return
    message_patron(
        appointment.request,
        template="appointment_missed",
        context={
            "appointment": appointment,
            "request": appointment.request,
            "when": appointment.starts.astimezone(appointment.location.zone),
            "offer_url": link_url(offer_token) if offer_token else "",
        },
        organization=appointment.location.organization,
    )


def offered(help_request, appointment_type, *, token: str) -> None:
    message_patron(
        help_request,
        template="appointment_offer",
        context={
            "request": help_request,
            "appointment_type": appointment_type,
            "offer_url": link_url(token),
        },
    )


def _to_helper(appointment, template: str) -> None:
    helper = appointment.helper
    if not helper.email:
        return
    queue_message(
        to=helper.email,
        template=template,
        context={
            "appointment": appointment,
            "request": appointment.request,
            "when": appointment.starts.astimezone(appointment.location.zone),
            "staff_url": settings.PUBLIC_BASE_URL.rstrip("/")
            + reverse("staff:requests:detail", args=[appointment.request.reference])
            if appointment.request
            else "",
        },
        language=helper.preferred_language,
        organization=appointment.location.organization,
        related=appointment.request or appointment,
    )
