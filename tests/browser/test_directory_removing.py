"""A manager, in Spanish, removes a category and a town and ZIP code from the directory's staff
pages: one still in use is refused with the reason and stays; one nobody uses goes. axe-core
checks each page."""

import pytest
from playwright.sync_api import Page, expect

from jobhelp.directory import domain
from jobhelp.directory.models import Place, TaxonomyTerm
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in
from tests.factories.directory import PlaceFactory, ServiceFactory
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_removes_categories_and_places_in_spanish(
    page: Page, live_server, manager, library
):
    url = live_server.url
    used = domain.create_term(by=manager, name="Veterans")
    ServiceFactory(organization=library, name="Resumé help").terms.add(used)
    domain.create_term(by=manager, name="Seniors")
    LocationFactory(organization=library, name="Central Library", postal_code="55401")
    PlaceFactory(name="Riverbend", postal_code="55401")
    PlaceFactory(name="Brookdale", postal_code="55444")
    csp = collect_csp_messages(page)
    log_in(page, url, manager)
    page.get_by_role("button", name="Español").click()

    page.goto(f"{url}/staff/directory/categories/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Quitar “Veterans”").click()
    expect(page.get_by_role("status")).to_contain_text(
        "«Veterans» sigue siendo la categoría de 1 registro del directorio."
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Quitar “Seniors”").click()
    expect(page.get_by_role("status")).to_contain_text("Se quitó la categoría «Seniors».")
    expect(page.get_by_role("button", name="Quitar “Seniors”")).to_have_count(0)
    assert list(TaxonomyTerm.objects.values_list("name", flat=True)) == ["Veterans"]

    page.goto(f"{url}/staff/directory/places/")
    page.get_by_role("button", name="Quitar Riverbend 55401").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Riverbend 55401 es la única entrada para el código postal de Central Library"
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Quitar Brookdale 55444").click()
    expect(page.get_by_role("status")).to_contain_text("Se quitó Brookdale 55444.")
    assert list(Place.objects.values_list("name", flat=True)) == ["Riverbend"]
    assert_no_axe_violations(page)
    assert csp == []
