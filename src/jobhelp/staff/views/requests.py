"""The request list, a request taken on the phone, and the request page.

The request page is the one page made of other areas' sections: below the request, what triage
offers (claim, assign, log a call, finish), the appointments, the help given and the referrals.
Each of those areas gives its section through its `request_section(request, help_request)`,
drawn by its own template (staff/<area>/includes/request_section.html); nothing else of theirs
is imported here.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.audit import entries_for
from jobhelp.intake.domain import submit_request
from jobhelp.intake.forms import StaffHelpRequestForm
from jobhelp.intake.queries import requests_for_user, visible_duplicate
from jobhelp.notifications.outbox import messages_for
from jobhelp.organizations.models import Location
from jobhelp.privacy.domain import accesses_for, record_access
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import page_of, request_or_404, results_page
from jobhelp.staff.forms.requests import RequestFilterForm
from jobhelp.staff.views.appointments import request_section as appointments_section
from jobhelp.staff.views.casework import request_section as help_sessions_section
from jobhelp.staff.views.referrals import request_section as referrals_section
from jobhelp.staff.views.triage import request_section as triage_section


@staff_member_required
def request_list(request: HttpRequest) -> HttpResponse:
    requests = requests_for_user(request.user)
    filters = RequestFilterForm(request.GET or None, organizations=organizations_for(request.user))
    if filters.is_valid():
        requests = filters.apply(requests)
    page = page_of(request, requests.order_by("-created_at", "-pk"), 25)
    return results_page(request, "staff/requests/list.html", {"page": page, "filters": filters})


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
            return redirect("staff:requests:detail", reference=help_request.reference)
    else:
        form = StaffHelpRequestForm(organizations=organizations, locations=locations)
    return render(request, "staff/requests/new.html", {"form": form})


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
    help_request = request_or_404(request.user, reference)
    record_access(help_request, by=request.user)
    return render(
        request,
        "staff/requests/detail.html",
        {
            "req": help_request,
            "history": _history(help_request),
            "duplicate": visible_duplicate(request.user, help_request),
            "messages_sent": messages_for(help_request),
            "attempts": help_request.contact_attempts.select_related("by"),
            "notes": help_request.notes.select_related("author"),
            "accesses": accesses_for(request.user, help_request),
            **triage_section(request, help_request),
            **appointments_section(request, help_request),
            **help_sessions_section(request, help_request),
            **referrals_section(request, help_request),
        },
    )
