"""The issue's story in a browser. The center's liaison schedules the job-center orientation for
the library's staff, takes attendance when the day comes, and the library's helper who attended
becomes current and is suggested for an unemployment-benefits request with the reason shown.
The library manager's matrix shows a lapsed refresher, whose reminder is queued once however
often the job runs (controlled clock). The front desk adds a card, lends it to a job-center
staff member, is refused a second lend of it from a page opened before, and takes it back; the
number is never shown in full. The pages in Spanish. axe-core checks every page."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.crosstraining.domain import send_training_reminders
from jobhelp.crosstraining.enums import TrainingKind
from jobhelp.crosstraining.models import Training, TrainingRecord
from jobhelp.notifications.models import OutboundMessage
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import RequirementFactory, card_number
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.partnerships import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = card_number(8080)


@pytest.fixture
def county(library, center):
    partnership = PartnershipFactory()
    PartnerFactory(partnership=partnership, organization=library)
    PartnerFactory(partnership=partnership, organization=center)
    LocationFactory(organization=center, name="WorkForce Center", time_zone="America/Chicago")
    LocationFactory(organization=library, name="Central Library")
    RequirementFactory(
        organization=library,
        role=Role.HELPER,
        title="Job-center orientation",
        qualifies_for="unemployment",
    )
    return partnership


def test_the_orientation_qualifies_a_helper_and_routing_says_so(
    page: Page, live_server, county, liaison, helper, manager
):
    url = live_server.url
    csp = collect_csp_messages(page)
    log_in(page, url, liaison)
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="Training", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainings")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Schedule a training").click()
    assert_no_axe_violations(page)
    day = timezone.localdate() + timedelta(days=3)
    page.locator("#id_title").fill("Job-center orientation")
    page.get_by_label("Title in Spanish").fill("Orientación del centro de empleo")
    page.get_by_label("Kind").select_option(label="Orientation on online resources")
    page.get_by_label("Given by").select_option(label="Riverbend WorkForce Center")
    page.get_by_label("Trainer").select_option(label=str(liaison))
    tick(page.get_by_label("Riverbend County Library", exact=True))
    page.get_by_label("Location").select_option(label="WorkForce Center")
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Room or place").fill("Training room B")
    page.get_by_role("button", name="Schedule").click()
    training = Training.objects.get()
    expect(page).to_have_url(f"{url}/staff/training/{training.pk}/")
    expect(page.locator("main")).to_contain_text(
        "Attendance is taken from the roster once the training has started."
    )
    assert_no_axe_violations(page)

    # The day comes (the clock moves on: the training started two hours ago).
    starts = timezone.now() - timedelta(hours=2)
    Training.objects.filter(pk=training.pk).update(starts_at=starts)
    page.reload()
    tick(page.get_by_label(str(helper), exact=True))
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("main")).to_contain_text("1 person marked present.")
    assert_no_axe_violations(page)
    held_on = timezone.localdate(starts, ZoneInfo("America/Chicago"))
    assert list(TrainingRecord.objects.values_list("person", "completed_on")) == [
        (helper.pk, held_on)
    ]

    # The helper's own record says so, and routing suggests them with the reason.
    page.context.clear_cookies()
    log_in(page, url, helper)
    page.goto(f"{url}/staff/training/mine/")
    expect(page.locator("main")).to_contain_text("Current")
    assert_no_axe_violations(page)
    request = HelpRequestFactory(
        organization=helper.memberships.get().organization, needs=["unemployment"]
    )
    page.context.clear_cookies()
    log_in(page, url, manager)
    page.goto(f"{url}/staff/queue/")
    reasons = page.locator(f"#row-{request.reference} ol.jh-suggestions > li").first
    expect(reasons.locator("strong")).to_have_text(str(helper))
    expect(reasons.locator(".jh-reason")).to_contain_text(
        f"completed Job-center orientation on {formats.date_format(held_on, 'MONTH_DAY_FORMAT')}"
    )
    assert_no_axe_violations(page)
    assert csp == []


def test_the_matrix_shows_a_lapsed_refresher_reminded_once(
    page: Page, live_server, county, library, manager
):
    lapsed = staff_member(library, Role.HELPER, first_name="Eli", email="eli@example.org")
    TrainingRecord.objects.create(
        person=lapsed,
        title="Job-center orientation",
        kind=TrainingKind.ORIENTATION,
        completed_on=timezone.localdate() - timedelta(days=400),
        given_by="The center",
        attested_by=manager,
    )
    url = live_server.url
    log_in(page, url, manager)
    page.goto(f"{url}/staff/training/matrix/")
    row = page.locator("tr", has_text=str(lapsed))
    expect(row).to_contain_text("Lapsed")
    assert_no_axe_violations(page)
    now = timezone.now()
    assert send_training_reminders(now=now) >= 1
    assert send_training_reminders(now=now + timedelta(hours=1)) == 0
    assert OutboundMessage.objects.filter(to="eli@example.org").count() == 1
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matriz de capacitación")
    expect(page.locator("tr", has_text=str(lapsed))).to_contain_text("Vencida")
    assert_no_axe_violations(page)


def test_a_card_is_lent_refused_twice_returned_and_never_shown(
    page: Page, live_server, county, front_desk, partner_staff, liaison
):
    url = live_server.url
    log_in(page, url, front_desk)
    page.goto(f"{url}/staff/training/cards/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add a card").click()
    page.get_by_label("Card number").fill("2000")
    page.get_by_label("Issuing branch").select_option(label="Central Library")
    page.get_by_role("button", name="Add the card").click()
    expect(page.locator("#form-errors")).to_contain_text("A library card number has 14 digits.")
    assert_no_axe_violations(page)
    page.get_by_label("Card number").fill(NUMBER)
    page.get_by_role("button", name="Add the card").click()
    expect(page.locator("main")).to_contain_text(f"•••• {NUMBER[-4:]}")
    assert NUMBER not in page.content()
    page.get_by_role("link", name=f"•••• {NUMBER[-4:]}").click()
    card_url = page.url
    # A second tab opened before the card is lent.
    stale = page.context.new_page()
    stale.goto(card_url)
    page.get_by_label("Lend to").select_option(label=str(partner_staff))
    page.get_by_label("Issued on").fill("2026-03-01")
    page.get_by_label("Expires on").fill("2026-06-01")
    page.get_by_role("button", name="Lend the card").click()
    expect(page.locator("main")).to_contain_text(f"Held by {partner_staff}")
    assert_no_axe_violations(page)
    stale.get_by_label("Lend to").select_option(label=str(liaison))
    stale.get_by_label("Issued on").fill("2026-03-01")
    stale.get_by_label("Expires on").fill("2026-06-01")
    stale.get_by_role("button", name="Lend the card").click()
    expect(stale.locator("#form-errors")).to_contain_text("already lent to someone")
    page.reload()
    page.get_by_role("button", name="Returned").click()
    expect(page.locator("main")).to_contain_text("Lend this card")
    assert NUMBER not in page.content()
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Prestar esta tarjeta")
    assert_no_axe_violations(page)
