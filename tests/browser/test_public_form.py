"""The public request form as a patron uses it: on a phone, in English or Spanish, with mistakes."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from tests.browser.helpers import (
    PHONE_VIEWPORT,
    assert_no_axe_violations,
    expect_reference_shown,
    tick,
)

pytestmark = pytest.mark.django_db(transaction=True)


def saved_request() -> dict:
    request = HelpRequest.objects.get()
    return {
        "organization": request.organization.slug,
        "name": request.name,
        "phone": request.phone,
        "email": request.email,
        "preferred_contact": request.preferred_contact,
        "language": request.language,
        "modality": request.modality,
        "channel": request.channel,
        "taken_by": request.taken_by,
        "needs": list(request.needs.values_list("need", flat=True)),
        "reference": request.display_reference,
    }


def page_fits_width(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_patron_on_a_phone_sends_a_request_with_a_phone_number_only(
    page: Page, live_server, library, central
):
    page.goto(f"{live_server.url}/help/")
    assert page.viewport_size == PHONE_VIEWPORT
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for job help")
    assert page_fits_width(page)
    assert_no_axe_violations(page)

    page.get_by_label("Your name").fill("  Maria   Lopez ")
    page.get_by_label("Phone number").fill("(763) 555-0142")
    tick(page.get_by_label("Resumé", exact=True))
    tick(page.get_by_label("By video call", exact=True))
    tick(page.get_by_label("I have read the privacy notice"))
    page.get_by_role("button", name="Send my request").click()

    expect(page).to_have_url(f"{live_server.url}/help/received/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your request")
    assert page_fits_width(page)
    assert_no_axe_violations(page)
    saved = saved_request()
    assert saved == {
        "organization": "riverbend",
        "name": "Maria Lopez",
        "phone": "+17635550142",
        "email": "",
        "preferred_contact": "phone",
        "language": "en",
        "modality": "video",
        "channel": "web",
        "taken_by": None,
        "needs": ["resume"],
        "reference": saved["reference"],
    }
    expect_reference_shown(page, saved["reference"])


def test_patron_switches_to_spanish_and_sends_a_request(page: Page, live_server, library):
    page.goto(f"{live_server.url}/help/")
    assert_no_axe_violations(page)
    expect(page.locator("form.jh-language")).to_have_attribute("action", "/i18n/setlang/")
    page.get_by_role("button", name="Español").click()

    expect(page).to_have_url(f"{live_server.url}/help/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".jh-language__current")).to_have_text("Español")
    headings = [page.get_by_role("heading", level=1).inner_text()]
    assert_no_axe_violations(page)

    # Labels are translated, so this test finds the fields by id.
    page.locator("#id_name").fill("José")
    page.locator("#id_phone").fill("763-555-0199")
    tick(page.locator("input[name=needs][value=interview]"))
    page.locator("#id_language").select_option("es")
    tick(page.locator("input[name=modality][value=in_person]"))
    tick(page.locator("#id_consent"))
    page.locator("form.usa-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/help/received/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    headings.append(page.get_by_role("heading", level=1).inner_text())
    assert_no_axe_violations(page)
    saved = saved_request()
    assert saved == {
        "organization": "riverbend",
        "name": "José",
        "phone": "+17635550199",
        "email": "",
        "preferred_contact": "phone",
        "language": "es",
        "modality": "in_person",
        "channel": "web",
        "taken_by": None,
        "needs": ["interview"],
        "reference": saved["reference"],
    }
    expect(page.locator(".jh-reference [aria-hidden=true]")).to_have_text(saved["reference"])

    # SPANISH CATALOGUE NEEDED: fails until src/jobhelp/locale/es/LC_MESSAGES/django.mo has
    # these headings (the lead is writing it). Deliberately not skipped or guarded.
    english = ["Ask for job help", "We have your request"]
    with translation.override("es"):
        spanish = [gettext(text) for text in english]
    assert spanish != english, "no Spanish translation of the headings in the catalogue"
    assert headings == spanish


@pytest.mark.browser_context_args(locale="es-US")
def test_browser_asking_for_spanish_gets_spanish_without_choosing(page: Page, live_server, library):
    response = page.goto(f"{live_server.url}/help/")
    assert response.request.headers["accept-language"].startswith("es-US")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".jh-language__current")).to_have_text("Español")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert_no_axe_violations(page)
    # SPANISH CATALOGUE NEEDED, as in the test above.
    with translation.override("es"):
        spanish = gettext("Ask for job help")
    assert spanish != "Ask for job help", "no Spanish translation of the heading in the catalogue"
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish)


def test_empty_then_half_filled_form_shows_errors_and_keeps_what_was_typed(
    page: Page, live_server, library
):
    page.goto(f"{live_server.url}/help/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send my request").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Please fix 4 things below.")
    expect(summary.locator("li")).to_have_text(
        [
            "Your name: This field is required.",
            "Phone number: Give a phone number or an email address so we can reach you.",
            "What do you need help with?: Choose at least one thing you need help with.",
            "I have read the privacy notice and agree that the library keeps this "
            "information to help me.: Please agree to the privacy notice so we can help you.",
        ]
    )
    expect(page.locator("#id_name-error")).to_have_text("This field is required.")
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_phone-error")).to_have_text(
        "Give a phone number or an email address so we can reach you."
    )
    expect(page.locator("#id_needs-error")).to_have_text(
        "Choose at least one thing you need help with."
    )
    expect(page.locator("#id_consent-error")).to_have_text(
        "Please agree to the privacy notice so we can help you."
    )
    assert_no_axe_violations(page)

    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Phone number").fill("12")
    tick(page.get_by_label("Interview practice", exact=True))
    page.get_by_label("Language you want help in").select_option("so")
    tick(page.get_by_label("By email", exact=True))
    page.get_by_label("Anything else we should know?").fill("Forklift jobs, mornings.")
    page.get_by_role("button", name="Send my request").click()

    expect(summary.get_by_role("heading")).to_have_text("Please fix 2 things below.")
    expect(summary.locator("li")).to_have_text(
        [
            "Phone number: That does not look like a working phone number. "
            "Check the area code and digits.",
            "I have read the privacy notice and agree that the library keeps this "
            "information to help me.: Please agree to the privacy notice so we can help you.",
        ]
    )
    expect(page.locator("#id_phone-error")).to_have_text(
        "That does not look like a working phone number. Check the area code and digits."
    )
    expect(page.get_by_label("Your name")).to_have_value("Ana")
    expect(page.get_by_label("Phone number")).to_have_value("12")
    expect(page.get_by_label("Interview practice")).to_be_checked()
    expect(page.get_by_label("Resumé")).not_to_be_checked()
    expect(page.get_by_label("Language you want help in")).to_have_value("so")
    expect(page.get_by_label("By email")).to_be_checked()
    expect(page.get_by_label("Anything else we should know?")).to_have_value(
        "Forklift jobs, mornings."
    )
    assert_no_axe_violations(page)
    assert HelpRequest.objects.count() == 0


@pytest.mark.browser_context_args(
    locale="es-US", viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True
)
def test_spanish_patron_without_email_chooses_text_messages(
    page: Page, live_server, library, texting
):
    page.goto(f"{live_server.url}/help/")
    page.get_by_label("Su nombre").fill("Rosa Lopez")
    tick(page.get_by_label("Currículum", exact=True))
    tick(page.get_by_label("Mensaje de texto", exact=True))
    tick(page.get_by_label("Leí el aviso de privacidad"))
    page.get_by_role("button", name="Enviar mi solicitud").click()

    expect(page.locator("#id_preferred_contact-error")).to_have_text(
        "Usted eligió mensajes de texto. Por favor, escriba un número de teléfono celular "
        "arriba, o elija otra forma."
    )
    expect(page.get_by_label("Su nombre")).to_have_value("Rosa Lopez")
    expect(page.get_by_label("Mensaje de texto", exact=True)).to_be_checked()
    assert_no_axe_violations(page)
    assert HelpRequest.objects.count() == 0

    page.get_by_label("Número de teléfono").fill("(763) 555-0142")
    page.get_by_role("button", name="Enviar mi solicitud").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recibimos su solicitud")
    expect(
        page.get_by_text("También enviamos este código a su teléfono en un mensaje de texto.")
    ).to_be_visible()
    assert_no_axe_violations(page)
    saved = saved_request()
    assert (saved["phone"], saved["email"], saved["preferred_contact"]) == (
        "+17635550142",
        "",
        "text",
    )
    # Queued for the worker, in Spanish, with the code.
    text = OutboundMessage.objects.get()
    assert (text.channel, text.to, text.language, text.body.splitlines()[1]) == (
        "sms",
        "+17635550142",
        "es",
        f"Código: {saved['reference']}",
    )


@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_job_seeker_finds_the_job_centers_own_form_from_the_home_page(
    page: Page, live_server, library, center, language
):
    """Each partner is itself: the home page has a door for the library and one for the job
    center, and the center's form and confirmation carry the center's name."""
    center.phone = "763-555-0150"
    center.save(update_fields=["phone"])
    page.goto(f"{live_server.url}/")
    if language == "es":
        page.get_by_role("button", name="Español").click()
    with translation.override(language):
        door = gettext("Ask %(name)s for help") % {"name": center.name}
    assert page_fits_width(page)
    assert_no_axe_violations(page)

    page.get_by_role("link", name=door).click()

    expect(page).to_have_url(f"{live_server.url}/help/riverbend-workforce/")
    expect(page.locator(".usa-logo__text")).to_have_text(center.name)
    assert_no_axe_violations(page)
    page.locator("#id_name").fill("Ana")
    page.locator("#id_phone").fill("763-555-0177")
    tick(page.locator("input[name=needs][value=resume]"))
    tick(page.locator("input[name=modality][value=in_person]"))
    tick(page.locator("#id_consent"))
    page.locator("form.usa-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/help/received/")
    expect(page.locator(".usa-logo__text")).to_have_text(center.name)
    assert page_fits_width(page)
    assert_no_axe_violations(page)
    assert (saved_request()["organization"], saved_request()["language"]) == (
        "riverbend-workforce",
        language,
    )
