"""The directory's staff pages for what the assessment and the admin did before, in a browser:
a branch's coordinates and its closures and special hours (English), the categories, an
entry's categories and the towns and ZIP codes (a manager, in Spanish), and the staff-only
details that a partner under an agreement sees and an unrelated library's staff do not. Bad
input shows its error on the form; axe-core checks every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jobhelp.directory.domain import set_staff_details
from jobhelp.directory.models import HoursException, Place, TaxonomyTerm
from tests.browser.helpers import AXE_JS, assert_no_axe_violations, log_in
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import agreement_between

pytestmark = pytest.mark.django_db(transaction=True)


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="en-US")
    context.add_init_script(path=str(AXE_JS))
    return context.new_page()


def test_staff_set_a_locations_coordinates_and_a_closure(page: Page, live_server, helper, library):
    url = live_server.url
    central = LocationFactory(organization=library, name="Central Library")
    ahead = timezone.localdate() + timedelta(days=10)
    log_in(page, url, helper)

    page.goto(f"{url}/staff/directory/locations/")
    expect(page.locator("#locations")).to_contain_text("Not set")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Central Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Central Library")
    assert_no_axe_violations(page)

    page.get_by_label("Latitude").fill("95")
    page.get_by_label("Longitude").fill("-93.3")
    page.get_by_role("button", name="Save the details").click()
    expect(page.locator("#form-errors")).to_contain_text("Latitude")
    assert_no_axe_violations(page)
    page.get_by_label("Latitude").fill("45.1")
    page.get_by_role("button", name="Save the details").click()
    expect(page.get_by_role("status").first).to_contain_text("The location's details are saved.")

    page.get_by_label("Date").fill(ahead.isoformat())
    page.get_by_label("Opens at").fill("14:00")
    page.get_by_label("Closes at").fill("10:00")
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator("#form-errors")).to_contain_text("It must open before it closes.")
    assert_no_axe_violations(page)
    page.get_by_label("Opens at").fill("")
    page.get_by_label("Closes at").fill("")
    page.get_by_label("Note for the public").fill("Staff training")
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator("#exceptions")).to_contain_text("Staff training")
    expect(page.locator("#exceptions")).to_contain_text("Closed")
    assert_no_axe_violations(page)
    central.refresh_from_db()
    assert str(central.latitude) == "45.100000"
    assert HoursException.objects.get().on == ahead


def test_a_manager_in_spanish_adds_a_category_files_an_entry_and_adds_a_place(
    page: Page, live_server, manager, library
):
    url = live_server.url
    entry = ServiceFactory(organization=library, name="Resumé help")
    ServiceAtLocationFactory(
        service=entry, location=LocationFactory(organization=library, name="Central Library")
    )
    log_in(page, url, manager)
    page.get_by_role("button", name="Español").click()

    page.goto(f"{url}/staff/directory/categories/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Categorías")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Añadir la categoría").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Nombre").fill("Servicios para veteranos")
    page.get_by_role("button", name="Añadir la categoría").click()
    expect(page.locator("#terms")).to_contain_text("Servicios para veteranos")

    page.goto(f"{url}/staff/directory/services/{entry.uuid}/categories/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Categorías de Resumé help")
    assert_no_axe_violations(page)
    page.locator("label", has_text="Servicios para veteranos").click()
    page.get_by_role("button", name="Guardar las categorías").click()
    expect(page.locator("#entry-categories")).to_contain_text("Servicios para veteranos")
    assert list(entry.terms.all()) == [TaxonomyTerm.objects.get()]

    page.goto(f"{url}/staff/directory/places/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pueblos y códigos postales")
    assert_no_axe_violations(page)
    page.get_by_label("Pueblo").fill("Brookdale")
    page.get_by_label("Código postal").fill("5544")
    page.get_by_label("Latitud").fill("45.07")
    page.get_by_label("Longitud").fill("-93.33")
    page.get_by_role("button", name="Guardar el lugar").click()
    expect(page.locator("#form-errors")).to_contain_text(
        "Escriba un código postal de cinco dígitos."
    )
    assert_no_axe_violations(page)
    page.get_by_label("Código postal").fill("55444")
    page.get_by_role("button", name="Guardar el lugar").click()
    expect(page.locator("#places")).to_contain_text("55444")
    assert list(Place.objects.values_list("name", "postal_code")) == [("Brookdale", "55444")]


def test_staff_only_details_for_a_partner_under_an_agreement_not_for_another_library(
    browser: Browser, live_server, helper, partner_staff, outsider, library, center
):
    url = live_server.url
    entry = ServiceFactory(organization=library, name="Resumé help")
    set_staff_details(entry, by=helper, direct_line="763-555-0199", notes_for_referrers="Ask Ana")
    agreement_between(center, library)

    partner = new_page(browser)
    log_in(partner, url, partner_staff)
    partner.goto(f"{url}/staff/directory/services/{entry.uuid}/")
    expect(partner.locator("#staff-only")).to_contain_text("763-555-0199")
    assert_no_axe_violations(partner)

    other = new_page(browser)
    log_in(other, url, outsider)
    other.goto(f"{url}/staff/directory/services/{entry.uuid}/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Resumé help")
    expect(other.locator("#staff-only")).not_to_contain_text("763-555-0199")
    expect(other.locator("body")).not_to_contain_text("Ask Ana")
    assert_no_axe_violations(other)
