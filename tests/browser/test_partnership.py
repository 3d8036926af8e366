"""The partnership hub in a browser, in English and Spanish, with axe-core on every page: the
liaison logs a tour with who took part and sees her month's total; a manager records a major
amendment and the agreement is back in negotiation until every party signs again; an action
item comes due and reminds its owner (the periodic job on a controlled clock); an affiliate's
staff member sees only their tier's obligations; the quarterly activity report prints."""

import csv
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.core import periodic
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.models import ActionItem, Agreement, LogEntry
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in, tick
from tests.factories.partnerships import MeetingFactory
from tests.partnerships import conftest as domain

pytestmark = pytest.mark.django_db(transaction=True)

# The county in small (tests/partnerships/conftest.py): the center, the library system with
# its branch and an affiliate at a reduced level, and their executed agreement.
affiliate = domain.affiliate
affiliate_staff = domain.affiliate_staff
agreement = domain.agreement
center = domain.center
center_manager = domain.center_manager
liaison = domain.liaison
media = domain.media
obligations = domain.obligations
partnership = domain.partnership


def to_spanish(page: Page) -> None:
    page.get_by_role("button", name="Español").click()
    expect(page.locator(".jh-language__current")).to_have_text("Español")


def open_partnership(page: Page, partnership, *, spanish: bool = False) -> None:
    page.get_by_role("link", name="Colaboración" if spanish else "Partnership", exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=partnership.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.name)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_liaison_logs_a_tour_and_sees_her_months_total(
    page: Page, live_server, partnership, agreement, liaison, branch, language
):
    csp = collect_csp_messages(page)
    spanish = language == "es"
    log_in(page, live_server.url, liaison)
    if spanish:
        to_spanish(page)
    summary = page.locator(".jh-month-box")
    expect(summary).to_contain_text("de 120 minutos previstos" if spanish else "of 120 minutes")
    expect(summary.locator(".jh-count")).to_have_text("0")
    assert_no_axe_violations(page)

    summary.get_by_role("link", name="Registrar su tiempo" if spanish else "Log your time").click()
    assert_no_axe_violations(page)
    page.locator("[name=occurred_on]").fill(timezone.localdate().isoformat())
    page.locator("[name=activity]").select_option("tour")
    page.locator("[name=minutes]").fill("45")
    page.locator("[name=with_organization]").select_option(label="Northtown Library")
    page.locator("[name=attendees]").fill("Six staff of Northtown Library")
    page.locator("[name=attendee_count]").fill("6")
    page.locator("[name=note]").fill("They asked about the temporary cards.")
    page.get_by_role("button", name="Registrar el tiempo" if spanish else "Log the time").click()

    entry = LogEntry.objects.get()
    assert (entry.liaison, entry.minutes, entry.with_organization, entry.attendee_count) == (
        liaison,
        45,
        branch,
        6,
    )
    expect(page.get_by_role("status").first).to_contain_text(
        "Se registraron 45 minutos" if spanish else "45 minutes of tour logged."
    )
    expect(page.locator(".jh-month-total .jh-count")).to_have_text("45")
    expect(page.get_by_role("table")).to_contain_text("Six staff of Northtown Library")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Inicio del personal" if spanish else "Staff home").click()
    expect(page.locator(".jh-month-box .jh-count")).to_have_text("45")
    assert_no_axe_violations(page)
    assert csp == []


def sign(page: Page, organization: str) -> None:
    page.get_by_role("link", name=f"Record the signature of {organization}").click()
    assert_no_axe_violations(page)
    page.get_by_label("Signatory's name").fill("Alex Director")
    page.get_by_label("Signatory's title").fill("Director")
    page.get_by_label("Signed on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the signature").click()


def test_a_major_amendment_sends_the_agreement_back_until_every_party_signs_again(
    page: Page, live_server, partnership, agreement, manager, center_manager
):
    log_in(page, live_server.url, manager)
    open_partnership(page, partnership)
    page.locator(".jh-subnav").get_by_role("link", name="Agreements").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=agreement.title).click()
    expect(page.locator(".jh-status")).to_have_text("Executed")
    expect(page.get_by_text("Every required content is recorded.")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record an amendment").click()
    assert_no_axe_violations(page)
    tick(page.get_by_label("Major (every party signs again)"))
    page.get_by_label("What changes").fill("The affiliates join the card program.")
    # The amendment's own date; the terms below have an "In effect from" too.
    page.locator("[name=effective_on]").fill(timezone.localdate().isoformat())
    page.get_by_label("Methods of referring people between partners").fill(
        "Referral slips and a shared form."
    )
    page.get_by_role("button", name="Record the amendment").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "It is a major amendment: the agreement is in negotiation until every party has signed"
    )
    expect(page.locator(".jh-status")).to_have_text("In negotiation")
    expect(page.get_by_text("Not signed")).to_have_count(3)
    assert_no_axe_violations(page)

    sign(page, "Riverbend County Library")
    sign(page, "Harbor City Public Library")
    expect(page.locator(".jh-status")).to_have_text("In negotiation")
    # The library system's manager may not sign for the center.
    expect(
        page.get_by_role("link", name="Record the signature of Riverbend County WorkForce Center")
    ).to_have_count(0)
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    log_in(page, live_server.url, center_manager)
    page.goto(f"{live_server.url}/staff/partnerships/agreements/{agreement.pk}/")
    sign(page, "Riverbend County WorkForce Center")
    expect(page.get_by_role("status").first).to_have_text(
        "Every party has signed: the agreement is executed."
    )
    expect(page.locator(".jh-status")).to_have_text("Executed")
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.EXECUTED
    assert_no_axe_violations(page)


def test_an_action_item_comes_due_and_reminds_its_owner(
    page: Page, live_server, partnership, center, center_manager, manager
):
    meeting = MeetingFactory(
        partnership=partnership,
        title="Quarterly management meeting",
        location=center.locations.get(),
        starts=timezone.now() - timedelta(days=2),
    )
    due = timezone.localdate() + timedelta(days=10)
    log_in(page, live_server.url, center_manager)
    open_partnership(page, partnership)
    page.locator(".jh-subnav").get_by_role("link", name="Meetings").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Quarterly management meeting").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add an action item").click()
    assert_no_axe_violations(page)
    page.get_by_label("What is to be done").fill("Send the e-resources list")
    page.get_by_label("Owner").select_option(str(manager.pk))
    page.get_by_label("Due on").fill(due.isoformat())
    page.get_by_role("button", name="Add the action item").click()
    expect(page.get_by_role("table", name="Action items from this meeting")).to_contain_text(
        "Send the e-resources list"
    )
    assert_no_axe_violations(page)
    item = ActionItem.objects.get(meeting=meeting)

    # The periodic job, on a controlled clock: three days before, and again that day.
    chicago = ZoneInfo(settings.TIME_ZONE)

    def run_at(day):
        when = datetime.combine(day, time(9), tzinfo=chicago)
        return periodic.run_jobs(names=["partnerships.action_item_reminders"], now=when)

    reminders = OutboundMessage.objects.filter(template="action_item_reminder")
    assert [o.counts for o in run_at(due - timedelta(days=4))] == [{"queued": 0}]
    assert [o.counts for o in run_at(due - timedelta(days=3))] == [{"queued": 1}]
    assert [o.counts for o in run_at(due - timedelta(days=3))] == [{"queued": 0}]
    assert list(reminders.values_list("to", "object_id")) == [(manager.email, str(item.pk))]
    assert [o.counts for o in run_at(due)] == [{"queued": 1}]
    assert reminders.count() == 2

    # The owner sees it waiting on their home page.
    page.context.clear_cookies()
    log_in(page, live_server.url, manager)
    section = page.locator(".jh-partnership-home")
    expect(section.get_by_role("link", name="Send the e-resources list")).to_be_visible()
    assert_no_axe_violations(page)


def test_an_affiliates_staff_member_sees_only_their_tiers_obligations(
    page: Page, live_server, partnership, agreement, obligations, affiliate_staff
):
    log_in(page, live_server.url, affiliate_staff)
    open_partnership(page, partnership)
    affiliate_row = page.locator(f"#partner-{partnership.partners.get(tier='reduced').pk}")
    expect(affiliate_row).to_contain_text("Reduced participation")
    expect(affiliate_row.get_by_role("link")).to_have_text(
        ["Liaison tours of the job center", "Monthly workshop flyers"]
    )

    page.goto(f"{live_server.url}/staff/partnerships/agreements/{agreement.pk}/obligations/")
    rows = page.get_by_role("table").locator("tbody tr th")
    expect(rows).to_have_text(["Liaison tours of the job center", "Monthly workshop flyers"])
    expect(page.get_by_text("Library e-resources training")).to_have_count(0)
    assert_no_axe_violations(page)

    to_spanish(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Obligaciones del acuerdo")
    expect(rows).to_have_count(2)
    assert_no_axe_violations(page)

    response = page.goto(
        f"{live_server.url}/staff/partnerships/obligations/{obligations.training.pk}/"
    )
    assert response.status == 404
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_quarterly_activity_report_prints(
    page: Page, live_server, partnership, agreement, obligations, manager, liaison, center, language
):
    LogEntry.objects.create(
        partnership=partnership,
        liaison=liaison,
        organization=center,
        occurred_on=timezone.localdate(),
        activity="tour",
        minutes=75,
    )
    csp = collect_csp_messages(page)
    spanish = language == "es"
    log_in(page, live_server.url, manager)
    if spanish:
        to_spanish(page)
    open_partnership(page, partnership, spanish=spanish)
    page.locator(".jh-subnav").get_by_role(
        "link", name="Informe trimestral" if spanish else "Quarterly report"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{partnership.name}: " + ("informe de actividad" if spanish else "activity report")
    )
    assert_no_axe_violations(page)

    page.emulate_media(media="print")
    expect(page.locator(".jh-subnav")).to_be_hidden()
    expect(
        page.get_by_role("heading", name="Elija el trimestre" if spanish else "Choose the quarter")
    ).to_be_hidden()
    expect(
        page.get_by_role(
            "table", name="Minutos por actividad" if spanish else "Minutes by activity"
        )
    ).to_be_visible()
    expect(page.locator(".jh-report-section").first).to_contain_text("75")
    assert_no_axe_violations(page)
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name="Descargar el informe como archivo CSV"
            if spanish
            else "Download the report as a CSV file",
        ).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][1] == partnership.name
    assert csp == []
