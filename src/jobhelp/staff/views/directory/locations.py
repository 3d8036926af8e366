"""A location's directory details from the staff side: its coordinates (used by the nearest
free computer on /computers/) and accessibility notes, and the exceptions to its hours (a
holiday closure, special hours), each on the location's own clock. Locations of the
organizations the person acts for; others are a 404. Changes through directory.domain
(audited, raising the directory and computers versions)."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.directory import domain, queries
from jobhelp.directory.domain import DirectoryError
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import (
    HoursExceptionForm,
    LocationDetailsForm,
    RemoveExceptionForm,
)
from jobhelp.staff.views.directory.lookups import location_or_404


@staff_member_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The person's locations: coordinates set or not, and the coming exceptions."""
    since = timezone.now().date() - timedelta(days=1)
    return render(
        request,
        "staff/directory/locations.html",
        {"locations": queries.locations_with_exceptions_for_user(request.user, since=since)},
    )


def _page(request, location, *, details=None, exception=None, status=200):
    details = details or LocationDetailsForm(
        initial={
            "latitude": location.latitude,
            "longitude": location.longitude,
            "accessibility": location.accessibility,
        }
    )
    return render(
        request,
        "staff/directory/location.html",
        {
            "location": location,
            "details": details,
            "exception": exception or HoursExceptionForm(),
            "exceptions": queries.coming_exceptions(location, now=timezone.now()),
            "zone": location.time_zone,
        },
        status=status,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The location's coordinates and accessibility; its exceptions. A wrong coordinate stays
    on the form with its error, nothing written."""
    location = location_or_404(request.user, pk)
    if request.method != "POST":
        return _page(request, location)
    form = LocationDetailsForm(request.POST)
    if form.is_valid():
        try:
            changed = domain.set_location_details(location, by=request.user, **form.cleaned_data)
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(request, _("The location's details are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("staff:directory:location", location.pk)
    return _page(request, location, details=form, status=400)


@staff_member_required
@require_POST
def add_exception(request: HttpRequest, pk: int) -> HttpResponse:
    """Closed on a date, or open other hours, on the location's clock; the same date again
    replaces it."""
    location = location_or_404(request.user, pk)
    form = HoursExceptionForm(request.POST)
    if form.is_valid():
        try:
            saved = domain.set_hours_exception(location, by=request.user, **form.cleaned_data)
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved for %(date)s.") % {"date": date_format(saved.on, "DATE_FORMAT")},
            )
            return redirect("staff:directory:location", location.pk)
    return _page(request, location, exception=form, status=400)


@staff_member_required
@require_POST
def remove_exception(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the weekly hours on that date."""
    location = location_or_404(request.user, pk)
    form = RemoveExceptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a date from the list."))
    elif domain.remove_hours_exception(location, by=request.user, on=form.cleaned_data["on"]):
        messages.success(
            request,
            _("Back to the weekly hours on %(date)s.")
            % {"date": date_format(form.cleaned_data["on"], "DATE_FORMAT")},
        )
    else:
        messages.info(request, _("There was no exception on that date."))
    return redirect("staff:directory:location", location.pk)
