from django.db import models
from django.utils.translation import gettext_lazy as _

# 20 CFR 678.500(b)(6): an MOU is reviewed, and renewed if much has changed, at least every
# three years.
MAX_REVIEW_CYCLE_MONTHS = 36
# Reminders to the parties' managers before an executed agreement's renewal date, each once.
RENEWAL_REMINDER_DAYS = (120, 60, 30)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_NEGOTIATION = "in_negotiation", _("In negotiation")
    EXECUTED = "executed", _("Executed")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")


# Which status each status may move to. Domain functions check against this table inside the
# same UPDATE that changes the status, so two people acting at once cannot both succeed.
TRANSITIONS: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    # Sent to the parties to negotiate and sign.
    AgreementStatus.DRAFT: frozenset({AgreementStatus.IN_NEGOTIATION}),
    # Back to draft for more work, or executed once every party has signed.
    AgreementStatus.IN_NEGOTIATION: frozenset({AgreementStatus.DRAFT, AgreementStatus.EXECUTED}),
    # A major amendment reopens the signatures; the renewal date passes; a renewal is executed.
    AgreementStatus.EXECUTED: frozenset(
        {
            AgreementStatus.IN_NEGOTIATION,
            AgreementStatus.EXPIRED,
            AgreementStatus.SUPERSEDED,
        }
    ),
    # An expired agreement is followed by its renewal once that is executed.
    AgreementStatus.EXPIRED: frozenset({AgreementStatus.SUPERSEDED}),
    AgreementStatus.SUPERSEDED: frozenset(),
}


def states_that_may_become(target: AgreementStatus) -> list[AgreementStatus]:
    return [state for state, targets in TRANSITIONS.items() if target in targets]


# The terms of an agreement are typed while it is drafted or negotiated; an executed one
# changes through an amendment.
EDITABLE_STATES = frozenset({AgreementStatus.DRAFT, AgreementStatus.IN_NEGOTIATION})
AMENDABLE_STATES = frozenset({AgreementStatus.IN_NEGOTIATION, AgreementStatus.EXECUTED})
# Agreements whose obligations may still be set up or changed.
ACTIVE_AGREEMENT_STATES = frozenset(
    {AgreementStatus.DRAFT, AgreementStatus.IN_NEGOTIATION, AgreementStatus.EXECUTED}
)
# Agreements whose obligations are being kept: their occurrences count as kept or overdue. A
# draft binds nobody yet; an expired or superseded agreement's work goes on under its renewal.
RUNNING_STATES = frozenset({AgreementStatus.IN_NEGOTIATION, AgreementStatus.EXECUTED})


class PartyRole(models.TextChoices):
    LOCAL_BOARD = "local_board", _("Local workforce board")
    ONE_STOP_OPERATOR = "one_stop_operator", _("One-stop operator")
    REQUIRED_PARTNER = "required_partner", _("Required partner")
    ADDITIONAL_PARTNER = "additional_partner", _("Additional partner")


class AmendmentKind(models.TextChoices):
    MINOR = "minor", _("Minor (no new signatures)")
    MAJOR = "major", _("Major (every party signs again)")


class CostCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure costs")
    SHARED = "shared", _("Shared services and operating costs")


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    NON_CASH = "non_cash", _("Non-cash")
    IN_KIND = "in_kind", _("Third-party in-kind")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")
    ONCE = "once", _("Once")


# Months between two occurrences (none after the first for ONCE).
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.YEARLY: 12,
    Frequency.ONCE: 0,
}


class ObligationKind(models.TextChoices):
    """What an obligation is about; the kind of record that may later fulfil it (a training,
    a flyer's confirmations, the cards lent, a meeting) is chosen by it."""

    TOUR = "tour", _("Tours of the job center")
    TRAINING = "training", _("Staff training")
    FLYERS = "flyers", _("Workshop flyers and materials")
    CARDS = "cards", _("Temporary library cards")
    MEETING = "meeting", _("Management meeting")
    RESOURCES = "resources", _("Shared resources (shelf, reference titles)")
    REFERRALS = "referrals", _("Referrals")
    OTHER = "other", _("Other")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATES = frozenset({ActionItemStatus.OPEN})
# Reminders to an open action item's owner: days before the due date (0 is the day itself).
ACTION_ITEM_REMINDER_DAYS = (3, 0)


class GrantStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    PREPARING = "preparing", _("Preparing the application")
    SUBMITTED = "submitted", _("Submitted")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Not funded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


GRANT_TRANSITIONS: dict[GrantStatus, frozenset[GrantStatus]] = {
    GrantStatus.EXPLORING: frozenset({GrantStatus.PREPARING, GrantStatus.WITHDRAWN}),
    GrantStatus.PREPARING: frozenset(
        {GrantStatus.EXPLORING, GrantStatus.SUBMITTED, GrantStatus.WITHDRAWN}
    ),
    GrantStatus.SUBMITTED: frozenset(
        {GrantStatus.AWARDED, GrantStatus.DECLINED, GrantStatus.WITHDRAWN}
    ),
    GrantStatus.AWARDED: frozenset(),
    GrantStatus.DECLINED: frozenset(),
    GrantStatus.WITHDRAWN: frozenset(),
}
# A decision that needs its outcome written down.
DECIDED_GRANT_STATES = frozenset({GrantStatus.AWARDED, GrantStatus.DECLINED})


class Activity(models.TextChoices):
    TOUR = "tour", _("Tour")
    TRAINING = "training", _("Training")
    MEETING = "meeting", _("Meeting")
    MATERIALS = "materials", _("Materials")
    OUTREACH = "outreach", _("Outreach")
    OTHER = "other", _("Other")
