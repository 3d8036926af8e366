from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Online, by video link")
    PHONE = "phone", _("By phone conference line")


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationState(models.TextChoices):
    # A state, not the people in it ("Registered" in lists and counts), which reads
    # differently in Spanish.
    REGISTERED = "registered", pgettext_lazy("registration state", "Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Offered a seat")
    LAPSED = "lapsed", _("Offer lapsed")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class MessagesBy(models.TextChoices):
    """How a registrant chose to get their confirmation, offers, changes and reminders
    (workshops.messages.registrant_address)."""

    EMAIL = "email", _("By email")
    TEXT = "text", _("By text message")
    NONE = "none", _("No messages")


# A seat is held by these; the capacity check counts them.
HOLDING_SEAT = frozenset({RegistrationState.REGISTERED, RegistrationState.OFFERED})
# One of these per person per session: registering again finds it.
ACTIVE = frozenset(
    {RegistrationState.REGISTERED, RegistrationState.WAITLISTED, RegistrationState.OFFERED}
)


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY_NTH = "monthly_nth", _("Monthly, on the same weekday (e.g. every first Tuesday)")


class RegistrationClosed(models.TextChoices):
    """Why a session takes no registrations (workshops.domain.registration_closed_reason)."""

    CANCELLED = "cancelled"
    STARTED = "started"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
