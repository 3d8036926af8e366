"""The towns and ZIP codes of the area, with the coordinates of their centers: what a visitor
types on /computers/ ("near a ZIP") and in the directory's search, so no outside map service is
asked. Any staff read the list; managers add a place or move one (the same town and ZIP code
again), through directory.domain.save_place, or remove one (directory.domain.remove_place,
refused while it is the only entry for an open location's ZIP code); both audited, raising the
computers version."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.directory import domain, queries, rules
from jobhelp.directory.domain import DirectoryError
from jobhelp.directory.models import Place
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import PlaceForm


@staff_member_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    may_edit = rules.can_manage_places(request.user)
    form, status = None, 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                place = domain.save_place(by=request.user, **form.cleaned_data)
            except DirectoryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(town)s %(zip)s is saved.")
                    % {"town": place.name, "zip": place.postal_code},
                )
                return redirect("staff:directory:places")
        status = 400
    elif may_edit:
        form = PlaceForm()
    return render(
        request,
        "staff/directory/places.html",
        {"places": queries.places_list(), "form": form},
        status=status,
    )


@staff_member_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers: remove a town and ZIP code; a refusal says why, nothing removed."""
    if not rules.can_manage_places(request.user):
        raise PermissionDenied
    place = Place.objects.filter(pk=pk).first()
    if place is None:
        raise Http404
    try:
        domain.remove_place(place, by=request.user)
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(town)s %(zip)s is removed.") % {"town": place.name, "zip": place.postal_code},
        )
    return redirect("staff:directory:places")
