"""Reads of organizations. A staff member works for the organizations they are a member of and
for the branches and affiliates below them."""

from django.db.models import Q, QuerySet

from jobhelp.accounts.enums import Role
from jobhelp.organizations.models import Location, Organization


def organizations_for_user(user, *, roles: frozenset[Role] | None = None) -> QuerySet[Organization]:
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    memberships = user.memberships.all()
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    member_of = memberships.values("organization_id")
    return Organization.objects.filter(Q(pk__in=member_of) | Q(parent_id__in=member_of))


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
