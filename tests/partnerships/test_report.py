"""The quarterly activity report: its data, scoped to the reader, and its CSV, safe to open in
a spreadsheet."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jobhelp.partnerships.enums import ActionItemStatus, Activity
from jobhelp.partnerships.obligations import mark_occurrence_done, sync_occurrences
from jobhelp.partnerships.report import activity_report, quarter_bounds, report_csv
from tests.factories.partnerships import (
    ActionItemFactory,
    AgreementFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
    ObligationFactory,
    PartyFactory,
)

CHICAGO = ZoneInfo("America/Chicago")
TODAY = date(2026, 4, 2)


@pytest.fixture
def quarter(partnership, center, library, affiliate, liaison, manager):
    """The first quarter of 2026, with every section filled, and a name that is a formula."""
    agreement = AgreementFactory(
        partnership=partnership,
        status="executed",
        effective_from=date(2026, 1, 1),
        renewal_on=date(2027, 12, 31),
    )
    PartyFactory(agreement=agreement, organization=center)
    PartyFactory(agreement=agreement, organization=library)
    PartyFactory(agreement=agreement, organization=affiliate, tier="reduced")
    flyers = ObligationFactory(
        agreement=agreement,
        title='=HYPERLINK("http://evil.example","Flyers")',
        owner_organization=center,
        first_due_on=date(2026, 1, 5),
        reduced_tier_takes_part=True,
    )
    cards = ObligationFactory(
        agreement=agreement,
        title="Five temporary library cards",
        owner_organization=library,
        frequency="once",
        first_due_on=date(2026, 2, 1),
    )
    sync_occurrences(flyers)
    sync_occurrences(cards)
    mark_occurrence_done(
        flyers.occurrences.get(due_on=date(2026, 1, 5)),
        by=liaison,
        note="Sent.",
        now=datetime.combine(date(2026, 1, 5), time(10), tzinfo=CHICAGO),
    )
    for day, minutes, activity in (
        (date(2026, 1, 12), 60, Activity.TOUR),
        (date(2026, 2, 3), 90, Activity.TRAINING),
        (date(2026, 3, 30), 45, Activity.MATERIALS),
        (date(2026, 4, 1), 500, Activity.OTHER),  # the next quarter
    ):
        LogEntryFactory(
            partnership=partnership,
            liaison=liaison,
            occurred_on=day,
            minutes=minutes,
            activity=activity,
        )
    meeting = MeetingFactory(
        partnership=partnership,
        title="@SUM(1+1) Q1 management meeting",
        starts=datetime(2026, 3, 10, 14, tzinfo=CHICAGO),
        ends=datetime(2026, 3, 10, 15, 30, tzinfo=CHICAGO),
    )
    ActionItemFactory(
        meeting=meeting,
        owner=manager,
        owner_organization=library,
        due_on=date(2026, 3, 31),
        title="Order titles",
    )
    ActionItemFactory(
        meeting=meeting,
        owner=liaison,
        due_on=date(2026, 3, 20),
        status=ActionItemStatus.DONE,
        closed_at=datetime(2026, 3, 19, 12, tzinfo=CHICAGO),
        title="-Send the flyer list",
    )
    GrantFactory(partnership=partnership, lead_organization=library, deadline=date(2026, 5, 1))
    return agreement


def test_quarters_run_from_the_first_to_the_last_day():
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)


def test_the_report_gathers_the_quarter(quarter, partnership, center, library, liaison, manager):
    report = activity_report(manager, partnership, year=2026, quarter=1, today=TODAY)

    assert [(r.liaison, r.months, r.total, r.expected) for r in report.liaison_time] == [
        ("Lee Brooks", [(2026, 1, 60), (2026, 2, 90), (2026, 3, 45)], 195, 360)
    ]
    assert report.minutes_given == 195
    assert report.time_by_activity == {
        "tour": 60,
        "training": 90,
        "meeting": 0,
        "materials": 45,
        "outreach": 0,
        "other": 0,
    }
    kept = {row.organization: (row.due, row.kept, row.overdue) for row in report.obligations}
    assert kept == {center.name: (3, 1, 2), library.name: (1, 0, 1)}
    assert [(o.obligation.title[:10], o.due_on) for o in report.overdue] == [
        ("Five tempo", date(2026, 2, 1)),
        ("=HYPERLINK", date(2026, 2, 5)),
        ("=HYPERLINK", date(2026, 3, 5)),
    ]
    assert [(m.title, m.open_items, m.closed_items) for m in report.meetings] == [
        ("@SUM(1+1) Q1 management meeting", 1, 1)
    ]
    assert sorted(i.title for i in report.action_items) == ["-Send the flyer list", "Order titles"]
    assert len(report.grants) == 1
    assert (report.trainings, report.flyers) == (None, None)
    # Filled by the reports app (reports.referrals.partnership_referrals), tested there.
    assert report.referrals == [
        ["From", "To", "Referrals", "Accepted", "Completed", "Got help"],
        ["No referrals between the partners in this quarter."],
    ]


def test_an_affiliates_staff_get_the_report_of_their_tier(
    quarter, partnership, center, affiliate_staff
):
    report = activity_report(affiliate_staff, partnership, year=2026, quarter=1, today=TODAY)
    assert [row.organization for row in report.obligations] == [center.name]
    assert {o.obligation.owner_organization for o in report.overdue} == {center}


def test_the_csv_keeps_formulas_as_text_and_numbers_as_numbers(quarter, partnership, manager):
    text = report_csv(activity_report(manager, partnership, year=2026, quarter=1, today=TODAY))

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Flyers")' in cells
    assert "'@SUM(1+1) Q1 management meeting" in cells
    assert "'-Send the flyer list" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert ["Lee Brooks", "60", "90", "45", "195", "360"] in rows
    assert '"Lee Brooks",60,90,45,195,360' in text
    assert ["Not recorded in jobhelp yet."] in rows


def test_the_csv_is_in_the_readers_language(quarter, partnership, manager):
    with translation.override("es"):
        text = report_csv(activity_report(manager, partnership, year=2026, quarter=1, today=TODAY))
    assert "Informe de actividad de la colaboración" in text
