"""The patron's language, not the browser's: a patron opens the links they were sent on a phone
set to the other language, and reads their appointment, their offer of times, their class and
the survey in the language they chose, with names staff gave in Spanish shown in Spanish (and
in English where none was given); the language switch still works and then wins. Staff give a
class its Spanish title on the class form, and every list's empty choice is in their language.

Messages go through the outbox with texting on (the locmem backend): the links opened are the
ones the texts carry."""

import re
from datetime import UTC, time

import pytest
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling import messages as appointment_messages
from jobhelp.scheduling.domain import book_appointment
from jobhelp.scheduling.links import offer_times
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Delivery
from jobhelp.workshops.models import Workshop
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
PHONE = "+17635550142"
OTHER = {"en": "es", "es": "en"}
# A phone set to the other language than the patron chose.
BROWSER = {"en": "es-US", "es": "en-US"}
SHOWN = {
    "en": {
        "what": "What",
        "type": "Resumé review",
        "untranslated": "Phone help",
        "class": "Class",
        "title": "Online Interviewing Tips",
    },
    "es": {
        "what": "Qué",
        "type": "Revisión del currículum",
        "untranslated": "Phone help",
        "class": "Clase",
        "title": "Entrevistas en línea",
    },
}
SWITCH = {"en": "English", "es": "Español"}


def link_in(body: str, path: str) -> str:
    return re.search(rf"(/{path}/[A-Za-z0-9_-]+/)", body)[1]


def details(page: Page) -> dict[str, str]:
    terms = page.locator("dl.jh-details dt").all_inner_texts()
    values = page.locator("dl.jh-details dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


@pytest.fixture
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.mark.parametrize(
    "language",
    [
        pytest.param(
            "en",
            marks=pytest.mark.browser_context_args(
                viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale=BROWSER["en"]
            ),
        ),
        pytest.param(
            "es",
            marks=pytest.mark.browser_context_args(
                viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale=BROWSER["es"]
            ),
        ),
    ],
)
def test_every_page_a_patron_opens_from_a_link_is_in_their_language(
    page: Page, live_server, library, central, front_desk, texting, run_worker, clock, language
):
    hana = staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana")
    every_day(hana, central, time(9), time(12))
    review = AppointmentTypeFactory(
        organization=library,
        name="Resumé review",
        name_es="Revisión del currículum",
        self_service=True,
    )
    phone_help = AppointmentTypeFactory(organization=library, name="Phone help", self_service=True)
    rosa = HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        email="",
        phone=PHONE,
        preferred_contact="text",
        language=language,
    )
    book_appointment(
        request=rosa,
        helper=hana,
        location=central,
        appointment_type=review,
        starts=local(2027, 2, 3, 10),
        by=front_desk,
        now=NOW,
    )
    appointment_messages.offered(rosa, phone_help, token=offer_times(rosa, phone_help, by=hana))
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(
            organization=library,
            title="Online Interviewing Tips",
            title_es="Entrevistas en línea",
            delivery=Delivery.VIDEO,
        ),
        location=central,
        starts=local(2027, 2, 4, 10),
        ends=local(2027, 2, 4, 11),
    )
    register(
        session,
        registrant=Registrant(
            name="Rosa", phone=PHONE, language=language, preferred_contact="text"
        ),
        now=NOW,
    )
    run_worker()
    texts = [t.body for t in texting]
    assert len(texts) == 3

    # The appointment, from the confirmation's link: in her language, its kind in it too.
    page.goto(live_server.url + link_in(texts[0], "appointments"))
    assert page.evaluate("navigator.language") == BROWSER[language]
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert details(page)[SHOWN[language]["what"]] == SHOWN[language]["type"]
    expect(page.get_by_role("button", name=SWITCH[OTHER[language]])).to_be_visible()
    assert_no_axe_violations(page)

    # The offer of times: a kind of appointment nobody translated reads in English.
    page.goto(live_server.url + link_in(texts[1], "appointments"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".usa-intro")).to_contain_text(SHOWN[language]["untranslated"])
    assert_no_axe_violations(page)

    # Her class.
    page.goto(live_server.url + link_in(texts[2], "classes/registration"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert details(page)[SHOWN[language]["class"]] == SHOWN[language]["title"]
    assert_no_axe_violations(page)

    # The switch still works, and what it chose wins on the next link too.
    page.get_by_role("button", name=SWITCH[OTHER[language]]).click()
    expect(page.locator("html")).to_have_attribute("lang", OTHER[language])
    assert details(page)[SHOWN[OTHER[language]]["class"]] == SHOWN[OTHER[language]]["title"]
    assert_no_axe_violations(page)
    page.goto(live_server.url + link_in(texts[0], "appointments"))
    expect(page.locator("html")).to_have_attribute("lang", OTHER[language])
    assert details(page)[SHOWN[OTHER[language]]["what"]] == SHOWN[OTHER[language]]["type"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_name_a_class_in_spanish_and_every_list_speaks_their_language(
    page: Page, live_server, library, central, manager, language
):
    # The real clock: the browser drops session cookies that a fixed past clock would date.
    AppointmentTypeFactory(
        organization=library,
        name="Resumé review",
        name_es="Revisión del currículum",
        self_service=True,
    )
    caller = HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=manager,
        email="rosa@example.org",
    )

    log_in(page, live_server.url, manager)
    if language == "es":
        page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{live_server.url}/staff/classes/new/")
    assert_no_axe_violations(page)
    page.locator("#id_title").fill("Online Interviewing Tips")
    page.locator("#id_title_es").fill("Entrevistas en línea")
    page.locator("#id_description").fill("Practise video interviews.")
    page.locator("#id_description_es").fill("Practique entrevistas por video.")
    tick(page.locator("input[name=delivery][value=video]"))
    page.locator("form.usa-form button[type=submit]").click()
    workshop = Workshop.objects.get()
    expect(page).to_have_url(f"{live_server.url}/staff/classes/{workshop.pk}/schedule/")
    assert (workshop.title_es, workshop.description_es) == (
        "Entrevistas en línea",
        "Practique entrevistas por video.",
    )
    expect(page.locator("h1")).to_contain_text(SHOWN[language]["title"])
    assert_no_axe_violations(page)

    # The kinds of appointment to offer the patron: an empty choice in words, then the names.
    page.goto(f"{live_server.url}/staff/requests/{caller.reference}/")
    options = page.locator("#id_offer_type option").all_inner_texts()
    assert options == [
        {"en": "Choose one", "es": "Elija una opción"}[language],
        SHOWN[language]["type"],
    ]
    assert "-" not in options[0]
    assert_no_axe_violations(page)
