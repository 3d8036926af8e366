"""Front desk staff take a request from a caller who has no email address, then find it."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from tests.browser.helpers import assert_no_axe_violations, log_in, tick
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def listed_references(page: Page) -> set[str]:
    return set(page.locator("#results tbody th a").all_inner_texts())


def test_front_desk_takes_a_phone_request_in_under_a_minute_then_filters_the_list(
    page: Page, live_server, library, other_library, front_desk
):
    waiting = HelpRequestFactory(organization=library, state=RequestState.NEW)
    finished = HelpRequestFactory(organization=library, state=RequestState.RESOLVED)
    HelpRequestFactory(organization=other_library, state=RequestState.NEW)

    started = time.monotonic()
    log_in(page, live_server.url, front_desk)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Take a new request").click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/new/")
    assert_no_axe_violations(page)

    page.get_by_label("Caller's name").fill("Dale")
    page.get_by_label("Phone number").fill("763 555 0123")
    tick(page.get_by_label("Job applications", exact=True))
    tick(page.get_by_label("By phone", exact=True))
    tick(page.get_by_label("I read the privacy notice to the patron"))
    page.get_by_role("button", name="Save request").click()

    saved = HelpRequest.objects.get(taken_by=front_desk)
    expect(page).to_have_url(f"{live_server.url}/staff/requests/{saved.reference}/")
    # The code is in the title, large, and spelled out one character at a time to a screen reader.
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_accessible_name("Request " + " ".join(saved.display_reference))
    expect(title.locator(".jh-reference [aria-hidden=true]")).to_have_text(saved.display_reference)
    expect(page.get_by_role("status")).to_have_text(
        f"Request saved. Read the reference code back to the caller: {saved.display_reference}"
    )
    elapsed = time.monotonic() - started
    assert_no_axe_violations(page)
    assert elapsed < 60, f"taking a request took {elapsed:.1f} s"
    assert {
        "organization": saved.organization,
        "name": saved.name,
        "phone": saved.phone,
        "email": saved.email,
        "channel": saved.channel,
        "modality": saved.modality,
        "state": saved.state,
        "needs": list(saved.needs.values_list("need", flat=True)),
    } == {
        "organization": library,
        "name": "Dale",
        "phone": "+17635550123",
        "email": "",
        "channel": "phone",
        "modality": "phone",
        "state": "new",
        "needs": ["applications"],
    }

    # Under "More", with the pages staff open less often.
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="All requests", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/")
    expect(page.locator("#results > p")).to_have_text("3 requests")
    assert listed_references(page) == {
        saved.display_reference,
        waiting.display_reference,
        finished.display_reference,
    }
    assert_no_axe_violations(page)

    # htmx swaps the results in place; a full page load would lose this marker.
    page.evaluate("window.sameDocument = true")
    page.get_by_label("State", exact=True).select_option("new")
    expect(page.locator("#results > p")).to_have_text("2 requests")
    expect(page).to_have_url(re.compile(r"/staff/requests/\?(.*&)?state=new(&|$)"))
    assert page.evaluate("window.sameDocument") is True
    assert listed_references(page) == {saved.display_reference, waiting.display_reference}
    assert_no_axe_violations(page)
