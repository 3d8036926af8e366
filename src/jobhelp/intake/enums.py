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
    # Opened by a receiving partner for a referral (referrals.domain.open_receiving_request).
    REFERRAL = "referral", _("Referral from a partner")


STAFF_CHANNELS = [IntakeChannel.PHONE, IntakeChannel.EMAIL, IntakeChannel.WALK_IN]


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")


class BestTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning (9 to noon)")
    AFTERNOON = "afternoon", _("Afternoon (noon to 5)")
    EVENING = "evening", _("Evening (5 to 8)")


# Which state each state may move to. Domain functions check against this table inside the
# same UPDATE that changes the state, so two people acting at once cannot both succeed.
TRANSITIONS: dict[RequestState, frozenset[RequestState]] = {
    RequestState.NEW: frozenset({RequestState.ASSIGNED, RequestState.CLOSED}),
    RequestState.ASSIGNED: frozenset(
        {
            RequestState.ASSIGNED,
            RequestState.IN_PROGRESS,
            RequestState.SCHEDULED,
            RequestState.RESOLVED,
            RequestState.CLOSED,
        }
    ),
    RequestState.IN_PROGRESS: frozenset(
        {RequestState.ASSIGNED, RequestState.SCHEDULED, RequestState.RESOLVED, RequestState.CLOSED}
    ),
    RequestState.SCHEDULED: frozenset(
        {
            RequestState.ASSIGNED,
            RequestState.IN_PROGRESS,
            RequestState.RESOLVED,
            RequestState.CLOSED,
        }
    ),
    RequestState.RESOLVED: frozenset({RequestState.NEW, RequestState.ASSIGNED}),
    RequestState.CLOSED: frozenset({RequestState.NEW, RequestState.ASSIGNED}),
}


def states_that_may_become(target: RequestState) -> list[RequestState]:
    return [state for state, targets in TRANSITIONS.items() if target in targets]


# Reasons for RESOLVED (help was given) and for CLOSED (it ended otherwise).
RESOLVING_REASONS = frozenset({ClosingReason.HELPED, ClosingReason.REFERRED})
CLOSING_REASONS = frozenset(ClosingReason) - {ClosingReason.HELPED}


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached them")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    EMAIL_SENT = "email_sent", _("Sent an email reply")
    EMAIL_BOUNCED = "email_bounced", _("Email bounced")


# Attempts that did not reach the patron; enough of them allow closing with "no response".
FAILED_OUTCOMES = frozenset(
    {
        ContactOutcome.VOICEMAIL,
        ContactOutcome.NO_ANSWER,
        ContactOutcome.WRONG_NUMBER,
        ContactOutcome.EMAIL_BOUNCED,
    }
)


class RuleLocationScope(models.TextChoices):
    ANY = "any", _("Any library or remote")
    REMOTE = "remote", _("Only requests with no preferred library (remote)")
    LOCATION = "location", _("Only requests for one library")
