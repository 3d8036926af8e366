"""The public directory, a service's page, the public computers page and the kiosk
(public.views.directory): search by need, language, place and open now; unknown places; the
count visible on the next load; bad counts and another location's kiosk write nothing."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.directory.computers import issue_kiosk, record_count, set_public_computers
from jobhelp.directory.models import ComputerCount
from tests.factories.directory import (
    PlaceFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    open_every_day,
)
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db


def all_day(location):
    return open_every_day(location, opens=time(0), closes=time(23, 59))


@pytest.fixture
def central(library):
    return all_day(
        LocationFactory(
            organization=library,
            name="Central Library",
            latitude="45.100000",
            longitude="-93.300000",
        )
    )


@pytest.fixture
def resume_es(library, central):
    service = ServiceFactory(
        organization=library, name="Ayuda con el currículum", languages=["es", "en"]
    )
    ServiceAtLocationFactory(service=service, location=central)
    return service


@pytest.fixture
def resume_en(library):
    closed = open_every_day(
        LocationFactory(organization=library, name="Northtown Library"),
        opens=time(0),
        closes=time(0, 1),
    )
    service = ServiceFactory(organization=library, name="Resumé clinic", languages=["en"])
    ServiceAtLocationFactory(service=service, location=closed)
    return service


def names(response) -> list[str]:
    return [row["match"].service.name for row in response.context["results"]]


def test_search_by_need_language_and_open_now(client, resume_es, resume_en):
    ServiceFactory(name="Benefits line", needs=["unemployment"])

    everything = client.get("/directory/")
    resume = client.get("/directory/", {"need": "resume"})
    spanish_open = client.get("/directory/", {"need": "resume", "language": "es", "open_now": "on"})

    assert sorted(names(everything)) == [
        "Ayuda con el currículum",
        "Benefits line",
        "Resumé clinic",
    ]
    assert sorted(names(resume)) == ["Ayuda con el currículum", "Resumé clinic"]
    assert names(spanish_open) == ["Ayuda con el currículum"]
    assert "Central Library" in spanish_open.content.decode()


def test_search_near_a_zip_and_an_unknown_zip(client, resume_es):
    PlaceFactory(name="Riverbend", postal_code="55401")

    near = client.get("/directory/", {"place": "55401"})
    unknown = client.get("/directory/", {"place": "99999"})

    assert names(near) == ["Ayuda con el currículum"]
    assert near.context["results"][0]["match"].distance_km == 0.0
    assert unknown.status_code == 200
    assert unknown.context["results"] == []
    assert "We do not know the ZIP code 99999" in unknown.content.decode()


def test_search_with_a_value_not_offered_says_so_and_never_500s(client, resume_es):
    response = client.get("/directory/", {"need": "<script>", "language": "xx"})

    assert response.status_code == 200
    assert response.context["results"] == []
    assert "the search could not be run" in response.content.decode()


def test_search_reads_the_same_queries_for_one_and_three_services(client, library, central):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/directory/", {"need": "resume"}).status_code == 200
        return len(queries)

    ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    one = count_queries()
    for _ in range(2):
        ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    assert count_queries() == one


def test_service_page_shows_places_hours_and_links_but_never_staff_details(
    client, resume_es, helper
):
    from jobhelp.directory.domain import set_staff_details

    set_staff_details(resume_es, by=helper, direct_line="555-0199", notes_for_referrers="Ask Ana")

    response = client.get(f"/directory/{resume_es.uuid}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Central Library" in page
    assert "/help/riverbend/" in page
    assert "/classes/?need=resume" in page
    assert "555-0199" not in page and "Ask Ana" not in page


def test_an_inactive_or_unknown_service_is_404(client, resume_es):
    resume_es.status = "inactive"
    resume_es.save()

    assert client.get(f"/directory/{resume_es.uuid}/").status_code == 404
    assert client.get("/directory/6f1c0c1e-0000-4000-8000-000000000000/").status_code == 404


# --- Computers ---------------------------------------------------------------------------------


@pytest.fixture
def computers(central, helper):
    set_public_computers(central, by=helper, count=16, software=["office"], printing=True)
    return central


def test_computers_page_shows_the_wait_and_a_new_count_on_the_next_load(client, computers, helper):
    record_count(computers, by=helper, in_use=16, waiting=3)
    first = client.get("/computers/").content.decode()

    record_count(computers, by=helper, in_use=10, waiting=0)
    second = client.get("/computers/").content.decode()

    assert "Wait: about" in first
    assert "No wait: 6 computers free" in second


def test_a_stale_count_shows_not_known(client, computers, helper):
    record_count(
        computers, by=helper, in_use=2, waiting=0, now=timezone.now() - timedelta(minutes=45)
    )

    assert "Wait not known" in client.get("/computers/").content.decode()


def test_nearest_computer_and_an_unknown_zip(client, computers, helper):
    PlaceFactory(name="Riverbend", postal_code="55401")
    record_count(computers, by=helper, in_use=10, waiting=0)

    near = client.get("/computers/", {"place": "riverbend"})
    unknown = client.get("/computers/", {"place": "00000"})

    assert near.context["suggestion"].best.location.name == "Central Library"
    assert "Go to Central Library" in near.content.decode()
    assert unknown.context["suggestion"] is None
    assert "We do not know the ZIP code 00000" in unknown.content.decode()


def test_computers_page_reads_the_same_queries_for_one_and_three_locations(
    client, library, helper, computers
):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/computers/").status_code == 200
        return len(queries)

    one = count_queries()
    for name in ("East", "West"):
        set_public_computers(
            all_day(LocationFactory(organization=library, name=name)), by=helper, count=4
        )
    assert count_queries() == one


# --- The kiosk ---------------------------------------------------------------------------------


@pytest.fixture
def kiosk_token(computers, helper):
    return issue_kiosk(computers, by=helper, name="Lobby")[1]


def test_kiosk_posts_a_count_shown_on_the_next_load(client, computers, kiosk_token):
    url = f"/computers/{computers.uuid}/kiosk/{kiosk_token}/"

    page = client.get(url)
    posted = client.post(url, {"in_use": "14", "waiting": "3"})

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert posted.status_code == 303
    assert list(ComputerCount.objects.values_list("in_use", "waiting", "source")) == [
        (14, 3, "kiosk")
    ]
    assert "Thank you" in client.get(posted["Location"]).content.decode()
    assert "Wait: about" in client.get("/computers/").content.decode()


@pytest.mark.parametrize(
    ("in_use", "waiting", "message"),
    [
        ("17", "0", "at most 16 can be in use"),
        ("-1", "0", "greater than or equal to 0"),
        ("", "2", "This field is required"),
        ("many", "2", "Enter a whole number"),
    ],
)
def test_kiosk_bad_counts_are_refused_and_write_nothing(
    client, computers, kiosk_token, in_use, waiting, message
):
    url = f"/computers/{computers.uuid}/kiosk/{kiosk_token}/"

    response = client.post(url, {"in_use": in_use, "waiting": waiting})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ComputerCount.objects.count() == 0


def test_another_locations_kiosk_is_refused_and_writes_nothing(
    client, library, computers, kiosk_token
):
    elsewhere = all_day(LocationFactory(organization=library, name="Eastside"))

    url = f"/computers/{elsewhere.uuid}/kiosk/{kiosk_token}/"
    page = client.get(url)
    posted = client.post(url, {"in_use": "1", "waiting": "0"})

    assert (page.status_code, posted.status_code) == (403, 403)
    assert "set up for another location" in posted.content.decode()
    assert ComputerCount.objects.count() == 0


def test_an_unknown_kiosk_secret_is_404(client, computers):
    response = client.post(f"/computers/{computers.uuid}/kiosk/nope/", {"in_use": "1"})

    assert response.status_code == 404
    assert ComputerCount.objects.count() == 0
