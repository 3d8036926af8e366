from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingKind(models.TextChoices):
    TOUR = "tour", _("Tour of the job center")
    ORIENTATION = "orientation", _("Orientation on online resources")
    E_RESOURCES = "e_resources", _("Library e-resources")
    OTHER = "other", _("Other training")


class TrainingStatus(models.TextChoices):
    """Where a person stands with a requirement on a given day."""

    CURRENT = "current", _("Current")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    LAPSED = "lapsed", _("Lapsed")


class LoanState(models.TextChoices):
    LENT = "lent", _("Lent")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    REVOKED = "revoked", _("Revoked")


# A loan in one of these states is over; the card may be lent again unless it was lost.
ENDED_LOAN_STATES = frozenset({LoanState.RETURNED, LoanState.LOST, LoanState.REVOKED})

# How many days before a due date the person and their manager are reminded (and again on it).
REMINDER_DAYS_BEFORE = 14
# A requirement is "due soon" this many days before its due date.
DUE_SOON_DAYS = 30
# Card expiry reminders to the holder and the library's liaison, days before expiry.
CARD_REMINDER_DAYS_BEFORE = 14
# The card pool's summary (the MOU's evidence) counts a lent card as expiring this many days
# before its expiry: the reminder window and a month more.
POOL_EXPIRING_DAYS = CARD_REMINDER_DAYS_BEFORE + 31
# Trainings matching these kinds are the evidence of obligations of these kinds.
OBLIGATION_KINDS = {
    TrainingKind.TOUR: "tour",
    TrainingKind.ORIENTATION: "training",
    TrainingKind.E_RESOURCES: "training",
    TrainingKind.OTHER: "training",
}
