"""A manager opens the reports from the staff menu, reads a month's charts and tables, downloads
a table as CSV and opens the quarterly page for printing; axe-core checks each page and the
Content-Security-Policy reports nothing."""

import csv
import io
import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in
from tests.factories.intake import HelpRequestFactory
from tests.reports.conftest import at, november_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_prints_and_downloads_a_report(
    page: Page, live_server, manager, november, library
):
    csp = collect_csp_messages(page)
    log_in(page, live_server.url, manager)

    # Under "More", with the pages staff open less often.
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("Until", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Show").click()

    requests = page.get_by_role("table", name="Requests received, by channel")
    expect(requests.get_by_role("row", name="Online form")).to_contain_text("7")
    expect(requests.get_by_role("row", name="Email")).to_contain_text("<5")
    chart = page.get_by_role("img", name="Requests received, by channel")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 200
    # The chart draws the table's numbers.
    online = requests.get_by_role("row", name="Online form").locator("td").first
    assert chart.locator(".jh-chart__value").first.text_content() == online.text_content() == "7"
    assert_no_axe_violations(page)

    # Another request arrives online in November: the figures follow.
    HelpRequestFactory(organization=library, channel="web", created_at=at(20))
    page.reload()
    expect(requests.get_by_role("row", name="Online form")).to_contain_text("8")
    expect(chart.locator(".jh-chart__value").first).to_have_text("8")
    if os.environ.get("REPORT_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['REPORT_SCREENSHOTS']}/reports.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download “Requests received, by channel” as a CSV file"
        ).click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    assert next(csv.reader(io.StringIO(body))) == ["Received by", "Requests"]

    page.get_by_role("link", name="Printable quarterly report").click()
    # The quarter is over, or it says how far its figures go.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Job help report, October 2026 to December 2026(, so far \(to .+\))?$")
    )
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Choose the period")).to_be_hidden()
    expect(page.get_by_role("table", name="Appointments attended", exact=False)).to_be_visible()
    assert_no_axe_violations(page)
    if os.environ.get("REPORT_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['REPORT_SCREENSHOTS']}/print.png", full_page=True)
    assert csp == []
