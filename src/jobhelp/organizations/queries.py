"""Public reads of organizations. Which organizations a staff member acts for is
accounts.tenancy's to say."""

from django.db.models import Q, QuerySet

from jobhelp.core.prepared import Prepared
from jobhelp.organizations.models import Location, Organization


def public_organization(slug: str = "") -> Organization | None:
    """The organization whose public form is shown at /help/ (or /help/<slug>/)."""
    candidates = Organization.objects.filter(accepts_public_requests=True)
    if slug:
        return candidates.filter(slug=slug).first()
    return candidates.filter(parent__isnull=True).order_by("pk").first()


def front_doors() -> list[Organization]:
    """The organizations with a public form of their own, each linked from the home page: the
    library system and each partner (a workforce center), never a branch (a branch's patrons
    use its library system's form and choose the branch there)."""
    return list(
        Organization.objects.filter(accepts_public_requests=True, parent__isnull=True).order_by(
            "pk"
        )
    )


def locations_for_public_form(organization: Organization) -> QuerySet[Location]:
    """The open locations of an organization and of its branches and affiliates."""
    return (
        Location.objects.filter(is_active=True)
        .filter(Q(organization=organization) | Q(organization__parent=organization))
        .select_related("organization")
        .order_by("name")
    )


def _open_locations(organization_ids: list[int]):
    return (
        Location.objects.filter(organization_id__in=organization_ids, is_active=True)
        .order_by("name")
        .values_list("pk", "name")
    )


# Built once per process and number of organizations (core.prepared): the queue's filter
# reads it on every load.
_OPEN_LOCATIONS = Prepared(_open_locations, organization_ids=list)


def open_location_names(organization_ids) -> list[tuple[int, str]]:
    """(id, name) of the open locations of these organizations, by name: for a list to choose
    from. The caller has checked that the person acts for these organizations."""
    return _OPEN_LOCATIONS.rows(organization_ids=sorted(organization_ids))


def phone_for_patrons(organization: Organization | None) -> str:
    """The one number a patron helped by `organization` is given to call: the organization's
    own; else that of its first open location that has one (a branch is reached at its
    library); else its library system's. Never the library system's when a branch or the
    workforce center that helps has a number of its own."""
    if organization is None:
        return ""
    if organization.phone:
        return organization.phone
    at_a_location = (
        Location.objects.filter(organization=organization, is_active=True)
        .exclude(phone="")
        .order_by("name", "pk")
        .values_list("phone", flat=True)
        .first()
    )
    if at_a_location:
        return at_a_location
    return phone_for_patrons(organization.parent) if organization.parent_id else ""
