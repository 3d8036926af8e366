"""Classes by text, as a patron without email meets them on a phone, in English and in Spanish:
the class form offers texts and asks for a phone number for them; the confirmation arrives by
text (the test SMS backend) with the join link, and the link opens the patron's page in their
language; someone waiting is texted the offer and takes the seat from it; the reminders are
texted once each; registering again points to the text that was sent. And the survey link of a
patron who chose texts arrives by text.

Texting is on with the locmem backend (the `texting` fixture): what the patrons' phones would
get is `notifications.sms.outbox`, filled by the task worker."""

import re
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jobhelp.casework.domain import SessionDetails, record_session
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Delivery, RegistrationState
from jobhelp.workshops.models import Registration
from jobhelp.workshops.reminders import send_due_class_reminders
from tests.browser.helpers import AXE_JS, PHONE_VIEWPORT, assert_no_axe_violations, tick
from tests.factories.intake import HelpRequestFactory
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
JOIN_URL = "https://meet.example.org/entrevistas-4417"
ROSA = "+17635550142"
LUIS = "+17635550188"
PHONE = {"viewport": PHONE_VIEWPORT, "has_touch": True, "is_mobile": True}
# What each language calls things, for the few checks made on words.
WORDS = {
    "en": {"title": "Online Interviewing Tips", "told": "We sent you a text message"},
    "es": {"title": "Entrevistas en línea", "told": "Le enviamos un mensaje de texto"},
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def session(library, central):
    workshop = WorkshopFactory(
        organization=library,
        title="Online Interviewing Tips",
        title_es="Entrevistas en línea",
        delivery=Delivery.VIDEO,
        capacity=1,
    )
    return WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=local(2027, 2, 3, 10),
        ends=local(2027, 2, 3, 11),
        capacity=1,
        join_url=JOIN_URL,
    )


def text_to(texting, phone: str) -> list[str]:
    return [t.body for t in texting if t.to == phone]


def link_in(body: str) -> str:
    return re.search(r"(/(?:classes/registration|survey)/[A-Za-z0-9_-]+/)", body)[1]


def in_language(page: Page, language: str) -> None:
    if language == "es":
        page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.browser_context_args(**PHONE)
def test_a_patron_with_only_a_phone_registers_by_text_and_is_told_everything_by_text(
    page: Page, browser: Browser, live_server, session, texting, run_worker, language
):
    page.goto(f"{live_server.url}/classes/{session.pk}/")
    in_language(page, language)
    expect(page.locator("h1")).to_have_text(WORDS[language]["title"])
    # The form offers texts beside email, and asks for a phone number for them.
    expect(page.locator("input[name=preferred_contact]")).to_have_count(3)
    assert_no_axe_violations(page)

    page.locator("#id_name").fill("Rosa Díaz")
    tick(page.locator("input[name=preferred_contact][value=text]"))
    page.locator("#id_language").select_option(language)
    page.locator("#register-form button[type=submit]").click()
    expect(page.locator("#id_preferred_contact-error")).to_be_visible()
    expect(page.locator("input[name=preferred_contact][value=text]")).to_be_checked()
    expect(page.locator("#id_name")).to_have_value("Rosa Díaz")
    assert Registration.objects.count() == 0
    assert_no_axe_violations(page)

    page.locator("#id_phone").fill("(763) 555-0142")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/classes/registration/**")
    expect(page.locator("#registration-told")).to_contain_text(WORDS[language]["told"])
    expect(page.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    assert_no_axe_violations(page)

    # The confirmation, by text, in their language, with the join link and their page's link.
    run_worker()
    [confirmation] = text_to(texting, ROSA)
    assert WORDS[language]["title"] in confirmation
    assert JOIN_URL in confirmation
    assert len(confirmation) <= 320
    assert list(OutboundMessage.objects.values_list("template", "channel", "language")) == [
        ("workshop_registered", "sms", language)
    ]

    # Luis, with a phone too, joins the waitlist and is told his place by text.
    luis = register(
        session,
        registrant=Registrant(
            name="Luis Soto", phone=LUIS, language=language, preferred_contact="text"
        ),
        now=NOW,
    )
    run_worker()
    [waiting] = text_to(texting, LUIS)
    assert " 1" in waiting and len(waiting) <= 320

    # Rosa opens the link from her text (an English phone for the Spanish patron: her page
    # is in her language all the same) and gives up her seat.
    other = browser.new_context(**PHONE, locale="en-US")
    other.add_init_script(path=str(AXE_JS))
    phone = other.new_page()
    phone.goto(live_server.url + link_in(confirmation))
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    assert_no_axe_violations(phone)
    tick(phone.locator("#leave-form #id_confirm"))
    phone.locator("#leave-form button[type=submit]").click()
    expect(phone.locator("#leave-form")).to_have_count(0)
    assert_no_axe_violations(phone)

    # Luis is texted the offer with its link, opens it and takes the seat.
    run_worker()
    offer = text_to(texting, LUIS)[-1]
    phone.goto(live_server.url + link_in(offer))
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.locator("#offer")).to_be_visible()
    assert_no_axe_violations(phone)
    phone.locator("#take-seat").click()
    expect(phone.locator("#join-details a")).to_have_attribute("href", JOIN_URL)
    assert_no_axe_violations(phone)
    other.close()
    run_worker()
    assert Registration.objects.get(pk=luis.registration.pk).state == RegistrationState.REGISTERED

    # The day-ahead and two-hour reminders, each texted once however often the job runs.
    for at in (local(2027, 2, 2, 10), local(2027, 2, 2, 10, 1), local(2027, 2, 3, 8)) * 2:
        send_due_class_reminders(now=at)
    run_worker()
    assert [
        (m.template, m.channel, m.to)
        for m in OutboundMessage.objects.filter(to=LUIS).order_by("pk")
    ] == [
        ("workshop_waitlisted", "sms", LUIS),
        ("workshop_offer", "sms", LUIS),
        ("workshop_confirmed", "sms", LUIS),
        ("workshop_reminder", "sms", LUIS),
        ("workshop_reminder", "sms", LUIS),
    ]
    assert len(text_to(texting, LUIS)) == 5
    assert all(JOIN_URL in body for body in text_to(texting, LUIS)[2:])

    # Registering Luis's number again points to the text we really sent him.
    page.goto(f"{live_server.url}/classes/{session.pk}/")
    page.locator("#id_name").fill("Luis Soto")
    page.locator("#id_phone").fill("763 555 0188")
    tick(page.locator("input[name=preferred_contact][value=none]"))
    page.locator("#register-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_contain_text(
        {"en": "Check the text message we sent you", "es": "Revise el mensaje de texto"}[language]
    )
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.browser_context_args(**PHONE)
def test_a_patron_who_chose_texts_gets_the_survey_link_by_text(
    page: Page, live_server, library, helper, texting, run_worker, language
):
    request = HelpRequestFactory(
        organization=library,
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        email="",
        phone=ROSA,
        preferred_contact="text",
        language=language,
    )
    record_session(
        request,
        by=helper,
        details=SessionDetails(
            happened_at=timezone.now() - timedelta(hours=1), modality="phone", minutes=30
        ),
    )
    run_worker()

    [invitation] = text_to(texting, ROSA)
    assert len(invitation) <= 320
    page.goto(live_server.url + link_in(invitation))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(
        {"en": "How was your help?", "es": "¿Cómo fue la ayuda que recibió?"}[language]
    )
    assert_no_axe_violations(page)
