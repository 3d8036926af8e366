"""An agreement's PDFs in a browser, in English and Spanish, axe-core on every page: a manager of
a party attaches the signed copy, is refused a web page renamed .pdf, downloads the PDF, sees no
remove button while the agreement is executed, and removes it once the agreement is open for
negotiation again."""

import pytest
from playwright.sync_api import Page, expect

from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.models import Agreement, Attachment
from tests.browser.attaching import attach_through_the_form
from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.partnerships import conftest as domain
from tests.workshops.files import tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)

# The county in small (tests/partnerships/conftest.py) and its executed agreement.
affiliate = domain.affiliate
agreement = domain.agreement
center = domain.center
center_manager = domain.center_manager
media = domain.media
partnership = domain.partnership

TEXT = {
    "en": {
        "heading": "Attachments",
        "none": "No files attached.",
        "attach": "Attach a PDF",
        "what": "What it is",
        "file": "PDF file",
        "button": "Attach",
        "wrong": "The file must be a PDF. This file is something else, whatever its name says.",
        "attached": "“signed-mou.pdf” is attached.",
        "remove": "Remove signed-mou.pdf",
        "removed": "“signed-mou.pdf” is removed.",
    },
    "es": {
        "heading": "Archivos adjuntos",
        "none": "No hay archivos adjuntos.",
        "attach": "Adjuntar un PDF",
        "what": "Qué es",
        "file": "Archivo PDF",
        "button": "Adjuntar",
        "wrong": "El archivo debe ser un PDF. Este archivo es otra cosa",
        "attached": "Se adjuntó «signed-mou.pdf».",
        "remove": "Quitar signed-mou.pdf",
        "removed": "Se quitó «signed-mou.pdf».",
    },
}


def to_spanish(page: Page) -> None:
    page.get_by_role("button", name="Español").click()
    expect(page.locator(".jh-language__current")).to_have_text("Español")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_manager_attaches_downloads_and_removes_an_agreements_pdf(
    page: Page, live_server, media, agreement, center_manager, language, tmp_path
):
    words = TEXT[language]
    url = live_server.url
    agreement_url = f"{url}/staff/partnerships/agreements/{agreement.pk}/"
    signed = tmp_path / "signed-mou.pdf"
    signed.write_bytes(tiny_pdf())

    log_in(page, url, center_manager)
    if language == "es":
        to_spanish(page)
    page.goto(agreement_url)
    section = page.locator("section[aria-labelledby=attachments-heading]")
    expect(section.get_by_role("heading", name=words["heading"])).to_be_visible()
    expect(section).to_contain_text(words["none"])
    assert_no_axe_violations(page)

    section.get_by_role("link", name=words["attach"]).click()
    attach_through_the_form(
        page,
        words,
        title="Signed copy",
        good=signed,
        model=Attachment,
        back_url=agreement_url,
        tmp_path=tmp_path,
    )
    # An executed agreement's documents stay: no remove button.
    expect(section.get_by_role("button", name=words["remove"])).to_have_count(0)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        section.get_by_role("link", name="Signed copy").click()
    assert download.value.suggested_filename == "signed-mou.pdf"
    assert download.value.path().read_bytes() == tiny_pdf()

    # The same agreement reopened for an amendment's negotiation.
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    page.goto(agreement_url)
    section.get_by_role("button", name=words["remove"]).click()
    expect(page).to_have_url(agreement_url)
    expect(page.locator("main")).to_contain_text(words["removed"])
    expect(section).to_contain_text(words["none"])
    assert Attachment.objects.count() == 0
    assert_no_axe_violations(page)
