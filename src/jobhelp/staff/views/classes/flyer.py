"""A class's flyer, served by a view of its own rather than from MEDIA_ROOT."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.workshops import flyers
from jobhelp.workshops.models import Workshop

# A flyer is a document, not a page of ours: it may show itself and nothing else.
FLYER_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],
    "object-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


@staff_member_required
@require_GET
@csp_override(FLYER_CSP)
def class_flyer(request: HttpRequest, pk: int) -> HttpResponse:
    """A class's flyer, for staff of any partner (not scoped to the user's organizations: the
    partnership shares its materials). Its type comes from its content, never its name."""
    workshop = get_object_or_404(Workshop.objects.exclude(flyer=""), pk=pk)
    try:
        kind = flyers.kind_of_stored(workshop.flyer)
        stored = workshop.flyer.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if kind is None:
        stored.close()
        raise Http404
    response = FileResponse(stored, content_type=kind.content_type)
    response["Content-Disposition"] = f'inline; filename="flyer.{kind.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=300)
    return response
