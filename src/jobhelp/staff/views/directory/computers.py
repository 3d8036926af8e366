"""A location's public computers from the staff side: the one-click count ("now: 14 of 16 in
use, 3 waiting", sized for a desk phone), what the computers have, and the kiosks' secrets.
Locations of the organizations the person acts for; others are a 404."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.directory import queries, waits
from jobhelp.directory.computers import (
    CountError,
    issue_kiosk,
    record_count,
    set_public_computers,
)
from jobhelp.directory.display import software_labels
from jobhelp.directory.forms import CountForm, PublicComputersForm
from jobhelp.directory.models import PublicComputers
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.directory.lookups import location_or_404


@staff_member_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Each of the person's locations with its latest count and wait, and a count form."""
    now = timezone.now()
    overview = {row.location_id: row for row in waits.computer_overview(now=now)}
    rows = [
        {"location": location, "row": overview.get(location.pk)}
        for location in queries.locations_for_user(request.user)
    ]
    return render(request, "staff/directory/computers.html", {"rows": rows})


def _count_page(request, location, form, *, status=200):
    row = waits.location_computers(location.pk, now=timezone.now())
    return render(
        request,
        "staff/directory/count.html",
        {"location": location, "row": row, "form": form},
        status=status,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """The count form; a count that cannot be right stays on the form, nothing written."""
    location = location_or_404(request.user, pk)
    if request.method != "POST":
        # Filled in with the last count of the hour, so a small change is one edit and a click.
        row = waits.location_computers(location.pk, now=timezone.now())
        last = row.estimate if row and row.estimate.in_use is not None else None
        initial = {"in_use": last.in_use, "waiting": last.waiting} if last else {}
        return _count_page(request, location, CountForm(initial=initial))
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            saved = record_count(
                location,
                by=request.user,
                in_use=form.cleaned_data["in_use"],
                waiting=form.cleaned_data["waiting"],
            )
        except CountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved: %(in_use)s of %(computers)s in use, %(waiting)s waiting.")
                % {
                    "in_use": saved.in_use,
                    "computers": saved.computers,
                    "waiting": saved.waiting,
                },
            )
            return redirect("staff:directory:count", location.pk)
    return _count_page(request, location, form, status=400)


@staff_member_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """How many public computers and what they have; a kiosk's address, shown once."""
    location = location_or_404(request.user, pk)
    current = PublicComputers.objects.filter(location=location).first()
    if request.method == "POST":
        form = PublicComputersForm(request.POST)
        if form.is_valid():
            try:
                set_public_computers(location, by=request.user, **form.cleaned_data)
            except CountError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The computers are saved."))
                return redirect("staff:directory:computers")
        status = 400
    else:
        initial = (
            {
                "count": current.count,
                "software": current.software,
                "printing": current.printing,
                "scanning": current.scanning,
                "wifi": current.wifi,
            }
            if current
            else {}
        )
        form, status = PublicComputersForm(initial=initial), 200
    return render(
        request,
        "staff/directory/setup.html",
        {
            "location": location,
            "form": form,
            "software": software_labels(current.software) if current else [],
            "kiosks": location.kiosk_tokens.filter(revoked_at__isnull=True).order_by("name", "pk"),
        },
        status=status,
    )


@staff_member_required
@require_POST
def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """A new kiosk for the location: its address is shown once, on this page."""
    location = location_or_404(request.user, pk)
    kiosk_row, token = issue_kiosk(location, by=request.user, name=request.POST.get("name", ""))
    address = request.build_absolute_uri(
        reverse("public:directory:kiosk", args=[location.uuid, token])
    )
    response = render(
        request,
        "staff/directory/kiosk_issued.html",
        {"location": location, "kiosk": kiosk_row, "address": address},
    )
    # The address is the kiosk's key: not kept by the browser's cache.
    response["Cache-Control"] = "no-store"
    return response


USE_DAYS = 7


@staff_member_required
@require_GET
def use(request: HttpRequest) -> HttpResponse:
    """Managers: computer use and people waiting by location and hour over the last week, each
    hour on the location's clock (waits.computer_use_by_hour)."""
    if not organizations_for(request.user, roles=MANAGING_ROLES).exists():
        raise PermissionDenied
    until = timezone.now()
    hours = waits.computer_use_by_hour(
        request.user, since=until - timedelta(days=USE_DAYS), until=until
    )
    zones = {location.pk: location.zone for location in queries.locations_for_user(request.user)}
    rows = [
        {
            "hour": hour,
            "local": hour.hour.astimezone(zones[hour.location_id])
            if hour.location_id in zones
            else hour.hour,
        }
        for hour in hours
    ]
    return render(request, "staff/directory/use.html", {"rows": rows, "days": USE_DAYS})
