"""A helper records the help given on a request assigned to them, with outcomes and a follow-up
due today; the follow-up shows on their home page and in their follow-ups until it is done."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.casework.models import FollowUp, HelpSession
from jobhelp.intake.enums import RequestState
from tests.browser.helpers import assert_no_axe_violations, log_in, tick
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Wants warehouse work; forklift licence expired."


def test_a_helper_records_a_session_and_finds_the_follow_up_on_their_home_page(
    page: Page, live_server, library, central, helper
):
    # The real clock: the browser drops session cookies that a fixed past clock would date.
    caller = HelpRequestFactory(
        organization=library,
        name="Dale Jones",
        email="",
        phone="+17635550123",
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        preferred_location=central,
    )
    request_url = f"{live_server.url}/staff/requests/{caller.reference}/"

    log_in(page, live_server.url, helper)
    assert_no_axe_violations(page)
    home = page.get_by_role("region", name="Follow-ups due")
    expect(home).to_contain_text("Nothing to follow up today.")

    page.goto(request_url)
    expect(page.get_by_role("heading", name="Help given")).to_be_visible()
    expect(page.get_by_text("No help recorded yet.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record help given").click()
    expect(page).to_have_url(f"{request_url}sessions/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record help given")
    # Opens with today's date, on the library's clock.
    expect(page.get_by_label("Date of the session")).to_have_value(
        timezone.localdate(timezone=central.zone).isoformat()
    )
    expect(
        page.get_by_text("Only your organization's staff see this; it is erased with the request.")
    ).to_be_visible()
    assert_no_axe_violations(page)

    tick(page.get_by_label("By video call", exact=True))
    page.get_by_label("Minutes spent").fill("0")
    page.get_by_role("button", name="Save the session").click()
    # Bad input: told what to fix, with the rest kept.
    expect(page.get_by_role("alert").first).to_contain_text("Please fix one thing below.")
    expect(page.get_by_label("By video call", exact=True)).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Minutes spent").fill("45")
    tick(page.get_by_label("Resumé reviewed", exact=True))
    tick(page.get_by_label("Job applications submitted", exact=True))
    tick(page.get_by_label("Resumé completed", exact=True))
    page.get_by_label("Private note (optional)").fill(NOTE)
    page.get_by_label("Follow up on (optional)").fill(
        timezone.localdate(timezone=central.zone).isoformat()
    )
    page.get_by_label("What to follow up").fill("Call back to ask about the interview")
    page.get_by_role("button", name="Save the session").click()

    expect(page).to_have_url(re.compile(re.escape(request_url) + "#help-given$"))
    expect(page.get_by_role("status").first).to_have_text(
        "The help you gave is recorded. Thank you!"
    )
    session = HelpSession.objects.get()
    help_given = page.locator(f"#session-{session.pk}")
    for text in (
        "By video call",
        "45 minutes",
        "Resumé reviewed, Job applications submitted",
        "Resumé completed",
        NOTE,
        "Call back to ask about the interview",
    ):
        expect(help_given).to_contain_text(text)
    assert_no_axe_violations(page)

    # Later on: they got an interview.
    help_given.get_by_text("Update outcomes").click()
    tick(help_given.get_by_label("Got an interview", exact=True))
    help_given.get_by_role("button", name="Save outcomes").click()
    expect(page.get_by_role("status").first).to_have_text("Outcomes saved.")
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("Got an interview")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Staff home").click()
    home = page.get_by_role("region", name="Follow-ups due")
    expect(home.get_by_role("row", name=caller.display_reference)).to_contain_text(
        "Call back to ask about the interview"
    )
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Feedback from patrons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback from patrons")
    assert_no_axe_violations(page)

    page.go_back()
    page.get_by_role("link", name="All my follow-ups").click()
    expect(page).to_have_url(f"{live_server.url}/staff/follow-ups/")
    due = page.get_by_role("region", name="Due today or earlier")
    expect(due).to_contain_text("Call back to ask about the interview")
    assert_no_axe_violations(page)
    due.get_by_role("button", name="Done").click()

    expect(page).to_have_url(f"{live_server.url}/staff/follow-ups/")
    expect(page.get_by_role("status").first).to_have_text("Follow-up done.")
    expect(page.get_by_role("region", name="Due today or earlier")).to_contain_text(
        "Nothing to follow up today."
    )
    assert_no_axe_violations(page)
    assert FollowUp.objects.get().done_at is not None
