"""The vocabulary of referrals: states (with their FHIR Task status), why a person is referred,
how urgent it is, why a partner declines, what came of it, and what a consent may share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralState(models.TextChoices):
    REQUESTED = "requested", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired: no answer in time")


# HL7 FHIR R4 Task.status for each state (https://hl7.org/fhir/R4/valueset-task-status.html), as
# closed-loop referral systems exchange them (the Gravity Project's SDOH Clinical Care IG). An
# expired referral is a Task that "failed": it was never answered.
FHIR_TASK_STATUS: dict[str, str] = {
    ReferralState.REQUESTED: "requested",
    ReferralState.ACCEPTED: "accepted",
    ReferralState.DECLINED: "rejected",
    ReferralState.IN_PROGRESS: "in-progress",
    ReferralState.ON_HOLD: "on-hold",
    ReferralState.COMPLETED: "completed",
    ReferralState.CANCELLED: "cancelled",
    ReferralState.EXPIRED: "failed",
}

# Which state each state may move to. The domain checks against this table inside the same
# UPDATE that moves a referral, so of two people acting at once exactly one succeeds.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralState.REQUESTED: frozenset(
        {
            ReferralState.ACCEPTED,
            ReferralState.DECLINED,
            ReferralState.CANCELLED,
            ReferralState.EXPIRED,
        }
    ),
    ReferralState.ACCEPTED: frozenset(
        {
            ReferralState.IN_PROGRESS,
            ReferralState.ON_HOLD,
            ReferralState.COMPLETED,
            ReferralState.CANCELLED,
        }
    ),
    ReferralState.IN_PROGRESS: frozenset(
        {ReferralState.ON_HOLD, ReferralState.COMPLETED, ReferralState.CANCELLED}
    ),
    ReferralState.ON_HOLD: frozenset(
        {ReferralState.IN_PROGRESS, ReferralState.COMPLETED, ReferralState.CANCELLED}
    ),
    ReferralState.DECLINED: frozenset(),
    ReferralState.COMPLETED: frozenset(),
    ReferralState.CANCELLED: frozenset(),
    ReferralState.EXPIRED: frozenset(),
}


def states_that_may_become(target: str) -> list[str]:
    return [state for state, targets in TRANSITIONS.items() if target in targets]


# The referral is finished: nothing more happens to it, and its retention period runs.
CLOSED_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
OPEN_STATES = frozenset(ReferralState) - CLOSED_STATES
# Accepted and being worked on by the receiving partner.
WORKING_STATES = frozenset(
    {ReferralState.ACCEPTED, ReferralState.IN_PROGRESS, ReferralState.ON_HOLD}
)
# The moves the receiving partner makes; the sender only cancels, the periodic job expires.
RECEIVER_MOVES = frozenset(
    {
        ReferralState.ACCEPTED,
        ReferralState.DECLINED,
        ReferralState.IN_PROGRESS,
        ReferralState.ON_HOLD,
        ReferralState.COMPLETED,
    }
)


class Reason(models.TextChoices):
    """Why the person is sent to the partner."""

    NOT_OFFERED = "not_offered", _("We do not offer this service")
    PROGRAM = "program", _("They may qualify for the partner's program")
    SPECIALIST = "specialist", _("They need more specialized help")
    LANGUAGE = "language", _("Help in their language")
    CLOSER = "closer", _("Closer to where they live or work")
    SOONER = "sooner", _("They can be served sooner there")
    OTHER = "other", _("Another reason (see the note)")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon: within a few days")
    URGENT = "urgent", _("Urgent")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for the service")
    NO_CAPACITY = "no_capacity", _("No capacity now")
    WRONG_SERVICE = "wrong_service", _("Not a service we offer here")
    DUPLICATE = "duplicate", _("Already referred or already served")
    OTHER = "other", _("Another reason (see the note)")
    # Set only by the person's erasure (privacy), never chosen by staff.
    PERSON_ERASED = "person_erased", _("The person's data was erased at their request")


# The reasons staff (pages and API) may give; PERSON_ERASED is the erasure's alone.
CHOSEN_DECLINE_REASONS = [
    (value, label) for value, label in DeclineReason.choices if value != DeclineReason.PERSON_ERASED
]


class Outcome(models.TextChoices):
    """What came of a completed referral."""

    GOT_HELP = "got_help", _("Got help")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_CAPACITY = "no_capacity", _("No capacity")
    COULD_NOT_CONTACT = "could_not_contact", _("Could not contact")
    PATRON_DECLINED = "patron_declined", _("The patron declined")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class ConsentField(models.TextChoices):
    """The personal details a consent may let travel to the partner."""

    NAME = "name", _("Name")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    LANGUAGE = "language", _("Language")
    NEEDS = "needs", _("What they asked us for help with")
    NOTES = "notes", _("Their note on the request")


# Details a walk-in referral (no request) can share: needs and notes are the request's.
WALK_IN_FIELDS = frozenset(
    {ConsentField.NAME, ConsentField.PHONE, ConsentField.EMAIL, ConsentField.LANGUAGE}
)
# With one of these the receiving partner can reach the person, and open a request for them.
CONTACT_FIELDS = frozenset({ConsentField.PHONE, ConsentField.EMAIL})


class ConsentMethod(models.TextChoices):
    SPOKEN = "spoken", _("Said so to a staff member, who attests it")
    LINK = "link", _("Confirmed by the patron through a link")


class ConsentStatus(models.TextChoices):
    """A consent's status at a moment (Consent.status_at): only GIVEN lets details travel."""

    PENDING = "pending", _("Waiting for the patron to confirm")
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Ended (its date passed)")


class WithdrawnVia(models.TextChoices):
    STAFF = "staff", _("A staff member, at the patron's word")
    PATRON = "patron", _("The patron, through their link")


class EventKind(models.TextChoices):
    """What a line of a referral's history records."""

    SENT = "sent", _("Sent")
    MOVED = "moved", _("State changed")
    CONSENT_ASKED = "consent_asked", _("Consent asked of the patron")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    REQUEST_OPENED = "request_opened", _("Request opened at the receiving partner")


class WebhookEvent(models.TextChoices):
    CREATED = "referral.created", _("New referral")
    STATE_CHANGED = "referral.state_changed", _("State changed")
    CONSENT_CHANGED = "referral.consent_changed", _("Consent changed")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Could not be delivered")


# Business days a referral may wait for an answer before it expires, unless the receiving
# organization sets its own (Receiver.expire_after_days).
DEFAULT_EXPIRE_AFTER_DAYS = 10
# The longest a consent may last, and what the form offers first.
MAX_CONSENT_DAYS = 365
DEFAULT_CONSENT_DAYS = 30
