"""A training's materials in a browser, in English and Spanish, axe-core on every page: the
center's liaison attaches a PDF to the orientation, is refused a web page renamed .pdf, and a
library front desk the training is for downloads the PDF from the training page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.crosstraining.models import TrainingMaterial
from tests.browser.attaching import attach_through_the_form
from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.factories.crosstraining import TrainingFactory
from tests.factories.organizations import LocationFactory
from tests.workshops.files import tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "en": {
        "attach": "Attach a file",
        "what": "What it is",
        "file": "File",
        "button": "Attach",
        "attached": "“handout.pdf” is attached.",
        "wrong": "The file must be a PDF, PNG or JPEG.",
        "heading": "Materials",
    },
    "es": {
        "attach": "Adjuntar un archivo",
        "what": "Qué es",
        "file": "Archivo",
        "button": "Adjuntar",
        "attached": "Se adjuntó «handout.pdf».",
        "wrong": "El archivo debe ser PDF, PNG o JPEG.",
        "heading": "Materiales",
    },
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def to_spanish(page: Page) -> None:
    page.get_by_role("button", name="Español").click()
    expect(page.locator(".jh-language__current")).to_have_text("Español")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_liaison_attaches_a_pdf_and_the_front_desk_downloads_it(
    page: Page, live_server, media, liaison, front_desk, library, center, language, tmp_path
):
    words = TEXT[language]
    place = LocationFactory(organization=center, name="WorkForce Center")
    training = TrainingFactory(
        organization=center,
        trainer=liaison,
        location=place,
        audience=[library],
        starts_at=timezone.now() + timedelta(days=3),
    )
    url = live_server.url
    handout = tmp_path / "handout.pdf"
    handout.write_bytes(tiny_pdf())

    log_in(page, url, liaison)
    if language == "es":
        to_spanish(page)
    page.goto(f"{url}/staff/training/{training.pk}/")
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=words["attach"]).click()
    attach_through_the_form(
        page,
        words,
        title="Handout",
        good=handout,
        model=TrainingMaterial,
        back_url=f"{url}/staff/training/{training.pk}/",
        tmp_path=tmp_path,
    )
    expect(page.get_by_role("link", name="Handout")).to_be_visible()
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    log_in(page, url, front_desk)
    if language == "es":
        to_spanish(page)
    page.goto(f"{url}/staff/training/{training.pk}/")
    expect(page.get_by_role("link", name=words["attach"])).to_have_count(0)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Handout").click()
    assert download.value.suggested_filename == "handout.pdf"
    assert download.value.path().read_bytes() == tiny_pdf()
