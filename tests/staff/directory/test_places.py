"""The towns and ZIP codes of the area from the staff side (staff.views.directory.places):
managers add or move one, and /computers/ finds it at the next load; a wrong ZIP code or
coordinates stay on the form, nothing written; other staff read the list only; the list reads
the same queries for one and three places."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.directory.models import Place
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_place_that_the_computers_page_then_knows(client, manager, computers):
    assert (
        "We do not know the ZIP code"
        in client.get("/computers/", {"place": "55444"}).content.decode()
    )
    client.force_login(manager)

    response = client.post(
        "/staff/directory/places/",
        {"name": "Brookdale", "postal_code": "55444", "latitude": "45.07", "longitude": "-93.33"},
    )

    assert response.status_code == 302
    assert list(Place.objects.values_list("name", "postal_code", "latitude")) == [
        ("Brookdale", "55444", Decimal("45.070000"))
    ]
    assert AuditEntry.objects.filter(action="jobhelp.place.saved").count() == 1
    client.logout()
    assert (
        "We do not know the ZIP code"
        not in client.get("/computers/", {"place": "55444"}).content.decode()
    )

    client.force_login(manager)
    moved = client.post(
        "/staff/directory/places/",
        {"name": "Brookdale", "postal_code": "55444", "latitude": "45.08", "longitude": "-93.33"},
    )
    assert moved.status_code == 302
    assert Place.objects.get().latitude == Decimal("45.080000")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postal_code": "5544"}, "Enter a five-digit ZIP code."),
        ({"postal_code": "55444-1234"}, "Enter a five-digit ZIP code."),
        ({"name": ""}, "This field is required."),
        ({"latitude": "91"}, "less than or equal to 90"),
        ({"longitude": "-181"}, "greater than or equal to -180"),
        ({"latitude": "x"}, "Enter a number."),
    ],
)
def test_a_wrong_place_is_a_clear_error_and_nothing_is_written(client, manager, data, message):
    client.force_login(manager)
    sent = {"name": "Brookdale", "postal_code": "55444", "latitude": "45", "longitude": "-93"}

    response = client.post("/staff/directory/places/", {**sent, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Place.objects.exists()
    assert not AuditEntry.objects.filter(action="jobhelp.place.saved").exists()


def test_other_staff_read_the_list_but_do_not_change_it(client, helper, partner_staff):
    PlaceFactory(name="Riverbend", postal_code="55401")
    for person in (helper, partner_staff):
        client.force_login(person)
        page = client.get("/staff/directory/places/")
        assert page.status_code == 200 and page.context["form"] is None
        assert "55401" in page.content.decode()
        sent = {"name": "X", "postal_code": "55444", "latitude": "45", "longitude": "-93"}
        assert client.post("/staff/directory/places/", sent).status_code == 403
    assert Place.objects.count() == 1


def test_the_list_reads_the_same_queries_for_one_and_three_places(client, manager):
    client.force_login(manager)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/places/").status_code == 200
        return len(queries)

    PlaceFactory(name="Riverbend", postal_code="55401")
    one = count_queries()
    PlaceFactory(name="Brookdale", postal_code="55444")
    PlaceFactory(name="Northtown", postal_code="55445")
    assert count_queries() == one
