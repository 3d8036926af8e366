"""What registrants are told, through the one outbox, in their language, by the one way they
chose when registering (registrant_address): by email, with calendar files; by text message,
when texting is on (notifications.sms); or not at all, and a caller registered by phone is
told by the staff member, who reads them the details from the roster. Join details (video
link, conference line) go only to people holding a seat."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jobhelp.intake.patrons import PatronAddress
from jobhelp.notifications import sms
from jobhelp.notifications.enums import MessageChannel
from jobhelp.notifications.outbox import message_language, messages_for, queue_message
from jobhelp.workshops import ics
from jobhelp.workshops.enums import HOLDING_SEAT, Delivery, MessagesBy, RegistrationState
from jobhelp.workshops.links import issue_link

CALENDAR_FILE = "class.ics"


def registration_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "public:classes:registration", args=[token]
    )


def registrant_address(registration) -> PatronAddress | None:
    """Where this registrant's messages go, one way only, as they chose: their phone by text
    when they chose texts and texting is on, else their email address when they gave one (a
    registrant who chose texts while texting was on, after it was turned off); nothing for
    someone who chose no messages, or once their details are erased."""
    if registration.erased_at is not None or registration.preferred_contact == MessagesBy.NONE:
        return None
    if (
        registration.preferred_contact == MessagesBy.TEXT
        and registration.phone
        and sms.is_configured()
    ):
        return PatronAddress(MessageChannel.SMS, registration.phone)
    if registration.email:
        return PatronAddress(MessageChannel.EMAIL, registration.email)
    return None


def reachable_registrants() -> Q:
    """registrant_address as a filter on registrations."""
    reachable = ~Q(email="")
    if sms.is_configured():
        reachable |= Q(preferred_contact=MessagesBy.TEXT) & ~Q(phone="")
    return reachable & ~Q(preferred_contact=MessagesBy.NONE) & Q(erased_at__isnull=True)


def _send(registration, template: str, *, extra=None, calendar: str | None = None, key=None):
    address = registrant_address(registration)
    if address is None:
        return None
    session = registration.session
    language = message_language(registration.language)
    attachment = None
    if calendar is not None and address.channel == MessageChannel.EMAIL:
        attachment = (CALENDAR_FILE, ics.CONTENT_TYPE, calendar)
    registered = registration.state == RegistrationState.REGISTERED
    with translation.override(language):
        holding = registration.state in HOLDING_SEAT
        if address.channel == MessageChannel.SMS:
            where = _where_in_a_text(session, with_join_details=registered)
        else:
            where = ics.where(session, with_join_details=registered)
    return queue_message(
        to=address.to,
        channel=address.channel,
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


def _where_in_a_text(session, *, with_join_details: bool) -> str:
    """ics.where in fewer characters, for a text: the place without its town, the video link
    alone, the conference line and its code."""
    workshop = session.workshop
    if workshop.delivery == Delivery.IN_PERSON:
        return f"{session.location.name}, {session.location.street}"
    if not with_join_details:
        return ics.where(session, with_join_details=False)
    if workshop.delivery == Delivery.VIDEO:
        return session.join_url or ics.where(session, with_join_details=True)
    if session.conference_code:
        return _("Call %(number)s, code %(code)s") % {
            "number": session.conference_phone,
            "code": session.conference_code,
        }
    return _("Call %(number)s") % {"number": session.conference_phone}


def _calendar(registration, *, cancelled: bool = False, url: str = "") -> str:
    with translation.override(message_language(registration.language)):
        return ics.registrant_calendar(registration.session, cancelled=cancelled, url=url)


def registered(registration, *, token: str, place: int | None = None) -> None:
    """The confirmation (with the join details) or the waitlist notice (with the `place`)."""
    if registrant_address(registration) is None:
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
        _send(registration, "workshop_waitlisted", extra={"manage_url": url, "place": place})


def _fresh_url(registration) -> str:
    return registration_url(issue_link(registration))


def offered(registration) -> None:
    if registrant_address(registration) is None:
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
    """One key per (registration, session version, reminder), whatever the channel: each
    reminder goes out once."""
    return f"class-reminder:{registration.pk}:{registration.session.sequence}:{minutes}"


def reminder(registration, *, minutes: int):
    if registrant_address(registration) is None:
        return None
    return _send(
        registration,
        "workshop_reminder",
        extra={"manage_url": _fresh_url(registration)},
        calendar=_calendar(registration),
        key=reminder_key(registration, minutes),
    )


def already_registered(registration) -> str:
    """What to say to someone whose phone number or email is already registered for the
    session: where to find the details, naming only a message that was really sent (the
    latest about the registration), and nothing else about it."""
    latest = messages_for(registration).order_by("-created_at", "-pk").first()
    if latest is None:
        return _(
            "This phone number or email is already registered for this session. We did not "
            "send a message about it; call us and we will give you the details."
        )
    if latest.channel == MessageChannel.SMS:
        return _(
            "This phone number or email is already registered for this session. Check the "
            "text message we sent you, or call us."
        )
    return _(
        "This phone number or email is already registered for this session. Check the email "
        "we sent you, or call us."
    )
