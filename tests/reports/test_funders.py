"""What a director hands a funder: the twelve-month trend beside the year before, the figures in
one plain sentence, consented testimonials on the printed page, and one report across a library
system and a workforce center for someone who manages both."""

import re
from datetime import date

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.casework.models import FeedbackResponse
from jobhelp.organizations.enums import OrganizationKind
from jobhelp.reports.queries import monthly_trend, report_scope
from jobhelp.reports.queries import testimonials as chosen_testimonials
from jobhelp.reports.tables import headline_sentence, trend_table
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.reports.conftest import COMMENT, NOVEMBER, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(library):
    return staff_member(library, Role.MANAGER)


def test_the_trend_counts_each_month_and_the_same_month_a_year_earlier(november, manager):
    trend = monthly_trend(report_scope(manager), NOVEMBER)

    months = {m.month: (m.requests, m.appointments, m.sessions, m.outcomes) for m in trend}
    assert (len(trend), trend[0].month, trend[-1].month) == (
        24,
        date(2024, 12, 1),
        date(2026, 11, 1),
    )
    assert (months[date(2026, 10, 1)], months[date(2026, 11, 1)]) == ((2, 1, 1, 1), (14, 6, 6, 8))
    assert {m: figures for m, figures in months.items() if any(figures)} == {
        date(2026, 10, 1): (2, 1, 1, 1),
        date(2026, 11, 1): (14, 6, 6, 8),
    }


def test_the_trend_table_hides_small_counts_and_puts_each_month_beside_its_year_before(
    november, manager
):
    table = trend_table(monthly_trend(report_scope(manager), NOVEMBER))

    rows = {row.key: [cell.display for cell in row.cells] for row in table.rows}
    assert (len(rows), rows["2026-11"], rows["2026-10"]) == (
        12,
        ["14", "0", "6", "0", "6", "0", "8", "0"],
        ["<5", "0", "<5", "0", "<5", "0", "<5", "0"],
    )


def test_the_figures_in_one_plain_sentence():
    sentence = headline_sentence(
        who="Riverbend County Library",
        period="November 2026",
        helped=134,
        attended=61,
        outcomes={"resume_completed": 23, "hired": 3},
    )

    assert sentence == (
        "In November 2026 Riverbend County Library helped 134 job seekers: 61 appointments "
        "attended, 23 resumés completed, fewer than 5 people hired."
    )


def test_the_printed_report_quotes_only_chosen_testimonials_without_names(
    client, november, manager
):
    FeedbackResponse.objects.filter(session=november.sessions["a1"]).update(testimonial=True)

    quoted = chosen_testimonials(report_scope(manager), NOVEMBER)
    client.force_login(manager)
    page = client.get("/staff/reports/print/?period=month&month=2026-11").content.decode()

    assert quoted == [COMMENT]
    assert (page.count(COMMENT), november.requests["r1"].name in page) == (1, False)


def test_the_printed_report_says_it_in_plain_words(client, november, manager):
    client.force_login(manager)

    page = client.get("/staff/reports/print/?period=month&month=2026-11").content.decode()

    (sentence,) = re.findall(r'<p class="jh-report-sentence">([^<]*)</p>', page)
    assert sentence == (
        "In November 2026 Riverbend County Library helped 9 job seekers: 6 appointments "
        "attended, 0 resumés completed, fewer than 5 people hired."
    )


def test_on_paper_each_figure_is_printed_once(client, november, manager):
    client.force_login(manager)

    page = client.get("/staff/reports/print/?period=month&month=2026-11").content.decode()

    kinds = re.findall(r'<section class="jh-report-section jh-print-as-(\w+)"', page)
    assert (kinds[0], set(kinds[1:])) == ("chart", {"table"})


def test_a_manager_of_the_system_and_the_center_sees_both_in_one_report(library, manager, client):
    center = OrganizationFactory(
        name="Riverbend WorkForce Center", slug="center", kind=OrganizationKind.WORKFORCE_CENTER
    )
    LocationFactory(organization=center)
    LocationFactory(organization=library)
    MembershipFactory(user=manager, organization=center, role=Role.MANAGER)
    for organization in (library, library, center):
        request = HelpRequestFactory(organization=organization)
        type(request).objects.filter(pk=request.pk).update(created_at=at(10))
    client.force_login(manager)

    response = client.get("/staff/reports/?start=2026-11-01&end=2026-11-30")

    figures = response.context["figures"]
    assert ({o.name for o in figures.organizations}, figures.requests) == (
        {"Riverbend County Library", "Riverbend WorkForce Center"},
        3,
    )
    assert "Riverbend County Library &amp; Riverbend WorkForce Center helped" in (
        response.content.decode()
    )
