"""The public computers page is kept whole in the cache for plain visits (public.common.pagecache):
served again it costs one query, a change shows on the very next load, the clock moves it every
minute, and what is each visitor's own (the CSP nonce, the CSRF token) is never shared.
Transactional, as the cache is never used inside a transaction."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.directory.computers import record_count, set_public_computers
from jobhelp.organizations.domain import update_location
from tests.factories.directory import open_every_day
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)

NONCE = re.compile(r'<script [^>]*nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def central(library, helper):
    location = open_every_day(
        LocationFactory(organization=library, name="Central Library"),
        opens=time(0),
        closes=time(23, 59),
    )
    set_public_computers(location, by=helper, count=16)
    return location


def load(client: Client, path: str = "/computers/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_served_again_it_costs_one_query_and_shows_the_same_page(central, helper):
    record_count(central, by=helper, in_use=16, waiting=3)
    first, _ = load(Client())

    again, queries = load(Client())

    assert (TOKEN.sub("", NONCE.sub("", again)), queries) == (
        TOKEN.sub("", NONCE.sub("", first)),
        1,
    )


def test_a_new_count_shows_on_the_very_next_load(central, helper):
    visitor = Client()
    record_count(central, by=helper, in_use=16, waiting=3)
    first, _ = load(visitor)

    record_count(central, by=helper, in_use=10, waiting=0)
    second, _ = load(visitor)

    assert ("Wait: about" in first, "No wait: 6 computers free" in second) == (True, True)


def test_the_clock_moves_the_page_a_count_turning_stale_shows_not_known(
    central, helper, monkeypatch
):
    now = timezone.now()
    record_count(central, by=helper, in_use=16, waiting=3, now=now - timedelta(minutes=29))
    monkeypatch.setattr(timezone, "now", lambda: now)
    fresh, _ = load(Client())

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=2))
    later, _ = load(Client())

    assert ("Wait: about" in fresh, "Wait not known" in later) == (True, True)


def test_each_visitor_gets_their_own_nonce_and_a_csrf_token_that_works(central):
    load(Client())
    pages = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get("/computers/")
        served_in = len(queries)
        content = response.content.decode()
        nonces = set(NONCE.findall(content))
        (token,) = set(TOKEN.findall(content))
        switched = visitor.post(
            "/i18n/setlang/",
            {"language": "es", "next": "/computers/", "csrfmiddlewaretoken": token},
        )
        pages.append(
            (
                served_in,
                len(nonces),
                f"'nonce-{next(iter(nonces))}'" in response["Content-Security-Policy"],
                switched.status_code,
                switched["Location"],
            )
        )
        pages.append(next(iter(nonces)))

    assert pages[0] == pages[2] == (1, 1, True, 302, "/computers/")
    assert pages[1] != pages[3]


def test_each_language_has_its_own_page(central):
    english, _ = load(Client(headers={"accept-language": "en"}))
    spanish, _ = load(Client(headers={"accept-language": "es"}))
    english_again, _ = load(Client(headers={"accept-language": "en"}))

    assert ('lang="en"' in english, 'lang="es"' in spanish, 'lang="en"' in english_again) == (
        True,
        True,
        True,
    )


def test_a_search_and_a_signed_in_visit_are_rendered_not_kept(central, helper, client):
    load(Client())
    client.force_login(helper)

    _, signed_in = load(client)
    _, search = load(Client(), "/computers/?place=nowhere-at-all")

    assert (signed_in > 1, search > 1) == (True, True)


def test_a_served_page_is_for_this_visitor_only(central):
    load(Client())

    response = Client().get("/computers/")

    assert (response["Vary"], response["Cache-Control"], response["Content-Language"]) == (
        "Cookie, Accept-Language",
        "private, no-cache",
        "en",
    )


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered(central):
    load(Client())
    visitor = Client()
    visitor.cookies["messages"] = "anything"

    _, queries = load(visitor)

    assert queries > 1


def test_a_head_request_keeps_nothing_a_get_would_miss(central, helper):
    record_count(central, by=helper, in_use=16, waiting=3)
    head = Client().head("/computers/")

    page, queries = load(Client())

    assert (head.status_code, "Wait: about" in page, queries) == (200, True, 1)


def test_a_renamed_location_shows_on_the_next_load(central, helper):
    load(Client())

    update_location(central, by=helper, name="Central Library and Job Lab")
    page, _ = load(Client())

    assert "Central Library and Job Lab" in page
