"""The towns and ZIP codes of the area, with the coordinates of their centers: what a visitor
types on /computers/ ("near a ZIP") and in the directory's search, so no outside map service is
asked. Any staff read the list; managers add a place or move one (the same town and ZIP code
again), through directory.domain.save_place, or remove one (directory.domain.remove_place,
refused while it is the only entry for an open location's ZIP code); both audited, raising the
computers version."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.directory import domain, queries
from jobhelp.directory.models import Place
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import PlaceForm
from jobhelp.staff.views.directory.lookups import list_and_add, remove_from_list


def _named(place) -> dict:
    return {"town": place.name, "zip": place.postal_code}


@staff_member_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    return list_and_add(
        request,
        form_class=PlaceForm,
        save=domain.save_place,
        saved=lambda place: _("%(town)s %(zip)s is saved.") % _named(place),
        back="staff:directory:places",
        template="staff/directory/places.html",
        context={"places": queries.places_list()},
    )


@staff_member_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers: remove a town and ZIP code; a refusal says why, nothing removed."""
    return remove_from_list(
        request,
        Place,
        pk,
        remove=domain.remove_place,
        removed=lambda place: _("%(town)s %(zip)s is removed.") % _named(place),
        back="staff:directory:places",
    )
