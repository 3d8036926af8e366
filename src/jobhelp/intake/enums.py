from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SCHEDULED = "scheduled", _("Appointment scheduled")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATES = frozenset(
    {RequestState.NEW, RequestState.ASSIGNED, RequestState.IN_PROGRESS, RequestState.SCHEDULED}
)
FINISHED_STATES = frozenset({RequestState.RESOLVED, RequestState.CLOSED})


class ClosingReason(models.TextChoices):
    HELPED = "helped", _("Helped")
    REFERRED = "referred", _("Referred to a partner")
    NO_RESPONSE = "no_response", _("No response after several attempts")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn by the patron")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class IntakeChannel(models.TextChoices):
    WEB = "web", _("Online form")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("Email")
    WALK_IN = "walk_in", _("Walk-in")


STAFF_CHANNELS = [IntakeChannel.PHONE, IntakeChannel.EMAIL, IntakeChannel.WALK_IN]


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")


class BestTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning (9 to noon)")
    AFTERNOON = "afternoon", _("Afternoon (noon to 5)")
    EVENING = "evening", _("Evening (5 to 8)")
