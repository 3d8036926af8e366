"""Reads of referrals, always scoped to what the staff member may see: the referrals their
organizations sent and those they received (accounts.tenancy.organizations_for). Another
organization's referral is simply not found, a 404. What the receiving side may read of the
person is decided by referrals.sharing, never here.

Each list reads in a fixed number of queries however many rows it has
(tests/referrals/test_queries.py counts them with one and three).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.references import normalize_reference
from jobhelp.directory.enums import LISTED_STATUSES
from jobhelp.directory.models import Service
from jobhelp.organizations.models import Organization
from jobhelp.partnerships.queries import agreement_partners
from jobhelp.referrals.enums import OPEN_STATES, ReferralState
from jobhelp.referrals.models import Consent, Receiver, Referral, ReferralEvent
from jobhelp.referrals.sharing import live, prefetch_live_consents

_RELATED = ("service", "from_organization", "to_organization", "sent_by", "accepted_by")


def referrals_for_user(user) -> QuerySet[Referral]:
    """The referrals the user's organizations sent or received."""
    organizations = organizations_for(user)
    return Referral.objects.filter(
        Q(from_organization__in=organizations) | Q(to_organization__in=organizations)
    ).select_related(*_RELATED)


def _sides(user) -> dict:
    """Whether the user reads each referral as its sender, its receiver, or both (someone who
    works for both partners), computed in the same query."""
    organizations = organizations_for(user)
    return {
        "is_sender": ExpressionWrapper(
            Q(from_organization__in=organizations), output_field=BooleanField()
        ),
        "is_receiver": ExpressionWrapper(
            Q(to_organization__in=organizations), output_field=BooleanField()
        ),
    }


def find_referral_for_user(user, code: str, *, now: datetime | None = None) -> Referral | None:
    """One referral by its code, with which side the user is on (`is_sender`,
    `is_receiver`) and its live consents; None when the user may not see it."""
    now = now or timezone.now()
    code = normalize_reference(code)
    if not code or len(code) > 8:
        return None
    return (
        referrals_for_user(user)
        .filter(code=code)
        .select_related("request", "receiving_request")
        .annotate(**_sides(user))
        .prefetch_related(prefetch_live_consents(now))
        .first()
    )


def overdue(now: datetime) -> Case:
    """Not answered by the receiving organization's response target."""
    return Case(
        When(state=ReferralState.REQUESTED, respond_by__lt=now, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def received_for_user(user, *, now: datetime | None = None) -> QuerySet[Referral]:
    """The receiving organization's queue: referrals to the user's organizations, the
    overdue ones flagged, each with its live consents; unanswered first, then oldest first."""
    now = now or timezone.now()
    return (
        Referral.objects.filter(to_organization__in=organizations_for(user))
        .select_related("service", "from_organization", "to_organization", "accepted_by")
        .prefetch_related(prefetch_live_consents(now))
        .annotate(overdue=overdue(now))
        .order_by(
            Case(When(state=ReferralState.REQUESTED, then=Value(0)), default=Value(1)),
            "sent_at",
            "pk",
        )
    )


def filter_received(
    referrals: QuerySet[Referral],
    *,
    now: datetime,
    service: int | None = None,
    state: str = "",
    text: str = "",
) -> QuerySet[Referral]:
    """The queue's filters, shared by the page, its CSV and the API. `text` finds a code, or
    a name or phone number only where a live consent shares it: without consent, searching
    for a person finds nothing."""
    if service:
        referrals = referrals.filter(service_id=service)
    if state == "open":
        referrals = referrals.filter(state__in=sorted(OPEN_STATES))
    elif state:
        referrals = referrals.filter(state=state)
    words = text.strip()
    if words:
        code = normalize_reference(words)
        matches = Q(code=code) if code else Q(pk__in=[])
        digits = "".join(ch for ch in words if ch.isdigit())
        shared = Q(name__icontains=words, fields__icontains='"name"')
        if len(digits) >= 4:
            shared |= Q(phone__contains=digits, fields__icontains='"phone"')
        consented = Consent.objects.filter(
            live(now),
            shared,
            referral=OuterRef("pk"),
            shared_with=OuterRef("to_organization"),
        )
        referrals = referrals.filter(matches | Q(Exists(consented)))
    return referrals


def sent_for_user(user, *, now: datetime | None = None) -> QuerySet[Referral]:
    """Referrals the user's organizations sent, newest first."""
    now = now or timezone.now()
    return (
        Referral.objects.filter(from_organization__in=organizations_for(user))
        .select_related("service", "to_organization", "request", "sent_by")
        .annotate(overdue=overdue(now))
        .order_by("-sent_at", "-pk")
    )


def waiting_on_partner(user, *, now: datetime | None = None) -> QuerySet[Referral]:
    """My requests' "referrals waiting on the other side": open referrals the user sent, or
    sent from a request assigned to them, oldest first."""
    now = now or timezone.now()
    return (
        Referral.objects.filter(
            Q(sent_by_id=user.pk) | Q(request__assigned_to_id=user.pk),
            from_organization__in=organizations_for(user),
            state__in=sorted(OPEN_STATES),
        )
        .select_related("service", "to_organization", "request")
        .annotate(overdue=overdue(now))
        .order_by("sent_at", "pk")
    )


@dataclass(frozen=True)
class RequestReferrals:
    """The request page's section: what was sent from the request, and the referral it came
    from (for a request opened by a receiving partner)."""

    sent: list[Referral]
    received_from: Referral | None


def referrals_for_request(user, help_request, *, now: datetime | None = None) -> RequestReferrals:
    """Two queries. The request was found for the user already (intake.queries)."""
    now = now or timezone.now()
    sent = list(
        sent_for_user(user, now=now)
        .filter(request=help_request)
        .prefetch_related(prefetch_live_consents(now))
    )
    received_from = (
        referrals_for_user(user)
        .filter(receiving_request=help_request)
        .prefetch_related(prefetch_live_consents(now))
        .first()
    )
    return RequestReferrals(sent=sent, received_from=received_from)


def services_to_refer_to(organization) -> QuerySet[Service]:
    """Listed services of the partners `organization` has an agreement with
    (partnerships.queries.agreement_partners), by partner and name."""
    return (
        Service.objects.filter(
            organization__in=agreement_partners(organization),
            status__in=sorted(LISTED_STATUSES),
        )
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


def is_partner(from_organization, to_organization) -> bool:
    return agreement_partners(from_organization).filter(pk=to_organization.pk).exists()


def history(referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("by", "organization").order_by("at", "pk")


def consents_of(referral: Referral) -> QuerySet[Consent]:
    """Every consent of a referral, for its sending side (receivers read referrals.sharing)."""
    return referral.consents.select_related("recorded_by", "withdrawn_by").order_by(
        "-created_at", "-pk"
    )


def managed_receivers(user) -> list[tuple[Organization, Receiver | None]]:
    """The organizations whose referral settings the user keeps (those they manage), each
    with its settings if any. Two queries."""
    organizations = list(organizations_for(user, roles=MANAGING_ROLES).order_by("name", "pk"))
    settings = Receiver.objects.in_bulk([o.pk for o in organizations])
    return [(o, settings.get(o.pk)) for o in organizations]


def services_received(user) -> QuerySet[Service]:
    """The services of the user's organizations, for the queue's service filter."""
    return Service.objects.filter(organization__in=organizations_for(user)).order_by("name", "pk")
