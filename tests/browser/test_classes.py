"""A patron on a phone browses the classes in Spanish, narrows the list, opens a class, signs up
with an email address and finds the join link on their own page; leaving is offered there."""

from datetime import UTC

import pytest
from playwright.sync_api import Page, expect

from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops.enums import Delivery, RegistrationState
from jobhelp.workshops.models import Registration
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
JOIN_URL = "https://meet.example.org/entrevistas-4417"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def page_fits_width(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_a_patron_signs_up_for_an_online_class_in_spanish(
    page: Page, live_server, library, central, branch
):
    interviewing = WorkshopFactory(
        organization=library,
        title="Entrevistas en línea",
        language="es",
        needs=["interview"],
        delivery=Delivery.VIDEO,
        capacity=12,
    )
    session = WorkshopSessionFactory(
        workshop=interviewing,
        location=central,
        starts=local(2027, 2, 3, 10),
        ends=local(2027, 2, 3, 11),
        join_url=JOIN_URL,
    )
    WorkshopSessionFactory(
        workshop=WorkshopFactory(
            organization=branch, title="Resumé Basics", language="en", needs=["resume"]
        ),
        location=branch.locations.get(),
        starts=local(2027, 2, 2, 14),
        ends=local(2027, 2, 2, 15),
    )

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("nav.jh-nav a[href='/classes/']").click()

    expect(page).to_have_url(f"{live_server.url}/classes/")
    expect(page.locator("#class-list .usa-collection__heading")).to_have_text(
        ["Resumé Basics", "Entrevistas en línea"]
    )
    assert page_fits_width(page)
    assert_no_axe_violations(page)

    # The filters are a plain form: choose Spanish classes and send it.
    page.locator("#id_language").select_option("es")
    page.locator("form.jh-class-filters button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/classes/?location=&need=&language=es")
    expect(page.locator("#class-list .usa-collection__heading")).to_have_text(
        ["Entrevistas en línea"]
    )
    expect(page.locator("#class-list")).to_contain_text(
        "Miércoles, 3 de febrero de 2027, 10:00 (CST)"
    )
    assert_no_axe_violations(page)

    page.locator("#class-list a", has_text="Entrevistas en línea").click()

    expect(page).to_have_url(f"{live_server.url}/classes/{session.pk}/")
    expect(page.locator("#class-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 10:00 (CST) – 11:00"
    )
    expect(page.locator("#id_language")).to_have_value("es")
    assert JOIN_URL not in page.content()
    assert page_fits_width(page)
    assert_no_axe_violations(page)

    # A mistake first: neither a phone number nor an email address.
    page.locator("#id_name").fill("Rosa María Díaz")
    page.locator("#register-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert Registration.objects.count() == 0
    assert_no_axe_violations(page)

    page.locator("#id_email").fill("rosa@example.org")
    page.locator("#register-form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/classes/registration/**")
    expect(page.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    expect(page.locator("#registration-when")).to_have_text(
        "Miércoles, 3 de febrero de 2027, 10:00 (CST) – 11:00"
    )
    expect(page.locator("#calendar-file")).to_be_visible()
    expect(page.locator("#leave-form")).to_be_visible()
    assert page_fits_width(page)
    assert_no_axe_violations(page)

    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.language, registration.state) == (
        "Rosa María Díaz",
        "rosa@example.org",
        "es",
        RegistrationState.REGISTERED,
    )
    assert list(OutboundMessage.objects.values_list("template", "language")) == [
        ("workshop_registered", "es")
    ]
