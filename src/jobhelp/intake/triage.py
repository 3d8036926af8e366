"""Triage: assigning, claiming, contacting, resolving, closing and reopening requests.

Every function checks who may act and whether the move is allowed, changes the state with one
conditional UPDATE (so that of two people acting at once exactly one succeeds), writes the audit
entry and queues the messages after commit. Failures raise TriageError with a message for the
person who acted; nothing is changed then.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit, versions
from jobhelp.intake import rules
from jobhelp.intake.enums import (
    CLOSING_REASONS,
    FAILED_OUTCOMES,
    FINISHED_STATES,
    OPEN_STATES,
    RESOLVING_REASONS,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    RequestState,
    states_that_may_become,
)
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNote
from jobhelp.intake.patrons import message_patron
from jobhelp.notifications.outbox import queue_message

_UNSET = object()


class TriageError(Exception):
    """A move that is not allowed; the message is shown to the person who tried it."""


class AlreadyTaken(TriageError):
    def __init__(self, help_request: HelpRequest):
        self.assigned_to = help_request.assigned_to
        super().__init__(
            _("Someone else just changed this request: it is now with %(name)s.")
            % {"name": help_request.assigned_to or _("nobody")}
        )


def _fresh(help_request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_related("organization", "assigned_to").get(pk=help_request.pk)


def _move(
    help_request: HelpRequest,
    target: RequestState,
    *,
    from_states=None,
    expected_assignee=_UNSET,
    **changes,
) -> HelpRequest:
    """Change the state if, at this very moment, the request is in a state that may become
    `target` and is one of `from_states`, when given (and still with `expected_assignee`, when
    given). Returns the updated request."""
    allowed = states_that_may_become(target)
    if from_states is not None:
        # The table lets a finished request become assigned, but only by reopening it.
        allowed = [state for state in allowed if state in from_states]
    rows = HelpRequest.objects.filter(pk=help_request.pk, state__in=allowed)
    if expected_assignee is not _UNSET:
        rows = rows.filter(assigned_to=expected_assignee)
    updated = rows.update(state=target, updated_at=timezone.now(), **changes)
    current = _fresh(help_request)
    if updated:
        # Free appointment times depend on the request's state and helper (core.versions).
        versions.bump(versions.REQUESTS, current.organization.root_id)
    if not updated:
        if (
            expected_assignee is not _UNSET
            and current.state in OPEN_STATES
            and current.assigned_to_id != getattr(expected_assignee, "pk", expected_assignee)
        ):
            raise AlreadyTaken(current)
        raise TriageError(
            _("This request is %(state)s, so it cannot be changed that way.")
            % {"state": current.get_state_display().lower()}
        )
    return current


def _notify_assignment(help_request: HelpRequest, *, helper, tell_helper: bool = True) -> None:
    if tell_helper and helper.email:
        queue_message(
            to=helper.email,
            template="request_assigned_helper",
            context={"request": help_request, "helper": helper},
            language=helper.preferred_language,
            organization=help_request.organization,
            related=help_request,
        )
    # The patron hears who will help by the channel they chose: email, or a text for a patron
    # who chose texts and gave no email. Patrons who gave a phone number and chose a call (or
    # chose texts but gave an email address too) hear it on the helper's first call or text.
    if (
        help_request.email
        and help_request.phone
        and help_request.preferred_contact != ContactMethod.EMAIL
    ):
        return
    message_patron(
        help_request,
        template="request_assigned_patron",
        context={"request": help_request, "helper": helper},
    )


def assign_request(
    help_request: HelpRequest, *, helper, by, note: str = "", expected_assignee=_UNSET
) -> HelpRequest:
    """Give the request to `helper` (front desk, managers, or the system when `by` is None).

    `expected_assignee` is who the person acting saw on the request; if someone changed it in
    the meantime, AlreadyTaken says who has it now. Reassigning needs a note, kept as a staff
    note. Side effects: audit ``jobhelp.request.assigned`` or ``jobhelp.request.reassigned``;
    emails the helper, and tells the patron when they chose email (or texts, with no email).
    """
    if by is not None and not rules.can_assign(by, help_request):
        raise TriageError(_("Only front desk staff and managers can assign requests."))
    if not rules.can_be_assigned(helper, help_request):
        raise TriageError(
            _("%(name)s does not help for %(organization)s, so cannot take this request.")
            % {"name": helper, "organization": help_request.organization}
        )
    previous = help_request.assigned_to
    if (
        expected_assignee is not _UNSET
        and getattr(expected_assignee, "pk", expected_assignee) != help_request.assigned_to_id
    ):
        raise AlreadyTaken(help_request)
    if previous is not None and previous != helper and not note.strip():
        raise TriageError(_("Please say why you are reassigning this request."))
    if previous == helper:
        raise TriageError(_("This request is already with %(name)s.") % {"name": helper})
    with transaction.atomic():
        current = _move(
            help_request,
            RequestState.ASSIGNED,
            from_states=OPEN_STATES,
            assigned_to=helper,
            expected_assignee=previous,
        )
        if note.strip():
            RequestNote.objects.create(request=current, author=by, text=note.strip()[:1000])
        audit.record(
            "jobhelp.request.reassigned" if previous else "jobhelp.request.assigned",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"to": helper.pk, "from": previous.pk if previous else None},
        )
        _notify_assignment(current, helper=helper)
    return current


def claim_request(help_request: HelpRequest, *, by) -> HelpRequest:
    """A helper takes an unassigned request they are qualified for.

    Side effects: audit ``jobhelp.request.claimed``; emails the patron when they chose email.
    """
    if not rules.can_claim(by, help_request):
        raise TriageError(_("You can claim only requests you are qualified to help with."))
    with transaction.atomic():
        current = _move(
            help_request,
            RequestState.ASSIGNED,
            from_states=OPEN_STATES,
            assigned_to=by,
            expected_assignee=None,
        )
        audit.record(
            "jobhelp.request.claimed",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"to": by.pk},
        )
        # The helper clicked "claim": no email to tell them what they just did.
        _notify_assignment(current, helper=by, tell_helper=False)
    return current


def log_contact_attempt(
    help_request: HelpRequest,
    *,
    by,
    channel: ContactMethod,
    outcome: ContactOutcome,
    note: str = "",
) -> ContactAttempt:
    """Record a call or email to the patron. The first attempt puts an assigned request in
    progress. Side effects: audit ``jobhelp.request.contact_logged``."""
    if not rules.can_work_on(by, help_request):
        raise TriageError(
            _("Only the person helping, front desk staff and managers can log contact.")
        )
    if help_request.state not in OPEN_STATES:
        raise TriageError(_("This request is finished; reopen it first."))
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            request=help_request, by=by, channel=channel, outcome=outcome, note=note.strip()[:500]
        )
        HelpRequest.objects.filter(pk=help_request.pk, state=RequestState.ASSIGNED).update(
            state=RequestState.IN_PROGRESS, updated_at=timezone.now()
        )
        audit.record(
            "jobhelp.request.contact_logged",
            actor=by,
            organization=help_request.organization,
            obj=help_request,
            data={"channel": channel, "outcome": outcome},
        )
    return attempt


def failed_attempts(help_request: HelpRequest) -> int:
    return help_request.contact_attempts.filter(outcome__in=FAILED_OUTCOMES).count()


def resolve_request(
    help_request: HelpRequest, *, by, reason: ClosingReason = ClosingReason.HELPED
) -> HelpRequest:
    """Help was given. Side effects: audit ``jobhelp.request.resolved``."""
    if reason not in RESOLVING_REASONS:
        raise TriageError(_("A request is resolved when the patron was helped or referred."))
    if not rules.can_work_on(by, help_request):
        raise TriageError(
            _("Only the person helping, front desk staff and managers can resolve a request.")
        )
    return _finish(
        help_request, RequestState.RESOLVED, action="jobhelp.request.resolved", by=by, reason=reason
    )


def close_request(help_request: HelpRequest, *, by, reason: ClosingReason) -> HelpRequest:
    """End a request without help given. "No response" needs the organization's number of
    failed contact attempts first. Side effects: audit ``jobhelp.request.closed``."""
    if reason not in CLOSING_REASONS:
        raise TriageError(_("Choose why the request is being closed."))
    if not rules.can_work_on(by, help_request):
        raise TriageError(
            _("Only the person helping, front desk staff and managers can close a request.")
        )
    if reason == ClosingReason.NO_RESPONSE:
        needed = help_request.organization.max_contact_attempts
        if failed_attempts(help_request) < needed:
            raise TriageError(
                _("Close as “no response” after %(count)d failed attempts to reach the patron.")
                % {"count": needed}
            )
    return _finish(
        help_request, RequestState.CLOSED, action="jobhelp.request.closed", by=by, reason=reason
    )


def _finish(
    help_request: HelpRequest, target: RequestState, *, action: str, by, reason
) -> HelpRequest:
    """The common end of resolving and closing, once each has checked what it needs."""
    with transaction.atomic():
        current = _move(help_request, target, closing_reason=reason, finished_at=timezone.now())
        audit.record(
            action,
            actor=by,
            organization=current.organization,
            obj=current,
            data={"reason": reason},
        )
    return current


def reopen_request(help_request: HelpRequest, *, by) -> HelpRequest:
    """Side effects: audit ``jobhelp.request.reopened``."""
    if not rules.can_work_on(by, help_request):
        raise TriageError(
            _("Only the person helping, front desk staff and managers can reopen a request.")
        )
    if help_request.erased_at is not None:
        raise TriageError(_("This request's details were erased; take a new request instead."))
    if help_request.state not in FINISHED_STATES:
        raise TriageError(_("This request is still open."))
    target = RequestState.ASSIGNED if help_request.assigned_to_id else RequestState.NEW
    with transaction.atomic():
        current = _move(
            help_request,
            target,
            from_states=FINISHED_STATES,
            closing_reason="",
            finished_at=None,
        )
        audit.record(
            "jobhelp.request.reopened",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"state": target},
        )
    return current


def auto_route(help_request: HelpRequest) -> HelpRequest | None:
    """Assign a new request at once when the rule that matches it says so."""
    from jobhelp.intake.routing import pool_for_requests

    pool = pool_for_requests([help_request])
    rule = pool.matching_rule(help_request)
    if rule is None or not rule.auto_assign:
        return None
    suggestions = [s for s in pool.suggest(help_request, limit=10) if s.rule == rule]
    if not suggestions:
        return None
    return assign_request(
        help_request, helper=suggestions[0].helper, by=None, expected_assignee=None
    )


# --- Appointments (called by scheduling, which owns them) ---------------------------------------


def mark_scheduled(help_request: HelpRequest, *, from_states, appointment_id: int, by) -> bool:
    """Inside the booking's transaction: the request, assigned and in one of `from_states` (or
    already scheduled), becomes "Appointment scheduled", with one conditional UPDATE, so a
    request closed or unassigned meanwhile is not scheduled. Returns False when it could not
    be; the caller says why.

    Side effects: audit ``jobhelp.request.scheduled`` when the state changed."""
    rows = HelpRequest.objects.filter(pk=help_request.pk, assigned_to__isnull=False)
    now = timezone.now()
    if rows.filter(state=RequestState.SCHEDULED).update(updated_at=now):
        return True
    allowed = [s for s in states_that_may_become(RequestState.SCHEDULED) if s in from_states]
    if not rows.filter(state__in=allowed).update(state=RequestState.SCHEDULED, updated_at=now):
        return False
    audit.record(
        "jobhelp.request.scheduled",
        actor=by,
        organization=help_request.organization,
        obj=help_request,
        data={"appointment": appointment_id, "from": help_request.state},
    )
    versions.bump(versions.REQUESTS, help_request.organization.root_id)
    help_request.state = RequestState.SCHEDULED
    return True


def mark_unscheduled(request_id: int, *, by, unless) -> bool:
    """Inside the caller's transaction: a scheduled request goes back in progress, unless
    `unless` (a condition on the request row, such as "has a booked appointment", which the
    caller owns) holds, in the same UPDATE. Returns whether it changed.

    Side effects: audit ``jobhelp.request.unscheduled`` when it changed."""
    updated = (
        HelpRequest.objects.filter(pk=request_id, state=RequestState.SCHEDULED)
        .exclude(unless)
        .update(state=RequestState.IN_PROGRESS, updated_at=timezone.now())
    )
    if not updated:
        return False
    current = HelpRequest.objects.select_related("organization").get(pk=request_id)
    audit.record(
        "jobhelp.request.unscheduled",
        actor=by,
        organization=current.organization,
        obj=current,
        data={"state": RequestState.IN_PROGRESS},
    )
    versions.bump(versions.REQUESTS, current.organization.root_id)
    return True
