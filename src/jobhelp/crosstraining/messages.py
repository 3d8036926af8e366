"""What staff are told about trainings and cards, through the one outbox, each in their own
language. A card's message names only its last four digits; nothing says what it is used for.
Reminders carry dedupe keys, so each goes out once however often the periodic jobs run."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.notifications.outbox import queue_message

User = get_user_model()


def staff_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("staff:home")


def members_with(organization, roles) -> QuerySet:
    """Active staff holding one of `roles` in `organization` (or the system above it)."""
    holding = Membership.objects.filter(
        user=OuterRef("pk"), organization_id__in=above_and_self(organization), role__in=roles
    )
    return User.objects.filter(Exists(holding), is_active=True).exclude(email="").order_by("pk")


def to_staff(user, template: str, context: dict, *, organization, related, key: str):
    if not user.email:
        return None
    return queue_message(
        to=user.email,
        template=template,
        context={"recipient": user, "staff_url": staff_url(), **context},
        language=user.preferred_language,
        organization=organization,
        related=related,
        dedupe_key=key,
    )
