"""The triage queue, a helper's own list and the actions on a request. Rules live in
intake.triage; these views only turn forms into calls and errors into messages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobhelp.intake import rules
from jobhelp.intake.enums import FINISHED_STATES, OPEN_STATES
from jobhelp.intake.forms import AssignForm, CloseForm, ContactAttemptForm, ResolveForm
from jobhelp.intake.models import HelpRequest, RequestNeed
from jobhelp.intake.queries import find_request_for_user, mine_for_user, queue_for_user
from jobhelp.intake.routing import helping_staff, pool_for_requests
from jobhelp.intake.triage import (
    TriageError,
    assign_request,
    claim_request,
    close_request,
    log_contact_attempt,
    reopen_request,
    resolve_request,
)
from jobhelp.organizations.models import Location
from jobhelp.organizations.queries import organizations_for_user
from jobhelp.staff.decorators import staff_member_required
from jobhelp.staff.triage_forms import QueueFilterForm


def _labeller():
    """A function giving a request's choice labels, as get_FOO_display() gives them, from
    tables built once per page: get_FOO_display() rebuilds and translates the whole list of
    choices on every call, which a page of rows would do a hundred times over."""
    tables = {
        name: dict(HelpRequest._meta.get_field(name).flatchoices)
        for name in ("state", "language", "modality", "channel")
    }
    needs = dict(RequestNeed._meta.get_field("need").flatchoices)

    def labels(help_request: HelpRequest) -> dict:
        return {
            "needs": [needs.get(n.need, n.need) for n in help_request.needs.all()],
            **{
                name: table.get(getattr(help_request, name), getattr(help_request, name))
                for name, table in tables.items()
            },
        }

    return labels


def _queue_rows(user, requests):
    """Each request with its suggested helpers, whether the user may assign or claim, and its
    choice labels."""
    requests = list(requests)
    pool = pool_for_requests(requests)
    assigning_orgs = set(
        organizations_for_user(user, roles=rules.ASSIGNING_ROLES).values_list("pk", flat=True)
    )
    labels = _labeller()
    return [
        {
            "req": r,
            "suggestions": pool.suggest(r),
            "can_assign": r.organization_id in assigning_orgs,
            "can_claim": r.assigned_to_id is None and pool.is_candidate(user, r),
            "labels": labels(r),
        }
        for r in requests
    ]


@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for_user(request.user)
    locations = Location.objects.filter(organization__in=organizations, is_active=True).order_by(
        "name"
    )
    organization_ids = set(organizations.values_list("pk", flat=True))
    helpers = helping_staff(organization_ids)
    filters = QueueFilterForm(request.GET or None, locations=locations, helpers=helpers)
    requests = queue_for_user(request.user)
    if filters.is_valid():
        requests = filters.apply(requests, user=request.user)
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "rows": _queue_rows(request.user, page),
        # A duplicate at a sibling branch is none of this person's business.
        "visible_organization_ids": organization_ids,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "staff/queue.html#results" if partial else "staff/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@staff_member_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = mine_for_user(request.user)
    labels = _labeller()
    for help_request, _action in rows:
        help_request.labels = labels(help_request)
    return render(request, "staff/mine.html", {"rows": rows})


def _request_or_404(request, reference):
    help_request = find_request_for_user(request.user, reference)
    if help_request is None:
        raise Http404
    return help_request


def _back(request, help_request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("staff:request_detail", reference=help_request.reference)


def _act(request, help_request, action, success):
    try:
        action()
    except TriageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _back(request, help_request)


@staff_member_required
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = _request_or_404(request, reference)
    form = AssignForm(request.POST, help_request=help_request)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _back(request, help_request)
    data = form.cleaned_data
    expected = data["expected_assignee"]
    return _act(
        request,
        help_request,
        lambda: assign_request(
            help_request,
            helper=data["helper"],
            by=request.user,
            note=data["note"],
            expected_assignee=expected,
        ),
        _("Assigned to %(name)s.") % {"name": data["helper"]},
    )


@staff_member_required
@require_POST
def claim(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = _request_or_404(request, reference)
    return _act(
        request,
        help_request,
        lambda: claim_request(help_request, by=request.user),
        _("The request is yours."),
    )


@staff_member_required
@require_POST
def contact(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = _request_or_404(request, reference)
    form = ContactAttemptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you contacted them and what happened."))
        return _back(request, help_request)
    data = form.cleaned_data
    return _act(
        request,
        help_request,
        lambda: log_contact_attempt(
            help_request,
            by=request.user,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
        ),
        _("Contact attempt saved."),
    )


def _finish(request, reference, form_class, finish, invalid_message, done_message):
    """Resolve or close: the same steps with a different form, function and wording."""
    help_request = _request_or_404(request, reference)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid_message)
        return _back(request, help_request)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        help_request,
        lambda: finish(help_request, by=request.user, reason=reason),
        done_message,
    )


@staff_member_required
@require_POST
def resolve(request: HttpRequest, reference: str) -> HttpResponse:
    return _finish(
        request,
        reference,
        ResolveForm,
        resolve_request,
        _("Choose an outcome."),
        _("Resolved. Thank you!"),
    )


@staff_member_required
@require_POST
def close(request: HttpRequest, reference: str) -> HttpResponse:
    return _finish(
        request,
        reference,
        CloseForm,
        close_request,
        _("Choose why the request is being closed."),
        _("Closed."),
    )


@staff_member_required
@require_POST
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = _request_or_404(request, reference)
    return _act(
        request, help_request, lambda: reopen_request(help_request, by=request.user), _("Reopened.")
    )


def action_forms(user, help_request) -> dict:
    """The forms the request page offers this user, given what they may do.

    Each form gets ids of its own: the forms share field names (`note`, `reason`), and with
    Django's default ids a label would point at another form's field. The names, and so what
    the actions read, stay as they are.
    """
    can_assign = rules.can_assign(user, help_request)
    can_work = rules.can_work_on(user, help_request)
    is_open = help_request.state in OPEN_STATES
    return {
        "assign_form": AssignForm(help_request=help_request, auto_id="id_assign_%s")
        if can_assign and is_open
        else None,
        "can_claim": is_open
        and help_request.assigned_to_id is None
        and rules.can_claim(user, help_request),
        "contact_form": ContactAttemptForm(auto_id="id_contact_%s")
        if can_work and is_open
        else None,
        "resolve_form": ResolveForm(auto_id="id_resolve_%s") if can_work and is_open else None,
        "close_form": CloseForm(auto_id="id_close_%s") if can_work and is_open else None,
        "can_reopen": can_work
        and help_request.state in FINISHED_STATES
        and help_request.erased_at is None,
        "suggestions": pool_for_requests([help_request]).suggest(help_request)
        if can_assign and is_open
        else [],
        "queue_url": reverse("staff:queue"),
    }
