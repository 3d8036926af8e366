"""The issue's story in a browser. A librarian refers Rosa to the job center's WIOA career
services without any personal data and prints her slip; then, with Rosa's spoken consent to
share her name and phone for 30 days, the center sees them, accepts, and completes it with
"got help" while the librarian watches the state change on the request; Rosa withdraws her
consent through her link on her phone and the center no longer sees the phone; the reports of
both sides count the referral. The same pages in Spanish. axe-core checks every page, under
the real Content-Security-Policy."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.referrals.models import Referral
from tests.browser.helpers import (
    AXE_JS,
    PHONE_VIEWPORT,
    assert_no_axe_violations,
    collect_csp_messages,
    log_in,
    tick,
)
from tests.factories.accounts import staff_member
from tests.referrals.conftest import (  # noqa: F401 - fixtures
    NAME,
    agreement_fixture,
    rosa_fixture,
    wioa_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_SHOWN = "(763) 555-0188"


def new_page(browser: Browser, **options) -> Page:
    context = browser.new_context(locale="en-US", **options)
    # As the default context (tests/browser/conftest.py): axe, outside the page's CSP.
    context.add_init_script(path=str(AXE_JS))
    return context.new_page()


def test_a_referral_closes_the_loop_with_consent_given_and_withdrawn(
    page: Page,
    browser: Browser,
    live_server,
    agreement,
    wioa,
    rosa,
    helper,
    partner_staff,
    manager,
    center,
):
    url = live_server.url
    csp = collect_csp_messages(page)

    # --- The librarian refers Rosa, without any personal data, and prints her slip.
    log_in(page, url, helper)
    page.goto(f"{url}/staff/requests/{rosa.reference}/")
    expect(page.locator("#referrals")).to_contain_text("Not referred to a partner.")
    page.get_by_role("link", name="Refer to a partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Refer request {rosa.display_reference}"
    )
    assert_no_axe_violations(page)
    page.get_by_label("Refer them to").select_option(
        label="WIOA career services — Riverbend WorkForce Center"
    )
    tick(page.get_by_label("They may qualify for the partner's program"))
    page.get_by_label("Note for the partner (optional)").fill("Interested in welding training.")
    page.get_by_role("button", name="Send the referral").click()
    referral = Referral.objects.get()
    expect(page).to_have_url(f"{url}/staff/referrals/{referral.code}/")
    expect(page.locator("#referral-state")).to_contain_text("Sent, waiting for an answer")
    expect(page.locator("#patron")).to_contain_text(
        "Nothing about the person is shared with the partner."
    )
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Print the slip, or send it to the patron").click()
    slip = page.locator("article.jh-slip")
    # In Rosa's Spanish, with the code, the address, the hours and the phone.
    expect(slip.get_by_role("heading", level=1)).to_have_text(
        "Su derivación a WIOA career services"
    )
    expect(slip).to_contain_text(referral.display_code)
    expect(slip).to_contain_text("1201 89th Ave NE, Blaine, MN 55434")
    expect(slip).to_contain_text("763-555-0150")
    expect(slip.get_by_role("row", name="Lunes")).to_contain_text("08:00–16:30")
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    expect(slip).to_be_visible()
    expect(page.locator(".jh-nav")).to_be_hidden()
    expect(page.get_by_role("heading", name="Send it to the patron")).to_be_hidden()
    page.emulate_media(media="screen")

    # --- The center sees the referral but nothing of Rosa.
    center_page = new_page(browser)
    log_in(center_page, url, partner_staff)
    center_page.get_by_role("link", name="Referrals", exact=True).click()
    row = center_page.locator(f"#referral-{referral.code}")
    expect(row).to_contain_text("WIOA career services")
    expect(row).to_contain_text("not shared")
    assert_no_axe_violations(center_page)
    row.get_by_role("link", name=referral.display_code).click()
    expect(center_page.locator("#patron")).to_contain_text(
        "The patron has not agreed to share their details with you."
    )
    expect(center_page.locator("body")).not_to_contain_text("Rosa")

    # --- Rosa agrees aloud to share her name and phone for 30 days.
    page.goto(f"{url}/staff/referrals/{referral.code}/")
    page.get_by_role("link", name="Record the patron's consent to share details").click()
    assert_no_axe_violations(page)
    tick(page.get_by_label("Name", exact=True))
    tick(page.get_by_label("Phone number", exact=True))
    tick(page.get_by_label("I told the patron what would be shared"))
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent recorded")
    link = page.locator("#consent-link").get_attribute("href")
    # The link names the public site (JOBHELP_PUBLIC_BASE_URL); the patron opens its path here.
    path = re.fullmatch(r"https?://[^/]+(/referrals/consent/[\w-]+/)", link).group(1)
    assert_no_axe_violations(page)

    # --- The center now sees her name and phone, accepts and completes with "got help".
    center_page.reload()
    expect(center_page.locator("#patron")).to_contain_text(NAME)
    expect(center_page.locator("#patron")).to_contain_text(PHONE_SHOWN)
    assert_no_axe_violations(center_page)
    center_page.get_by_role("button", name="Accept the referral").click()
    expect(center_page.locator("#referral-state")).to_contain_text("Accepted")

    page.goto(f"{url}/staff/requests/{rosa.reference}/")
    expect(page.locator(f"#referral-{referral.code}")).to_contain_text("Accepted")

    tick(center_page.get_by_label("Got help"))
    center_page.get_by_role("button", name="Complete the referral").click()
    expect(center_page.locator("#referral-state")).to_contain_text("Completed (Got help)")
    assert_no_axe_violations(center_page)

    # The librarian watches the state change on the request.
    page.reload()
    expect(page.locator(f"#referral-{referral.code}")).to_contain_text("Completed (Got help)")
    assert_no_axe_violations(page)

    # --- Rosa withdraws her consent through her link, on her phone.
    phone = new_page(browser, viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    phone.goto(f"{url}{path}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "What you share with Riverbend WorkForce Center"
    )
    expect(phone.locator("#consent-status")).to_contain_text(
        "You agreed that Riverbend WorkForce Center may see these details until"
    )
    assert_no_axe_violations(phone)
    phone.get_by_role("button", name="Stop sharing my details").click()
    expect(phone.get_by_role("status")).to_contain_text(
        "Done: Riverbend WorkForce Center no longer sees your details."
    )
    assert_no_axe_violations(phone)

    # --- The center no longer sees the phone, on its next page.
    center_page.reload()
    expect(center_page.locator("#patron")).not_to_contain_text(PHONE_SHOWN)
    expect(center_page.locator("#patron")).to_contain_text(
        "The patron has not agreed to share their details with you."
    )

    # --- The reports count it on both sides (one referral: shown as "<5"). The report opens on
    # the last full month; this month so far is the period that holds today's referral.
    this_month = timezone.localdate().replace(day=1).isoformat()
    reports = new_page(browser)
    log_in(reports, url, manager)
    reports.goto(f"{url}/staff/reports/?start={this_month}")
    sent = reports.get_by_role("table", name="Referrals sent, by partner")
    expect(sent.get_by_role("row", name="Riverbend WorkForce Center")).to_contain_text("<5")
    assert_no_axe_violations(reports)
    center_manager = staff_member(center, Role.MANAGER)
    theirs = new_page(browser)
    log_in(theirs, url, center_manager)
    theirs.goto(f"{url}/staff/reports/?start={this_month}")
    received = theirs.get_by_role("table", name="Referrals received, by partner")
    expect(received.get_by_role("row", name="Riverbend County Library")).to_contain_text("<5")
    assert_no_axe_violations(theirs)
    assert csp == []


def test_the_referral_pages_in_spanish(
    page: Page, browser: Browser, live_server, agreement, wioa, rosa, helper, partner_staff
):
    from datetime import timedelta

    from django.utils import timezone

    from jobhelp.referrals.consent import record_consent
    from tests.referrals.conftest import refer

    url = live_server.url
    referral = refer(rosa, wioa, helper)
    recorded = record_consent(
        referral,
        by=helper,
        fields=["name", "phone"],
        purpose="Para que el centro la llame.",
        until=timezone.localdate() + timedelta(days=30),
        method="spoken",
    )
    log_in(page, url, partner_staff)
    page.get_by_role("button", name="Español").click()
    page.get_by_role("link", name="Derivaciones", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Derivaciones recibidas")
    assert_no_axe_violations(page)
    page.locator(f"#referral-{referral.code}").get_by_role(
        "link", name=referral.display_code
    ).click()
    expect(page.locator("#referral-state")).to_contain_text("Enviada, esperando respuesta")
    expect(page.get_by_role("button", name="Aceptar la derivación")).to_be_visible()
    expect(page.locator("#patron")).to_contain_text(PHONE_SHOWN)
    assert_no_axe_violations(page)

    phone = new_page(browser, viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    phone.goto(f"{url}/referrals/consent/{recorded.token}/")
    phone.get_by_role("button", name="Español").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Lo que comparte con Riverbend WorkForce Center"
    )
    assert_no_axe_violations(phone)
    phone.get_by_role("button", name="Dejar de compartir mis datos").click()
    expect(phone.get_by_role("status")).to_contain_text(
        "Listo: Riverbend WorkForce Center ya no ve sus datos."
    )
    assert_no_axe_violations(phone)
