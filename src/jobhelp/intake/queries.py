"""Reads of help requests, always scoped to what the staff member may see."""

from django.db.models import Prefetch, QuerySet

from jobhelp.intake.models import HelpRequest, RequestNeed
from jobhelp.organizations.queries import organizations_for_user


def requests_for_user(user) -> QuerySet[HelpRequest]:
    """Requests addressed to the user's organizations (and their branches and affiliates)."""
    return (
        HelpRequest.objects.filter(organization__in=organizations_for_user(user))
        .select_related("organization", "preferred_location", "taken_by", "assigned_to")
        .prefetch_related(Prefetch("needs", queryset=RequestNeed.objects.order_by("need")))
    )


def find_request_for_user(user, reference: str) -> HelpRequest | None:
    from jobhelp.intake.domain import normalize_reference

    return requests_for_user(user).filter(reference=normalize_reference(reference)).first()
