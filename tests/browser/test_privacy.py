"""A person's data in a browser: the library's privacy officer finds Rosa by her request's code,
sees everything held about her, downloads it and erases it; the same pages in Spanish, with a
mistake explained; the privacy notice on a phone in both languages. axe-core checks every page,
under the real Content-Security-Policy."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jobhelp.intake.models import HelpRequest
from tests.browser.helpers import (
    AXE_JS,
    PHONE_VIEWPORT,
    assert_no_axe_violations,
    collect_csp_messages,
    log_in,
    tick,
)
from tests.privacy.conftest import NAME, build_rosa

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rosa(library, branch, other_library, helper):
    return build_rosa(library, branch, other_library, helper)


def test_the_privacy_officer_finds_downloads_and_erases_a_persons_data(
    page: Page, live_server, rosa, privacy_officer
):
    url = live_server.url
    csp = collect_csp_messages(page)
    log_in(page, url, privacy_officer)
    page.goto(f"{url}/staff/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A person's data")
    assert_no_axe_violations(page)
    page.get_by_label("Reference code, phone number or email address").fill("ROSA22")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("9 records found for this person.")).to_be_visible()
    expect(page.get_by_role("heading", name="Help requests")).to_be_visible()
    page.get_by_text("Record 1").first.click()
    expect(page.get_by_text(NAME).first).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data (JSON)").click()
    document = json.loads(Path(download.value.path()).read_text())
    assert document["records"]["intake.requests"][0]["name"] == NAME

    # Erasing without the box ticked explains what is missing and erases nothing.
    page.get_by_role("button", name="Erase this person's data").click()
    expect(page.get_by_text("Check the box to confirm the erasure.").first).to_be_visible()
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == NAME
    assert_no_axe_violations(page)
    tick(page.get_by_label("I have checked that these records are this person's"))
    page.get_by_role("button", name="Erase this person's data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erased")
    expect(page.get_by_role("row", name="Help requests 2")).to_be_visible()
    # What was still to come was cancelled first: her appointment, class place, referral and
    # the two messages not sent yet.
    cancelled = page.get_by_role("table", name="Cancelled first, by kind")
    expect(cancelled.get_by_role("row", name="Appointments 1")).to_be_visible()
    expect(cancelled.get_by_role("row", name="Messages 2")).to_be_visible()
    assert_no_axe_violations(page)
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == ""
    assert csp == []


def test_the_privacy_pages_in_spanish(page: Page, live_server, rosa, privacy_officer):
    url = live_server.url
    log_in(page, url, privacy_officer)
    page.get_by_role("button", name="Español").click()
    page.goto(f"{url}/staff/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datos de una persona")
    page.get_by_label("Código de referencia, número de teléfono o correo electrónico").fill("hola")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_role("alert").first).to_contain_text("Escriba el código de referencia")
    assert_no_axe_violations(page)
    page.get_by_label("Código de referencia, número de teléfono o correo electrónico").fill(
        "rosa.leakwell@example.org"
    )
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_text("Se encontraron 9 registros de esta persona.")).to_be_visible()
    expect(
        page.get_by_text("Al borrar, primero se cancela lo que aún está por venir")
    ).to_be_visible()
    assert_no_axe_violations(page)
    # Who opened her request, on the request's own page.
    page.goto(f"{url}/staff/requests/{rosa.request.reference}/")
    expect(page.get_by_role("heading", name="Quién abrió los datos")).to_be_visible()
    assert_no_axe_violations(page)
    # Erasing her, in Spanish: what was cancelled first, then what was erased.
    page.goto(f"{url}/staff/privacy/")
    page.get_by_label("Código de referencia, número de teléfono o correo electrónico").fill(
        "ROSA22"
    )
    page.get_by_role("button", name="Buscar").click()
    tick(page.get_by_label("He comprobado que estos registros son de esta persona"))
    page.get_by_role("button", name="Borrar los datos de esta persona").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Borrado")
    cancelled = page.get_by_role("table", name="Cancelado primero, por tipo")
    expect(cancelled.get_by_role("row", name="Citas 1")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("language", "heading", "kept"),
    [
        ("English", "How long we keep each kind of information", "180 days"),
        ("Español", "Cuánto tiempo guardamos cada tipo de información", "180 días"),
    ],
)
def test_the_privacy_notice_on_a_phone(browser, live_server, library, language, heading, kept):
    context = browser.new_context(locale="en-US", viewport=PHONE_VIEWPORT, is_mobile=True)
    context.add_init_script(path=str(AXE_JS))
    phone = context.new_page()
    # The form links the notice; so does every page's footer.
    phone.goto(f"{live_server.url}/help/")
    expect(
        phone.get_by_role("link", name="Read the privacy notice (opens in a new tab)")
    ).to_have_attribute("href", "/privacy/")
    phone.goto(f"{live_server.url}/privacy/")
    if language == "Español":
        phone.get_by_role("button", name="Español").click()
    expect(phone.get_by_text(heading)).to_be_visible()
    expect(phone.get_by_role("cell", name=kept).first).to_be_visible()
    assert_no_axe_violations(phone)
    context.close()
