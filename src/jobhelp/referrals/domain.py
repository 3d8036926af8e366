"""Sending referrals and moving them along, one function per change.

Each function checks who may act (referrals.rules) and what is allowed, changes the state with
one conditional UPDATE against enums.TRANSITIONS (so of two people acting at once exactly one
succeeds, and the other is told who did), appends a line to the referral's history, writes the
audit entry, tells the other side (and the patron who chose it) through the outbox, and queues
the receiving organization's webhook, all in one transaction. A refusal raises ReferralError
with a message for the person who acted (AlreadyMoved when someone else was first); nothing is
changed then.

Consents are in referrals.consent; the retention eraser in referrals.retention.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.core.businessdays import add_business_days
from jobhelp.core.enums import Language, Modality, Need
from jobhelp.core.references import new_reference
from jobhelp.directory.enums import LISTED_STATUSES
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.enums import BestTime, ContactMethod, IntakeChannel
from jobhelp.intake.patrons import patron_address
from jobhelp.intake.queries import zone_for
from jobhelp.notifications import sms
from jobhelp.referrals import messages, queries, rules, webhooks
from jobhelp.referrals.enums import (
    CHOSEN_DECLINE_REASONS,
    DEFAULT_EXPIRE_AFTER_DAYS,
    RECEIVER_MOVES,
    WORKING_STATES,
    DeclineReason,
    EventKind,
    Outcome,
    Reason,
    ReferralState,
    Urgency,
    WebhookEvent,
    states_that_may_become,
)
from jobhelp.referrals.errors import AlreadyMoved, NotAPartner, ReferralError
from jobhelp.referrals.models import Receiver, Referral, ReferralEvent
from jobhelp.referrals.sharing import shared_details
from jobhelp.referrals.slips import slip_for
from jobhelp.referrals.validators import reject_contact_details

# Audit codes of the moves, by the state moved to.
MOVE_ACTIONS = {
    ReferralState.ACCEPTED: "jobhelp.referral.accepted",
    ReferralState.DECLINED: "jobhelp.referral.declined",
    ReferralState.IN_PROGRESS: "jobhelp.referral.started",
    ReferralState.ON_HOLD: "jobhelp.referral.put_on_hold",
    ReferralState.COMPLETED: "jobhelp.referral.completed",
    ReferralState.CANCELLED: "jobhelp.referral.cancelled",
    ReferralState.EXPIRED: "jobhelp.referral.expired",
}


@dataclass(frozen=True, kw_only=True)
class ReferralDetails:
    """What the sender says about the referral: nothing here names the person."""

    reason: str
    need: str
    urgency: str = Urgency.ROUTINE
    note: str = ""
    # The patron's language, for their slip and messages; empty: the request's (or English).
    language: str = ""
    notify_patron: bool = False


def _checked_note(note: str) -> str:
    note = note.strip()
    try:
        reject_contact_details(note)
    except ValidationError as error:
        raise ReferralError(" ".join(error.messages)) from None
    return note


def _create_with_fresh_code(**fields) -> Referral:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Referral.objects.create(code=new_reference(), **fields)
        except IntegrityError:
            # A code collision (rare): draw another. Other integrity errors repeat and raise.
            continue
    raise RuntimeError("could not draw a free referral code")


def _event(referral, kind, *, by=None, organization=None, from_state="", to_state="", note=""):
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        by=by if by is not None and by.is_authenticated else None,
        organization=organization,
        from_state=from_state,
        to_state=to_state,
        note=note[:500],
    )


def send_referral(
    *,
    service,
    by,
    details: ReferralDetails,
    from_organization=None,
    help_request=None,
    now: datetime | None = None,
) -> Referral:
    """Refer a person to a partner's directory service, from `help_request` (whose
    organization refers) or, for a walk-in with no record, from `from_organization`.

    Refused: someone who does not work for the referring organization, a service no longer
    offered, one of the referring organization's own library system, one of an organization
    outside its agreements (NotAPartner, partnerships.queries.agreement_partners), a note with
    contact details, telling a patron nobody can write to. The referral must be answered by
    the receiving organization's response target (`respond_by`, flagged as overdue) and
    expires after its `expire_after_days` business days without an answer, both on its clock.

    Side effects: history line "sent"; audit ``jobhelp.referral.sent`` (service, need,
    urgency, reason codes, the request's id); an email to the receiving organization
    (referral_received), with no personal details; its webhook ``referral.created``.
    """
    now = now or timezone.now()
    if help_request is not None:
        from_organization = help_request.organization
        if help_request.erased_at is not None:
            raise ReferralError(_("This request's details were erased; take a new request."))
    if from_organization is None:
        raise ReferralError(_("Choose the organization that makes the referral."))
    if not rules.can_send_for(by, from_organization):
        raise ReferralError(
            _("You do not work for %(organization)s.") % {"organization": from_organization}
        )
    if details.reason not in Reason.values or details.need not in Need.values:
        raise ReferralError(_("Choose why you refer them and what they need."))
    if details.urgency not in Urgency.values:
        raise ReferralError(_("Choose how urgent it is."))
    language = details.language or (
        help_request.language if help_request is not None else Language.ENGLISH
    )
    if language not in Language.values:
        raise ReferralError(_("Choose the patron's language."))
    note = _checked_note(details.note)
    if service.status not in LISTED_STATUSES:
        raise ReferralError(_("%(service)s is no longer offered.") % {"service": service.name})
    receiving = service.organization
    if receiving.root_id == from_organization.root_id:
        raise ReferralError(
            _(
                "%(service)s is offered by your own library system: assign the request "
                "instead of referring it."
            )
            % {"service": service.name}
        )
    if not queries.is_partner(from_organization, receiving):
        raise NotAPartner(
            _(
                "%(partner)s is not a partner of %(organization)s under an agreement, so "
                "people cannot be referred there through jobhelp."
            )
            % {"partner": receiving, "organization": from_organization}
        )
    if details.notify_patron and (help_request is None or patron_address(help_request) is None):
        raise ReferralError(
            _("The patron gave no email address or phone for texts, so they cannot be told.")
        )
    zone = zone_for(receiving)
    receiver = Receiver.objects.filter(organization=receiving).first()
    days = receiver.expire_after_days if receiver else DEFAULT_EXPIRE_AFTER_DAYS
    with transaction.atomic():
        referral = _create_with_fresh_code(
            from_organization=from_organization,
            to_organization=receiving,
            service=service,
            request=help_request,
            reason=details.reason,
            need=details.need,
            urgency=details.urgency,
            note=note,
            language=language,
            notify_patron=details.notify_patron,
            sent_by=by,
            sent_at=now,
            respond_by=add_business_days(now, receiving.response_target_days, zone),
            expires_at=add_business_days(now, days, zone),
        )
        _event(
            referral,
            EventKind.SENT,
            by=by,
            organization=from_organization,
            to_state=ReferralState.REQUESTED,
        )
        audit.record(
            "jobhelp.referral.sent",
            actor=by,
            organization=from_organization,
            obj=referral,
            data={
                "service": service.pk,
                "to": receiving.pk,
                "need": details.need,
                "urgency": details.urgency,
                "reason": details.reason,
                "request": help_request.pk if help_request else None,
            },
        )
        messages.tell_receiver(referral, template="referral_received", context={}, by=by)
        webhooks.queue_event(referral, WebhookEvent.CREATED, to_state=ReferralState.REQUESTED)
    return referral


# --- Moves -----------------------------------------------------------------------------------


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.select_related(
        "service", "from_organization", "to_organization", "sent_by", "accepted_by", "request"
    ).get(pk=referral.pk)


def _last_mover(referral: Referral):
    event = (
        referral.events.filter(kind=EventKind.MOVED, to_state=referral.state)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    return event.by if event is not None else None


def _move(referral: Referral, target: str, *, now: datetime, **changes) -> Referral:
    """Move the referral to `target` if, at this very moment, its state may become it and is
    still the state the person acting saw (`referral.state`). Returns it as it is now."""
    allowed = states_that_may_become(target)
    if referral.state == target:
        # Someone else made this very move a moment before.
        raise AlreadyMoved(referral, by=_last_mover(referral))
    if referral.state not in allowed:
        raise ReferralError(
            _("This referral is “%(state)s”, so it cannot be changed that way.")
            % {"state": referral.get_state_display()}
        )
    updated = Referral.objects.filter(pk=referral.pk, state=referral.state).update(
        state=target, updated_at=now, **changes
    )
    current = _fresh(referral)
    if not updated:
        raise AlreadyMoved(current, by=_last_mover(current))
    return current


def _after_move(
    referral: Referral,
    *,
    from_state: str,
    by,
    organization,
    note: str = "",
    data: dict | None = None,
    tell_patron: bool = True,
) -> None:
    """What every move does once the state changed: the history line, the audit entry, the
    other side and the patron told (unless `tell_patron` is false), the webhook queued."""
    target = referral.state
    _event(
        referral,
        EventKind.MOVED,
        by=by,
        organization=organization,
        from_state=from_state,
        to_state=target,
        note=note,
    )
    audit.record(
        MOVE_ACTIONS[target],
        actor=by,
        # A referral that expired is the receiving organization's record.
        organization=organization or referral.to_organization,
        obj=referral,
        data={"from": from_state, "to": target, **(data or {})},
    )
    context = {"from_state": from_state, "state": target}
    if target in RECEIVER_MOVES:
        messages.tell_sender(referral, template="referral_changed", context=context, by=by)
    elif target == ReferralState.CANCELLED:
        messages.tell_receiver(referral, template="referral_changed", context=context, by=by)
    else:
        # Expired: nobody acted; both sides hear.
        messages.tell_sender(referral, template="referral_changed", context=context)
        messages.tell_receiver(referral, template="referral_changed", context=context)
    if tell_patron:
        messages.tell_patron(referral, state=target)
    webhooks.queue_event(
        referral, WebhookEvent.STATE_CHANGED, from_state=from_state, to_state=target
    )


def _answering(referral: Referral, by) -> None:
    if not rules.can_answer(by, referral):
        raise ReferralError(
            _("Only staff of %(organization)s can answer this referral.")
            % {"organization": referral.to_organization}
        )


def accept_referral(
    referral: Referral,
    *,
    by,
    open_request: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Referral:
    """The receiving partner takes the referral on. Of two people accepting at once, one
    wins; the other gets AlreadyMoved naming who accepted it. With `open_request`, a request
    is opened in the receiver's desk in the same transaction (open_receiving_request), or
    nothing is accepted. Side effects: history; audit ``jobhelp.referral.accepted``; the
    sender told; the patron told if they chose it; webhook."""
    now = now or timezone.now()
    _answering(referral, by)
    note = _checked_note(note)
    with transaction.atomic():
        current = _move(
            referral, ReferralState.ACCEPTED, now=now, accepted_by=by, first_response_at=now
        )
        _after_move(
            current,
            from_state=referral.state,
            by=by,
            organization=current.to_organization,
            note=note,
        )
        if open_request:
            open_receiving_request(current, by=by, now=now)
    return _fresh(current)


def decline_referral(
    referral: Referral, *, by, reason: str, note: str = "", now: datetime | None = None
) -> Referral:
    """The receiving partner says no, with a reason (refused without one; "another reason"
    needs a note; "the person's data was erased" is decline_for_erasure's alone). Side effects
    as accept_referral's (``jobhelp.referral.declined``, with the reason's code)."""
    now = now or timezone.now()
    _answering(referral, by)
    if reason not in {value for value, _label in CHOSEN_DECLINE_REASONS}:
        raise ReferralError(_("Say why you decline the referral."))
    note = _checked_note(note)
    if reason == DeclineReason.OTHER and not note:
        raise ReferralError(_("Say in the note why you decline the referral."))
    return _decline(referral, by=by, reason=reason, note=note, now=now)


def _decline(
    referral: Referral,
    *,
    by,
    reason: str,
    note: str,
    now: datetime,
    data: dict | None = None,
    tell_patron: bool = True,
) -> Referral:
    with transaction.atomic():
        current = _move(
            referral,
            ReferralState.DECLINED,
            now=now,
            decline_reason=reason,
            first_response_at=now,
            closed_at=now,
        )
        _after_move(
            current,
            from_state=referral.state,
            by=by,
            organization=current.to_organization,
            note=note,
            data={"reason": reason, **(data or {})},
            tell_patron=tell_patron,
        )
    return current


def _receiver_move(referral, target, *, by, note, now, **changes) -> Referral:
    now = now or timezone.now()
    _answering(referral, by)
    note = _checked_note(note)
    with transaction.atomic():
        current = _move(referral, target, now=now, **changes)
        _after_move(
            current,
            from_state=referral.state,
            by=by,
            organization=current.to_organization,
            note=note,
            data={"outcome": changes["outcome"]} if "outcome" in changes else None,
        )
    return current


def start_referral(referral: Referral, *, by, note: str = "", now=None) -> Referral:
    """Accepted (or on hold) and now being worked on. ``jobhelp.referral.started``."""
    return _receiver_move(referral, ReferralState.IN_PROGRESS, by=by, note=note, now=now)


def hold_referral(referral: Referral, *, by, note: str = "", now=None) -> Referral:
    """Paused, waiting on something. ``jobhelp.referral.put_on_hold``."""
    return _receiver_move(referral, ReferralState.ON_HOLD, by=by, note=note, now=now)


def complete_referral(
    referral: Referral, *, by, outcome: str, note: str = "", now: datetime | None = None
) -> Referral:
    """Finished, with what came of it (refused without an outcome).
    ``jobhelp.referral.completed`` with the outcome's code."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise ReferralError(_("Choose what came of the referral."))
    return _receiver_move(
        referral,
        ReferralState.COMPLETED,
        by=by,
        note=note,
        now=now,
        outcome=outcome,
        closed_at=now,
    )


def cancel_referral(
    referral: Referral, *, by, note: str = "", now: datetime | None = None
) -> Referral:
    """The sending side calls it off (the person found help, or changed their mind).
    ``jobhelp.referral.cancelled``; the receiving organization is told."""
    now = now or timezone.now()
    if not rules.can_cancel(by, referral):
        raise ReferralError(
            _("Only staff of %(organization)s can cancel this referral.")
            % {"organization": referral.from_organization}
        )
    note = _checked_note(note)
    with transaction.atomic():
        current = _move(referral, ReferralState.CANCELLED, now=now, closed_at=now)
        _after_move(
            current,
            from_state=referral.state,
            by=by,
            organization=current.from_organization,
            note=note,
        )
    return current


def cancel_for_erasure(referral: Referral, *, by, now: datetime) -> Referral:
    """The person's data is being erased at their request (privacy): a referral we sent that
    is still waiting for an answer is called off, in the caller's transaction; `by` is the
    privacy officer, already checked by the privacy app. The receiving organization is told,
    as for any cancellation; the person is not. (A referral sent to us is declined instead:
    decline_for_erasure.)

    Side effects: history line; audit ``jobhelp.referral.cancelled`` (with ``erased``); the
    receiving organization told; the webhook queued.
    """
    with transaction.atomic():
        current = _move(referral, ReferralState.CANCELLED, now=now, closed_at=now)
        _after_move(
            current,
            from_state=referral.state,
            by=by,
            organization=current.from_organization,
            data={"erased": True},
            tell_patron=False,
        )
    return current


def decline_for_erasure(referral: Referral, *, by, now: datetime) -> Referral:
    """The person's data is being erased at their request (privacy), and this referral was
    sent to us by another organization and still waits for our answer: we decline it, with
    the reason "the person's data was erased at their request", in the caller's transaction;
    `by` is the privacy officer, already checked by the privacy app. The sending organization
    sees it declined and is told as for any decline; the person is not.

    Side effects: history line; audit ``jobhelp.referral.declined`` (reason
    ``person_erased``, with ``erased``); the sender told; the webhook queued.
    """
    return _decline(
        referral,
        by=by,
        reason=DeclineReason.PERSON_ERASED,
        note="",
        now=now,
        data={"erased": True},
        tell_patron=False,
    )


def expire_referrals(*, now: datetime | None = None) -> int:
    """Referrals still unanswered at their `expires_at` (the receiving organization's number
    of business days after sending) become expired (the periodic job referrals.expiry). One
    conditional UPDATE each, so a second run, or a partner answering at the same moment,
    leaves nothing to do twice. Side effects per referral: history; audit
    ``jobhelp.referral.expired`` (no actor); both sides told; the patron if they chose it;
    webhook. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    due = Referral.objects.filter(state=ReferralState.REQUESTED, expires_at__lte=now)
    for referral in due.select_related("to_organization").order_by("expires_at", "pk"):
        with transaction.atomic():
            updated = Referral.objects.filter(
                pk=referral.pk, state=ReferralState.REQUESTED, expires_at__lte=now
            ).update(state=ReferralState.EXPIRED, closed_at=now, updated_at=now)
            if not updated:
                continue
            _after_move(
                _fresh(referral),
                from_state=ReferralState.REQUESTED,
                by=None,
                organization=None,
            )
            expired += 1
    return expired


def open_receiving_request(referral: Referral, *, by, now: datetime | None = None):
    """Open a request in the receiving organization's own desk for an accepted referral, with
    only what the patron's live consent shares (intake.domain.submit_request): their name
    (or "Referral <code>"), the phone and email shared, the language shared (English
    otherwise), the referral's need and the request's needs if shared, and a note with the
    referral's code, service and note, and the patron's own note if shared. Refused without a
    live consent to share a phone number or an email address, which a request needs. The two
    are linked both ways (Referral.receiving_request), once.

    Side effects: those of submit_request (the patron's confirmation from the receiving
    organization, by the channel shared); history; audit ``jobhelp.referral.request_opened``.
    """
    now = now or timezone.now()
    _answering(referral, by)
    if referral.state not in WORKING_STATES:
        raise ReferralError(_("Accept the referral first."))
    if referral.receiving_request_id is not None:
        raise ReferralError(_("A request was already opened for this referral."))
    shared = shared_details(referral, now=now)
    if shared is None or not shared.can_contact:
        raise ReferralError(
            _(
                "Opening a request needs the patron's consent to share a phone number or an "
                "email address with you. Until then, they will contact you with the code "
                "%(code)s."
            )
            % {"code": referral.display_code}
        )
    lines = [
        _("Referral %(code)s from %(organization)s for %(service)s.")
        % {
            "code": referral.display_code,
            "organization": referral.from_organization,
            "service": referral.service.name,
        }
    ]
    if referral.note:
        lines.append(referral.note)
    if shared.notes:
        lines.append(shared.notes)
    details = RequestDetails(
        name=shared.name or _("Referral %(code)s") % {"code": referral.display_code},
        phone=shared.phone,
        email=shared.email,
        preferred_contact=ContactMethod.PHONE if shared.phone else ContactMethod.EMAIL,
        best_time=BestTime.ANY,
        voicemail_ok=False,
        needs=sorted({referral.need, *shared.needs}),
        language=shared.language or Language.ENGLISH,
        preferred_location=None,
        modality=Modality.PHONE if shared.phone else Modality.EMAIL,
        note="\n\n".join(lines)[:2000],
    )
    with transaction.atomic():
        help_request = submit_request(
            organization=referral.to_organization,
            details=details,
            channel=IntakeChannel.REFERRAL,
            taken_by=by,
        )
        linked = Referral.objects.filter(pk=referral.pk, receiving_request__isnull=True).update(
            receiving_request=help_request, updated_at=now
        )
        if not linked:
            raise ReferralError(_("A request was already opened for this referral."))
        _event(referral, EventKind.REQUEST_OPENED, by=by, organization=referral.to_organization)
        audit.record(
            "jobhelp.referral.request_opened",
            actor=by,
            organization=referral.to_organization,
            obj=referral,
            data={"request": help_request.pk},
        )
    referral.receiving_request = help_request
    return help_request


def send_slip(referral: Referral, *, by, phone: str = ""):
    """Send the patron their slip (the code, the service's address, hours and phone) in their
    language: as a text to `phone` (already in E.164 form; a walk-in's number, kept only as
    the message's recipient), or else by the channel of their request. Refused when nobody can
    be written to, or texts are off. Side effects: audit ``jobhelp.referral.slip_sent`` with
    the channel. Returns the queued message."""
    if not rules.can_send_slip(by, referral):
        raise ReferralError(
            _("Only staff of %(organization)s can send this slip.")
            % {"organization": referral.from_organization}
        )
    if phone:
        if not sms.is_configured():
            raise ReferralError(_("Text messages are turned off here; print the slip instead."))
        address = messages.text_to(phone)
    else:
        address = messages.patron_channel(referral)
        if address is None:
            raise ReferralError(
                _("The patron gave no email address or phone for texts; print the slip.")
            )
    with transaction.atomic():
        message = messages.to_patron(
            referral, address, template="referral_slip", context={"slip": slip_for(referral)}
        )
        audit.record(
            "jobhelp.referral.slip_sent",
            actor=by,
            organization=referral.from_organization,
            obj=referral,
            data={"channel": address.channel},
        )
    return message
