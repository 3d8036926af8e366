"""One code per caller, on a phone, in English and in Spanish: a patron of a branch finds their
appointment at /appointments/ with the code they got when they asked for help (not only the
appointment's), is told what a mistyped or wrong code means and which code to use, learns
when their request has no appointment yet, and is given the branch's number, not the library
system's, wherever they are asked to call."""

from datetime import UTC, time

import pytest
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling.domain import book_appointment
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
BRANCH_PHONE = "763-555-0122"
SYSTEM_PHONE = "763-555-0100"
WORDS = {
    "en": {
        "mistyped": "Reference codes never use 0, 1, I, L or O",
        "which": "or the one you were given when you asked for help",
        "none_yet": "Your request has no appointment yet",
        "call": f"Questions? Call {BRANCH_PHONE}.",
    },
    "es": {
        "mistyped": "Los códigos de referencia nunca usan 0, 1, I, L ni O",
        "which": "o el que recibió cuando pidió ayuda",
        "none_yet": "Su solicitud todavía no tiene cita",
        "call": f"¿Preguntas? Llame al {BRANCH_PHONE}.",
    },
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def look_up(page: Page, reference: str, phone: str) -> None:
    page.locator("#id_reference").fill(reference)
    page.locator("#id_phone").fill(phone)
    page.locator("form.usa-form button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_a_branchs_patron_finds_their_appointment_with_their_requests_code(
    page: Page, live_server, library, branch, central, front_desk, language
):
    # As in the demo: the branch has no number of its own; its library has.
    branch.phone = ""
    branch.save()
    branch.locations.update(phone=BRANCH_PHONE)
    hana = staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana")
    every_day(hana, central, time(9), time(12))
    rosa = HelpRequestFactory(
        organization=branch,
        reference="HXP234",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        email="",
        phone="+17635550142",
        language=language,
    )
    # Her appointment is at the library system's Central Library; the branch helps her.
    appointment = book_appointment(
        request=rosa,
        helper=hana,
        location=central,
        appointment_type=AppointmentTypeFactory(organization=library, name="Phone help"),
        starts=local(2027, 2, 3, 10),
        by=front_desk,
        now=NOW,
    )
    HelpRequestFactory(
        organization=branch, reference="QRS567", email="", phone="+17635550177", language=language
    )

    page.goto(f"{live_server.url}/")
    if language == "es":
        page.get_by_role("button", name="Español").click()
    page.locator("a[href='/appointments/']").first.click()
    expect(page).to_have_url(f"{live_server.url}/appointments/")
    expect(page.locator("main")).to_contain_text(WORDS[language]["which"])
    assert_no_axe_violations(page)

    # A code read back with a zero for an "O": said to be mistyped, and which characters.
    look_up(page, "HXP-2O4", "(763) 555-0142")
    expect(page.locator("#id_reference-error")).to_contain_text(WORDS[language]["mistyped"])
    expect(page.locator("#id_reference")).to_have_value("HXP-2O4")
    assert_no_axe_violations(page)

    # A code that matches nothing: told which codes work.
    look_up(page, "ZZZ-ZZZ", "(763) 555-0142")
    expect(page.locator("#form-errors")).to_contain_text(WORDS[language]["which"])
    assert_no_axe_violations(page)

    # The request's code opens the appointment, with the branch's number to call.
    look_up(page, "hxp 234", "763.555.0142")
    page.wait_for_url(f"{live_server.url}/appointments/*/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text(appointment.display_reference)
    expect(page.locator("main")).to_contain_text(WORDS[language]["call"])
    assert SYSTEM_PHONE not in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    # A request with no appointment yet: said so, with the branch's name and number.
    page.goto(f"{live_server.url}/appointments/")
    look_up(page, "QRS-567", "763-555-0177")
    expect(page.locator("#no-appointment")).to_contain_text(WORDS[language]["none_yet"])
    expect(page.locator("#no-appointment")).to_contain_text("Northtown Library")
    expect(page.locator("#no-appointment")).to_contain_text(BRANCH_PHONE)
    assert SYSTEM_PHONE not in page.locator("main").inner_text()
    assert_no_axe_violations(page)
