"""The organization's directory entries, and a partner's entry as staff see it (with the
staff-only details); creating and editing an entry, its staff-only details and its hours at a
place, and "checked, still right"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.directory import domain, queries, rules
from jobhelp.directory.display import service_labels, weekly_lines
from jobhelp.directory.domain import DirectoryError
from jobhelp.directory.forms import ServiceForm, StaffDetailsForm
from jobhelp.directory.models import ServiceStaffDetails
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import OrganizationChoiceForm, WeeklyHoursForm


def _editable_or_404(user, service_id):
    service = queries.service_for_user(user, service_id)
    if service is None:
        raise Http404
    return service


@staff_member_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The entries of the organizations the person acts for, flagged when not reviewed for a
    year; then the partners' listed entries, to open with their staff-only details."""
    today = timezone.localdate()
    own = list(queries.services_for_user(request.user))
    due = set(
        queries.due_for_review_for_user(request.user, today=today).values_list("pk", flat=True)
    )
    partners = (
        queries.listed_services()
        .exclude(organization__in=organizations_for(request.user))
        .order_by("organization__name", "name", "pk")
    )
    return render(
        request,
        "staff/directory/index.html",
        {
            "rows": [{"service": s, "due": s.pk in due} for s in own],
            "due_count": len(due),
            "partners": partners,
            "may_create": organizations_for(request.user).exists(),
        },
    )


@staff_member_required
@require_GET
def detail(request: HttpRequest, service_id: str) -> HttpResponse:
    """Any partner's entry, with its staff-only details; edit buttons for its own staff."""
    page = queries.internal_service_page(request.user, service_id, now=timezone.now())
    if page is None:
        raise Http404
    service = page.service
    return render(
        request,
        "staff/directory/detail.html",
        {
            "page": page,
            "service": service,
            **service_labels(service),
            "places": [
                {"hours": hours, "weekly": weekly_lines(hours.weekly)} for hours in page.places
            ],
            "details": page.staff_details,
            "may_edit": rules.can_edit_service(request.user, service),
            "due": service.pk
            in set(
                queries.due_for_review_for_user(
                    request.user, today=timezone.localdate()
                ).values_list("pk", flat=True)
            ),
        },
    )


def _save(request, form, *, service=None, organization=None):
    """Create or update the entry and its places; a DirectoryError goes on the form."""
    try:
        if service is None:
            service = domain.create_service(organization, by=request.user, **form.service_fields())
        else:
            service, _changed = domain.update_service(
                service, by=request.user, **form.service_fields()
            )
        domain.set_service_locations(
            service, by=request.user, locations=form.cleaned_data["locations"]
        )
    except DirectoryError as error:
        form.add_error(None, str(error))
        return None
    return service


@staff_member_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for(request.user).order_by("name", "pk")
    if not organizations.exists():
        raise PermissionDenied
    locations = queries.offered_locations()
    data = request.POST if request.method == "POST" else None
    chooser = OrganizationChoiceForm(
        data, organizations=organizations, initial={"organization": organizations.first()}
    )
    form = ServiceForm(data, locations=locations, initial={"is_free": True, "status": "active"})
    if data is not None and chooser.is_valid() and form.is_valid():
        with transaction.atomic():
            service = _save(request, form, organization=chooser.cleaned_data["organization"])
            if service is None:
                transaction.set_rollback(True)
        if service is not None:
            messages.success(request, _("The entry is saved."))
            return redirect("staff:directory:detail", service.uuid)
    return render(
        request,
        "staff/directory/service_form.html",
        {"form": form, "chooser": chooser, "service": None},
        status=400 if data is not None else 200,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _editable_or_404(request.user, service_id)
    locations = queries.offered_locations()
    if request.method != "POST":
        form = ServiceForm(initial=ServiceForm.initial_for(service), locations=locations)
        return render(
            request, "staff/directory/service_form.html", {"form": form, "service": service}
        )
    form = ServiceForm(request.POST, locations=locations)
    if form.is_valid():
        with transaction.atomic():
            saved = _save(request, form, service=service)
            if saved is None:
                transaction.set_rollback(True)
        if saved is not None:
            messages.success(request, _("The entry is saved."))
            return redirect("staff:directory:detail", service.uuid)
    return render(
        request,
        "staff/directory/service_form.html",
        {"form": form, "service": service},
        status=400,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def staff_details(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _editable_or_404(request.user, service_id)
    if request.method != "POST":
        details = ServiceStaffDetails.objects.filter(service=service).first()
        initial = (
            {name: getattr(details, name) for name in domain.STAFF_DETAIL_FIELDS} if details else {}
        )
        form = StaffDetailsForm(initial=initial)
        return render(
            request, "staff/directory/staff_details.html", {"form": form, "service": service}
        )
    form = StaffDetailsForm(request.POST)
    if form.is_valid():
        try:
            domain.set_staff_details(service, by=request.user, **form.cleaned_data)
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The details for partners' staff are saved."))
            return redirect("staff:directory:detail", service.uuid)
    return render(
        request,
        "staff/directory/staff_details.html",
        {"form": form, "service": service},
        status=400,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest, service_id: str, location: int) -> HttpResponse:
    """The service's own weekly hours at one of its places; none: the location's hours."""
    service = _editable_or_404(request.user, service_id)
    at = service.places.select_related("location").filter(location_id=location).first()
    if at is None:
        raise Http404
    if request.method != "POST":
        form = WeeklyHoursForm(
            initial=WeeklyHoursForm.initial_for(at.hours.values_list("weekday", "opens", "closes"))
        )
        return render(
            request, "staff/directory/hours.html", {"form": form, "service": service, "at": at}
        )
    form = WeeklyHoursForm(request.POST)
    if form.is_valid():
        try:
            domain.set_service_hours(at, by=request.user, hours=form.intervals())
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The hours are saved."))
            return redirect("staff:directory:detail", service.uuid)
    return render(
        request,
        "staff/directory/hours.html",
        {"form": form, "service": service, "at": at},
        status=400,
    )


@staff_member_required
@require_POST
def review(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _editable_or_404(request.user, service_id)
    domain.mark_reviewed(service, by=request.user)
    messages.success(request, _("Marked as checked today."))
    return redirect("staff:directory:detail", service.uuid)
