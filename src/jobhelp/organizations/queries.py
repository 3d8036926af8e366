"""Public reads of organizations. Which organizations a staff member acts for is
accounts.tenancy's to say."""

from django.db.models import Q, QuerySet

from jobhelp.organizations.models import Location, Organization


def public_organization(slug: str = "") -> Organization | None:
    """The organization whose public form is shown at /help/ (or /help/<slug>/)."""
    candidates = Organization.objects.filter(accepts_public_requests=True)
    if slug:
        return candidates.filter(slug=slug).first()
    return candidates.filter(parent__isnull=True).order_by("pk").first()


def locations_for_public_form(organization: Organization) -> QuerySet[Location]:
    """The open locations of an organization and of its branches and affiliates."""
    return (
        Location.objects.filter(is_active=True)
        .filter(Q(organization=organization) | Q(organization__parent=organization))
        .select_related("organization")
        .order_by("name")
    )
