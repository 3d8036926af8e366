from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.audit import entries_for
from jobhelp.intake.domain import submit_request
from jobhelp.intake.enums import OPEN_STATES, RequestState
from jobhelp.intake.forms import StaffHelpRequestForm
from jobhelp.intake.queries import (
    find_request_for_user,
    overdue_count,
    requests_for_user,
    visible_duplicate,
)
from jobhelp.notifications.outbox import messages_for
from jobhelp.organizations.models import Location
from jobhelp.staff.appointment_views import request_appointments
from jobhelp.staff.casework_views import home_casework, request_sessions
from jobhelp.staff.decorators import staff_member_required
from jobhelp.staff.forms import ApiTokenForm, RequestFilterForm
from jobhelp.staff.report_views import home_reports
from jobhelp.staff.triage_views import action_forms


@staff_member_required
def home(request: HttpRequest) -> HttpResponse:
    visible = requests_for_user(request.user)
    return render(
        request,
        "staff/home.html",
        {
            "recent": visible.order_by("-created_at", "-pk")[:10],
            "new_count": visible.filter(state=RequestState.NEW).count(),
            "overdue_count": overdue_count(request.user),
            "mine_count": visible.filter(assigned_to=request.user, state__in=OPEN_STATES).count(),
            "memberships": request.user.memberships.select_related("organization").order_by(
                "organization__name", "role"
            ),
            **home_casework(request),
            **home_reports(request),
        },
    )


@staff_member_required
def request_list(request: HttpRequest) -> HttpResponse:
    requests = requests_for_user(request.user)
    filters = RequestFilterForm(request.GET or None, organizations=organizations_for(request.user))
    if filters.is_valid():
        requests = filters.apply(requests)
    page = Paginator(requests.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    # On "Back" with an empty history cache htmx asks again, with HX-Request set, and puts the
    # answer in place of the whole body: that answer must be the full page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "staff/request_list.html#results" if partial else "staff/request_list.html"
    response = render(request, template, {"page": page, "filters": filters})
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@staff_member_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for(request.user).order_by("name")
    locations = (
        Location.objects.filter(organization__in=organizations, is_active=True)
        .select_related("organization")
        .order_by("name")
    )
    if request.method == "POST":
        form = StaffHelpRequestForm(request.POST, organizations=organizations, locations=locations)
        if form.is_valid():
            help_request = submit_request(
                organization=form.cleaned_data["organization"],
                details=form.details(),
                channel=form.cleaned_data["channel"],
                taken_by=request.user,
            )
            messages.success(
                request,
                _("Request saved. Read the reference code back to the caller: %(reference)s")
                % {"reference": help_request.display_reference},
            )
            return redirect("staff:request_detail", reference=help_request.reference)
    else:
        form = StaffHelpRequestForm(organizations=organizations, locations=locations)
    return render(request, "staff/request_new.html", {"form": form})


def _history(help_request):
    """Audit entries with the person a request was given to, looked up in one query."""
    entries = list(entries_for(help_request))
    ids = {e.data.get("to") for e in entries if isinstance(e.data.get("to"), int)}
    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=ids)}
    for entry in entries:
        entry.target_name = names.get(entry.data.get("to"), "")
    return entries


@staff_member_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = find_request_for_user(request.user, reference)
    if help_request is None:
        raise Http404
    return render(
        request,
        "staff/request_detail.html",
        {
            "req": help_request,
            "history": _history(help_request),
            "duplicate": visible_duplicate(request.user, help_request),
            "messages_sent": messages_for(help_request),
            "attempts": help_request.contact_attempts.select_related("by"),
            "notes": help_request.notes.select_related("author"),
            **action_forms(request.user, help_request),
            **request_appointments(request, help_request),
            **request_sessions(request, help_request),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = create_api_token(
            request.user, name=form.cleaned_data["name"], by=request.user
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request, "staff/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@staff_member_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)
    revoke_api_token(token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("staff:api_tokens")
