"""Public computer use and waits in the reports: by location and hour of the day on each
location's clock, from the hourly sums and the raw counts, on the page, its CSV and the API."""

import csv
import html
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.domain import create_api_token
from jobhelp.directory.models import ComputerUsageHour
from jobhelp.directory.waits import typical_wait
from jobhelp.reports.computers import computer_table, computer_use
from jobhelp.reports.filters import ReportFilters
from jobhelp.reports.queries import report_scope
from tests.factories.directory import ComputerCountFactory
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
NOVEMBER = ReportFilters(start=date(2026, 11, 1), end=date(2026, 11, 30))
QUERY = "start=2026-11-01&end=2026-11-30"


def local(day: int, hour: int, minute: int = 0, *, zone=CHICAGO, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def usage_hour(location, at: datetime, *, samples=2, in_use=(10, 14), waiting=(0, 4), computers=16):
    """An hour's sums as directory.computers.aggregate_old_counts leaves them."""
    return ComputerUsageHour.objects.create(
        location=location,
        hour=at.astimezone(UTC),
        samples=samples,
        in_use_sum=sum(in_use),
        in_use_max=max(in_use),
        waiting_sum=sum(waiting),
        waiting_max=max(waiting),
        computers=computers,
    )


def figures(user, filters=NOVEMBER):
    return {(h.location, h.hour): h for h in computer_use(report_scope(user), filters)}


def test_hourly_sums_and_raw_counts_add_up_by_local_hour(manager, central):
    # 10 a.m. on two days from the sums (2 counts each), and one raw count at 10:40 on a third.
    usage_hour(central, local(3, 10))
    usage_hour(central, local(4, 10), in_use=(16, 16), waiting=(6, 2))
    ComputerCountFactory(location=central, recorded_at=local(5, 10, 40), in_use=12, waiting=1)
    usage_hour(central, local(3, 15), samples=1, in_use=(3,), waiting=(0,))

    found = figures(manager)

    ten = found[("Central Library", 10)]
    assert ten.samples == 5
    assert ten.in_use_average == pytest.approx((10 + 14 + 16 + 16 + 12) / 5)
    assert ten.waiting_average == pytest.approx((0 + 4 + 6 + 2 + 1) / 5)
    assert (ten.in_use_max, ten.waiting_max, ten.computers) == (16, 6, 16)
    assert found[("Central Library", 15)].in_use_average == 3
    assert set(found) == {("Central Library", 10), ("Central Library", 15)}


def test_the_hours_of_a_fall_back_day_are_the_locations_clock(manager, central):
    # Sunday 1 November 2026 the clocks go back at 2 a.m. in Chicago: 1 a.m. happens twice
    # (06:00 and 07:00 UTC), and 2 a.m. (CST) is 08:00 UTC.
    usage_hour(central, datetime(2026, 11, 1, 6, tzinfo=UTC), samples=1, in_use=(4,))
    usage_hour(central, datetime(2026, 11, 1, 7, tzinfo=UTC), samples=1, in_use=(6,))
    ComputerCountFactory(
        location=central, recorded_at=datetime(2026, 11, 1, 8, 30, tzinfo=UTC), in_use=8
    )
    # Midnight local (05:00 UTC, still CDT) is the first hour of the period.
    usage_hour(central, datetime(2026, 11, 1, 5, tzinfo=UTC), samples=1, in_use=(2,))

    found = figures(manager)

    assert sorted(hour for _name, hour in found) == [0, 1, 2]
    one = found[("Central Library", 1)]
    assert (one.samples, one.in_use_average) == (2, 5)
    assert found[("Central Library", 2)].in_use_average == 8
    assert found[("Central Library", 0)].in_use_average == 2


def test_the_period_runs_midnight_to_midnight_on_each_locations_clock(manager, library, central):
    east = LocationFactory(organization=library, name="East Branch", time_zone="America/New_York")
    # 30 November 23:30 at each location is in; 1 December 00:30 and 31 October 23:30 are not.
    for location, zone in ((central, CHICAGO), (east, NEW_YORK)):
        ComputerCountFactory(location=location, recorded_at=local(30, 23, 30, zone=zone))
        ComputerCountFactory(
            location=location, recorded_at=local(1, 0, 30, zone=zone, month=12), in_use=1
        )
        usage_hour(location, local(31, 23, zone=zone, month=10))

    found = figures(manager)

    assert set(found) == {("Central Library", 23), ("East Branch", 23)}
    assert all(h.samples == 1 and h.in_use_average == 10 for h in found.values())


def test_another_library_systems_locations_never_appear(manager, central, other_library, branch):
    elsewhere = LocationFactory(organization=other_library, name="Elsewhere Library")
    usage_hour(elsewhere, local(3, 10))
    ComputerCountFactory(location=elsewhere, recorded_at=local(5, 10))
    usage_hour(central, local(3, 10))
    northtown = branch.locations.get()
    usage_hour(northtown, local(3, 11))

    assert set(figures(manager)) == {("Central Library", 10), ("Northtown Library", 11)}
    only_branch = ReportFilters(start=NOVEMBER.start, end=NOVEMBER.end, organization_id=branch.pk)
    assert set(figures(manager, only_branch)) == {("Northtown Library", 11)}


def test_the_estimated_wait_is_that_of_the_hours_averages():
    # Free computers outnumber those waiting: no wait.
    assert typical_wait(in_use=10, waiting=2, computers=16) == 0
    # 16 in use, 4 waiting: 5th in line, 16 computers freed an hour, 18.75 -> 20 minutes.
    assert typical_wait(in_use=16, waiting=4, computers=16) == 20
    assert typical_wait(in_use=16, waiting=400, computers=16) == 180
    assert typical_wait(in_use=0, waiting=0, computers=0) is None


def test_small_numbers_are_shown_they_are_counts_of_machines_and_a_queue(manager, central):
    usage_hour(central, local(3, 10), in_use=(16, 16), waiting=(2, 2))

    table = computer_table(computer_use(report_scope(manager), NOVEMBER))

    [row] = table.rows
    assert row.label == "Central Library, 10:00–11:00"
    assert [c.value for c in row.cells] == [16.0, 2.0, 16, 2, 16, 15, 2]


def test_the_queries_do_not_grow_with_locations(manager, library, central):
    usage_hour(central, local(3, 10))
    scope = report_scope(manager)
    with CaptureQueriesContext(connection) as one:
        assert len(computer_use(scope, NOVEMBER)) == 1

    for n in range(2):
        location = LocationFactory(organization=library, name=f"Branch {n}")
        usage_hour(location, local(3, 10))
        ComputerCountFactory(location=location, recorded_at=local(4, 9))
    scope = report_scope(manager)
    with CaptureQueriesContext(connection) as three:
        assert len(computer_use(scope, NOVEMBER)) == 5

    assert len(three) == len(one)


# --- The page, its CSV and the API --------------------------------------------------------------


def api_get(client, user, query):
    _token, key = create_api_token(user, name="reports", by=user)
    return client.get(
        f"/api/v1/reports/summary?{query}", headers={"Authorization": f"Bearer {key}"}
    )


def section_rows(response, key="computers") -> list[str]:
    page = html.unescape(response.content.decode())
    start = page.index(f'aria-labelledby="report-{key}"')
    return page[start : page.index("</section>", start)]


def test_a_manager_sees_computer_use_on_the_reports_page(client, manager, central):
    usage_hour(central, local(3, 10), in_use=(16, 16), waiting=(6, 2))
    client.force_login(manager)

    response = client.get(f"/staff/reports/?{QUERY}")

    assert response.status_code == 200
    section = section_rows(response)
    assert "Public computers, by location and hour of the day" in section
    assert "Central Library, 10:00–11:00" in section
    assert "/staff/reports/csv/computers/?start=2026-11-01" in section


def test_the_page_in_spanish(client, manager, central):
    usage_hour(central, local(3, 10))
    client.force_login(manager)

    response = client.get(f"/staff/reports/?{QUERY}", HTTP_ACCEPT_LANGUAGE="es")

    section = section_rows(response)
    assert "Computadoras públicas, por sede y hora del día" in section
    assert "Promedio en uso" in section


def test_the_page_takes_as_many_queries_for_three_locations_as_for_one(
    client, manager, library, central
):
    client.force_login(manager)
    usage_hour(central, local(3, 10))
    client.get(f"/staff/reports/?{QUERY}")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/staff/reports/?{QUERY}")
    for n in range(2):
        usage_hour(LocationFactory(organization=library, name=f"Branch {n}"), local(3, 10))
    with CaptureQueriesContext(connection) as three:
        response = client.get(f"/staff/reports/?{QUERY}")

    assert section_rows(response).count("10:00–11:00") >= 3
    assert len(three) == len(one)


def test_the_csv_is_safe_in_a_spreadsheet(client, manager, library):
    evil = LocationFactory(organization=library, name='=HYPERLINK("http://x.example","y")')
    usage_hour(evil, local(3, 10))
    client.force_login(manager)

    response = client.get(f"/staff/reports/csv/computers/?{QUERY}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="computers-2026-11-01-to-2026-11-30.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][0] == "Location and hour"
    assert rows[1] == [
        '\'=HYPERLINK("http://x.example","y"), 10:00–11:00',
        "12.0",
        "2.0",
        "14",
        "4",
        "16",
        "0",
        "2",
    ]


def test_an_end_before_the_start_is_explained_never_an_error(client, manager, central):
    usage_hour(central, local(3, 10))
    client.force_login(manager)

    page = client.get("/staff/reports/?start=2026-11-30&end=2026-11-01")
    csv_file = client.get("/staff/reports/csv/computers/?start=2026-11-30&end=2026-11-01")
    api = api_get(client, manager, "start=2026-11-30&end=2026-11-01")

    assert page.status_code == 200
    assert page.context["form"].errors["end"]
    assert page.context["sections"] == []
    assert csv_file.status_code == 302
    assert api.status_code == 422


def test_another_librarys_organization_is_404(client, manager, central, other_library):
    client.force_login(manager)
    query = f"{QUERY}&organization={other_library.pk}"

    assert client.get(f"/staff/reports/csv/computers/?{query}").status_code == 404
    assert client.get(f"/staff/reports/?{query}").status_code == 404


def test_staff_who_manage_nothing_cannot_download_it(client, front_desk, central):
    usage_hour(central, local(3, 10))
    client.force_login(front_desk)

    assert client.get(f"/staff/reports/csv/computers/?{QUERY}").status_code == 403


def test_the_api_answers_the_table(client, manager, central, other_library):
    usage_hour(central, local(3, 10))
    usage_hour(LocationFactory(organization=other_library, name="Elsewhere"), local(3, 10))
    client.force_login(manager)

    response = api_get(client, manager, QUERY)

    assert response.status_code == 200
    [table] = [t for t in response.json()["tables"] if t["key"] == "computers"]
    assert [c["key"] for c in table["columns"]] == [
        "in_use",
        "waiting",
        "in_use_peak",
        "waiting_peak",
        "computers",
        "wait_minutes",
        "counts",
    ]
    [row] = table["rows"]
    assert row["label"] == "Central Library, 10:00–11:00"
    assert row["values"]["in_use"] == 12.0
    assert row["values"]["waiting_peak"] == 4


def test_the_directorys_week_of_use_links_to_the_report(client, manager):
    client.force_login(manager)

    page = client.get("/staff/directory/computers/use/").content.decode()

    assert 'href="/staff/reports/#report-computers"' in page
    assert "By hour of the day over any period, with a CSV file: the reports" in page


def test_the_printed_monthly_report_has_the_table(client, manager, central):
    usage_hour(central, local(3, 10))
    client.force_login(manager)

    response = client.get("/staff/reports/print/?period=month&month=2026-11")

    assert response.status_code == 200
    assert "Central Library, 10:00–11:00" in section_rows(response)
