"""Referral figures in both directions, with small-cell suppression, on the reports page, its
CSV and the API, and in the partnership's quarterly report."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.partnerships.report import activity_report
from jobhelp.reports.filters import ReportFilters
from jobhelp.reports.queries import report_scope
from jobhelp.reports.referrals import build_referral_tables, referral_figures
from jobhelp.reports.suppression import SUPPRESSED
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceFactory
from tests.factories.partnerships import WorkforceCenterFactory
from tests.factories.referrals import ReferralFactory, agreement_between

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
MARCH = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=CHICAGO)


@pytest.fixture
def march(library, branch, other_library):
    """The library system (and its branch) refer seven people to the center in March, one
    more in April; the center refers five to the library; another library's one is not ours.

        sent to the center's WIOA:  3 completed (got help; answered in 1, 2 and 3 days),
            1 declined (answered in 4 days), 2 waiting, from the branch 1 cancelled
        received from the center at the library's resumé help: 5 accepted (answered in 1 day)
    """
    center = WorkforceCenterFactory(name="Riverbend WorkForce Center")
    wioa = ServiceFactory(organization=center, name="WIOA career services")
    resume = ServiceFactory(organization=library, name="Resumé help")
    for day in (1, 2, 3):
        ReferralFactory(
            from_organization=library,
            service=wioa,
            sent_at=at(day),
            first_response_at=at(day) + timedelta(days=day),
            state="completed",
            outcome="got_help",
            closed_at=at(20),
        )
    ReferralFactory(
        from_organization=library,
        service=wioa,
        sent_at=at(4),
        first_response_at=at(8),
        state="declined",
        decline_reason="no_capacity",
        closed_at=at(8),
    )
    ReferralFactory(from_organization=library, service=wioa, sent_at=at(5))
    ReferralFactory(from_organization=library, service=wioa, sent_at=at(6))
    ReferralFactory(
        from_organization=branch, service=wioa, sent_at=at(7), state="cancelled", closed_at=at(8)
    )
    ReferralFactory(from_organization=library, service=wioa, sent_at=at(1) + timedelta(days=31))
    for day in range(10, 15):
        ReferralFactory(
            from_organization=center,
            service=resume,
            sent_at=at(day),
            first_response_at=at(day + 1),
            state="accepted",
        )
    ReferralFactory(from_organization=other_library, service=wioa, sent_at=at(9))
    return center, wioa, resume


def shown(tables) -> dict:
    return {t.key: {r.key: [c.value for c in r.cells] for r in t.rows} for t in tables}


def test_both_directions_are_counted_and_small_cells_hidden(manager, march):
    center, wioa, resume = march
    figures = referral_figures(report_scope(manager), MARCH)
    assert (figures.sent.total, figures.received.total) == (7, 5)
    assert figures.sent.by_end == {"got_help": 3, "declined": 1, "open": 2, "cancelled": 1}
    assert figures.sent.first_response.count == 4
    assert figures.sent.first_response.median == timedelta(days=2.5)
    tables = shown(build_referral_tables(figures))
    assert tables["referrals_sent"] == {
        str(center.pk): [7, SUPPRESSED, SUPPRESSED, SUPPRESSED],
        "total": [7, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    }
    assert tables["referrals_received"] == {
        str(center.pk): [5, 5, 0, 0],
        "total": [5, 5, 0, 0],
    }
    assert tables["referrals_services"] == {
        str(resume.pk): [0, 5],
        str(wioa.pk): [7, 0],
    }
    assert tables["referrals_outcomes"] == {
        "got_help": [SUPPRESSED, 0],
        "not_eligible": [0, 0],
        "no_capacity": [0, 0],
        "could_not_contact": [0, 0],
        "patron_declined": [0, 0],
        "referred_elsewhere": [0, 0],
        "declined": [SUPPRESSED, 0],
        "expired": [0, 0],
        "cancelled": [SUPPRESSED, 0],
        "open": [SUPPRESSED, 5],
        "total": [7, 5],
    }
    assert tables["referrals_response"] == {
        # Four answers: too few to show their median.
        "median": [SUPPRESSED, 1.0],
        "p90": [SUPPRESSED, 1.0],
        "count": [SUPPRESSED, 5],
    }


def test_a_branch_manager_counts_only_the_branch(march, branch):
    figures = referral_figures(report_scope(staff_member(branch, Role.MANAGER)), MARCH)
    assert (figures.sent.total, figures.received.total) == (1, 0)


def test_the_need_filter_applies(manager, march):
    from dataclasses import replace

    figures = referral_figures(report_scope(manager), replace(MARCH, need="digital"))
    assert (figures.sent.total, figures.received.total) == (0, 0)


def test_the_reports_page_csv_and_api_show_the_tables(client, log_in, march):
    from jobhelp.accounts.domain import create_api_token

    user = log_in("manager")
    query = "start=2026-03-01&end=2026-03-31"
    page = client.get(f"/staff/reports/?{query}").content.decode()
    assert "Referrals sent, by partner" in page
    assert "Referrals received, by partner" in page
    csv = client.get(f"/staff/reports/csv/referrals_received/?{query}").content.decode()
    assert csv.splitlines()[1:] == [
        '"Riverbend WorkForce Center",5,5,0,0',
        '"All referrals",5,5,0,0',
    ]
    _token, key = create_api_token(user, name="r", by=user)
    body = client.get(
        "/api/v1/reports/summary?start=2026-03-01&end=2026-03-31",
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    sent = next(t for t in body["tables"] if t["key"] == "referrals_sent")
    assert sent["rows"][-1]["values"] == {
        "referrals": 7,
        "accepted": SUPPRESSED,
        "completed": SUPPRESSED,
        "got_help": SUPPRESSED,
    }


def test_the_partnerships_quarterly_report_counts_referrals_between_its_partners(
    march, library, branch, manager
):
    center, _wioa, _resume = march
    agreement = agreement_between(center, library)
    report = activity_report(manager, agreement.partnership, year=2026, quarter=1)
    assert report.referrals == [
        ["From", "To", "Referrals", "Accepted", "Completed", "Got help"],
        # The branch's referral counts with its library system's.
        [
            "Riverbend County Library",
            "Riverbend WorkForce Center",
            7,
            SUPPRESSED,
            SUPPRESSED,
            SUPPRESSED,
        ],
        ["Riverbend WorkForce Center", "Riverbend County Library", 5, 5, 0, 0],
    ]
