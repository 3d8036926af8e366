"""The directory for partners' systems: the entries of the token owner's organizations (as
the staff list shows them), any entry as staff see it (with the staff-only details for the
offering organization's partners only, directory.rules.sees_staff_details), their locations
with the computers' wait, and a count of computers in use and people waiting posted by a
reservation system. Staff token required.

A count goes through the same form and domain function as the desk's (directory.forms.
CountForm, directory.computers.record_count, with source `api`): a location of another
organization is a 404, a count that cannot be right a 422; nothing is written either way.
"""

from django.http import Http404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut
from jobhelp.api.directory.schemas import (
    CountIn,
    CountOut,
    LocationOut,
    ServiceDetailOut,
    ServiceOut,
)
from jobhelp.directory import queries, waits
from jobhelp.directory.computers import CountError, record_count
from jobhelp.directory.enums import CountSource
from jobhelp.directory.forms import CountForm

router = Router(tags=["directory"])


class ServicePagination(PageNumberPagination):
    """Pages of entries, with the ids of those due for review read once per page."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        due = set(
            queries.due_for_review_for_user(request.user, today=timezone.localdate()).values_list(
                "pk", flat=True
            )
        )
        page["items"] = [_service_out(s, due) for s in page["items"]]
        return page


def _service_out(service, due: set[int]) -> dict:
    return {
        "id": str(service.uuid),
        "name": service.name,
        "organization": service.organization.name,
        "status": service.status,
        "needs": service.needs,
        "access": service.access,
        "languages": service.languages,
        "reviewed_on": service.reviewed_on.isoformat() if service.reviewed_on else None,
        "due_for_review": service.pk in due,
        "locations": [str(at.location.uuid) for at in service.places.all()],
    }


@router.get("/directory/services", response=list[ServiceOut])
@paginate(ServicePagination, page_size=50)
def list_services(request):
    """The entries of the organizations the token's owner acts for, any status."""
    return queries.services_for_user(request.user)


@router.get("/directory/services/{service_id}", response={200: ServiceDetailOut, 404: ErrorOut})
def get_service(request, service_id: str):
    """One entry as staff see it (directory.queries.internal_service_page): for the offering
    organization's staff and its partners under an agreement, any status with the staff-only
    details; for other staff a listed entry with `staff_details` null; otherwise a 404."""
    page = queries.internal_service_page(request.user, service_id, now=timezone.now())
    if page is None:
        raise Http404
    service = page.service
    details = page.staff_details
    return {
        "id": str(service.uuid),
        "name": service.name,
        "organization": service.organization.name,
        "status": service.status,
        "description": service.description,
        "needs": service.needs,
        "access": service.access,
        "languages": service.languages,
        "locations": [str(hours.location.uuid) for hours in page.places],
        "staff_details": (
            {
                "direct_line": details.direct_line,
                "referral_contact": details.referral_contact,
                "referral_email": details.referral_email,
                "notes_for_referrers": details.notes_for_referrers,
            }
            if details is not None
            else None
        ),
    }


@router.get("/directory/locations", response=list[LocationOut])
def list_locations(request):
    """The owner's organizations' locations, with their computers and the wait now."""
    overview = {row.location_id: row for row in waits.computer_overview(now=timezone.now())}
    out = []
    for location in queries.locations_for_user(request.user):
        row = overview.get(location.pk)
        out.append(
            {
                "id": str(location.uuid),
                "name": location.name,
                "organization": location.organization.name,
                "computers": row.computers if row else 0,
                "wait": row.estimate.status if row else None,
                "wait_minutes": row.estimate.minutes if row else None,
                "counted_at": row.estimate.counted_at if row else None,
            }
        )
    return out


@router.post(
    "/directory/locations/{location_id}/counts",
    response={201: CountOut, 404: ErrorOut, 422: ErrorOut},
)
def post_count(request, location_id: str, payload: CountIn):
    """'Now: 14 of 16 in use, 3 waiting', from a reservation system."""
    location = queries.public_location(location_id)
    if location is None or queries.location_for_user(request.user, location.pk) is None:
        raise Http404
    form = CountForm(payload.dict())
    if not form.is_valid():
        return invalid(form)
    try:
        count = record_count(
            location,
            by=request.user,
            in_use=form.cleaned_data["in_use"],
            waiting=form.cleaned_data["waiting"],
            source=CountSource.API,
        )
    except CountError as error:
        return Status(422, {"detail": str(error), "errors": {"__all__": [str(error)]}})
    return Status(
        201,
        {
            "location": str(location.uuid),
            "in_use": count.in_use,
            "waiting": count.waiting,
            "computers": count.computers,
            "recorded_at": count.recorded_at,
        },
    )
