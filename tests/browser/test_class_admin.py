"""A job-center staff member creates a monthly online class, schedules it, registers a caller,
takes attendance after a session and prints the sign-in sheet."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.organizations.enums import OrganizationKind
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession
from tests.browser.helpers import assert_no_axe_violations, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.factories.workshops import RegistrationFactory, WorkshopSessionFactory
from tests.workshops.files import tiny_png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def first_tuesday_after(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def test_job_center_staff_run_a_monthly_online_class(page: Page, live_server, tmp_path):
    center = OrganizationFactory(
        name="Riverbend WorkForce Center", slug="workforce", kind=OrganizationKind.WORKFORCE_CENTER
    )
    office = LocationFactory(
        organization=center, name="WorkForce Center", time_zone="America/Chicago"
    )
    jo = staff_member(center, Role.PARTNER_STAFF, first_name="Jo", last_name="Rivera")
    flyer = tmp_path / "Interview tips flyer.png"
    flyer.write_bytes(tiny_png())

    log_in(page, live_server.url, jo)
    page.get_by_role("link", name="Classes", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/")
    expect(page.get_by_text("Your organizations have no classes yet.")).to_be_visible()
    assert_no_axe_violations(page)

    # The class.
    page.get_by_role("link", name="New class").click()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/new/")
    assert_no_axe_violations(page)
    # By id: "Title" and "Description" also begin the labels of their Spanish versions.
    page.locator("#id_title").fill("Online Interviewing Tips")
    page.locator("#id_description").fill("Put your best face forward in video interviews.")
    tick(page.get_by_label("Interview practice", exact=True))
    tick(page.get_by_label("Online, by video link", exact=True))
    page.get_by_role("spinbutton", name="Seats").fill("12")
    page.locator("input[type=file][name=flyer]").set_input_files(str(flyer))
    page.get_by_role("button", name="Create class").click()

    workshop = Workshop.objects.get()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/{workshop.pk}/schedule/")
    expect(page.get_by_role("status").first).to_contain_text("Now schedule its sessions.")
    assert (workshop.organization, workshop.capacity, workshop.delivery, workshop.needs) == (
        center,
        12,
        "video",
        ["interview"],
    )
    assert workshop.flyer.name.endswith(".png")
    assert_no_axe_violations(page)

    # Three monthly sessions, on the first Tuesday.
    first = first_tuesday_after(timezone.localdate())
    page.get_by_label("Location").select_option(
        label="WorkForce Center (Riverbend WorkForce Center)"
    )
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Length in minutes").fill("60")
    tick(page.get_by_label("Monthly, on the same weekday", exact=False))
    page.get_by_label("Number of sessions").fill("3")
    page.get_by_label("Host", exact=True).select_option(label="Jo Rivera")
    page.get_by_label("Video link").fill("https://meet.example.org/interview-tips")
    page.get_by_role("button", name="Preview the dates").click()
    expect(page.get_by_role("heading", name="This makes 3 sessions:")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Schedule sessions").click()

    expect(page).to_have_url(f"{live_server.url}/staff/classes/#class-{workshop.pk}")
    expect(page.get_by_role("status").first).to_contain_text("3 sessions scheduled")
    sessions = list(WorkshopSession.objects.order_by("starts"))
    assert [s.starts.astimezone(office.zone).strftime("%a %H:%M") for s in sessions] == [
        "Tue 10:00"
    ] * 3
    assert [(s.starts.astimezone(office.zone).day - 1) // 7 for s in sessions] == [0, 0, 0]
    expect(page.get_by_role("link", name="Flyer of Online Interviewing Tips")).to_be_visible()
    assert_no_axe_violations(page)

    # The first session's roster: register a caller.
    page.get_by_role("link", name="Roster").first.click()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/sessions/{sessions[0].pk}/")
    expect(page.get_by_text("No one has a seat yet.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Caller's name").fill("Rosa Martinez")
    page.get_by_label("Phone number").fill("612-555-0142")
    page.get_by_label("Language for our messages").select_option(label="Spanish")
    tick(page.get_by_label("No messages"))
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Rosa Martinez is registered.")
    expect(page.locator("#registered")).to_contain_text("(612) 555-0142")
    expect(page.locator("#registered")).to_contain_text("Jo Rivera")
    assert_no_axe_violations(page)
    assert Registration.objects.get().registered_by == jo

    # A session that has begun (made directly, as scheduling refuses the past): attendance.
    began = WorkshopSessionFactory(
        workshop=workshop,
        location=office,
        starts=timezone.now() - timedelta(minutes=30),
        host=jo,
    )
    came = RegistrationFactory(session=began, name="Rosa Martinez", phone="+16125550142")
    RegistrationFactory(session=began, name="Dale Jones", phone="+16125550123")
    page.goto(f"{live_server.url}/staff/classes/")
    page.get_by_role("link", name="Roster and attendance").click()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/sessions/{began.pk}/")
    assert_no_axe_violations(page)
    tick(page.locator("#attendance").get_by_label("Rosa Martinez"))
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status").first).to_contain_text("1 came, 1 did not come")
    assert dict(began.registrations.values_list("name", "state")) == {
        "Rosa Martinez": "attended",
        "Dale Jones": "no_show",
    }
    assert came.pk in set(began.registrations.filter(state="attended").values_list("pk", flat=True))
    assert_no_axe_violations(page)

    # The sign-in sheet, as printed.
    page.get_by_role("link", name="Print the sign-in sheet").click()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/sessions/{began.pk}/sign-in/")
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    table = page.locator(".jh-sign-in__table")
    expect(table).to_contain_text("Rosa M.")
    expect(table).to_contain_text("Dale J.")
    expect(page.locator("body")).not_to_contain_text("Martinez")
    expect(page.locator("body")).not_to_contain_text("555")
    expect(page.locator(".jh-nav")).to_be_hidden()
    expect(page.locator(".usa-header")).to_be_hidden()
    assert_no_axe_violations(page)
