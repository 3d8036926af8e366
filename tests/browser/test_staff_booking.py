"""Front desk books a phone appointment for a caller without email, reads the code out, and the
helper finds it in their week."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling.models import Appointment
from tests.browser.helpers import assert_no_axe_violations, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hana(library):
    return staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana", last_name="Lee")


def test_front_desk_books_a_phone_appointment_and_the_helper_sees_it_in_their_week(
    page: Page, live_server, library, central, front_desk, hana
):
    # The real clock: the browser drops session cookies that a fixed past clock would date.
    every_day(hana, central, time(9), time(17))
    AppointmentTypeFactory(organization=library, name="Phone help", duration=30)
    caller = HelpRequestFactory(
        organization=library,
        name="Dale Jones",
        email="",
        phone="+17635550123",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
    )

    log_in(page, live_server.url, front_desk)
    assert_no_axe_violations(page)
    # Under "More", with the pages staff open less often.
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="All requests").click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=caller.display_reference, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/{caller.reference}/")
    expect(page.get_by_role("heading", name="Appointments")).to_be_visible()
    expect(page.get_by_text("No appointments yet.")).to_be_visible()
    # No email address: nothing to send a link to.
    expect(page.get_by_role("button", name="a link to choose a time")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Book an appointment").click()
    expect(page).to_have_url(f"{live_server.url}/staff/requests/{caller.reference}/book/")
    expect(page.get_by_role("combobox", name="Kind of appointment")).to_have_value(
        str(caller.organization.appointment_types.get().pk)
    )
    assert_no_axe_violations(page)
    first_time = page.locator("input[name=slot]").first
    tick(first_time)
    page.get_by_role("button", name="Book this time").click()

    expect(page).to_have_url(f"{live_server.url}/staff/requests/{caller.reference}/")
    appointment = Appointment.objects.get()
    zone = central.zone
    starts = appointment.starts.astimezone(zone)
    expect(page.get_by_role("status").first).to_contain_text("Appointment booked for")
    expect(page.get_by_role("status").first).to_contain_text("with Hana Lee.")
    booked = page.get_by_role("region", name="Read this to the caller:")
    expect(booked.locator(".jh-appointment-reference [aria-hidden=true]")).to_have_text(
        appointment.display_reference
    )
    expect(booked.locator(".jh-appointment-reference .usa-sr-only")).to_have_text(
        "Appointment reference code " + " ".join(appointment.display_reference)
    )
    expect(page.locator(".usa-tag").first).to_have_text("Appointment scheduled")
    expect(page.locator(f"#appointment-{appointment.pk}")).to_contain_text("Booked")
    assert_no_axe_violations(page)
    assert (appointment.request, appointment.helper, appointment.state) == (
        caller,
        hana,
        "booked",
    )

    # Under "More", with the pages staff open less often.
    page.get_by_text("More", exact=True).click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, hana)
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/staff/calendar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar of Hana Lee")
    assert_no_axe_violations(page)
    today = timezone.localdate(timezone=zone)
    if starts.date() > today - timedelta(days=today.weekday()) + timedelta(days=6):
        page.get_by_role("link", name="Next week").click()
    day = page.locator(f"section[aria-labelledby='day-{starts.date().isoformat()}']")
    row = day.get_by_role("row", name=appointment.display_reference)
    expect(row).to_contain_text("Dale")
    expect(row).to_contain_text("Phone help")
    expect(row).not_to_contain_text("Jones")
    expect(row.get_by_role("link", name="Dale")).to_have_attribute(
        "href", f"/staff/requests/{caller.reference}/"
    )
    assert_no_axe_violations(page)
