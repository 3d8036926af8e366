"""A Spanish-speaking caller's request, from the front desk to the coach who helps them."""

import re

import pytest
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from tests.browser.helpers import assert_no_axe_violations, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def history(page: Page) -> list[str]:
    """The actions in the request's History list, in the order shown, without times or names:
    each entry reads "time — action[ → assignee][ — actor]"."""
    entries = page.locator("h2:text-is('History') + ol > li").all_inner_texts()
    return [re.split(r" — | → ", entry)[1] for entry in entries]


def test_a_spanish_speaking_caller_is_routed_to_the_spanish_speaking_coach_and_helped(
    page: Page, live_server, library, front_desk
):
    coach = staff_member(
        library,
        Role.CAREER_COACH,
        needs=["resume"],
        languages=["es", "en"],
        first_name="María",
        last_name="Díaz",
    )
    # Qualified too, and less busy: only the language puts the coach first.
    staff_member(
        library, Role.HELPER, needs=["resume"], languages=["en"], first_name="Bob", last_name="Berg"
    )
    for _ in range(2):
        HelpRequestFactory(organization=library, state=RequestState.ASSIGNED, assigned_to=coach)
    # Nobody is qualified for this one: the queue sends the front desk to its page instead.
    nobody = HelpRequestFactory(organization=library, needs=["unemployment"])

    log_in(page, live_server.url, front_desk)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Take a new request").click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/new/")
    assert_no_axe_violations(page)

    page.get_by_label("Caller's name").fill("Rosa")
    page.get_by_label("Phone number").fill("763 555 0188")
    page.get_by_label("Language they want help in").select_option(label="Spanish")
    tick(page.get_by_label("Resumé", exact=True))
    tick(page.get_by_label("By phone", exact=True))
    tick(page.get_by_label("I read the privacy notice to the patron"))
    page.get_by_role("button", name="Save request").click()

    saved = HelpRequest.objects.get(taken_by=front_desk)
    expect(page).to_have_url(f"{live_server.url}/staff/requests/{saved.reference}/")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Queue", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/queue/")
    row = page.locator(f"#row-{saved.reference}")
    first = row.locator("ol.jh-suggestions > li").first
    expect(first.locator("strong")).to_have_text("María Díaz")
    expect(first.locator(".jh-reason")).to_contain_text("speaks Spanish")
    expect(first.locator(".jh-reason")).to_contain_text("qualified for Resumé")
    assert_no_axe_violations(page)

    other = page.locator(f"#row-{nobody.reference}")
    expect(other).to_contain_text("Nobody qualified yet.")
    expect(other.get_by_role("link", name="Someone else…")).to_have_attribute(
        "href", f"/staff/requests/{nobody.reference}/#assign-heading"
    )
    # The row's Assign list offers the suggestions in the same order, the best one chosen.
    choice = row.get_by_label(f"Assign {saved.display_reference} to")
    expect(choice.locator("option")).to_have_text(["María Díaz", "Bob Berg"])
    expect(choice).to_have_value(str(coach.pk))
    row.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Assigned to María Díaz.")
    expect(page).to_have_url(f"{live_server.url}/staff/queue/")
    expect(row.get_by_role("cell", name="Assigned María Díaz", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name="Assign", exact=True)).to_have_count(0)
    assert_no_axe_violations(page)

    # Under "More", with the pages staff open less often.
    page.get_by_text("More", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Log out")).click()
    expect(page).to_have_url(f"{live_server.url}/staff/login/")
    log_in(page, live_server.url, coach)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="My requests", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/mine/")
    link = page.get_by_role("link", name=saved.display_reference, exact=True)
    expect(link).to_be_visible()
    assert_no_axe_violations(page)

    link.click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/{saved.reference}/")
    assert_no_axe_violations(page)
    for outcome in ("Left a voicemail", "Reached them"):
        tick(page.get_by_label(outcome, exact=True))
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Contact attempt saved.")
        assert_no_axe_violations(page)
    tick(page.get_by_label("Helped", exact=True))
    page.get_by_role("button", name="Resolve", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Resolved. Thank you!")
    expect(page.locator(".usa-tag")).to_have_text("Resolved")
    assert history(page) == [
        "Request received",
        "Assigned",
        "Call or email logged",
        "Call or email logged",
        "Resolved",
    ]
    assert_no_axe_violations(page)
    saved.refresh_from_db()
    assert {
        "state": saved.state,
        "closing_reason": saved.closing_reason,
        "assigned_to": saved.assigned_to,
        "language": saved.language,
        "needs": list(saved.needs.values_list("need", flat=True)),
        "email": saved.email,
        "outcomes": list(saved.contact_attempts.values_list("outcome", flat=True)),
    } == {
        "state": "resolved",
        "closing_reason": "helped",
        "assigned_to": coach,
        "language": "es",
        "needs": ["resume"],
        "email": "",
        "outcomes": ["voicemail", "reached"],
    }
