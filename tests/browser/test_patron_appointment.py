"""A patron with email opens the link from their confirmation, switches to Spanish, moves the
appointment to another offered time and then cancels it, on a phone-sized screen. They asked
for help in English, so the page opens in English; the language they choose with the switch
wins from then on."""

from datetime import UTC, time

import pytest
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling import links
from jobhelp.scheduling.domain import book_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def booked_states() -> list[tuple]:
    return list(Appointment.objects.order_by("pk").values_list("starts", "state", "sequence"))


@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_a_patron_moves_then_cancels_their_appointment_in_spanish(
    page: Page, live_server, library, central, front_desk
):
    hana = staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana")
    every_day(hana, central, time(9), time(12))
    rosa = HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        email="rosa@example.org",
        language="en",
    )
    appointment = book_appointment(
        request=rosa,
        helper=hana,
        location=central,
        appointment_type=AppointmentTypeFactory(organization=library, self_service=True),
        starts=local(2027, 2, 3, 10),
        by=front_desk,
        now=NOW,
    )
    link = f"{live_server.url}/appointments/{links.link_to_appointment(appointment)}/"

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Español").click()

    expect(page).to_have_url(link)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#appointment-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 10:00 (CST)"
    )
    assert_no_axe_violations(page)

    # The words are translated later, so this test finds buttons and fields by id and address.
    page.locator("#choose-another-time").click()
    expect(page).to_have_url(f"{link}reschedule/")
    expect(page.locator("#appointment-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 10:00 (CST)"
    )
    expect(page.locator("fieldset legend").first).to_have_text("Martes, 2 de febrero de 2027")
    assert_no_axe_violations(page)
    # Day by day: Wednesday's times.
    page.locator("#day-2027-02-03").click()
    expect(page.locator("#day-2027-02-03")).to_have_attribute("aria-current", "date")
    assert_no_axe_violations(page)
    tick(page.locator("input[name=slot][value='20270203T1530Z']"))
    page.locator("form[action*='/reschedule/'] button[type=submit]").click()

    expect(page).to_have_url(link)
    expect(page.locator("#appointment-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 09:30 (CST)"
    )
    expect(page.get_by_role("status")).to_be_visible()
    assert_no_axe_violations(page)
    assert booked_states() == [
        (local(2027, 2, 3, 10), AppointmentState.CANCELLED, 0),
        (local(2027, 2, 3, 9, 30), AppointmentState.BOOKED, 1),
    ]

    page.locator("#cancel-form button[type=submit]").click()  # without ticking the box
    expect(page.locator("#form-errors")).to_be_visible()
    assert_no_axe_violations(page)
    tick(page.locator("#id_confirm"))
    page.locator("#cancel-form button[type=submit]").click()

    expect(page).to_have_url(link)
    expect(page.locator("#cancel-form")).to_have_count(0)
    expect(page.locator("#choose-another-time")).to_have_count(0)
    expect(page.locator("#appointment-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 09:30 (CST)"
    )
    assert_no_axe_violations(page)
    assert booked_states() == [
        (local(2027, 2, 3, 10), AppointmentState.CANCELLED, 0),
        # Cancelling raises the sequence, so calendar programs apply the cancellation.
        (local(2027, 2, 3, 9, 30), AppointmentState.CANCELLED, 2),
    ]
