"""A manager reads public computer use by location and hour of the day in the reports, in
English and then in Spanish, and downloads it as CSV; axe-core checks each page."""

import csv
import io
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from jobhelp.directory.models import ComputerUsageHour
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in
from tests.factories.directory import ComputerCountFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_computer_use_by_hour_in_english_and_spanish(
    page: Page, live_server, manager, central
):
    # 10 a.m. in Chicago (16:00 UTC) on 3 November: two counts kept as the hour's sums; one
    # raw count at 3:20 p.m. on 4 November.
    ComputerUsageHour.objects.create(
        location=central,
        hour=datetime(2026, 11, 3, 16, tzinfo=UTC),
        samples=2,
        in_use_sum=32,
        in_use_max=16,
        waiting_sum=8,
        waiting_max=6,
        computers=16,
    )
    ComputerCountFactory(
        location=central, recorded_at=datetime(2026, 11, 4, 21, 20, tzinfo=UTC), in_use=5
    )
    csp = collect_csp_messages(page)
    log_in(page, live_server.url, manager)

    page.goto(f"{live_server.url}/staff/reports/")
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("Until", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Show").click()

    table = page.get_by_role("table", name="Public computers, by location and hour of the day")
    ten = table.get_by_role("row", name="Central Library, 10:00–11:00")
    # Average in use 16.0, average waiting 4.0, most 16 and 6, 16 computers, a 20-minute wait.
    expect(ten).to_contain_text("16.0")
    expect(ten.locator("td").nth(1)).to_have_text("4.0")
    expect(ten.locator("td").nth(5)).to_have_text("20")
    expect(table.get_by_role("row", name="Central Library, 15:00–16:00")).to_contain_text("5.0")
    chart = page.get_by_role("img", name="Public computers, by location and hour of the day")
    expect(chart).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name="Download “Public computers, by location and hour of the day” as a CSV file",
        ).click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Location and hour", "Average in use", "Average waiting"]
    assert rows[1][:3] == ["Central Library, 10:00–11:00", "16.0", "4.0"]

    page.get_by_role("button", name="Español").click()
    table = page.get_by_role("table", name="Computadoras públicas, por sede y hora del día")
    expect(table.get_by_role("columnheader", name="Promedio en uso")).to_be_visible()
    expect(table.get_by_role("row", name="Central Library, 10:00–11:00")).to_contain_text("4,0")
    assert_no_axe_violations(page)
    assert csp == []
