import threading
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from jobhelp.intake.models import HelpRequest
from jobhelp.reports.queries import (
    Durations,
    HeadlineFigures,
    HelperFigures,
    compute_report,
    home_headline,
    report_scope,
)
from jobhelp.reports.readonly import read_only
from jobhelp.reports.suppression import SUPPRESSED, share, suppress
from jobhelp.reports.tables import build_tables
from tests.factories.intake import HelpRequestFactory
from tests.reports.conftest import NOVEMBER, at


def shown(tables) -> dict:
    """Every table as {row key: [cell values as shown]}."""
    return {t.key: {r.key: [c.value for c in r.cells] for r in t.rows} for t in tables}


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --- Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("manager", {"library", "branch"}),
        ("branch_manager", {"branch"}),
        ("other_manager", {"other_library"}),
        ("helper", set()),
        ("front_desk", set()),
        ("outsider", set()),
        ("no_membership", set()),
    ],
)
def test_reports_cover_the_organizations_one_manages(request, library, branch, persona, sees):
    user = request.getfixturevalue(persona)
    expected = {request.getfixturevalue(name).pk for name in sees}

    assert report_scope(user).ids == expected


def test_a_library_system_comes_before_its_branches(manager, library, branch):
    assert [o.pk for o in report_scope(manager).organizations] == [library.pk, branch.pk]


# --- The figures of a known month ----------------------------------------------------------------


def test_the_figures_of_a_known_month(manager, library, branch, november):
    figures = compute_report(report_scope(manager), NOVEMBER)

    assert figures.time_zone == "America/Chicago"
    assert [o.pk for o in figures.organizations] == [library.pk, branch.pk]
    assert figures.requests == 14
    assert figures.requests_by_channel == {
        "web": 7,
        "phone": 5,
        "email": 2,
        "walk_in": 0,
        "referral": 0,
    }
    assert figures.requests_by_organization == {library.pk: 10, branch.pk: 4}
    assert figures.first_contact == Durations(count=5, median=hours(3), p90=hours(7.6))
    assert figures.resolution == Durations(count=6, median=timedelta(days=3), p90=timedelta(days=7))
    assert figures.appointments == 9
    assert figures.appointments_by_state == {
        "booked": 0,
        "attended": 6,
        "no_show": 2,
        "cancelled": 0,
        "cancelled_late": 1,
    }
    assert figures.sessions == 6
    assert figures.minutes == 200
    assert figures.sessions_by_activity == {
        "resume_reviewed": 5,
        "referral": 2,
        "applications": 1,
        "digital": 1,
    }
    assert figures.sessions_by_organization == {library.pk: 5, branch.pk: 1}
    assert figures.sessions_by_helper == (
        HelperFigures(helper_id=november.ana.pk, name="Ana Reyes", sessions=5, minutes=180),
        HelperFigures(helper_id=november.bo.pk, name="Bo Lee", sessions=1, minutes=20),
    )
    assert figures.outcomes_by_kind == {"applied": 5, "hired": 1, "referred": 2}
    assert (figures.feedback_asked, figures.feedback_answered) == (6, 5)
    assert round(figures.helpful_average, 6) == 4.2
    assert figures.would_recommend == 4


def test_the_tables_of_a_known_month_hide_counts_below_five(manager, library, branch, november):
    tables = build_tables(compute_report(report_scope(manager), NOVEMBER))

    assert shown(tables) == {
        "requests": {
            "web": [7],
            # 5 is hidden too: with the total shown, one hidden count could be worked out.
            "phone": [SUPPRESSED],
            "email": [SUPPRESSED],
            "walk_in": [0],
            "referral": [0],
            "total": [14],
        },
        "organizations": {
            str(library.pk): [10, 5],
            str(branch.pk): [SUPPRESSED, SUPPRESSED],
        },
        "first_contact": {"median": [3.0], "p90": [7.6], "count": [5]},
        "resolution": {"median": [3.0], "p90": [7.0], "count": [6]},
        "appointments": {
            "attended": [6],
            "no_show": [SUPPRESSED],
            "cancelled_late": [SUPPRESSED],
            "cancelled": [0],
            "booked": [0],
            "total": [9],
        },
        "sessions": {
            "resume_drafted": [0],
            "resume_reviewed": [5],
            "applications": [SUPPRESSED],
            "interview_practice": [0],
            "adult_ed": [0],
            "benefits": [0],
            "digital": [SUPPRESSED],
            "referral": [SUPPRESSED],
            "total": [6],
            "minutes": [200],
        },
        "helpers": {
            str(november.ana.pk): [5, 180],
            # Staff workload is shown in full (issue 12): it is not a figure about patrons.
            str(november.bo.pk): [1, 20],
        },
        "outcomes": {
            "resume_completed": [0],
            "applied": [5],
            "interview": [0],
            "hired": [SUPPRESSED],
            "enrolled": [0],
            "referred": [SUPPRESSED],
        },
        "feedback": {
            "asked": [6],
            "answered": [5],
            "response_rate": [83.3],
            # 4 of 5: the share would give away a count of 4.
            "would_recommend": [SUPPRESSED],
            "helpful": [4.2],
        },
        "referrals": {"sessions": [SUPPRESSED], "outcomes": [SUPPRESSED]},
        # How many times the class met is about the class: shown as it is.
        "classes": {str(november.workshop.pk): [5, 6, 1, 83.3]},
    }


def test_a_branch_manager_sees_only_the_branch(branch_manager, branch, november):
    figures = compute_report(report_scope(branch_manager), NOVEMBER)

    assert [o.pk for o in figures.organizations] == [branch.pk]
    assert figures.requests_by_channel == {
        "web": 3,
        "phone": 1,
        "email": 0,
        "walk_in": 0,
        "referral": 0,
    }
    assert figures.appointments_by_state["attended"] == 1
    assert figures.sessions_by_helper == (
        HelperFigures(helper_id=november.bo.pk, name="Bo Lee", sessions=1, minutes=20),
    )
    assert figures.first_contact == Durations(count=0, median=None, p90=None)


def test_another_librarys_manager_sees_only_theirs(other_manager, november):
    figures = compute_report(report_scope(other_manager), NOVEMBER)

    assert figures.requests_by_channel == {
        "web": 6,
        "phone": 0,
        "email": 0,
        "walk_in": 0,
        "referral": 0,
    }
    assert figures.appointments_by_state["attended"] == 1
    assert figures.sessions == 1
    assert figures.outcomes_by_kind == {"hired": 1}
    assert (figures.feedback_asked, figures.feedback_answered) == (1, 1)


@pytest.mark.parametrize(
    ("change", "requests", "attended", "sessions"),
    [
        (
            {"channel": "phone"},
            {"web": 0, "phone": 5, "email": 0, "walk_in": 0, "referral": 0},
            2,
            2,
        ),
        (
            {"need": "digital"},
            {"web": 3, "phone": 1, "email": 0, "walk_in": 0, "referral": 0},
            1,
            1,
        ),
        ({"language": "es"}, {"web": 3, "phone": 1, "email": 0, "walk_in": 0, "referral": 0}, 1, 1),
        # Modality: the request's, the appointment type's, the session's.
        (
            {"modality": "in_person"},
            {"web": 0, "phone": 0, "email": 0, "walk_in": 0, "referral": 0},
            6,
            1,
        ),
    ],
)
def test_filters_narrow_every_figure(manager, november, change, requests, attended, sessions):
    figures = compute_report(report_scope(manager), replace(NOVEMBER, **change))

    assert figures.requests_by_channel == requests
    assert figures.appointments_by_state["attended"] == attended
    assert figures.sessions == sessions


def test_the_organization_filter_covers_only_that_organization(manager, branch, november):
    figures = compute_report(report_scope(manager), replace(NOVEMBER, organization_id=branch.pk))

    assert [o.pk for o in figures.organizations] == [branch.pk]
    assert figures.requests == 4
    assert figures.sessions == 1


def test_a_foreign_organization_filter_covers_nothing(manager, other_library, november):
    figures = compute_report(
        report_scope(manager), replace(NOVEMBER, organization_id=other_library.pk)
    )

    assert (figures.organizations, figures.requests, figures.sessions) == ((), 0, 0)


def test_the_helper_filter(manager, november):
    figures = compute_report(report_scope(manager), replace(NOVEMBER, helper_id=november.bo.pk))

    # No request is assigned to Bo; he gave one session, answered by phone.
    assert figures.requests == 0
    assert figures.sessions == 1
    assert (figures.feedback_asked, figures.feedback_answered) == (1, 1)


def test_averages_and_shares_of_fewer_than_five_answers_are_hidden(manager, november):
    figures = compute_report(report_scope(manager), replace(NOVEMBER, helper_id=november.bo.pk))

    assert shown(build_tables(figures))["feedback"] == {
        "asked": [SUPPRESSED],
        "answered": [SUPPRESSED],
        "response_rate": [SUPPRESSED],
        "would_recommend": [SUPPRESSED],
        "helpful": [SUPPRESSED],
    }
    assert shown(build_tables(figures))["sessions"]["minutes"] == [SUPPRESSED]


def test_percentiles_of_fewer_than_five_requests_are_hidden(branch_manager, november):
    request = november.requests["b1"]
    request.state, request.closing_reason = "resolved", "helped"
    request.finished_at = request.created_at + timedelta(days=1)
    request.save()

    tables = shown(build_tables(compute_report(report_scope(branch_manager), NOVEMBER)))

    assert tables["resolution"] == {
        "median": [SUPPRESSED],
        "p90": [SUPPRESSED],
        "count": [SUPPRESSED],
    }
    assert tables["first_contact"] == {"median": [None], "p90": [None], "count": [0]}


# --- Periods on the local calendar ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 1 November 2026 is the day the clocks go back; midnight is still CDT.
        (date(2026, 11, 1), date(2026, 11, 1), 1),
        (date(2026, 10, 31), date(2026, 10, 31), 1),
        (date(2026, 11, 30), date(2026, 11, 30), 1),
        (date(2026, 12, 1), date(2026, 12, 1), 1),
        (date(2026, 10, 1), date(2026, 12, 31), 17),
    ],
)
def test_days_are_read_on_the_organizations_wall_clock(manager, november, start, end, expected):
    figures = compute_report(
        report_scope(manager), replace(NOVEMBER, start=start, end=end, organization_id=None)
    )

    assert figures.requests == expected


# --- Suppression ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (120, 120)]
)
def test_counts_of_one_to_four_are_hidden(count, expected):
    assert suppress(count) == expected


@pytest.mark.parametrize(
    ("based_on", "expected"), [(0, None), (1, SUPPRESSED), (4, SUPPRESSED), (5, 4.2)]
)
def test_figures_computed_from_fewer_than_five_are_hidden(based_on, expected):
    assert suppress(4.2, based_on=based_on) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 0, None),
        (0, 20, 0.0),
        (3, 20, SUPPRESSED),
        (5, 20, 25.0),
        (4, 4, SUPPRESSED),
        (20, 20, 100.0),
    ],
)
def test_shares_hide_a_count_of_one_to_four_on_either_side(numerator, denominator, expected):
    assert share(numerator, denominator) == expected


# --- The headline --------------------------------------------------------------------------------


def test_home_headline_for_a_library_systems_staff(manager, november):
    assert home_headline(manager, now=at(15, 12)) == {
        "this_month": HeadlineFigures(attended=6, helped=9),
        "last_month": HeadlineFigures(attended=1, helped=1),
        "this_year": HeadlineFigures(attended=8, helped=10),
        "last_year": HeadlineFigures(attended=0, helped=0),
    }


def test_home_headline_of_another_library(outsider, november):
    assert home_headline(outsider, now=at(15, 12))["this_month"] == HeadlineFigures(
        attended=1, helped=1
    )


# --- The read-only path --------------------------------------------------------------------------


def test_the_report_takes_the_same_number_of_queries_for_more_data(
    manager, other_manager, november
):
    with CaptureQueriesContext(connection) as few:
        compute_report(report_scope(other_manager), NOVEMBER)
    with CaptureQueriesContext(connection) as more:
        compute_report(report_scope(manager), NOVEMBER)

    assert len(more) == len(few)
    assert not [q for q in more.captured_queries if "FOR UPDATE" in q["sql"].upper()]


def test_nothing_can_be_written_on_the_read_only_path(library):
    with pytest.raises(DatabaseError), read_only():
        HelpRequestFactory(organization=library)

    # The caller's transaction is writable again afterwards.
    HelpRequestFactory(organization=library)
    assert HelpRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_report_reads_while_another_connection_holds_a_write_transaction(manager, library):
    HelpRequestFactory(organization=library, created_at=at(2), consent_at=at(2))
    scope = report_scope(manager)
    writing, finish = threading.Event(), threading.Event()
    failures = []

    def writer():
        try:
            # On SQLite this takes the database's write lock (IMMEDIATE); on PostgreSQL the row
            # lock of the update. Both are held until `finish`.
            with transaction.atomic():
                HelpRequest.objects.filter(organization=library).update(note="being edited")
                HelpRequestFactory(organization=library, created_at=at(3), consent_at=at(3))
                writing.set()
                finish.wait(10)
        except Exception as error:
            failures.append(error)
            writing.set()
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(10)
        started = time.monotonic()
        figures = compute_report(scope, NOVEMBER)
        elapsed = time.monotonic() - started
    finally:
        finish.set()
        thread.join(10)

    assert failures == []
    # A report that waited for the writer would take the busy timeout (20 s) or the 10 s wait.
    assert elapsed < 5
    # It read the last committed state: not the writer's new request.
    assert figures.requests == 1
    assert compute_report(scope, NOVEMBER).requests == 2


@pytest.mark.parametrize(
    ("parts", "total", "expected"),
    [
        # One hidden count next to a total: the smallest other count is hidden too.
        ([7, 5, 2, 0], 14, (["7", "<5", "<5", "0"], "14")),
        # Two hidden counts already hide each other.
        ([7, 3, 2, 0], 12, (["7", "<5", "<5", "0"], "12")),
        # Nothing hidden, nothing more hidden.
        ([7, 5, 0], 12, (["7", "5", "0"], "12")),
        # A small total hides itself.
        ([3, 0], 3, (["<5", "0"], "<5")),
    ],
)
def test_a_single_hidden_count_is_never_given_away_by_the_total(parts, total, expected):
    from jobhelp.reports.suppression import suppress_parts

    shown, total_shown = suppress_parts(parts, total)
    assert ([str(v) for v in shown], str(total_shown)) == expected
