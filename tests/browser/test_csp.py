"""The pages work under the real Content-Security-Policy: nothing is refused."""

import re

import pytest
from playwright.sync_api import Error, Page, expect

from tests.browser.helpers import (
    assert_no_axe_violations,
    collect_csp_messages,
    log_in,
    tick,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_main_pages_break_no_rule_of_the_content_security_policy(
    page: Page, live_server, library, front_desk
):
    refused = collect_csp_messages(page)

    response = page.goto(f"{live_server.url}/help/")
    assert re.search(
        r"script-src 'self' 'nonce-[^']+'", response.headers["content-security-policy"]
    )
    # The nonce'd scripts ran: htmx and USWDS are there, and uswds-init's loading class is gone.
    assert page.evaluate("[typeof window.htmx, window.uswdsPresent]") == ["object", True]
    expect(page.locator("html")).to_have_class("no-js")
    assert_no_axe_violations(page)
    page.get_by_label("Your name").fill("Kim")
    page.get_by_label("Email address").fill("kim@example.org")
    tick(page.get_by_label("Email", exact=True))
    tick(page.get_by_label("Computer and digital skills", exact=True))
    tick(page.get_by_label("I have read the privacy notice"))
    page.get_by_role("button", name="Send my request").click()
    expect(page).to_have_url(f"{live_server.url}/help/received/")
    assert_no_axe_violations(page)

    log_in(page, live_server.url, front_desk)
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/staff/requests/")
    page.get_by_label("State", exact=True).select_option("new")
    expect(page).to_have_url(re.compile(r"state=new"))
    expect(page.locator("#results > p")).to_have_text("1 request")
    assert_no_axe_violations(page)

    assert refused == []

    # The listener does hear refusals: an inline script without the nonce is one.
    with pytest.raises(Error):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("typeof window.injected") == "undefined"
    assert len(refused) == 1
    assert "Content Security Policy" in refused[0]
