"""Triage: the queue and the actions on a request.

Each endpoint calls the same intake.triage function as the staff pages, after the same staff
form has checked the input. A move the domain refuses (TriageError) becomes a 409 in
api/common/errors.py.
"""

from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.lookups import request_or_404
from jobhelp.api.common.schemas import ErrorOut
from jobhelp.api.triage.schemas import (
    AssignIn,
    ConflictOut,
    ContactAttemptIn,
    ContactAttemptOut,
    QueueFilters,
    QueueItemOut,
    Transition,
    TransitionIn,
    TriagedRequestOut,
)
from jobhelp.intake.enums import ClosingReason
from jobhelp.intake.forms import AssignForm, CloseForm, ContactAttemptForm, ResolveForm
from jobhelp.intake.queries import filter_queue, queue_for_user
from jobhelp.intake.routing import pool_for_requests
from jobhelp.intake.triage import (
    assign_request,
    claim_request,
    close_request,
    log_contact_attempt,
    reopen_request,
    resolve_request,
)
from jobhelp.scheduling.finishing import finish_request

router = Router(tags=["triage"])

# 404: another organization's request or none at all; 409: the domain refused the move.
REFUSED = {404: ErrorOut, 409: ConflictOut}


class QueuePagination(PageNumberPagination):
    """Pages as on /requests; the helpers are read once for all the requests of a page."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        requests = list(page["items"])
        # Read once for the page: which duplicates may be shown (see QueueItemOut).
        request.visible_organization_ids = set(
            organizations_for(request.user).values_list("pk", flat=True)
        )
        pool = pool_for_requests(requests)
        for help_request in requests:
            help_request.suggestions = pool.suggest(help_request)
        return {**page, "items": requests}


@router.get("/queue", response=list[QueueItemOut])
@paginate(QueuePagination, page_size=50)
def queue(request, filters: Query[QueueFilters]):
    """Open requests of your organizations, new and unassigned first, then oldest first, each
    with the helpers suggested for it."""
    return filter_queue(
        queue_for_user(request.user),
        user=request.user,
        need=filters.need or "",
        location="remote" if filters.location == "remote" else filters.location_id,
        language=filters.language or "",
        state=filters.state or "",
        assignee=filters.assignee,
    )


@router.post(
    "/requests/{reference}/assign", response={200: TriagedRequestOut, 422: ErrorOut, **REFUSED}
)
def assign(request, reference: str, payload: AssignIn):
    """Give the request to a helper of its organization. Reassigning needs a note."""
    help_request = request_or_404(request.user, reference)
    form = AssignForm(
        {"helper": payload.helper_id, "note": payload.note}, help_request=help_request
    )
    if not form.is_valid():
        return invalid(form)
    # The page always says whom it showed; a program may not care, so only an
    # expected_assignee_id that was sent (null included) is checked.
    expected = (
        {"expected_assignee": payload.expected_assignee_id}
        if "expected_assignee_id" in payload.model_fields_set
        else {}
    )
    return assign_request(
        help_request,
        helper=form.cleaned_data["helper"],
        by=request.user,
        note=form.cleaned_data["note"],
        **expected,
    )


@router.post("/requests/{reference}/claim", response={200: TriagedRequestOut, **REFUSED})
def claim(request, reference: str):
    """Take an unassigned request you are qualified to help with."""
    return claim_request(request_or_404(request.user, reference), by=request.user)


@router.post(
    "/requests/{reference}/transition", response={200: TriagedRequestOut, 422: ErrorOut, **REFUSED}
)
def transition(request, reference: str, payload: TransitionIn):
    """Resolve (help was given), close (it ended otherwise) or reopen a request."""
    help_request = request_or_404(request.user, reference)
    if payload.action == Transition.REOPEN:
        if payload.reason is not None:
            return Status(
                422,
                {
                    "detail": "The request is not valid.",
                    "errors": {"reason": ["Leave out the reason when reopening a request."]},
                },
            )
        return reopen_request(help_request, by=request.user)
    if payload.action == Transition.RESOLVE:
        form = ResolveForm({"reason": payload.reason or ClosingReason.HELPED})
        finish = resolve_request
    else:
        form = CloseForm({"reason": payload.reason or ""})
        finish = close_request
    if not form.is_valid():
        return invalid(form)
    return finish_request(
        help_request,
        by=request.user,
        finish=lambda: finish(help_request, by=request.user, reason=form.cleaned_data["reason"]),
        cancel_upcoming=payload.cancel_upcoming,
    )


@router.get(
    "/requests/{reference}/contact-attempts",
    response={200: list[ContactAttemptOut], 404: ErrorOut},
)
def list_contact_attempts(request, reference: str):
    """Calls and emails to the patron, oldest first."""
    return request_or_404(request.user, reference).contact_attempts.order_by("created_at", "pk")


@router.post(
    "/requests/{reference}/contact-attempts",
    response={201: ContactAttemptOut, 422: ErrorOut, **REFUSED},
)
def log_contact(request, reference: str, payload: ContactAttemptIn):
    """Record a call or email to the patron; the first one puts the request in progress."""
    help_request = request_or_404(request.user, reference)
    form = ContactAttemptForm(payload.dict())
    if not form.is_valid():
        return invalid(form)
    attempt = log_contact_attempt(help_request, by=request.user, **form.cleaned_data)
    return Status(201, attempt)
