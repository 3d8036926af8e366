"""The issue's waitlist story in a browser: a 12-seat online class fills, a 13th patron joins the
waitlist in Spanish, a registrant gives up their seat through their link, and the 13th takes the
seat from the offer in their email."""

from datetime import UTC

import pytest
from playwright.sync_api import Page, expect

from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Delivery, RegistrationState
from jobhelp.workshops.models import Registration
from tests.browser.helpers import assert_no_axe_violations
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
JOIN_URL = "https://meet.example.org/interview-tips"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def link_in(message: OutboundMessage) -> str:
    return "/classes/registration/" + message.body.split("/classes/registration/")[1].split()[0]


def test_a_freed_seat_goes_to_the_first_person_waiting(page: Page, live_server, library, central):
    workshop = WorkshopFactory(
        organization=library,
        title="Put Your Best Face Forward: Online Interviewing Tips",
        delivery=Delivery.VIDEO,
        capacity=12,
    )
    session = WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=local(2027, 2, 2, 14),
        ends=local(2027, 2, 2, 15),
        join_url=JOIN_URL,
    )
    first = register(
        session, registrant=Registrant(name="Ana Ruiz", email="ana@example.org", language="es")
    )
    for n in range(11):
        register(session, registrant=Registrant(name=f"Patron {n}", phone=f"+1612555{n:04d}"))

    # The 13th patron, in Spanish: the class is full, so they join the waitlist.
    page.goto(f"{live_server.url}/classes/{session.pk}/")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_no_axe_violations(page)
    page.locator("#id_name").fill("Luis Soto")
    page.locator("#id_email").fill("luis@example.org")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/classes/registration/**")
    expect(page.locator("#waitlist-place")).to_be_visible()
    assert JOIN_URL not in page.content()
    assert_no_axe_violations(page)
    luis = Registration.objects.get(email="luis@example.org")
    assert luis.state == RegistrationState.WAITLISTED

    # Ana gives up her seat through the link in her confirmation.
    confirmation = OutboundMessage.objects.get(to="ana@example.org")
    page.goto(live_server.url + link_in(confirmation))
    expect(page.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    assert_no_axe_violations(page)
    page.locator("#leave-form label[for=id_confirm]").click()
    page.locator("#leave-form button[type=submit]").click()
    expect(page.locator("#leave-form")).to_have_count(0)
    assert_no_axe_violations(page)
    assert Registration.objects.get(pk=first.registration.pk).state == RegistrationState.CANCELLED

    # Luis is offered the seat by email, in Spanish, and takes it.
    offer = OutboundMessage.objects.get(to="luis@example.org", template="workshop_offer")
    assert offer.language == "es"
    page.goto(live_server.url + link_in(offer))
    expect(page.locator("#offer")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#take-seat").click()
    expect(page.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    assert_no_axe_violations(page)
    luis.refresh_from_db()
    assert (luis.state, session.registrations.filter(state="registered").count()) == (
        RegistrationState.REGISTERED,
        12,
    )
