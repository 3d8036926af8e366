"""The quarterly partnership activity report: the printable page and the CSV, each as the
person may see it (an affiliate's staff get their tier's obligations), and a wrong quarter
explained on the page."""

import csv
import io

from django.utils import timezone

from jobhelp.partnerships.obligations import mark_occurrence_done
from tests.factories.partnerships import LogEntryFactory, MeetingFactory
from tests.partnerships.conftest import term_start
from tests.staff.partnerships.checks import queries_of


def this_quarter() -> dict:
    today = timezone.localdate()
    return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}


def test_the_report_shows_the_quarters_time_obligations_meetings_and_grants(
    client, log_in, partnership, obligations, liaison, center, grant, action_item
):
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center, minutes=75)
    log_in("manager")

    response = client.get(f"/staff/partnerships/{partnership.pk}/report/")

    report = response.context["report"]
    assert (report.year, report.quarter) == (this_quarter()["year"], this_quarter()["quarter"])
    assert report.minutes_given == 75
    assert {row.organization for row in report.obligations} == {
        "Riverbend County Library",
        "Riverbend County WorkForce Center",
    }
    page = response.content.decode()
    for text in (
        "Time given by the liaison",
        "Obligations kept",
        "Meetings and action items",
        "Send the e-resources list",
        grant.opportunity,
        "Not recorded in jobhelp yet.",
        "jh-print-report",
    ):
        assert text in page, text


def test_an_affiliates_staff_get_the_report_of_their_tier(client, log_in, partnership, obligations):
    log_in("affiliate_staff")
    report = client.get(f"/staff/partnerships/{partnership.pk}/report/").context["report"]
    assert {o.obligation.title for o in report.overdue} <= {
        "Liaison tours of the job center",
        "Monthly workshop flyers",
    }
    assert [row.organization for row in report.obligations] == ["Riverbend County WorkForce Center"]


def test_the_csv_is_the_same_report_for_a_spreadsheet(
    client, log_in, partnership, obligations, liaison, center
):
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center, minutes=75)
    log_in("liaison")
    quarter = this_quarter()

    response = client.get(f"/staff/partnerships/{partnership.pk}/report.csv", quarter)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="partnership-report-{quarter["year"]}-q{quarter["quarter"]}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Partnership activity report", partnership.name]
    months = ["0", "0", "0"]
    months[(timezone.localdate().month - 1) % 3] = "75"
    assert rows[5:7] == [
        ["Liaison", *rows[5][1:4], "Total", "Expected"],
        [str(liaison), *months, "75", "360"],
    ]


def test_a_wrong_quarter_is_explained(client, log_in, partnership):
    log_in("manager")
    response = client.get(
        f"/staff/partnerships/{partnership.pk}/report/", {"year": "2026", "quarter": "5"}
    )
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == ["quarter"]
    csv_answer = client.get(
        f"/staff/partnerships/{partnership.pk}/report.csv", {"year": "2026", "quarter": "5"}
    )
    assert csv_answer.url == f"/staff/partnerships/{partnership.pk}/report/?year=2026&quarter=5"


def test_another_partnerships_report_is_not_found(client, log_in, partnership, elsewhere):
    log_in("manager")
    other = elsewhere.partnership.pk
    assert client.get(f"/staff/partnerships/{other}/report/").status_code == 404
    assert client.get(f"/staff/partnerships/{other}/report.csv").status_code == 404


def test_the_report_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, obligations, center, liaison, center_manager
):
    log_in("manager")
    place = center.locations.get()
    path = f"/staff/partnerships/{partnership.pk}/report/"
    MeetingFactory(partnership=partnership, location=place, starts=timezone.now())
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    one = queries_of(client, path)
    for _ in range(2):
        MeetingFactory(partnership=partnership, location=place, starts=timezone.now())
        LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    for occurrence in obligations.tours.occurrences.filter(due_on__gte=term_start())[:2]:
        mark_occurrence_done(occurrence, by=center_manager, note="Done.")
    assert queries_of(client, path) == one
