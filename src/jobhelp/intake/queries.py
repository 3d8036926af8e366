"""Reads of help requests, always scoped to what the staff member may see."""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import ASSIGNING_ROLES
from jobhelp.accounts.tenancy import above_and_self, organizations_for, tree
from jobhelp.core import versions
from jobhelp.core.businessdays import add_business_days
from jobhelp.core.prepared import Prepared
from jobhelp.core.references import normalize_reference
from jobhelp.intake.enums import FAILED_OUTCOMES, OPEN_STATES
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNeed, waiting_rank
from jobhelp.organizations.models import Organization


def requests_for_user(user) -> QuerySet[HelpRequest]:
    """Requests addressed to the user's organizations (and their branches and affiliates)."""
    return (
        HelpRequest.objects.filter(organization__in=organizations_for(user))
        .select_related("organization", "preferred_location", "taken_by", "assigned_to")
        .prefetch_related(Prefetch("needs", queryset=RequestNeed.objects.order_by("need")))
    )


def find_request_for_user(user, reference: str) -> HelpRequest | None:
    return requests_for_user(user).filter(reference=normalize_reference(reference)).first()


# Stands for the request's library system in request_versions_for_user's keys.
REQUEST_ROOT = "root"


def request_versions_for_user(user, reference: str, keys: list[tuple]) -> tuple | None:
    """For a page cached under versions (core.versions): the request's id, its library system,
    and the current numbers of `keys` ((name, scope) pairs, a scope of REQUEST_ROOT meaning the
    request's library system), read in one lean query with the same scope as
    find_request_for_user (accounts.tenancy.organizations_for). None when the user may not see
    the request. Its SQL is built once per set of keys (core.prepared)."""
    if not user.is_authenticated or not user.is_active:
        return None
    keys = tuple(keys)
    prepared = _REQUEST_VERSIONS.get(keys)
    if prepared is None:
        prepared = _REQUEST_VERSIONS[keys] = Prepared(
            lambda user_id, reference: _request_versions(user_id, reference, keys),
            user_id=int,
            reference=str,
        )
    row = prepared.first(user_id=user.pk, reference=normalize_reference(reference))
    if row is None:
        return None
    return row[0], row[1], tuple(row[2:])


_REQUEST_VERSIONS: dict[tuple, Prepared] = {}


def _request_versions(user_id: int, reference: str, keys: tuple):
    from django.contrib.auth import get_user_model

    # Who is asking, as far as tenancy needs to know: an active person with this id.
    asking = get_user_model()(pk=user_id, is_active=True)
    root = Coalesce("organization__parent_id", "organization_id")
    outer_root = Coalesce(OuterRef("organization__parent_id"), OuterRef("organization_id"))
    numbers = {
        f"v{i}": versions.number(name, outer_root if scope == REQUEST_ROOT else scope)
        for i, (name, scope) in enumerate(keys)
    }
    return (
        HelpRequest.objects.filter(organization__in=organizations_for(asking), reference=reference)
        .annotate(root_id=root, **numbers)
        .values_list("pk", "root_id", *numbers)
    )


def zone_for(organization) -> zoneinfo.ZoneInfo:
    """The organization's time zone: that of its first location (prefetch `locations`)."""
    return zoneinfo.ZoneInfo(
        next((loc.time_zone for loc in organization.locations.all()), settings.TIME_ZONE)
    )


@dataclass(frozen=True)
class QueueScope:
    """What one staff member's queue covers, read in one query: the organizations whose
    requests they see (as accounts.tenancy.organizations_for gives them) and the ids of those
    where they may assign (organizations_for with ASSIGNING_ROLES)."""

    organizations: dict[int, Organization]
    assigning_ids: frozenset[int]

    @property
    def organization_ids(self) -> frozenset[int]:
        return frozenset(self.organizations)

    @property
    def pool_ids(self) -> frozenset[int]:
        """The organizations whose helpers serve these: them and the systems above them."""
        return self.organization_ids | {
            o.parent_id for o in self.organizations.values() if o.parent_id
        }

    def attach_organizations(self, requests) -> None:
        """Give requests read by queue_for_user(scope=...) their organizations."""
        for help_request in requests:
            help_request.organization = self.organizations[help_request.organization_id]


def _queue_scope(user) -> QuerySet:
    """The organizations `user` acts for, each with whether they may assign there."""
    assigning = organizations_for(user, roles=ASSIGNING_ROLES).values("pk")
    return organizations_for(user).annotate(
        may_assign=ExpressionWrapper(Q(pk__in=assigning), output_field=BooleanField())
    )


# The organizations' own columns, read by queue_scope.
_ORGANIZATION_FIELDS = [field.attname for field in Organization._meta.concrete_fields]


def _queue_scope_rows(user_id: int):
    from django.contrib.auth import get_user_model

    # Who is asking, as far as tenancy needs to know: an active person with this id.
    asking = get_user_model()(pk=user_id, is_active=True)
    return _queue_scope(asking).values_list(*_ORGANIZATION_FIELDS, "may_assign")


# Built once per process (core.prepared): every load of the queue reads it, and building
# its two subqueries with the ORM took longer than running them.
_QUEUE_SCOPE = Prepared(_queue_scope_rows, user_id=int)


def queue_scope(user) -> QueueScope:
    if not user.is_authenticated or not user.is_active:
        organizations = []
    else:
        rows = _QUEUE_SCOPE.rows(user_id=user.pk)
        width = len(_ORGANIZATION_FIELDS)
        organizations = [
            (Organization.from_db("default", _ORGANIZATION_FIELDS, row[:width]), row[width])
            for row in rows
        ]
    return QueueScope(
        organizations={o.pk: o for o, _may_assign in organizations},
        assigning_ids=frozenset(o.pk for o, may_assign in organizations if may_assign),
    )


def queue_for_user(user, *, scope: QueueScope | None = None) -> QuerySet[HelpRequest]:
    """Open requests, new and unassigned first, then oldest first.

    The organizations are read first and their ids written into the query: with a subquery and
    five joins, PostgreSQL spent longer planning the queue's page than running it. For the same
    reason only the relations the queue shows are joined, and with a `scope` (queue_scope of
    the same user) not even the organizations: the caller has them already and puts them in
    place with scope.attach_organizations() once it has read its page.
    """
    if scope is None:
        organization_ids = list(organizations_for(user).values_list("pk", flat=True))
        related = ["organization"]
    else:
        organization_ids = sorted(scope.organizations)
        related = []
    return (
        HelpRequest.objects.filter(organization_id__in=organization_ids, state__in=OPEN_STATES)
        .select_related(*related, "preferred_location", "assigned_to", "possible_duplicate_of")
        .prefetch_related(Prefetch("needs", queryset=RequestNeed.objects.order_by("need")))
        .annotate(waiting=waiting_rank())
        .order_by("waiting", "created_at", "pk")
    )


def with_need_codes(requests: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    """The requests with the codes of their needs in one string (`need_codes`), read by the
    same query instead of a second one: for a page that needs the codes and nothing else of
    the needs (need_codes() gives them as a list). On the queue's page Django's prefetch of
    25 requests' needs cost more than the page's own query."""
    return requests.prefetch_related(None).annotate(
        need_codes=Subquery(
            RequestNeed.objects.filter(request_id=OuterRef("pk"))
            .order_by()
            .values("request_id")
            .annotate(codes=StringAgg("need", delimiter=Value(",")))
            .values("codes")
        )
    )


# The columns of the queue's page: what its rows print and what ranking and routing rules
# read (intake.routing). Reading no others saves building them 25 times over, in each of
# the three tables joined; a column left out would cost a query a row, which the page's
# query-count test (tests/staff/test_queue_page.py) would show.
QUEUE_PAGE_COLUMNS = (
    "organization_id",
    "reference",
    "state",
    "language",
    "modality",
    "channel",
    "preferred_location_id",
    "assigned_to_id",
    "created_at",
    "possible_duplicate_of_id",
    "preferred_location__name",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "possible_duplicate_of__reference",
    "possible_duplicate_of__organization_id",
)


def for_queue_page(requests: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    """Requests of queue_for_user() as the queue's page reads them: their need codes in the
    same query (with_need_codes) and only the columns it shows (QUEUE_PAGE_COLUMNS)."""
    return with_need_codes(requests).only(*QUEUE_PAGE_COLUMNS)


def need_codes(help_request: HelpRequest) -> list[str]:
    """The codes of a request read with with_need_codes(), in the order of `needs` (by code;
    codes hold no commas)."""
    return sorted(help_request.need_codes.split(",")) if help_request.need_codes else []


def visible_duplicate(user, help_request: HelpRequest) -> HelpRequest | None:
    """The open request this one may duplicate, if the user may see it: a duplicate at a
    sibling branch is none of a branch's business."""
    if not help_request.possible_duplicate_of_id:
        return None
    return requests_for_user(user).filter(pk=help_request.possible_duplicate_of_id).first()


def filter_queue(
    requests: QuerySet[HelpRequest],
    *,
    user,
    need: str = "",
    location: str | int | None = None,
    language: str = "",
    state: str = "",
    assignee: str | int | None = None,
) -> QuerySet[HelpRequest]:
    """The queue's filters, shared by the staff page and the API. `location` is a location id
    or "remote"; `assignee` is a user id, "none" or "me"."""
    if need:
        requests = requests.filter(needs__need=need)
    if location == "remote":
        requests = requests.filter(preferred_location__isnull=True)
    elif location:
        requests = requests.filter(preferred_location_id=location)
    if language:
        requests = requests.filter(language=language)
    if state:
        requests = requests.filter(state=state)
    if assignee == "none":
        requests = requests.filter(assigned_to__isnull=True)
    elif assignee == "me":
        requests = requests.filter(assigned_to=user)
    elif assignee:
        requests = requests.filter(assigned_to_id=assignee)
    return requests


def overdue_count(user, *, now=None) -> int:
    """Open requests nobody has contacted yet, older than their organization's response target
    in business days."""
    now = now or timezone.now()
    late = Q(pk__in=[])
    for organization in organizations_for(user).prefetch_related("locations"):
        cutoff = add_business_days(now, -organization.response_target_days, zone_for(organization))
        late |= Q(organization=organization, created_at__lt=cutoff)
    return (
        requests_for_user(user)
        .filter(late, state__in=OPEN_STATES)
        .exclude(Exists(ContactAttempt.objects.filter(request=OuterRef("pk"))))
        .count()
    )


@dataclass(frozen=True)
class NextAction:
    label: str
    due: datetime
    overdue: bool


def mine_for_user(user) -> list[tuple[HelpRequest, NextAction]]:
    """The user's open requests with what to do next and by when, soonest first."""
    now = timezone.now()
    requests = (
        requests_for_user(user)
        .filter(assigned_to=user, state__in=OPEN_STATES)
        # Only what the list shows: each join PostgreSQL has to plan costs more than the rows.
        .select_related(None)
        .select_related("organization")
        .annotate(
            attempts=Count("contact_attempts"),
            failed=Count(
                "contact_attempts", filter=Q(contact_attempts__outcome__in=FAILED_OUTCOMES)
            ),
            reached=Count(
                "contact_attempts", filter=~Q(contact_attempts__outcome__in=FAILED_OUTCOMES)
            ),
            last_attempt_at=Max("contact_attempts__created_at"),
        )
        .prefetch_related("organization__locations")
    )
    rows = [(r, next_action(r, now=now)) for r in requests]
    return sorted(rows, key=lambda row: (row[1].due, row[0].pk))


def next_action(help_request: HelpRequest, *, now) -> NextAction:
    organization = help_request.organization
    zone = zone_for(organization)
    if not help_request.attempts:
        due = add_business_days(help_request.created_at, organization.response_target_days, zone)
        label = _("Make first contact")
    elif help_request.reached:
        due = add_business_days(help_request.last_attempt_at, 5, zone)
        label = _("Follow up, or resolve if they were helped")
    elif help_request.failed >= organization.max_contact_attempts:
        due = help_request.last_attempt_at
        label = _("Close as “no response”, or try once more")
    else:
        due = add_business_days(help_request.last_attempt_at, 1, zone)
        label = _("Try again (attempt %(n)d of %(max)d)") % {
            "n": help_request.failed + 1,
            "max": organization.max_contact_attempts,
        }
    return NextAction(label=label, due=due, overdue=due < now)


def helpers_for_request(help_request: HelpRequest) -> QuerySet:
    """People who may be given this request: helping roles in its organization or the system
    above it."""
    from django.contrib.auth import get_user_model

    from jobhelp.accounts.enums import HELPING_ROLES

    org_ids = above_and_self(help_request.organization)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id__in=org_ids,
            memberships__role__in=HELPING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# The same request sent again within this long (a double tap, a reload, "did it go through?")
# is answered with the earlier confirmation; later ones are new requests, flagged to staff as
# possible duplicates (intake.domain.submit_request).
SAME_REQUEST_MINUTES = 10


def same_request_just_sent(
    organization: Organization,
    *,
    name: str,
    phone: str,
    email: str,
    needs: list[str],
    now: datetime | None = None,
) -> HelpRequest | None:
    """The request the public form made in the last SAME_REQUEST_MINUTES in `organization`'s
    library system or center from the same person (the same name, and the same phone number
    or email address) for the same needs, if any. The name is part of the match so that
    knowing someone's phone number is not enough to be shown their reference code."""
    now = now or timezone.now()
    same_contact = Q()
    if phone:
        same_contact |= Q(phone=phone)
    if email:
        same_contact |= Q(email=email)
    if not same_contact:
        return None
    candidates = (
        HelpRequest.objects.filter(
            same_contact,
            created_at__gte=now - timedelta(minutes=SAME_REQUEST_MINUTES),
            erased_at__isnull=True,
        )
        .filter(tree(organization.root_id, via="organization"))
        .select_related("organization")
        .prefetch_related("needs")
        .order_by("-created_at", "-pk")
    )
    wanted = sorted(set(needs))
    for candidate in candidates[:20]:
        if candidate.name.casefold() == name.casefold() and wanted == sorted(
            n.need for n in candidate.needs.all()
        ):
            return candidate
    return None
