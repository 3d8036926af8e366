"""The demo is a living county: its manager prints the report of the last full month and reads
real figures, not "<5", in English and then in Spanish; axe-core checks both pages. (The
referral tables count the few referrals of the demo's present, issue 16's, and are left out.)"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from jobhelp.demo import data
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEMO_HISTORY_REQUESTS = 1500
    call_command("seed_demo", "--force", verbosity=0)


def _figures(page: Page, table_name: str) -> list[str]:
    table = page.get_by_role("table", name=table_name, exact=True)
    expect(table).to_be_visible()
    return [cell.strip() for cell in table.locator("tbody td").all_text_contents()]


def test_the_demo_s_last_full_month_prints_with_real_figures(page: Page, live_server, demo):
    csp = collect_csp_messages(page)
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("Username").fill("mgarcia")
    page.get_by_label("Password").fill(data.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    if page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # No month chosen: the last one that has ended.
    page.goto(f"{live_server.url}/staff/reports/print/")
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    with translation.override("en"):
        month_name = date_format(last_month, "F Y")
    expect(page.get_by_role("heading", level=1)).to_contain_text(month_name)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("so far")
    sentence = page.get_by_text(re.compile(r"^In .+ helped \d[\d,]* job seekers"))
    expect(sentence).to_be_visible()
    expect(sentence).not_to_contain_text("fewer than 5")
    channels = _figures(page, "Requests received, by channel")
    assert channels and all(re.fullmatch(r"\d[\d,]*", figure) for figure in channels), channels
    assert int(channels[-1].replace(",", "")) >= 80  # the total
    page.emulate_media(media="print")
    for table in ("Appointments", "Outcomes"):
        figures = _figures(page, table)
        assert figures and "<5" not in figures, (table, figures)
    assert_no_axe_violations(page)

    page.emulate_media(media="screen")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    sentence = page.get_by_text(re.compile(r"^En .+ ayudó a \d[\d.,]* personas"))
    expect(sentence).to_be_visible()
    expect(sentence).not_to_contain_text("menos de 5")
    for table in ("Solicitudes recibidas, por medio", "Citas", "Resultados"):
        figures = _figures(page, table)
        assert figures and "<5" not in figures, (table, figures)
    assert_no_axe_violations(page)
    assert csp == []
