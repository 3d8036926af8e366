"""Booking offers the right people and fits a phone (issue 12): on a phone-sized window, in
English and in Spanish, the front desk books a time for a Spanish-speaking caller who asked
for help by phone, and a patron books from the link that offers them times. The assigned
helper is chosen first, the others come with their reasons, "anyone free" is a choice; a
phone caller is not offered video calls; times are chosen day by day, the caller's best time
of day first; and a week of times fits on two phone screens.

The real clock: the browser drops session cookies that a fixed past clock would date."""

import re
from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling import links
from jobhelp.scheduling.models import Appointment
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": PHONE_VIEWPORT, "has_touch": True, "is_mobile": True}
WORDS = {
    "en": {
        "book": "Book this time",
        "show": "Show free times",
        "helper": "Helper",
        "kind": "Kind of appointment",
        "speaks": "speaks Spanish",
        "assigned": "assigned",
        "anyone": "Anyone free",
        "booked": "Appointment booked for",
        "who": "Who would you like to help you?",
        "yours": "Hana, who is helping you",
        "ana": "Ana (speaks Spanish)",
        "show_theirs": "Show their times",
        "thanks": "Thank you! This time is booked for you.",
        "choose_day": "Choose a day",
    },
    "es": {
        "book": "Reservar este horario",
        "show": "Mostrar horarios libres",
        "helper": "Ayudante",
        "kind": "Tipo de cita",
        "speaks": "habla español",
        "assigned": "tiene asignada la solicitud",
        "anyone": "Cualquier persona disponible",
        "booked": "Cita reservada para el",
        "who": "¿Quién quiere que le ayude?",
        "yours": "Hana, quien le está ayudando",
        "ana": "Ana (habla español)",
        "show_theirs": "Ver sus horarios",
        "thanks": "¡Gracias! Este horario está reservado para usted.",
        "choose_day": "Elija un día",
    },
}


@pytest.fixture
def people(library, central):
    """Hana is assigned and speaks English only; Ana speaks Spanish; Ben neither. All three do
    resumés, from 9 to 5 every day."""
    hana = staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana", last_name="Lee")
    ana = staff_member(
        library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana", last_name="Ruiz"
    )
    ben = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben", last_name="Berg")
    for helper in (hana, ana, ben):
        every_day(helper, central, time(9), time(17))
    return hana, ana, ben


def caller(library, hana, **fields):
    fields = {"language": "es", **fields}
    return HelpRequestFactory(
        organization=library,
        name="Rosa Lopez",
        phone="+17635550142",
        modality="phone",
        best_time="afternoon",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        **fields,
    )


def switch_to(page: Page, language: str) -> None:
    if language == "es" and page.locator(".jh-language__current").inner_text() != "Español":
        page.get_by_role("button", name="Español").click()
        expect(page.locator(".jh-language__current")).to_have_text("Español")


def fits_two_screens(page: Page, top: str, bottom: str) -> float:
    """The height from the top of `top` to the bottom of `bottom`, in screens."""
    first = page.locator(top).bounding_box()
    last = page.locator(bottom).bounding_box()
    screens = (last["y"] + last["height"] - first["y"]) / PHONE_VIEWPORT["height"]
    print(f"{top} to {bottom}: {screens:.2f} phone screens")
    return screens


@pytest.mark.parametrize(
    "language",
    [
        pytest.param("en", marks=pytest.mark.browser_context_args(**PHONE, locale="en-US")),
        # Staff log in in English and switch with the button at the top of the page.
        pytest.param("es", marks=pytest.mark.browser_context_args(**PHONE, locale="en-US")),
    ],
)
def test_front_desk_books_a_spanish_phone_caller_day_by_day_on_a_phone(
    page: Page, live_server, library, central, front_desk, people, language
):
    hana, ana, _ben = people
    words = WORDS[language]
    phone_help = AppointmentTypeFactory(organization=library, name="Phone help", modality="phone")
    AppointmentTypeFactory(organization=library, name="Video help", modality="video")
    rosa = caller(library, hana, email="")

    log_in(page, live_server.url, front_desk)
    switch_to(page, language)
    page.goto(f"{live_server.url}/staff/requests/{rosa.reference}/book/")

    # The phone type is chosen, and no video type is offered to a phone caller.
    kind = page.get_by_role("combobox", name=words["kind"])
    expect(kind).to_have_value(str(phone_help.pk))
    expect(kind.locator("option", has_text="Video help")).to_have_count(0)
    # Hana, assigned, is chosen; Ana, who speaks Spanish, comes next; "anyone" last.
    helper = page.get_by_role("combobox", name=words["helper"])
    expect(helper).to_have_value(str(hana.pk))
    options = helper.locator("option").all_inner_texts()
    assert options[0].startswith(f"Hana Lee ({words['assigned']}")
    assert options[1].startswith(f"Ana Ruiz ({words['speaks']}")
    assert options[-1] == words["anyone"]
    # Only Hana's times; the caller's afternoon first.
    expect(page.locator("#free-times input[name=slot]").first).to_be_attached()
    assert fits_two_screens(page, ".jh-day-picker", "#free-times button[type=submit]") <= 2
    assert_no_axe_violations(page)

    helper.select_option(str(ana.pk))
    page.get_by_role("button", name=words["show"]).click()
    expect(helper).to_have_value(str(ana.pk))
    days = page.locator(".jh-day-picker a")
    assert days.count() >= 28
    # A whole day (not today's rest): the second day listed.
    days.nth(1).click()
    expect(days.nth(1)).to_have_attribute("aria-current", "date")
    best = page.locator("#best-times input[name=slot]")
    expect(best).to_have_count(10)  # noon to 5, every half hour
    assert fits_two_screens(page, ".jh-day-picker", "#free-times button[type=submit]") <= 2
    assert_no_axe_violations(page)

    tick(best.first)
    page.get_by_role("button", name=words["book"]).click()

    expect(page).to_have_url(f"{live_server.url}/staff/requests/{rosa.reference}/")
    expect(page.get_by_role("status").first).to_contain_text(words["booked"])
    assert_no_axe_violations(page)
    appointment = Appointment.objects.get()
    starts = appointment.starts.astimezone(central.zone)
    assert (appointment.helper, appointment.appointment_type, starts.hour, starts.minute) == (
        ana,
        phone_help,
        12,
        0,
    )
    assert starts.date() > timezone.localdate(timezone=central.zone)


@pytest.mark.parametrize(
    "language",
    [
        pytest.param("en", marks=pytest.mark.browser_context_args(**PHONE, locale="en-US")),
        pytest.param("es", marks=pytest.mark.browser_context_args(**PHONE, locale="es-US")),
    ],
)
def test_the_patron_books_from_their_link_day_by_day_on_a_phone(
    page: Page, live_server, library, central, front_desk, people, language
):
    hana, ana, _ben = people
    words = WORDS[language]
    review = AppointmentTypeFactory(
        organization=library, name="Resumé review", modality="phone", self_service=True
    )
    rosa = caller(library, hana, email="rosa@example.org", language=language)
    token = links.offer_times(rosa, review, by=front_desk)

    page.goto(f"{live_server.url}/appointments/{token}/")

    who = page.get_by_role("combobox", name=words["who"])
    expect(who).to_have_value(str(hana.pk))
    options = who.locator("option").all_inner_texts()
    assert options[0] == words["yours"]
    if language == "es":
        # Ana speaks the patron's language.
        assert options[1] == words["ana"]
    expect(page.get_by_role("heading", name=words["choose_day"])).to_be_visible()
    expect(page.locator("input[name=slot]").first).to_be_attached()
    assert fits_two_screens(page, "#days-heading", "button.usa-button--big[type=submit]") <= 2
    assert_no_axe_violations(page)

    who.select_option(str(ana.pk))
    page.get_by_role("button", name=words["show_theirs"]).click()
    days = page.locator(".jh-day-picker a")
    # htmx swaps the days and times in place: the page stays (the mark set on it survives),
    # the address follows, and the focus stays on the day chosen.
    page.evaluate("window.jhSamePage = true")
    chosen = days.nth(2).get_attribute("id")
    days.nth(2).click()
    expect(days.nth(2)).to_have_attribute("aria-current", "date")
    assert page.evaluate("window.jhSamePage") is True
    expect(page).to_have_url(re.compile(rf"day={chosen.removeprefix('day-')}"))
    assert page.evaluate("document.activeElement.id") == chosen
    times = page.locator("input[name=slot]")
    expect(times).to_have_count(16)  # 9 to 5, every half hour
    assert fits_two_screens(page, "#days-heading", "button.usa-button--big[type=submit]") <= 2
    assert_no_axe_violations(page)

    # The afternoon comes first: the first time listed is noon.
    tick(times.first)
    page.get_by_role("button", name=words["book"]).click()

    expect(page.get_by_text(words["thanks"])).to_be_visible()
    assert_no_axe_violations(page)
    appointment = Appointment.objects.get()
    starts = appointment.starts.astimezone(central.zone)
    assert (appointment.request, appointment.helper, starts.hour) == (rosa, ana, 12)
