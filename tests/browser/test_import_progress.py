"""A titles import in a browser, in English and Spanish, with axe-core on every page: the
manager checks a CSV file, confirms it, and lands on the progress page, which waits for the
task worker; when the worker has run, the page (polling with htmx) shows the counts without a
reload."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jobhelp.materials.models import ReferenceTitle
from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {
        "check": "Check the file",
        "import": "Import these titles",
        "waiting": "Waiting to start…",
        "refresh": "Refresh",
        "finished": "Finished: 3 titles imported.",
        "new": "New titles",
    },
    "es": {
        "check": "Revisar el archivo",
        "import": "Importar estos títulos",
        "waiting": "Esperando para empezar…",
        "refresh": "Actualizar",
        "finished": "Terminado: 3 títulos importados.",
        "new": "Títulos nuevos",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_confirmed_import_shows_its_progress_then_its_counts(
    page: Page, live_server, library, manager, language, tmp_path
):
    words = WORDS[language]
    LocationFactory(organization=library, name="Central Library")
    csv = tmp_path / "titles.csv"
    csv.write_text(
        "title,location\r\nResumes for Dummies,Central Library\r\n"
        "Knock 'em Dead,Central Library\r\nGuía para entrevistas,Central Library\r\n",
        encoding="utf-8",
    )
    page.context.clear_cookies()
    log_in(page, live_server.url, manager)
    if language == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator(".jh-language__current")).to_have_text("Español")

    page.goto(f"{live_server.url}/staff/titles/import/")
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_role("button", name=words["check"]).click()
    page.get_by_role("button", name=words["import"]).click()

    expect(page).to_have_url(re.compile(r"/staff/imports/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text(words["waiting"])
    expect(page.locator("progress#import-progress")).to_have_attribute("max", "3")
    expect(page.get_by_role("link", name=words["refresh"])).to_be_visible()
    assert_no_axe_violations(page)
    assert ReferenceTitle.objects.count() == 0

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # htmx asks again within 2 seconds; no reload.
    expect(page.get_by_text(words["finished"])).to_be_visible(timeout=6000)
    expect(page.get_by_role("row", name=words["new"])).to_contain_text("3")
    assert_no_axe_violations(page)
    assert ReferenceTitle.objects.count() == 3
