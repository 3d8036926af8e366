"""The staff header keeps to one line at 1280 pixels, in English and in Spanish (the longer
words), for the person with the most links: a manager in a partnership, who also has More."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.partnerships import conftest as domain

pytestmark = pytest.mark.django_db(transaction=True)

affiliate = domain.affiliate
center = domain.center
center_manager = domain.center_manager
partnership = domain.partnership


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_staff_header_keeps_to_one_line_at_1280_pixels(
    page: Page, live_server, partnership, center_manager, language
):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, center_manager)
    if language == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator(".jh-language__current")).to_have_text("Español")
    menu = page.get_by_role("navigation", name="Personal" if language == "es" else "Staff")
    expect(menu.get_by_role("link", name="Colaboración" if language == "es" else "Partnership"))
    items = menu.locator(":scope > ul > li")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, tops
    switcher = page.locator(".jh-language").bounding_box()
    assert switcher["x"] + switcher["width"] <= 1280
    assert switcher["height"] < 60
    # The name leads home, and says so to a screen reader.
    home = "Inicio del personal" if language == "es" else "Staff home"
    expect(page.get_by_role("link", name=home)).to_have_attribute("href", "/staff/")
    assert_no_axe_violations(page)
