"""The triage queue, a helper's own list and the actions on a request. Rules live in
intake.triage; these views only turn forms into calls and errors into messages. The request
page (staff.views.requests) shows the actions this person may take, from `request_section`."""

import html

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobhelp.intake import rules
from jobhelp.intake.enums import FINISHED_STATES, OPEN_STATES
from jobhelp.intake.forms import AssignForm, CloseForm, ContactAttemptForm, ResolveForm
from jobhelp.intake.models import HelpRequest, RequestNeed
from jobhelp.intake.queries import (
    QueueScope,
    for_queue_page,
    need_codes,
    queue_for_user,
    queue_scope,
)
from jobhelp.intake.routing import HelperPool, pool_for_requests
from jobhelp.intake.triage import (
    TriageError,
    assign_request,
    claim_request,
    close_request,
    log_contact_attempt,
    reopen_request,
    resolve_request,
)
from jobhelp.organizations.queries import open_location_names
from jobhelp.scheduling.finishing import finish_request, upcoming_appointments
from jobhelp.scheduling.queries import my_requests
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import (
    follow_ups_box,
    form_errors,
    next_or,
    page_of,
    referrals_waiting_box,
    request_or_404,
    results_page,
)
from jobhelp.staff.forms.triage import QueueFilterForm


def _labeller():
    """A function giving a request's choice labels, as get_FOO_display() gives them, from
    tables built and translated once per page: get_FOO_display() rebuilds and translates the
    whole list of choices on every call, which a page of rows would do a hundred times over."""
    tables = {
        name: {value: str(label) for value, label in HelpRequest._meta.get_field(name).flatchoices}
        for name in ("state", "language", "modality", "channel")
    }
    needs = {value: str(label) for value, label in RequestNeed._meta.get_field("need").flatchoices}

    def labels(help_request: HelpRequest, codes=None) -> dict:
        if codes is None:
            codes = [n.need for n in help_request.needs.all()]
        return {
            "needs": [needs.get(code, code) for code in codes],
            **{
                name: table.get(getattr(help_request, name), getattr(help_request, name))
                for name, table in tables.items()
            },
        }

    return labels


def _request_urls(*names: str):
    """A function giving, for a reference, the URLs of these request pages. Each is reversed
    once per page and the reference filled in: three reverse() calls a row cost about as much
    as printing the row. References are letters and digits, which need no quoting."""
    marker = "REFERENCE"
    patterns = [reverse(name, args=[marker]) for name in names]
    return lambda reference: [pattern.replace(marker, reference) for pattern in patterns]


_OFFERED = (
    '<li class="jh-line"><strong>{}</strong> '
    '<span class="jh-reason jh-reason--inline">{}</span></li>'
)
_OPTION = '<option value="{}">{}</option>'


def _html_join(pattern: str, items: list[tuple]) -> SafeString:
    """`pattern` filled with each item's values, escaped as the template escapes them (the
    standard library's escape: Django's adds a lazy-string check a call), one after another."""
    return mark_safe("".join(pattern.format(*map(html.escape, values)) for values in items))


def _queue_rows(user, requests, *, pool: HelperPool, scope: QueueScope) -> list[dict]:
    """Each request with its suggested helpers, whether the user may assign or claim, its
    choice labels, and the text and links of its row, ready to print."""
    labels = _labeller()
    urls = _request_urls("staff:requests:detail", "staff:triage:assign", "staff:triage:claim")
    anywhere = _("Any library / remote")
    # One clock for the page (timesince would read the system's for every row).
    now = timezone.now()
    rows = []
    for r in requests:
        codes = need_codes(r)
        row_labels = labels(r, codes)
        suggestions = pool.suggest(r, needs=codes)
        can_assign = r.organization_id in scope.assigning_ids
        detail_url, assign_url, claim_url = urls(r.reference)
        duplicate = r.possible_duplicate_of
        offers = [(str(s.helper.pk), str(s.helper), ", ".join(s.reasons)) for s in suggestions]
        rows.append(
            {
                "req": r,
                "suggestions": suggestions,
                "offers": offers,
                # The list items of the suggested helpers and the select's options, as the
                # template printed them in two loops of its own, which cost more than the row.
                "offered": _html_join(_OFFERED, [(name, reasons) for _pk, name, reasons in offers]),
                "options": _html_join(_OPTION, [(pk, name) for pk, name, _reasons in offers]),
                "can_assign": can_assign,
                "can_claim": r.assigned_to_id is None and pool.is_candidate(user, r, needs=codes),
                "labels": row_labels,
                "reference": r.reference,
                "display_reference": r.display_reference,
                "url": detail_url,
                "assign_url": assign_url,
                "claim_url": claim_url,
                # A duplicate at a sibling branch is none of this person's business.
                "duplicate_of": _("Maybe same person as %(ref)s")
                % {"ref": duplicate.display_reference}
                if duplicate and duplicate.organization_id in scope.organization_ids
                else "",
                "received": timezone.localtime(r.created_at).isoformat(),
                "waiting": timesince(r.created_at, now),
                "needs": ", ".join(row_labels["needs"]),
                "details": " · ".join(
                    [
                        row_labels["language"],
                        row_labels["modality"],
                        r.preferred_location.name if r.preferred_location else anywhere,
                        row_labels["channel"],
                    ]
                ),
                "assignee": str(r.assigned_to) if r.assigned_to else "",
                "state": row_labels["state"],
                # The queue offers the suggested helpers; anyone else is chosen on the
                # request's page. A request someone has is reassigned there too, with a note.
                "can_assign_here": can_assign and not r.assigned_to_id and bool(suggestions),
                "can_assign_other": can_assign and not r.assigned_to_id,
                "assign_label": _("Assign %(reference)s to") % {"reference": r.display_reference},
            }
        )
    return rows


@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests with their suggested helpers. Worked out afresh on every load, in a
    fixed number of queries (tests/staff/test_queue_page.py counts them); htmx asks for the
    results alone when a filter changes."""
    scope = queue_scope(request.user)
    # One pool for the page: it ranks the rows and names the helpers the filter offers.
    pool = HelperPool(scope.pool_ids)
    filters = QueueFilterForm(
        request.GET or None,
        locations=open_location_names(scope.organization_ids),
        helpers=pool.staff_of(scope.organization_ids),
    )
    requests = for_queue_page(queue_for_user(request.user, scope=scope))
    if filters.is_valid():
        requests = filters.apply(requests, user=request.user)
    page = page_of(request, requests, 25)
    scope.attach_organizations(page)
    context = {
        "page": page,
        "filters": filters,
        "rows": _queue_rows(request.user, page, pool=pool, scope=scope),
        "next_url": request.get_full_path(),
    }
    return results_page(request, "staff/triage/queue.html", context)


@staff_member_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = my_requests(request.user)
    labels = _labeller()
    for row in rows:
        row.request.labels = labels(row.request)
    return render(
        request,
        "staff/triage/mine.html",
        {"rows": rows, **follow_ups_box(request), **referrals_waiting_box(request)},
    )


def _back(request, help_request):
    return next_or(request, reverse("staff:requests:detail", args=[help_request.reference]))


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
    help_request = request_or_404(request.user, reference)
    form = AssignForm(request.POST, help_request=help_request)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
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
    help_request = request_or_404(request.user, reference)
    return _act(
        request,
        help_request,
        lambda: claim_request(help_request, by=request.user),
        _("The request is yours."),
    )


@staff_member_required
@require_POST
def contact(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = request_or_404(request.user, reference)
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
    help_request = request_or_404(request.user, reference)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid_message)
        return _back(request, help_request)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        help_request,
        lambda: finish_request(
            help_request,
            by=request.user,
            finish=lambda: finish(help_request, by=request.user, reason=reason),
            cancel_upcoming=form.cleaned_data["cancel_upcoming"],
        ),
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
    help_request = request_or_404(request.user, reference)
    return _act(
        request, help_request, lambda: reopen_request(help_request, by=request.user), _("Reopened.")
    )


def request_section(request: HttpRequest, help_request) -> dict:
    """The actions the request page offers this user, given what they may do
    (staff/triage/includes/request_section.html).

    Each form gets ids of its own: the forms share field names (`note`, `reason`), and with
    Django's default ids a label would point at another form's field. The names, and so what
    the actions read, stay as they are.
    """
    user = request.user
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
        # Finishing asks whether to cancel these (scheduling.finishing).
        "upcoming": upcoming_appointments(help_request) if can_work and is_open else [],
        "can_reopen": can_work
        and help_request.state in FINISHED_STATES
        and help_request.erased_at is None,
        "suggestions": pool_for_requests([help_request]).suggest(help_request)
        if can_assign and is_open
        else [],
        "queue_url": reverse("staff:triage:queue"),
    }
