"""Reads, each scoped to what the user may see (crosstraining.rules): trainings, a person's own
record and cards, an organization's matrix for its managers, a library's card pool for its
lending staff."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import organizations_for, tree
from jobhelp.core import files
from jobhelp.core.files import StoredFile
from jobhelp.crosstraining.enums import (
    DUE_SOON_DAYS,
    POOL_EXPIRING_DAYS,
    LoanState,
    TrainingStatus,
)
from jobhelp.crosstraining.models import (
    Card,
    CardLoan,
    Requirement,
    Training,
    TrainingMaterial,
    TrainingRecord,
)
from jobhelp.crosstraining.rules import TRAINER_ROLES, lending_organizations
from jobhelp.organizations.models import Location, Organization
from jobhelp.partnerships.obligations import add_months

User = get_user_model()


# --- Trainings ---------------------------------------------------------------------------------


def trainings_for_user(user) -> QuerySet[Training]:
    """Trainings given by, or meant for, an organization the user acts for."""
    mine = organizations_for(user)
    return Training.objects.filter(
        Q(organization__in=mine)
        | Q(
            pk__in=Training.audience.through.objects.filter(
                organization__in=organizations_for(user)
            ).values("training_id")
        )
    )


def training_list(user) -> QuerySet[Training]:
    return (
        trainings_for_user(user)
        .select_related("organization", "trainer", "location")
        .prefetch_related("audience")
        .order_by("-starts_at", "pk")
    )


def training_for_user(user, pk: int) -> Training | None:
    return training_list(user).filter(pk=pk).first()


def materials_of(training: Training) -> QuerySet[TrainingMaterial]:
    """A training's files, for a page that already checked the training is seen."""
    return training.materials.select_related("uploaded_by").order_by("uploaded_at", "pk")


def materials_for_user(user) -> QuerySet[TrainingMaterial]:
    """Files of the trainings the user sees (given by or meant for their organizations) or
    attended."""
    attended = TrainingRecord.objects.filter(person=user, training__isnull=False)
    return TrainingMaterial.objects.filter(
        Q(training__in=trainings_for_user(user)) | Q(training__in=attended.values("training_id"))
    )


def material_for_user(user, pk: int) -> TrainingMaterial | None:
    return materials_for_user(user).filter(pk=pk).select_related("training").first()


def material_file_for_user(user, pk: int) -> StoredFile | None:
    """A training's file for a person who may see it, or None (a 404). Its type is read again
    from the stored bytes: a stored file that is no longer a PDF, PNG or JPEG is never served."""
    return files.stored_file(material_for_user(user, pk))


def schedulable_organizations(user) -> QuerySet[Organization]:
    return organizations_for(user, roles=TRAINER_ROLES).order_by("name")


def roster(training: Training) -> list:
    """The staff of the audience organizations (and of the branches below them), by name,
    with those already marked present."""
    audience = list(training.audience.values_list("pk", flat=True))
    condition = Q()
    for organization_id in audience:
        condition |= tree(organization_id, via="memberships__organization")
    if not audience:
        return []
    return list(
        User.objects.filter(condition, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def present_ids(training: Training) -> set[int]:
    return set(training.records.values_list("person_id", flat=True))


# --- Records -----------------------------------------------------------------------------------


def own_records(user) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(person_id=user.pk).select_related("attested_by")


def records_for_user(user) -> QuerySet[TrainingRecord]:
    """A person's own records, and those of the staff of organizations they manage."""
    managed = organizations_for(user, roles=MANAGING_ROLES)
    return TrainingRecord.objects.filter(
        Q(person_id=user.pk) | Q(person__memberships__organization__in=managed)
    ).distinct()


def managed_organizations(user) -> QuerySet[Organization]:
    return organizations_for(user, roles=MANAGING_ROLES).order_by("name")


def requirements_for_user(user) -> QuerySet[Requirement]:
    """Requirements of the organizations the user acts for."""
    return Requirement.objects.filter(organization__in=organizations_for(user)).select_related(
        "organization"
    )


def requirement_for_user(user, pk: int) -> Requirement | None:
    return requirements_for_user(user).filter(pk=pk).first()


# --- Status --------------------------------------------------------------------------------------


def satisfies(record_kind: str, record_title: str, requirement: Requirement) -> bool:
    if record_kind != requirement.kind:
        return False
    return not requirement.title or record_title.casefold() == requirement.title.casefold()


@dataclass(frozen=True)
class Standing:
    requirement: Requirement
    status: TrainingStatus
    # The day it must be done (again) by; None once done for a requirement never refreshed.
    due_on: date | None
    last_completed_on: date | None


def standing(requirement: Requirement, *, started_on: date, last: date | None, today: date):
    """Where someone who started on `started_on`, last completed it on `last`, stands today."""
    if last is None:
        due = started_on + timedelta(days=requirement.within_days)
        status = TrainingStatus.OVERDUE if today > due else TrainingStatus.DUE_SOON
        return Standing(requirement, status, due, None)
    if requirement.refresh_months is None:
        return Standing(requirement, TrainingStatus.CURRENT, None, last)
    due = add_months(last, requirement.refresh_months)
    if today > due:
        status = TrainingStatus.LAPSED
    elif today >= due - timedelta(days=DUE_SOON_DAYS):
        status = TrainingStatus.DUE_SOON
    else:
        status = TrainingStatus.CURRENT
    return Standing(requirement, status, due, last)


@dataclass(frozen=True)
class MatrixRow:
    person: object
    organization: Organization
    standings: list[Standing]


def _last_completed(records, requirement) -> date | None:
    return max(
        (r.completed_on for r in records if satisfies(r.kind, r.title, requirement)),
        default=None,
    )


def started_on(user) -> date:
    """The day a person started: the day their account was made, in the installation's zone."""
    return timezone.localdate(user.date_joined)


def requirement_matrix(organizations, *, today: date) -> list[MatrixRow]:
    """Everyone holding a required role in these organizations (or their branches), with where
    they stand on each requirement that applies to them. Three queries, whatever the size."""
    requirements = list(
        Requirement.objects.filter(organization__in=organizations).select_related("organization")
    )
    if not requirements:
        return []
    condition = Q()
    for requirement in requirements:
        condition |= Q(role=requirement.role) & tree(
            requirement.organization_id, via="organization"
        )
    memberships = (
        Membership.objects.filter(condition, user__is_active=True)
        .select_related("organization", "user")
        .prefetch_related(
            Prefetch(
                "user__training_records",
                queryset=TrainingRecord.objects.only("person_id", "kind", "title", "completed_on"),
                to_attr="records",
            )
        )
        .order_by("user__first_name", "user__last_name", "user__username", "pk")
    )
    rows: dict[int, MatrixRow] = {}
    for membership in memberships:
        person = membership.user
        row = rows.get(person.pk)
        if row is None:
            row = rows[person.pk] = MatrixRow(person, membership.organization, [])
        for requirement in requirements:
            applies = requirement.role == membership.role and requirement.organization_id in (
                membership.organization_id,
                membership.organization.parent_id,
            )
            if not applies or any(s.requirement.pk == requirement.pk for s in row.standings):
                continue
            row.standings.append(
                standing(
                    requirement,
                    started_on=started_on(person),
                    last=_last_completed(person.records, requirement),
                    today=today,
                )
            )
    return list(rows.values())


def matrix_for_user(user, *, today: date | None = None) -> list[MatrixRow]:
    return requirement_matrix(
        organizations_for(user, roles=MANAGING_ROLES), today=today or timezone.localdate()
    )


def my_standings(user, *, today: date | None = None) -> list[Standing]:
    """The user's own standing on every requirement that applies to them."""
    today = today or timezone.localdate()
    organizations = Organization.objects.filter(
        Q(pk__in=Membership.objects.filter(user_id=user.pk).values("organization_id"))
        | Q(pk__in=Membership.objects.filter(user_id=user.pk).values("organization__parent_id"))
    )
    return [
        s
        for row in requirement_matrix(organizations, today=today)
        if row.person.pk == user.pk
        for s in row.standings
    ]


# --- Cards -------------------------------------------------------------------------------------


def lending_libraries(user) -> QuerySet[Organization]:
    return lending_organizations(user).order_by("name")


def cards_for_user(user) -> QuerySet[Card]:
    """The cards of the pools the user lends from."""
    return Card.objects.filter(library__in=lending_organizations(user))


def pool(user) -> QuerySet[Card]:
    """The cards of the pools the user lends from, each with its current loan (if lent)."""
    return (
        cards_for_user(user)
        .select_related("library", "branch")
        .prefetch_related(
            Prefetch(
                "loans",
                queryset=CardLoan.objects.filter(state=LoanState.LENT).select_related("holder"),
                to_attr="current_loans",
            )
        )
        .order_by("library__name", "last_four", "pk")
    )


def card_for_user(user, pk: int) -> Card | None:
    return pool(user).filter(pk=pk).first()


def loans_for_user(user) -> QuerySet[CardLoan]:
    """Loans of the pools the user lends from, and the user's own."""
    return CardLoan.objects.filter(
        Q(card__library__in=lending_organizations(user)) | Q(holder_id=user.pk)
    )


def loan_for_lender(user, pk: int) -> CardLoan | None:
    return (
        CardLoan.objects.filter(card__library__in=lending_organizations(user))
        .select_related("card", "holder", "card__library")
        .filter(pk=pk)
        .first()
    )


def my_loans(user) -> QuerySet[CardLoan]:
    return (
        CardLoan.objects.filter(holder_id=user.pk, state=LoanState.LENT)
        .select_related("card", "card__library", "card__branch")
        .order_by("expires_on", "pk")
    )


def overdue_loans_for_user(user, *, today: date | None = None) -> QuerySet[CardLoan]:
    """Cards past their expiry and not back, in the pools of libraries the user manages: the
    manager's home shows them."""
    today = today or timezone.localdate()
    return (
        CardLoan.objects.filter(
            card__library__in=organizations_for(user, roles=MANAGING_ROLES),
            state=LoanState.LENT,
            expires_on__lt=today,
        )
        .select_related("card", "holder")
        .order_by("expires_on", "pk")
    )


@dataclass(frozen=True)
class PoolSummary:
    """Counts only, never who holds a card: the MOU obligation's evidence, which every partner
    who sees the obligation may read."""

    cards: int
    lent: int
    available: int
    # Lent, expiring within POOL_EXPIRING_DAYS (not yet expired).
    expiring: int
    # Lent, past their expiry and not back.
    overdue: int


def _summary(cards: QuerySet[Card], loans: QuerySet[CardLoan], *, today: date) -> PoolSummary:
    in_pool = cards.filter(is_retired=False).count()
    counts = loans.filter(state=LoanState.LENT).aggregate(
        lent=Count("pk"),
        expiring=Count(
            "pk",
            filter=Q(
                expires_on__gte=today, expires_on__lte=today + timedelta(days=POOL_EXPIRING_DAYS)
            ),
        ),
        overdue=Count("pk", filter=Q(expires_on__lt=today)),
    )
    return PoolSummary(
        cards=in_pool,
        lent=counts["lent"],
        available=max(in_pool - counts["lent"], 0),
        expiring=counts["expiring"],
        overdue=counts["overdue"],
    )


def pool_summary(library, *, today: date) -> PoolSummary:
    """How many cards `library`'s pool has, how many are lent and available, how many of those
    lent expire soon or are overdue: two queries."""
    return _summary(
        Card.objects.filter(library=library),
        CardLoan.objects.filter(card__library=library),
        today=today,
    )


def pool_summary_of_tree(organization, *, today: date) -> PoolSummary:
    """The same for the pools of an organization and its branches (an obligation's party)."""
    return _summary(
        Card.objects.filter(tree(organization.pk, via="library")),
        CardLoan.objects.filter(tree(organization.pk, via="card__library")),
        today=today,
    )


# --- Choices offered in forms ----------------------------------------------------------------


def partnered_organizations(organizations) -> QuerySet[Organization]:
    """The organizations sharing a partnership with one of `organizations` (and their branches),
    and those organizations themselves."""
    partners = Organization.objects.filter(
        partner_in__partnership__partners__organization__in=organizations
    ).values("pk")
    return Organization.objects.filter(
        Q(pk__in=partners) | Q(parent_id__in=partners) | Q(pk__in=organizations.values("pk"))
    ).distinct()


def audience_choices(user) -> QuerySet[Organization]:
    return partnered_organizations(schedulable_organizations(user)).order_by("name")


def trainer_choices(user) -> QuerySet:
    """Staff of the organizations the user schedules trainings for."""
    return (
        User.objects.filter(
            memberships__organization__in=schedulable_organizations(user), is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def location_choices(user):
    return Location.objects.filter(organization__in=audience_choices(user).values("pk")).order_by(
        "name"
    )


def managed_people(user) -> QuerySet:
    """Staff of the organizations the user manages."""
    return (
        User.objects.filter(
            memberships__organization__in=organizations_for(user, roles=MANAGING_ROLES),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def holder_choices(library) -> QuerySet:
    """Partner staff a library may lend cards to: staff of the organizations it shares a
    partnership with, not its own."""
    own = Organization.objects.filter(tree(library.pk))
    partners = partnered_organizations(Organization.objects.filter(pk=library.pk)).exclude(
        pk__in=own.values("pk")
    )
    return (
        User.objects.filter(memberships__organization__in=partners, is_active=True)
        .exclude(memberships__organization__in=own)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def branch_choices(library):
    return Location.objects.filter(tree(library.pk, via="organization")).order_by("name")
