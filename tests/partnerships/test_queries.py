"""Every scoped read, across the personas, with data of another partnership and another
organization that could leak; and the number of queries of every list, with 1 and 3 rows."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.partnerships import queries
from jobhelp.partnerships.enums import ActionItemStatus
from jobhelp.partnerships.models import CostShare, MeetingAttendee, Occurrence
from jobhelp.partnerships.obligations import mark_occurrence_done, sync_occurrences
from tests.factories.accounts import UserFactory, staff_member
from tests.factories.partnerships import (
    ActionItemFactory,
    AgreementFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
    ObligationFactory,
    OccurrenceFactory,
    PartnerFactory,
    PartyFactory,
)
from tests.partnerships.conftest import term_start
from tests.workshops.files import tiny_png, upload

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def ours(partnership, agreement, obligations, liaison, center_manager):
    meeting = MeetingFactory(partnership=partnership)
    return {
        "meeting": meeting,
        "action_item": ActionItemFactory(meeting=meeting, owner=center_manager),
        "grant": GrantFactory(partnership=partnership),
        "log_entry": LogEntryFactory(partnership=partnership, liaison=liaison),
    }


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- Who sees what --------------------------------------------------------------------------------


def test_the_partnerships_staff_see_it_and_nobody_else_does(
    ours,
    partnership,
    agreement,
    obligations,
    elsewhere,
    center_manager,
    manager,
    front_desk,
    affiliate_staff,
    branch_staff,
    outsider,
):
    everything_here = {
        "partnerships": {partnership.pk},
        "agreements": {agreement.pk},
        "meetings": {ours["meeting"].pk},
        "action_items": {ours["action_item"].pk},
        "grants": {ours["grant"].pk},
        "log": {ours["log_entry"].pk},
    }
    nothing = {key: set() for key in everything_here}
    expected = {
        center_manager: everything_here,
        manager: everything_here,
        front_desk: everything_here,
        affiliate_staff: everything_here,
        # A branch is not a partner here, and its staff do not act for the library system.
        branch_staff: nothing,
        outsider: {
            "partnerships": {elsewhere.partnership.pk},
            "agreements": {elsewhere.agreement.pk},
            "meetings": {elsewhere.meeting.pk},
            "action_items": {elsewhere.action_item.pk},
            "grants": {elsewhere.grant.pk},
            "log": {elsewhere.log_entry.pk},
        },
    }
    for person, sees in expected.items():
        assert {
            "partnerships": pks(queries.partnerships_for_user(person)),
            "agreements": pks(queries.agreements_for_user(person)),
            "meetings": pks(queries.meetings_for_user(person)),
            "action_items": pks(queries.action_items_for_user(person)),
            "grants": pks(queries.grants_for_user(person)),
            "log": pks(queries.log_entries_for_user(person)),
        } == sees, person


def test_lookups_of_another_partnerships_objects_find_nothing(
    ours, elsewhere, center_manager, media
):
    elsewhere_share = CostShare.objects.create(
        party=elsewhere.agreement.parties.first(),
        category="shared",
        contribution="cash",
        description="Rent",
    )
    elsewhere_kept = elsewhere.obligation.occurrences.first()
    mark_occurrence_done(
        elsewhere_kept, by=elsewhere.manager, upload=upload("shelf.png", tiny_png(), "image/png")
    )
    assert queries.evidence_file_for_user(elsewhere.manager, elsewhere_kept.pk).name == "shelf.png"
    assert [
        queries.partnership_for_user(center_manager, elsewhere.partnership.pk),
        queries.agreement_for_user(center_manager, elsewhere.agreement.pk),
        queries.party_for_user(center_manager, elsewhere.agreement.parties.first().pk),
        queries.obligation_for_user(center_manager, elsewhere.obligation.pk),
        queries.occurrence_for_user(center_manager, elsewhere.obligation.occurrences.first().pk),
        queries.meeting_for_user(center_manager, elsewhere.meeting.pk),
        queries.meeting_calendar_for_user(center_manager, elsewhere.meeting.pk),
        queries.action_item_for_user(center_manager, elsewhere.action_item.pk),
        queries.grant_for_user(center_manager, elsewhere.grant.pk),
        queries.log_entry_for_user(center_manager, elsewhere.log_entry.pk),
        queries.cost_share_for_user(center_manager, elsewhere_share.pk),
        queries.evidence_file_for_user(center_manager, elsewhere_kept.pk),
    ] == [None] * 12
    assert queries.meeting_for_user(center_manager, ours["meeting"].pk) == ours["meeting"]


def test_an_affiliates_staff_see_only_the_obligations_their_tier_takes_part_in(
    obligations, center_manager, front_desk, affiliate_staff, branch_staff, outsider, elsewhere
):
    everything = {o.pk for o in vars(obligations).values()}
    assert pks(queries.obligations_for_user(center_manager)) == everything
    assert pks(queries.obligations_for_user(front_desk)) == everything
    assert pks(queries.obligations_for_user(affiliate_staff)) == {
        obligations.tours.pk,
        obligations.flyers.pk,
    }
    assert pks(queries.obligations_for_user(branch_staff)) == set()
    assert pks(queries.obligations_for_user(outsider)) == {elsewhere.obligation.pk}
    hidden = obligations.training.occurrences.first()
    assert queries.occurrence_for_user(affiliate_staff, hidden.pk) is None
    assert pks(queries.occurrences_for_user(affiliate_staff)) == pks(
        Occurrence.objects.filter(obligation__in=[obligations.tours, obligations.flyers])
    )


def test_an_affiliate_sees_its_own_obligations_whatever_their_tier(
    agreement, affiliate, affiliate_staff
):
    own = ObligationFactory(agreement=agreement, owner_organization=affiliate)
    assert own.pk in pks(queries.obligations_for_user(affiliate_staff))


def test_an_agreement_is_seen_only_by_its_parties_not_by_every_partner(
    partnership, center, other_library, outsider, center_manager
):
    # other_library becomes a partner but not a party to this agreement.
    PartnerFactory(partnership=partnership, organization=other_library)
    agreement = AgreementFactory(partnership=partnership)
    PartyFactory(agreement=agreement, organization=center)

    assert pks(queries.agreements_for_user(outsider)) == set()
    assert pks(queries.partnerships_for_user(outsider)) == {partnership.pk}
    assert pks(queries.agreements_for_user(center_manager)) == {agreement.pk}


def test_overdue_occurrences_are_those_the_person_may_record(
    obligations, liaison, center_manager, front_desk, affiliate_staff, manager
):
    today = term_start() + timedelta(days=100)
    kept = obligations.flyers.occurrences.order_by("due_on").first()
    mark_occurrence_done(kept, by=liaison, note="Sent.")
    late = Occurrence.objects.filter(due_on__lt=today, done_at__isnull=True).order_by(
        "due_on", "pk"
    )

    overdue = [o.pk for o in queries.overdue_occurrences_for_user(liaison, today=today)]

    assert (overdue, kept.pk in overdue, len(overdue) > 3) == (
        list(late.values_list("pk", flat=True)),
        False,
        True,
    )
    assert [o.pk for o in queries.overdue_occurrences_for_user(manager, today=today)] == overdue
    assert [o.pk for o in queries.overdue_occurrences_for_user(center_manager, today=today)] == (
        overdue
    )
    # Front desk and an affiliate's front desk record nothing, so their home shows none.
    assert list(queries.overdue_occurrences_for_user(front_desk, today=today)) == []
    assert list(queries.overdue_occurrences_for_user(affiliate_staff, today=today)) == []


def test_a_drafts_occurrences_are_not_overdue(obligations, agreement, liaison):
    agreement.status = "draft"
    agreement.save()
    assert list(queries.overdue_occurrences_for_user(liaison, today=date(2100, 1, 1))) == []


def test_the_obligations_kept_table_counts_by_partner(
    partnership, center, library, liaison, manager
):
    agreement = AgreementFactory(
        partnership=partnership,
        status="executed",
        effective_from=date(2026, 1, 1),
        renewal_on=date(2026, 12, 31),
    )
    PartyFactory(agreement=agreement, organization=center)
    PartyFactory(agreement=agreement, organization=library)
    flyers = ObligationFactory(
        agreement=agreement, owner_organization=center, first_due_on=date(2026, 1, 1)
    )
    training = ObligationFactory(
        agreement=agreement,
        owner_organization=library,
        frequency="quarterly",
        first_due_on=date(2026, 1, 1),
    )
    sync_occurrences(flyers)
    sync_occurrences(training)
    for month, done_on in ((1, date(2026, 1, 1)), (2, date(2026, 2, 1)), (3, date(2026, 4, 10))):
        mark_occurrence_done(
            flyers.occurrences.get(due_on=date(2026, month, 1)),
            by=liaison,
            note="Sent.",
            now=datetime.combine(done_on, time(12), tzinfo=CHICAGO),
        )

    rows = queries.obligations_kept_in_year(
        manager, partnership, year=2026, today=date(2026, 7, 15)
    )

    assert rows == [
        queries.KeptRow(
            organization_id=library.pk,
            organization=library.name,
            due=3,
            kept=0,
            on_time=0,
            overdue=3,
            upcoming=1,
        ),
        queries.KeptRow(
            organization_id=center.pk,
            organization=center.name,
            due=7,
            kept=3,
            on_time=2,
            overdue=4,
            upcoming=5,
        ),
    ]
    assert (rows[1].kept_share, rows[0].kept_share) == (43, 0)


# --- Partners overview ----------------------------------------------------------------------------


def test_the_partnership_page_shows_what_each_partner_takes_part_in(
    partnership, obligations, center, library, affiliate, center_manager
):
    overview = {
        row.partner.organization: row
        for row in queries.partners_overview(center_manager, partnership)
    }
    everything = sorted(o.title for o in vars(obligations).values())
    assert sorted(o.title for o in overview[center].obligations) == everything
    assert sorted(o.title for o in overview[library].obligations) == everything
    assert sorted(o.title for o in overview[affiliate].obligations) == [
        "Liaison tours of the job center",
        "Monthly workshop flyers",
    ]
    assert overview[affiliate].partner.get_tier_display() == "Reduced participation"


# --- Month totals ---------------------------------------------------------------------------------


def test_month_totals_are_the_liaisons_own(partnership, liaison, center):
    other = staff_member(center, Role.LIAISON)
    LogEntryFactory(
        partnership=partnership, liaison=liaison, occurred_on=date(2026, 5, 3), minutes=70
    )
    LogEntryFactory(
        partnership=partnership, liaison=other, occurred_on=date(2026, 5, 4), minutes=500
    )
    LogEntryFactory(
        partnership=partnership, liaison=liaison, occurred_on=date(2026, 6, 1), minutes=9
    )

    (total,) = queries.month_totals_for_user(liaison, year=2026, month=5)
    assert (total.minutes, total.expected) == (70, 120)
    assert queries.month_totals_for_user(UserFactory(), year=2026, month=5) == []


# --- Query counts ---------------------------------------------------------------------------------


def count(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def more(partnership, agreement, center, library, liaison, owner, n):
    """n more of every kind of row."""
    tracked = agreement.obligations.order_by("pk").first() or ObligationFactory(
        agreement=agreement, owner_organization=center
    )
    for i in range(n):
        meeting = MeetingFactory(partnership=partnership)
        first_meeting = partnership.meetings.order_by("pk").first()
        MeetingAttendee.objects.create(
            meeting=first_meeting, organization=center, user=UserFactory()
        )
        MeetingAttendee.objects.create(
            meeting=first_meeting, organization=library, name=f"Guest {i}"
        )
        ActionItemFactory(meeting=first_meeting, owner=UserFactory())
        OccurrenceFactory(
            obligation=tracked,
            due_on=date(1990, 1, 1) + timedelta(days=Occurrence.objects.count()),
            done_at=timezone.now(),
            done_by=UserFactory(),
            evidence=meeting,
        )
        ActionItemFactory(meeting=meeting, owner=owner)
        ActionItemFactory(meeting=meeting, owner=owner, status=ActionItemStatus.DONE)
        GrantFactory(partnership=partnership, lead_organization=library)
        LogEntryFactory(partnership=partnership, liaison=liaison, with_organization=library)
        ObligationFactory(agreement=agreement, owner_organization=center, owner=liaison)
        other = AgreementFactory(partnership=partnership, title=f"Side agreement {i}")
        PartyFactory(agreement=other, organization=center)
        PartyFactory(agreement=other, organization=library)


def _first_meeting(user, partnership):
    meeting = queries.meetings_for_user(user).filter(partnership=partnership).order_by("pk").first()
    found = queries.meeting_for_user(user, meeting.pk)
    return [(a.organization.name, str(a)) for a in found.attendees.all()] + [
        (i.owner.username, i.owner_organization.name) for i in found.action_items.all()
    ]


LISTS = {
    "partnerships_for_user": lambda user, p, a: [
        (x.name, x.convener_id) for x in queries.partnerships_for_user(user)
    ],
    "occurrence_list": lambda user, p, a: [
        (str(o.done_by), o.evidence_type and o.evidence_type.model, str(o.evidence))
        for o in queries.occurrence_list(user, a.obligations.order_by("pk").first())
    ],
    "my_action_items": lambda user, p, a: [
        (i.meeting.title, i.owner_organization.name) for i in queries.my_action_items(user)
    ],
    "month_totals_for_user": lambda user, p, a: queries.month_totals_for_user(
        user, year=timezone.localdate().year, month=timezone.localdate().month
    ),
    "agreement_list": lambda user, p, a: [
        (x.partnership.name, x.party_count, x.signed_count) for x in queries.agreement_list(user, p)
    ],
    "agreement_for_user": lambda user, p, a: (
        [
            (party.organization.name, [s.category for s in party.cost_shares.all()])
            for party in queries.agreement_for_user(user, a.pk).parties.all()
        ]
        + list(queries.agreement_for_user(user, a.pk).attachments.all())
    ),
    "obligation_list": lambda user, p, a: [
        (o.owner_organization.name, str(o.owner), o.kept, o.overdue)
        for o in queries.obligation_list(user, a)
    ],
    "overdue": lambda user, p, a: [
        (
            o.obligation.agreement.partnership.name,
            o.obligation.owner_organization.name,
            str(o.obligation.owner),
        )
        for o in queries.overdue_occurrences_for_user(user, today=date(2100, 1, 1))
    ],
    "meeting_list": lambda user, p, a: [
        (m.location.name, m.open_items, m.closed_items) for m in queries.meeting_list(user, p)
    ],
    "action_item_list": lambda user, p, a: [
        (i.owner.username, i.owner_organization.name, i.meeting.title)
        for i in queries.action_item_list(user, partnership=p)
    ],
    "grant_list": lambda user, p, a: [
        (g.lead_organization.name, g.partnership.name) for g in queries.grant_list(user, p)
    ],
    "log_list": lambda user, p, a: [
        (e.liaison.username, e.with_organization.name if e.with_organization else "")
        for e in queries.log_list(user, p)
    ],
    "partners_overview": lambda user, p, a: [
        (row.partner.organization.name, len(row.contacts), len(row.obligations))
        for row in queries.partners_overview(user, p)
    ],
    "liaison_time": lambda user, p, a: queries.liaison_time(
        user, p, starts=date(2000, 1, 1), ends=date(2100, 12, 31)
    ),
    "obligations_kept": lambda user, p, a: queries.obligations_kept(
        user, p, starts=date(2000, 1, 1), ends=date(2100, 12, 31)
    ),
    "meeting_for_user": lambda user, p, a: _first_meeting(user, p),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_reads_in_the_same_number_of_queries_for_1_and_3_rows(
    name, partnership, agreement, center, library, liaison, manager
):
    read = LISTS[name]
    more(partnership, agreement, center, library, liaison, manager, 1)
    for obligation in agreement.obligations.all():
        sync_occurrences(obligation)
    one = count(lambda: read(manager, partnership, agreement))

    more(partnership, agreement, center, library, liaison, manager, 2)
    for obligation in agreement.obligations.all():
        sync_occurrences(obligation)
    three = count(lambda: read(manager, partnership, agreement))

    assert three == one
