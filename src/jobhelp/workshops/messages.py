"""What registrants are told, through the one outbox, in their language. Only people with an
email address get messages; a caller registered by phone is told by the staff member, who
reads them the details from the confirmation page. Join details (video link, conference line)
go only to people holding a seat."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jobhelp.notifications.outbox import message_language, queue_message
from jobhelp.workshops import ics
from jobhelp.workshops.enums import HOLDING_SEAT, RegistrationState
from jobhelp.workshops.links import issue_link

CALENDAR_FILE = "class.ics"


def registration_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "public:classes:registration", args=[token]
    )


def _send(registration, template: str, *, extra=None, calendar: str | None = None, key=None):
    if not registration.email or registration.erased_at is not None:
        return None
    session = registration.session
    language = message_language(registration.language)
    attachment = None
    if calendar is not None:
        attachment = (CALENDAR_FILE, ics.CONTENT_TYPE, calendar)
    with translation.override(language):
        holding = registration.state in HOLDING_SEAT
        where = ics.where(
            session, with_join_details=registration.state == RegistrationState.REGISTERED
        )
    return queue_message(
        to=registration.email,
        template=template,
        context={
            "registration": registration,
            "session": session,
            "workshop": session.workshop,
            "when": session.starts.astimezone(session.location.zone),
            "where": where,
            "holding": holding,
            **(extra or {}),
        },
        language=registration.language,
        organization=session.workshop.organization,
        related=registration,
        attachment=attachment,
        dedupe_key=key,
    )


def _calendar(registration, *, cancelled: bool = False, url: str = "") -> str:
    with translation.override(message_language(registration.language)):
        return ics.registrant_calendar(registration.session, cancelled=cancelled, url=url)


def registered(registration, *, token: str) -> None:
    if not registration.email:
        return
    url = registration_url(token)
    if registration.state == RegistrationState.REGISTERED:
        _send(
            registration,
            "workshop_registered",
            extra={"manage_url": url},
            calendar=_calendar(registration, url=url),
        )
    else:
        _send(registration, "workshop_waitlisted", extra={"manage_url": url})


def _fresh_url(registration) -> str:
    return registration_url(issue_link(registration))


def offered(registration) -> None:
    if not registration.email:
        return
    _send(
        registration,
        "workshop_offer",
        extra={
            "manage_url": _fresh_url(registration),
            "expires": registration.offer_expires_at.astimezone(registration.session.location.zone),
        },
    )


def confirmed(registration) -> None:
    _send(registration, "workshop_confirmed", calendar=_calendar(registration))


def session_changed(registration) -> None:
    calendar = _calendar(registration) if registration.state in HOLDING_SEAT else None
    _send(registration, "workshop_changed", calendar=calendar)


def session_cancelled(registration, *, following) -> None:
    _send(
        registration,
        "workshop_cancelled",
        extra={
            "following": following,
            "following_url": settings.PUBLIC_BASE_URL.rstrip("/")
            + reverse("public:classes:session", args=[following.pk])
            if following
            else "",
        },
        calendar=_calendar(registration, cancelled=True),
    )


def released(registration) -> None:
    _send(registration, "workshop_released", calendar=_calendar(registration, cancelled=True))


def reminder_key(registration, minutes: int) -> str:
    return f"class-reminder:{registration.pk}:{registration.session.sequence}:{minutes}"


def reminder(registration, *, minutes: int):
    return _send(
        registration,
        "workshop_reminder",
        extra={"manage_url": _fresh_url(registration)},
        calendar=_calendar(registration),
        key=reminder_key(registration, minutes),
    )
