import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.casework.models import SessionActivity
from jobhelp.reports.filters import month_of, previous
from jobhelp.reports.suppression import SUPPRESSED
from tests.factories.accounts import staff_member
from tests.factories.casework import HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import BranchFactory
from tests.reports.conftest import (  # noqa: F401 - fixtures
    COMMENT,
    PRIVATE_NOTE,
    at,
    branch_manager_fixture,
    november_fixture,
    other_manager_fixture,
)

NOVEMBER = "start=2026-11-01&end=2026-11-30"
PAGES = ["/staff/reports/", "/staff/reports/print/", "/staff/reports/csv/requests/"]
TABLES = [
    "trend",
    "requests",
    "organizations",
    "first_contact",
    "resolution",
    "appointments",
    "sessions",
    "helpers",
    "outcomes",
    "feedback",
    "referrals",
    "classes",
    "referrals_sent",
    "referrals_received",
    "referrals_services",
    "referrals_outcomes",
    "referrals_response",
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def parse_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def sections(response) -> dict[str, dict]:
    """Each report section as the page shows it: the chart's bars (label, number, the bar's
    tooltip) and the table's rows (label, cells, whether it is a total)."""
    found = {}
    page = response.content.decode()
    for key, body in re.findall(
        r'<section class="jh-report-section[^"]*" aria-labelledby="report-([a-z_]+)">'
        r"(.*?)</section>",
        page,
        re.S,
    ):
        bars = [
            tuple(html.unescape(part) for part in bar)
            for bar in re.findall(
                r'<text class="jh-chart__label"[^>]*>([^<]*)</text>\s*'
                r'<rect class="jh-chart__(?:bar|gap)"[^>]*><title>([^<]*)</title></rect>\s*'
                r'<text class="jh-chart__value"[^>]*>([^<]*)</text>',
                body,
            )
        ]
        rows = [
            (
                html.unescape(label),
                [
                    html.unescape(c)
                    for c in re.findall(r'<td class="jh-number">([^<]*)</td>', cells)
                ],
                "jh-report-total" in attributes,
            )
            for attributes, label, cells in re.findall(
                r'<tr([^>]*)>\s*<th scope="row">([^<]*)</th>(.*?)</tr>', body, re.S
            )
        ]
        found[key] = {"bars": bars, "rows": rows}
    return found


# --- Who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, november, path):
    response = client.get(path)

    assert (response.status_code, response.url) == (302, f"/staff/login/?next={path}")


@pytest.mark.parametrize("persona", ["no_membership", "front_desk", "helper", "outsider"])
@pytest.mark.parametrize("path", PAGES)
def test_staff_who_manage_nothing_are_refused(client, log_in, november, persona, path):
    log_in(persona)

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("persona", ["manager", "branch_manager", "other_manager"])
@pytest.mark.parametrize("path", PAGES)
def test_managers_may_open_the_reports(client, log_in, november, persona, path):
    log_in(persona)

    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", ["Riverbend County Library", "Northtown Library"]),
        ("branch_manager", ["Northtown Library"]),
        ("other_manager", ["Elsewhere Library"]),
    ],
)
def test_each_manager_sees_only_their_organizations(client, log_in, november, persona, expected):
    log_in(persona)

    response = client.get(f"/staff/reports/?{NOVEMBER}")

    assert [o.name for o in response.context["figures"].organizations] == expected
    assert [row[0] for row in sections(response)["organizations"]["rows"]] == expected


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["manager", "other_manager", "branch_manager"])
def test_naming_an_organization_one_does_not_manage_is_404(
    client, log_in, library, other_library, november, persona, path
):
    log_in(persona)
    foreign = {"manager": other_library, "other_manager": library, "branch_manager": library}

    response = client.get(f"{path}?{NOVEMBER}&organization={foreign[persona].pk}")

    assert response.status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_naming_someone_elses_helper_is_404(client, log_in, november, path):
    log_in("other_manager")

    assert client.get(f"{path}?{NOVEMBER}&helper={november.ana.pk}").status_code == 404
    assert client.get(f"{path}?{NOVEMBER}&helper=999999").status_code == 404


def test_the_reports_link_is_shown_to_managers_only(client, log_in, november):
    log_in("manager")
    assert 'href="/staff/reports/"' in client.get("/staff/").content.decode()

    log_in("helper")
    assert 'href="/staff/reports/"' not in client.get("/staff/").content.decode()


# --- Bad filters ---------------------------------------------------------------------------------


def next_year_end() -> str:
    return date(timezone.localdate().year + 1, 12, 31).isoformat()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "start=2026-11-30&end=2026-11-01",
            "end",
            "The end date must be on or after the start date.",
        ),
        ("start=1999-12-31&end=2000-01-31", "start", "Reports begin on 1 January 2000."),
        (
            "start=2001-01-01&end=2026-11-30",
            "end",
            "A report covers at most five years. Choose a shorter range.",
        ),
        ("start=2026-11-01&end=9999-12-31", "end", "Choose an end date no later than"),
        ("start=2026-02-30&end=2026-03-01", "start", "Enter a valid date."),
        ("start=yesterday", "start", "Enter a valid date."),
        ("need=dancing", "need", "Select a valid choice."),
    ],
)
def test_bad_filters_are_explained_on_the_form(client, log_in, november, query, field, message):
    log_in("manager")

    response = client.get(f"/staff/reports/?{query}")

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in text(response)
    assert response.context["sections"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=month&month=2026-13", "Enter a month as year and month, for example 2026-03."),
        ("period=month&month=1999-12", "Choose a month from January 2000 to December"),
        ("period=year&month=2026-11", "Select a valid choice."),
    ],
)
def test_bad_periods_are_explained_on_the_print_page(client, log_in, november, query, message):
    log_in("manager")

    response = client.get(f"/staff/reports/print/?{query}")

    assert response.status_code == 200
    assert message in text(response)
    assert response.context["sections"] == []


def test_a_csv_with_bad_filters_goes_back_to_the_page_that_explains(client, log_in, november):
    log_in("manager")

    response = client.get("/staff/reports/csv/requests/?start=2026-11-30&end=2026-11-01")

    assert response.status_code == 302
    assert response.url == "/staff/reports/?start=2026-11-30&end=2026-11-01"


def test_an_unknown_table_is_404(client, log_in, november):
    log_in("manager")

    assert client.get(f"/staff/reports/csv/nonsense/?{NOVEMBER}").status_code == 404


# --- The page ------------------------------------------------------------------------------------


def test_without_filters_the_page_shows_the_last_full_month(client, log_in, november):
    log_in("manager")
    today = timezone.localdate()
    last_day = today.replace(day=1) - timedelta(days=1)

    figures = client.get("/staff/reports/").context["figures"]

    assert (figures.start, figures.end) == (last_day.replace(day=1), last_day)


def test_the_page_shows_the_known_month(client, log_in, november):
    log_in("manager")

    shown = sections(client.get(f"/staff/reports/?{NOVEMBER}"))

    assert list(shown) == [*TABLES, "computers"]
    assert shown["requests"]["rows"] == [
        ("Online form", ["7"], False),
        ("Phone call", [SUPPRESSED], False),
        ("Email", [SUPPRESSED], False),
        ("Walk-in", ["0"], False),
        ("Referral from a partner", ["0"], False),
        ("All requests", ["14"], True),
    ]
    assert shown["first_contact"]["rows"] == [
        ("Median (hours)", ["3.0"], False),
        ("90th percentile (hours)", ["7.6"], False),
        ("Requests contacted", ["5"], True),
    ]
    assert shown["feedback"]["rows"] == [
        ("Patrons asked", ["6"], True),
        ("Patrons who answered", ["5"], True),
        ("Response rate", ["83.3%"], False),
        ("Would recommend it", [SUPPRESSED], False),
        ("Average helpfulness (1 to 5)", ["4.2"], True),
    ]


def test_every_chart_agrees_with_its_table(client, log_in, november):
    log_in("manager")

    shown = sections(client.get(f"/staff/reports/?{NOVEMBER}"))

    for key, section in shown.items():
        charted = [(label, cells[0]) for label, cells, total in section["rows"] if not total]
        assert [(label, value) for label, _tooltip, value in section["bars"]] == charted, key
        assert [tooltip for _label, tooltip, _value in section["bars"]] == [
            f"{label}: {value}" for label, value in charted
        ], key


def test_the_chart_is_an_accessible_image_without_inline_styles(client, log_in, november):
    log_in("manager")

    page = client.get(f"/staff/reports/?{NOVEMBER}").content.decode()

    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == len(TABLES)
    for svg in svgs:
        assert 'role="img"' in svg
        assert "<title id=" in svg
        assert "<desc id=" in svg
        assert "style=" not in svg
    assert "<script>" not in page


def test_the_page_takes_as_many_queries_for_three_organizations_and_helpers_as_for_one(
    client, library, manager
):
    client.force_login(manager)
    query = f"/staff/reports/?{NOVEMBER}"

    def help_given(organization, name):
        helper = staff_member(organization, Role.HELPER, first_name=name)
        request = HelpRequestFactory(organization=organization, created_at=at(2), consent_at=at(2))
        session = HelpSessionFactory(request=request, helper=helper, happened_at=at(3))
        SessionActivity.objects.create(session=session, activity="resume_reviewed")

    help_given(library, "One")
    client.get(query)
    with CaptureQueriesContext(connection) as one:
        response = client.get(query)
    assert len(response.context["figures"].sessions_by_helper) == 1

    for n in range(2):
        help_given(BranchFactory(parent=library), f"Branch{n}")
    with CaptureQueriesContext(connection) as three:
        response = client.get(query)
    assert len(response.context["figures"].organizations) == 3
    assert len(response.context["figures"].sessions_by_helper) == 3

    assert len(three) == len(one)


# --- The printable page --------------------------------------------------------------------------


def headline(response) -> list:
    table = response.context["headline"]
    return [[row.label, *(c.display for c in row.cells)] for row in table.rows]


def test_the_quarterly_page_puts_the_headline_first(client, log_in, november, monkeypatch):
    # A day after the quarter has ended, so the page reports it whole.
    after = datetime(2027, 1, 15, 12, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    log_in("manager")

    response = client.get("/staff/reports/print/?period=quarter&month=2026-11")

    figures = response.context["figures"]
    assert (figures.start, figures.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert [c.label for c in response.context["headline"].columns] == [
        "October 2026 to December 2026",
        "July 2026 to September 2026",
    ]
    assert headline(response) == [
        ["Appointments attended", "8", "0"],
        ["Requests helped", "10", "0"],
    ]
    page = text(response)
    assert page.index("Job help at a glance") < page.index("Requests received, by channel")
    assert "Job help report, October 2026 to December 2026" in page


def test_a_period_not_over_yet_says_so_far_and_where_it_stops(
    client, log_in, november, monkeypatch
):
    during = datetime(2026, 12, 7, 18, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: during)
    log_in("manager")

    response = client.get("/staff/reports/print/?period=quarter&month=2026-11")

    assert response.context["headline"].columns[0].label == (
        "October 2026 to December 2026, so far (to Dec. 7, 2026)"
    )


def test_the_monthly_page_compares_with_the_month_before(client, log_in, november):
    log_in("manager")

    response = client.get("/staff/reports/print/?period=month&month=2026-11&channel=web")

    assert [c.label for c in response.context["headline"].columns] == [
        "November 2026",
        "October 2026",
    ]
    # Web requests only: r1, r2 attended (r2 after a reschedule), b1; r1 to r4 resolved or
    # given a session, and b1.
    assert headline(response) == [
        ["Appointments attended", SUPPRESSED, SUPPRESSED],
        ["Requests helped", "5", SUPPRESSED],
    ]


def test_the_printable_page_defaults_to_the_last_month_that_has_ended(client, log_in, november):
    log_in("manager")

    figures = client.get("/staff/reports/print/").context["figures"]

    assert (figures.start, figures.end) == previous(month_of(timezone.localdate()), "month")


# --- CSV files -----------------------------------------------------------------------------------


def test_a_csv_file_opens_with_the_tables_numbers(client, log_in, november):
    log_in("manager")

    response = client.get(f"/staff/reports/csv/requests/?{NOVEMBER}")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="requests-2026-11-01-to-2026-11-30.csv"'
    )
    assert parse_csv(response) == [
        ["Received by", "Requests"],
        ["Online form", "7"],
        ["Phone call", "<5"],
        ["Email", SUPPRESSED],
        ["Walk-in", "0"],
        ["Referral from a partner", "0"],
        ["All requests", "14"],
    ]


def test_every_table_downloads(client, log_in, november):
    log_in("manager")

    for key in TABLES:
        response = client.get(f"/staff/reports/csv/{key}/?{NOVEMBER}")
        assert response.status_code == 200, key
        assert len(parse_csv(response)) >= 2, key
    sessions = parse_csv(client.get(f"/staff/reports/csv/sessions/?{NOVEMBER}"))
    assert ["Resumé reviewed", "5"] in sessions


def test_a_formula_in_a_name_is_exported_as_text(client, log_in, library, november):
    log_in("manager")
    evil = staff_member(library, Role.HELPER, first_name='=HYPERLINK("http://x.example","y")')
    for day in range(5):
        request = HelpRequestFactory(organization=library, created_at=at(2), consent_at=at(2))
        HelpSessionFactory(request=request, helper=evil, happened_at=at(3 + day), minutes=10)

    rows = parse_csv(client.get(f"/staff/reports/csv/helpers/?{NOVEMBER}"))

    assert ['\'=HYPERLINK("http://x.example","y") Member', "5", "50"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- Nothing private -----------------------------------------------------------------------------


def test_private_notes_and_comments_never_appear(client, log_in, november):
    log_in("manager")

    responses = [
        client.get(f"/staff/reports/?{NOVEMBER}"),
        client.get("/staff/reports/print/?period=month&month=2026-11"),
        client.get("/staff/"),
        *(client.get(f"/staff/reports/csv/{key}/?{NOVEMBER}") for key in TABLES),
    ]

    for response in responses:
        assert response.status_code == 200
        assert PRIVATE_NOTE not in response.content.decode()
        assert COMMENT not in response.content.decode()


# --- The staff home's headline -------------------------------------------------------------------


def test_the_home_page_shows_this_and_last_month_and_year(client, log_in, library, helper):
    log_in("front_desk")
    HelpSessionFactory(
        request=HelpRequestFactory(organization=library),
        helper=helper,
        happened_at=timezone.now() - timedelta(minutes=5),
    )

    response = client.get("/staff/")

    assert [c.label for c in response.context["headline"].columns] == [
        "This month",
        "Last month",
        "This year",
        "Last year",
    ]
    cells = {row.key: [c.value for c in row.cells] for row in response.context["headline"].rows}
    assert cells == {"attended": [0, 0, 0, 0], "helped": [SUPPRESSED, 0, SUPPRESSED, 0]}
    assert "Job help at a glance" in text(response)


def test_the_home_page_takes_as_many_queries_for_three_organizations_as_for_one(
    client, library, front_desk
):
    client.force_login(front_desk)
    HelpSessionFactory(request=HelpRequestFactory(organization=library), helper=front_desk)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as one:
        client.get("/staff/")

    for _ in range(2):
        branch = BranchFactory(parent=library)
        HelpSessionFactory(request=HelpRequestFactory(organization=branch), helper=front_desk)
    with CaptureQueriesContext(connection) as three:
        client.get("/staff/")

    assert len(three) == len(one)


def test_a_hidden_count_is_drawn_as_a_marked_gap_not_an_empty_row(client, log_in, november):
    log_in("manager")

    page = client.get(f"/staff/reports/?{NOVEMBER}").content.decode()
    requests_chart = re.search(
        r'<svg[^>]*aria-labelledby="chart-requests-title.*?</svg>', page, re.S
    )

    gaps = re.findall(
        r'<rect class="jh-chart__gap"[^>]* width="(\d+)"[^>]*><title>([^<]*)</title>',
        requests_chart.group(0),
    )
    assert gaps == [("14", "Phone call: &lt;5"), ("14", "Email: &lt;5")]
