"""Where a visitor is: a town or ZIP code of the area's list (directory.models.Place), and how
far that is from a location. No outside map service is asked; distances are great-circle
distances between coordinates, which is what "nearest" needs in a county."""

import math
import re

from django.utils.translation import gettext as _

from jobhelp.directory.models import Place

EARTH_RADIUS_KM = 6371.0
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")


class PlaceUnknown(ValueError):
    """The town or ZIP code is not in the area's list; the message says so."""


def find_place(text: str) -> Place:
    """The place a visitor typed: a five-digit ZIP code (ZIP+4 too) or a town's name, in any
    case. One query. Raises PlaceUnknown for anything not in the list."""
    text = " ".join((text or "").split())
    if not text:
        raise PlaceUnknown(_("Enter a town or a ZIP code."))
    match = _ZIP.match(text)
    if match:
        place = Place.objects.filter(postal_code=match.group(1)).order_by("name", "pk").first()
        if place is None:
            raise PlaceUnknown(
                _("We do not know the ZIP code %(zip)s. Check it, or enter your town.")
                % {"zip": match.group(1)}
            )
        return place
    place = Place.objects.filter(name__iexact=text).order_by("postal_code", "pk").first()
    if place is None:
        raise PlaceUnknown(
            _("We do not know a town called %(town)s here. Check it, or enter your ZIP code.")
            % {"town": text}
        )
    return place


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
