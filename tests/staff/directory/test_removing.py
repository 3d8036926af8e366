"""Removing a town and ZIP code, or a category, from the staff pages: managers only, audited,
and refused with the reason while it is in use (a category filed on entries or with narrower
ones; the only entry for the ZIP code of an open location), nothing removed."""

import pytest

from jobhelp.core.models import AuditEntry
from jobhelp.directory import domain
from jobhelp.directory.models import Place, TaxonomyTerm
from tests.factories.directory import PlaceFactory, ServiceFactory
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Places ---------------------------------------------------------------------------------------


def test_a_manager_removes_a_place_and_the_computers_page_no_longer_knows_it(
    client, manager, computers
):
    place = PlaceFactory(name="Brookdale", postal_code="55444")
    assert "We do not know the ZIP code" not in (
        client.get("/computers/", {"place": "55444"}).content.decode()
    )
    client.force_login(manager)

    response = client.post(f"/staff/directory/places/{place.pk}/remove/", follow=True)

    assert response.redirect_chain == [("/staff/directory/places/", 302)]
    assert messages_of(response) == ["Brookdale 55444 is removed."]
    assert not Place.objects.exists()
    entry = AuditEntry.objects.get(action="jobhelp.place.removed")
    assert (entry.actor, entry.data) == (manager, {"name": "Brookdale", "postal_code": "55444"})
    client.logout()
    assert "We do not know the ZIP code" in (
        client.get("/computers/", {"place": "55444"}).content.decode()
    )


def test_the_only_entry_for_an_open_locations_zip_code_is_refused(client, manager, library):
    LocationFactory(organization=library, name="Central Library", postal_code="55401")
    place = PlaceFactory(name="Riverbend", postal_code="55401")
    client.force_login(manager)

    response = client.post(f"/staff/directory/places/{place.pk}/remove/", follow=True)

    assert response.status_code == 200
    [message] = messages_of(response)
    assert "Riverbend 55401 is the only entry for the ZIP code of Central Library" in message
    assert "Add the ZIP code under its new town name first" in message
    assert Place.objects.filter(pk=place.pk).exists()
    assert not AuditEntry.objects.filter(action="jobhelp.place.removed").exists()


def test_a_renamed_town_is_added_anew_then_the_old_name_removed(client, manager, library):
    LocationFactory(organization=library, name="Central Library", postal_code="55401")
    old = PlaceFactory(name="Riverbend", postal_code="55401")
    client.force_login(manager)
    client.post(
        "/staff/directory/places/",
        {
            "name": "Riverbend City",
            "postal_code": "55401",
            "latitude": "45.1",
            "longitude": "-93.3",
        },
    )

    response = client.post(f"/staff/directory/places/{old.pk}/remove/")

    assert response.status_code == 302
    assert list(Place.objects.values_list("name", flat=True)) == ["Riverbend City"]


def test_a_closed_locations_zip_code_does_not_keep_a_place(manager, library):
    LocationFactory(organization=library, postal_code="55401", is_active=False)
    place = PlaceFactory(postal_code="55401")

    domain.remove_place(place, by=manager)

    assert not Place.objects.exists()


@pytest.mark.parametrize("persona", ["front_desk", "helper", "partner_staff", "no_membership"])
def test_only_managers_remove_places(client, log_in, persona):
    place = PlaceFactory()
    log_in(persona)

    response = client.post(f"/staff/directory/places/{place.pk}/remove/")

    assert response.status_code == 403
    assert Place.objects.filter(pk=place.pk).exists()


def test_removing_a_place_that_is_not_there_is_404_and_get_is_refused(client, manager):
    place = PlaceFactory()
    client.force_login(manager)

    assert client.post("/staff/directory/places/999999/remove/").status_code == 404
    assert client.get(f"/staff/directory/places/{place.pk}/remove/").status_code == 405
    assert Place.objects.filter(pk=place.pk).exists()


def test_managers_see_a_remove_button_for_each_place_others_do_not(client, log_in):
    PlaceFactory(name="Brookdale", postal_code="55444")
    log_in("manager")
    assert "Remove Brookdale 55444" in client.get("/staff/directory/places/").content.decode()
    log_in("front_desk")
    assert "Remove Brookdale" not in client.get("/staff/directory/places/").content.decode()


# --- Categories -----------------------------------------------------------------------------------


def test_a_manager_removes_a_category_nobody_uses(client, manager):
    term = domain.create_term(by=manager, name="Veterans")
    client.force_login(manager)

    response = client.post(f"/staff/directory/categories/{term.pk}/remove/", follow=True)

    assert response.redirect_chain == [("/staff/directory/categories/", 302)]
    assert messages_of(response) == ["Category “Veterans” removed."]
    assert not TaxonomyTerm.objects.exists()
    entry = AuditEntry.objects.get(action="jobhelp.taxonomy_term.removed")
    assert entry.actor == manager
    assert entry.data == {"name": "Veterans", "uuid": str(term.uuid)}


def test_a_category_filed_on_entries_is_refused_with_the_count(client, manager, library):
    term = domain.create_term(by=manager, name="Veterans")
    for n in range(2):
        ServiceFactory(organization=library, name=f"Help {n}").terms.add(term)
    client.force_login(manager)

    response = client.post(f"/staff/directory/categories/{term.pk}/remove/", follow=True)

    assert messages_of(response) == [
        "“Veterans” is still the category of 2 directory entries. Take it off those entries "
        "first, on each entry's categories page."
    ]
    assert TaxonomyTerm.objects.filter(pk=term.pk).exists()
    assert term.services.count() == 2
    assert not AuditEntry.objects.filter(action="jobhelp.taxonomy_term.removed").exists()


def test_a_category_with_narrower_ones_is_refused(client, manager):
    broad = domain.create_term(by=manager, name="Veterans")
    domain.create_term(by=manager, name="Disabled veterans", parent=broad)
    client.force_login(manager)

    response = client.post(f"/staff/directory/categories/{broad.pk}/remove/", follow=True)

    assert messages_of(response) == [
        "“Veterans” has narrower categories (Disabled veterans). Remove those first."
    ]
    assert TaxonomyTerm.objects.count() == 2


@pytest.mark.parametrize("persona", ["front_desk", "helper", "partner_staff", "no_membership"])
def test_only_managers_remove_categories(client, log_in, manager, persona):
    term = domain.create_term(by=manager, name="Veterans")
    log_in(persona)

    response = client.post(f"/staff/directory/categories/{term.pk}/remove/")

    assert response.status_code == 403
    assert TaxonomyTerm.objects.filter(pk=term.pk).exists()


def test_removing_a_category_that_is_not_there_is_404(client, manager):
    client.force_login(manager)

    assert client.post("/staff/directory/categories/999999/remove/").status_code == 404


def test_the_list_in_spanish_names_the_remove_button(client, manager):
    domain.create_term(by=manager, name="Veterans")
    client.force_login(manager)

    page = client.get("/staff/directory/categories/", HTTP_ACCEPT_LANGUAGE="es")

    assert "Quitar “Veterans”" in page.content.decode()
