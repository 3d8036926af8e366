"""Reads of partnership data, always scoped to what the staff member may see
(partnerships.rules says who sees what, on accounts.tenancy). Another partnership's, or another
agreement's, object is simply not found: the interfaces answer 404.

The list reads load what their page shows in a fixed number of queries, however many rows
(tests/partnerships/test_queries.py counts them).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import above_and_self, organizations_for, tree
from jobhelp.core import files
from jobhelp.core.files import StoredFile
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.organizations.models import Location, Organization
from jobhelp.partnerships import rules
from jobhelp.partnerships.enums import (
    OPEN_ACTION_STATES,
    RUNNING_STATES,
    Activity,
    AgreementStatus,
)
from jobhelp.partnerships.ics import meeting_calendar
from jobhelp.partnerships.models import (
    ActionItem,
    Agreement,
    Attachment,
    CostShare,
    Grant,
    LogEntry,
    Meeting,
    MeetingAttendee,
    Obligation,
    Occurrence,
    Partner,
    PartnerContact,
    Partnership,
    Party,
)

# --- Partnerships and partners ------------------------------------------------------------------


def partnerships_for_user(user) -> QuerySet[Partnership]:
    """The partnerships in which the user acts for a partner."""
    return Partnership.objects.filter(
        Exists(
            Partner.objects.filter(
                partnership=OuterRef("pk"), organization__in=organizations_for(user)
            )
        )
    )


def partnership_for_user(user, pk: int) -> Partnership | None:
    return partnerships_for_user(user).filter(pk=pk).select_related("convener", "liaison").first()


@dataclass(frozen=True)
class PartnerOverview:
    """A partner as the partnership page shows it: its tier, contacts, what it offers, and the
    obligations it takes part in (of the running agreements the viewer sees)."""

    partner: Partner
    contacts: list[PartnerContact]
    obligations: list[Obligation]


def partners_overview(user, partnership: Partnership) -> list[PartnerOverview]:
    """Every partner of a partnership the user sees, in three queries. A partner at full
    participation takes part in every obligation; one at a reduced level in those marked for
    it and its own."""
    return partners_overviews(user, [partnership])[partnership.pk]


def partners_overviews(user, partnerships) -> dict[int, list[PartnerOverview]]:
    """partners_overview of several partnerships the user sees (by their ids), in three
    queries however many there are."""
    ids = [p.pk for p in partnerships]
    partners = (
        Partner.objects.filter(partnership__in=ids)
        .select_related("organization")
        .prefetch_related(Prefetch("contacts", queryset=PartnerContact.objects.order_by("name")))
        .order_by("organization__name", "pk")
    )
    obligations = list(
        obligations_for_user(user)
        .filter(agreement__partnership__in=ids, agreement__status__in=RUNNING_STATES)
        .annotate(partnership_pk=F("agreement__partnership"))
        .order_by("title", "pk")
    )
    overview: dict[int, list[PartnerOverview]] = {pk: [] for pk in ids}
    for partner in partners:
        takes_part = [
            o
            for o in obligations
            if o.partnership_pk == partner.partnership_id
            and (
                partner.tier == ParticipationTier.FULL
                or o.reduced_tier_takes_part
                or o.owner_organization_id == partner.organization_id
            )
        ]
        overview[partner.partnership_id].append(
            PartnerOverview(partner, list(partner.contacts.all()), takes_part)
        )
    return overview


def partner_organizations(partnership: Partnership, *, with_branches: bool = False) -> QuerySet:
    """The partners' organizations (of a partnership the caller found for the user): the
    choices of lead partner, a guest's partner, a new agreement's first party; with their
    branches and affiliates for whom the liaison's time was given."""
    partners = Partner.objects.filter(partnership=partnership).values("organization")
    condition = Q(pk__in=partners)
    if with_branches:
        condition |= Q(parent__in=partners)
    return Organization.objects.filter(condition).order_by("name", "pk")


def partnership_locations(partnership: Partnership) -> QuerySet[Location]:
    """Where the partners meet: their locations and those of a partner system's branches."""
    partners = Partner.objects.filter(partnership=partnership).values("organization")
    return (
        Location.objects.filter(Q(organization__in=partners) | Q(organization__parent__in=partners))
        .select_related("organization")
        .order_by("name", "pk")
    )


def partnership_staff(partnership: Partnership) -> QuerySet:
    """Active staff who act for one of the partners (a membership there, or in the library
    system above it): the people who may attend, own action items or do obligations."""
    partners = Partner.objects.filter(partnership=partnership)
    acting = Membership.objects.filter(user=OuterRef("pk")).filter(
        Q(organization__in=partners.values("organization"))
        | Q(organization__in=partners.values("organization__parent"))
    )
    return (
        get_user_model()
        .objects.filter(Exists(acting), is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def party_staff(agreement: Agreement) -> QuerySet:
    """Active staff who act for one of the agreement's parties: who may do its obligations."""
    parties = Party.objects.filter(agreement=agreement)
    acting = Membership.objects.filter(user=OuterRef("pk")).filter(
        Q(organization__in=parties.values("organization"))
        | Q(organization__in=parties.values("organization__parent"))
    )
    return (
        get_user_model()
        .objects.filter(Exists(acting), is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def agreement_partners(organization) -> QuerySet[Organization]:
    """The organizations `organization` works with under an agreement (for referrals): the
    other parties of the running agreements (in negotiation or executed) to which it, or the
    library system above it, is a party, with their branches and affiliates. Never its own
    library system's organizations. A lazy query."""
    running = Agreement.objects.filter(
        status__in=RUNNING_STATES, parties__organization_id__in=above_and_self(organization)
    )
    parties = Party.objects.filter(agreement__in=running).values("organization_id")
    return Organization.objects.filter(Q(pk__in=parties) | Q(parent_id__in=parties)).exclude(
        tree(organization.root_id)
    )


# --- Agreements ---------------------------------------------------------------------------------


def agreements_for_user(user) -> QuerySet[Agreement]:
    """Agreements to which an organization the user acts for is a party."""
    return Agreement.objects.filter(
        Exists(
            Party.objects.filter(agreement=OuterRef("pk"), organization__in=organizations_for(user))
        )
    )


def agreement_list(user, partnership: Partnership | None = None) -> QuerySet[Agreement]:
    """The agreements the user sees (of one partnership, if given), newest first, with their
    partnership and the number of parties and of those that signed."""
    agreements = agreements_for_user(user)
    if partnership is not None:
        agreements = agreements.filter(partnership=partnership)
    return (
        agreements.select_related("partnership")
        .annotate(
            party_count=Count("parties", distinct=True),
            signed_count=Count(
                "parties", filter=Q(parties__signed_on__isnull=False), distinct=True
            ),
        )
        .order_by(F("effective_from").desc(nulls_last=True), "title", "pk")
    )


def agreement_for_user(user, pk: int) -> Agreement | None:
    """One agreement with everything its page shows: parties and their cost shares,
    amendments and attachments."""
    return (
        agreements_for_user(user)
        .filter(pk=pk)
        .select_related("partnership__convener", "supersedes")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization")
                .prefetch_related(
                    Prefetch("cost_shares", queryset=CostShare.objects.order_by("pk"))
                )
                .order_by("pk"),
            ),
            "amendments",
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
        )
        .first()
    )


def party_for_user(user, pk: int) -> Party | None:
    return (
        Party.objects.filter(pk=pk, agreement__in=agreements_for_user(user))
        .select_related("agreement__partnership", "organization")
        .first()
    )


def cost_share_for_user(user, pk: int) -> CostShare | None:
    return (
        CostShare.objects.filter(pk=pk, party__agreement__in=agreements_for_user(user))
        .select_related("party__agreement", "party__organization")
        .first()
    )


def attachment_for_user(user, pk: int) -> Attachment | None:
    return (
        Attachment.objects.filter(pk=pk, agreement__in=agreements_for_user(user))
        .select_related("agreement__partnership")
        .first()
    )


def attachment_file_for_user(user, pk: int) -> StoredFile | None:
    """An agreement's PDF for a person who sees the agreement, or None (a 404). The type is
    read again from the stored bytes: a stored file that is not a PDF is never served."""
    return files.stored_file(attachment_for_user(user, pk), kinds=(files.PDF,))


# --- Obligations and occurrences ----------------------------------------------------------------


def obligations_for_user(user) -> QuerySet[Obligation]:
    """Obligations of the agreements the user sees, by tier (partnerships.rules)."""
    return Obligation.objects.filter(rules.obligation_visibility(user))


def obligation_list(user, agreement: Agreement) -> QuerySet[Obligation]:
    """An agreement's obligations the user sees, with who does them and how many of their
    occurrences are kept and overdue."""
    today = timezone.localdate()
    return (
        obligations_for_user(user)
        .filter(agreement=agreement)
        .select_related("owner_organization", "owner")
        .annotate(
            kept=Count("occurrences", filter=Q(occurrences__done_at__isnull=False)),
            overdue=Count(
                "occurrences",
                filter=Q(occurrences__done_at__isnull=True, occurrences__due_on__lt=today),
            ),
        )
        .order_by("title", "pk")
    )


def obligation_for_user(user, pk: int) -> Obligation | None:
    return (
        obligations_for_user(user)
        .filter(pk=pk)
        .select_related("agreement__partnership", "owner_organization", "owner")
        .first()
    )


def occurrences_for_user(user) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(rules.obligation_visibility(user, via="obligation__"))


def occurrence_list(user, obligation: Obligation) -> QuerySet[Occurrence]:
    """An obligation's occurrences, with who kept them and the record each links (one more
    query per kind of record linked)."""
    return (
        occurrences_for_user(user)
        .filter(obligation=obligation)
        .select_related("done_by", "evidence_type")
        .prefetch_related("evidence")
        .order_by("due_on", "pk")
    )


def occurrence_for_user(user, pk: int) -> Occurrence | None:
    return (
        occurrences_for_user(user)
        .filter(pk=pk)
        .select_related(
            "obligation__agreement__partnership",
            "obligation__owner_organization",
            "done_by",
            "evidence_type",
        )
        .first()
    )


def overdue_occurrences_for_user(user, *, today: date | None = None) -> QuerySet[Occurrence]:
    """For the managers' and liaisons' home pages: occurrences past their due date and not
    kept, of running agreements, that the user may record (a manager or liaison of a party,
    or the obligation's own person), oldest first."""
    today = today or timezone.localdate()
    recording = Party.objects.filter(
        agreement=OuterRef("obligation__agreement"),
        organization__in=organizations_for(user, roles=rules.EVIDENCE_ROLES),
    )
    return (
        occurrences_for_user(user)
        .filter(
            Q(Exists(recording)) | Q(obligation__owner_id=user.pk),
            done_at__isnull=True,
            due_on__lt=today,
            obligation__agreement__status__in=RUNNING_STATES,
        )
        .select_related(
            "obligation__agreement__partnership",
            "obligation__owner_organization",
            "obligation__owner",
        )
        .order_by("due_on", "pk")
    )


def evidence_file_for_user(user, occurrence_pk: int) -> StoredFile | None:
    occurrence = occurrence_for_user(user, occurrence_pk)
    if occurrence is None or not occurrence.evidence_file:
        return None
    kind = files.kind_of_stored(occurrence.evidence_file)
    if kind is None:
        return None
    return StoredFile(
        name=occurrence.evidence_file_name or f"evidence.{kind.extension}",
        content_type=kind.content_type,
        size=occurrence.evidence_file.size,
        field_file=occurrence.evidence_file,
    )


@dataclass(frozen=True)
class KeptRow:
    """How one partner kept its obligations over a period: of the occurrences due in it (up to
    today), how many were kept (and of those on time), and how many are overdue; and how many
    are still to come in it."""

    organization_id: int
    organization: str
    due: int
    kept: int
    on_time: int
    overdue: int
    upcoming: int

    @property
    def kept_share(self) -> int | None:
        """Kept, in percent of those due (None when nothing was due)."""
        return round(100 * self.kept / self.due) if self.due else None


def obligations_kept(
    user, partnership: Partnership, *, starts: date, ends: date, today: date | None = None
) -> list[KeptRow]:
    """Per partner doing them, the occurrences due from `starts` to `ends` (inclusive) of the
    obligations the user sees, in one query. Drafts do not count: they bind nobody yet."""
    today = today or timezone.localdate()
    occurrences = (
        occurrences_for_user(user)
        .filter(
            obligation__agreement__partnership=partnership,
            due_on__gte=starts,
            due_on__lte=ends,
        )
        .exclude(obligation__agreement__status=AgreementStatus.DRAFT)
        .alias(done_day=TruncDate("done_at"))
    )
    past = Q(due_on__lt=today)
    done = Q(done_at__isnull=False)
    rows = (
        occurrences.values("obligation__owner_organization", "obligation__owner_organization__name")
        .annotate(
            due=Count("pk", filter=Q(due_on__lte=today)),
            kept=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(done_day__lte=F("due_on"))),
            overdue=Count("pk", filter=past & ~done),
            upcoming=Count("pk", filter=Q(due_on__gte=today) & ~done),
        )
        .order_by("obligation__owner_organization__name", "obligation__owner_organization")
    )
    return [
        KeptRow(
            organization_id=row["obligation__owner_organization"],
            organization=row["obligation__owner_organization__name"],
            due=row["due"],
            kept=row["kept"],
            on_time=row["on_time"],
            overdue=row["overdue"],
            upcoming=row["upcoming"],
        )
        for row in rows
    ]


def obligations_kept_in_year(user, partnership, *, year: int, today=None) -> list[KeptRow]:
    """The yearly "obligations kept" table of the partnership report."""
    return obligations_kept(
        user, partnership, starts=date(year, 1, 1), ends=date(year, 12, 31), today=today
    )


# --- Meetings, action items, grants -------------------------------------------------------------


def meetings_for_user(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership__in=partnerships_for_user(user))


def meeting_list(user, partnership: Partnership | None = None) -> QuerySet[Meeting]:
    """Meetings (of one partnership, if given), soonest first, with their place and how many
    action items are open and closed."""
    meetings = meetings_for_user(user)
    if partnership is not None:
        meetings = meetings.filter(partnership=partnership)
    return (
        meetings.select_related("location", "partnership")
        .annotate(
            open_items=Count("action_items", filter=Q(action_items__status__in=OPEN_ACTION_STATES)),
            closed_items=Count(
                "action_items", filter=~Q(action_items__status__in=OPEN_ACTION_STATES)
            ),
        )
        .order_by("starts", "pk")
    )


def meeting_for_user(user, pk: int) -> Meeting | None:
    """One meeting with its attendees and action items."""
    return (
        meetings_for_user(user)
        .filter(pk=pk)
        .select_related("location", "partnership__convener")
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=MeetingAttendee.objects.select_related("organization", "user"),
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner", "owner_organization").order_by(
                    "due_on", "pk"
                ),
            ),
        )
        .first()
    )


def meeting_calendar_for_user(user, pk: int) -> str | None:
    """The meeting's calendar file (text/calendar), or None."""
    meeting = meeting_for_user(user, pk)
    return meeting_calendar(meeting) if meeting is not None else None


def action_items_for_user(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting__partnership__in=partnerships_for_user(user))


def action_item_list(user, *, partnership=None, open_only: bool = False) -> QuerySet[ActionItem]:
    items = action_items_for_user(user)
    if partnership is not None:
        items = items.filter(meeting__partnership=partnership)
    if open_only:
        items = items.filter(status__in=OPEN_ACTION_STATES)
    return items.select_related("owner", "owner_organization", "meeting").order_by("due_on", "pk")


def my_action_items(user) -> QuerySet[ActionItem]:
    """The open action items the user owns, soonest due first (their home page)."""
    return action_item_list(user, open_only=True).filter(owner_id=user.pk)


def action_item_for_user(user, pk: int) -> ActionItem | None:
    return (
        action_items_for_user(user)
        .filter(pk=pk)
        .select_related("meeting__partnership", "owner", "owner_organization")
        .first()
    )


def grants_for_user(user) -> QuerySet[Grant]:
    return Grant.objects.filter(partnership__in=partnerships_for_user(user))


def grant_list(user, partnership: Partnership | None = None) -> QuerySet[Grant]:
    grants = grants_for_user(user)
    if partnership is not None:
        grants = grants.filter(partnership=partnership)
    return grants.select_related("lead_organization", "meeting", "partnership").order_by(
        F("deadline").asc(nulls_last=True), "pk"
    )


def grant_for_user(user, pk: int) -> Grant | None:
    return (
        grants_for_user(user)
        .filter(pk=pk)
        .select_related("partnership", "lead_organization", "meeting")
        .first()
    )


# --- The liaison's log --------------------------------------------------------------------------


def log_entries_for_user(user) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(partnership__in=partnerships_for_user(user))


def log_list(
    user, partnership: Partnership, *, starts: date | None = None, ends: date | None = None
) -> QuerySet[LogEntry]:
    entries = log_entries_for_user(user).filter(partnership=partnership)
    if starts is not None:
        entries = entries.filter(occurred_on__gte=starts)
    if ends is not None:
        entries = entries.filter(occurred_on__lte=ends)
    return entries.select_related("liaison", "with_organization").order_by("-occurred_on", "-pk")


def log_entry_for_user(user, pk: int) -> LogEntry | None:
    return (
        log_entries_for_user(user)
        .filter(pk=pk)
        .select_related("partnership", "liaison", "with_organization")
        .first()
    )


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class MonthTotal:
    """A liaison's time for one partnership in one month, against what the partnership
    expects (Partnership.expected_liaison_minutes)."""

    partnership: Partnership
    liaison_id: int
    year: int
    month: int
    minutes: int
    expected: int
    by_activity: dict[str, int]

    @property
    def share(self) -> int | None:
        return round(100 * self.minutes / self.expected) if self.expected else None


def month_totals_for_user(user, *, year: int, month: int) -> list[MonthTotal]:
    """The user's own time in each partnership where they keep the log (their home page), in
    two queries."""
    first, last = month_bounds(year, month)
    partnerships = list(
        partnerships_for_user(user)
        .filter(
            Exists(
                Partner.objects.filter(
                    partnership=OuterRef("pk"),
                    organization__in=organizations_for(user, roles=rules.LOG_ROLES),
                )
            )
        )
        .order_by("name", "pk")
    )
    sums: dict[int, dict[str, int]] = {}
    for row in (
        LogEntry.objects.filter(
            liaison_id=user.pk,
            partnership__in=[p.pk for p in partnerships],
            occurred_on__gte=first,
            occurred_on__lte=last,
        )
        .values("partnership", "activity")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    ):
        sums.setdefault(row["partnership"], {})[row["activity"]] = row["minutes"]
    return [
        MonthTotal(
            partnership=p,
            liaison_id=user.pk,
            year=year,
            month=month,
            minutes=sum(sums.get(p.pk, {}).values()),
            expected=p.expected_liaison_minutes,
            by_activity={a: sums.get(p.pk, {}).get(a, 0) for a in Activity.values},
        )
        for p in partnerships
    ]


@dataclass(frozen=True)
class LiaisonMonths:
    """One liaison's minutes in each month of a period, for the report."""

    liaison_id: int
    liaison: str
    months: list[tuple[int, int, int]]  # (year, month, minutes)
    expected_per_month: int

    @property
    def total(self) -> int:
        return sum(minutes for _y, _m, minutes in self.months)

    @property
    def expected(self) -> int:
        return self.expected_per_month * len(self.months)


def liaison_time(
    user, partnership: Partnership, *, starts: date, ends: date
) -> list[LiaisonMonths]:
    """Each liaison's minutes per month from `starts` to `ends`, in one query."""
    months = []
    year, month = starts.year, starts.month
    while date(year, month, 1) <= ends:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    totals: dict[int, dict[tuple[int, int], int]] = {}
    names: dict[int, str] = {}
    for entry in log_list(user, partnership, starts=starts, ends=ends).order_by():
        key = (entry.occurred_on.year, entry.occurred_on.month)
        totals.setdefault(entry.liaison_id, {}).setdefault(key, 0)
        totals[entry.liaison_id][key] += entry.minutes
        names[entry.liaison_id] = str(entry.liaison)
    return [
        LiaisonMonths(
            liaison_id=pk,
            liaison=names[pk],
            months=[(y, m, totals[pk].get((y, m), 0)) for y, m in months],
            expected_per_month=partnership.expected_liaison_minutes,
        )
        for pk in sorted(totals, key=lambda pk: (names[pk], pk))
    ]


def time_by_activity(user, partnership, *, starts: date, ends: date) -> dict[str, int]:
    rows = (
        log_entries_for_user(user)
        .filter(partnership=partnership, occurred_on__gte=starts, occurred_on__lte=ends)
        .values("activity")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    found = {row["activity"]: row["minutes"] for row in rows}
    return {activity: found.get(activity, 0) for activity in Activity.values}
