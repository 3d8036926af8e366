"""The public calendar of classes: the list and its filters, a session's page, and the feeds.
Registering and the registrant's own page are in test_registration.py.

The clock is fixed at NOW (django.utils.timezone.now is patched); sessions are after it unless
a test says otherwise."""

import re
from datetime import UTC, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.workshops.enums import Delivery, RegistrationState, SessionState
from tests.factories.organizations import BranchFactory, LocationFactory, OrganizationFactory
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)
from tests.scheduling.times import local

NOW = local(2027, 2, 1, 12)  # a Monday
SECRET_LINK = "https://meet.example.org/secret-room-4417"
SECRET_PHONE = "+1 312 555 0199"
SECRET_CODE = "884213"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def text(html: str) -> str:
    """What a person reads: inline tags vanish, the others separate words."""
    html = re.sub(r"</?(a|span|strong)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def titles(response) -> list[str]:
    return [row["session"].workshop.title for row in response.context["rows"]]


def items(response) -> list[str]:
    """Each class on the list as a person reads it."""
    chunks = html(response).split('<li class="usa-collection__item">')[1:]
    return [text(chunk.split("</div>")[0]) for chunk in chunks]


def html(response) -> str:
    return response.content.decode()


def details(response) -> dict[str, str]:
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html(response), re.S)
    return {text(term): text(value) for term, value in pairs}


def session_at(day: int, hour: int, **workshop):
    location = workshop.pop("location", None)
    extra = {"location": location} if location is not None else {}
    return WorkshopSessionFactory(
        workshop=WorkshopFactory(**workshop),
        starts=local(2027, 2, day, hour),
        ends=local(2027, 2, day, hour + 1),
        join_url=SECRET_LINK,
        **extra,
    )


@pytest.fixture
def calendar(library, branch, central, other_library):
    """Sessions of several partners, one cancelled, one past."""
    northtown = branch.locations.get()
    return {
        "interview": session_at(
            5,
            10,
            organization=library,
            title="Online Interviewing Tips",
            location=central,
            needs=["interview"],
            language="en",
            delivery=Delivery.VIDEO,
        ),
        "resume": session_at(
            3,
            14,
            organization=branch,
            title="Resumé Basics",
            location=northtown,
            needs=["resume", "digital"],
            language="es",
            delivery=Delivery.IN_PERSON,
        ),
        "email": session_at(
            4,
            9,
            organization=other_library,
            title="Email for Job Seekers",
            needs=["digital"],
            language="en",
            delivery=Delivery.PHONE,
        ),
        "cancelled": WorkshopSessionFactory(
            workshop=WorkshopFactory(organization=library, title="Cancelled Class"),
            location=central,
            starts=local(2027, 2, 2, 10),
            ends=local(2027, 2, 2, 11),
            state=SessionState.CANCELLED,
        ),
        "past": WorkshopSessionFactory(
            workshop=WorkshopFactory(organization=library, title="Past Class"),
            location=central,
            starts=local(2027, 2, 1, 9),
            ends=local(2027, 2, 1, 10),
        ),
    }


# --- The list ------------------------------------------------------------------------------------


def test_the_calendar_lists_every_partners_upcoming_sessions_soonest_first(client, calendar):
    response = client.get("/classes/")

    assert response.status_code == 200
    assert titles(response) == [
        "Resumé Basics",
        "Email for Job Seekers",
        "Online Interviewing Tips",
    ]
    assert "<title>Classes and workshops · " in html(response)


def test_each_row_says_who_when_where_and_the_seats_left(client, calendar):
    interview = calendar["interview"]
    RegistrationFactory.create_batch(11, session=interview)
    resume = calendar["resume"]
    RegistrationFactory.create_batch(12, session=resume)

    response = client.get("/classes/")

    assert items(response) == [
        "Resumé Basics Wednesday, Feb. 3, 2027, 2 p.m. (CST) From Northtown Library "
        "In person at Northtown Library Full — waitlist open",
        "Email for Job Seekers Thursday, Feb. 4, 2027, 9 a.m. (CST) From Elsewhere Library "
        "Online, by phone conference line 12 seats left",
        "Online Interviewing Tips Friday, Feb. 5, 2027, 10 a.m. (CST) From Riverbend County "
        "Library Online, by video link 1 seat left",
    ]
    assert f'href="/classes/{resume.pk}/"' in html(response)


def test_seats_left_count_registered_and_offered_people_only(client, library, central):
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library, capacity=5), location=central, capacity=5
    )
    for state in [
        RegistrationState.REGISTERED,
        RegistrationState.REGISTERED,
        RegistrationState.CANCELLED,
        RegistrationState.LAPSED,
    ]:
        RegistrationFactory(session=session, state=state)
    RegistrationFactory(session=session, state=RegistrationState.OFFERED, offer_expires_at=NOW)
    RegistrationFactory(session=session, state=RegistrationState.WAITLISTED)

    response = client.get("/classes/")

    assert [row["seats_left"] for row in response.context["rows"]] == [2]
    assert "2 seats left" in items(response)[0]


def test_a_session_in_another_zone_shows_its_own_clock(client, library):
    denver = LocationFactory(
        organization=library, name="Mountain Branch", time_zone="America/Denver"
    )
    session_at(3, 10, organization=library, title="Mountain Class", location=denver)

    response = client.get("/classes/")

    assert "Wednesday, Feb. 3, 2027, 9 a.m. (MST)" in items(response)[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("need=digital", ["Resumé Basics", "Email for Job Seekers"]),
        ("need=interview", ["Online Interviewing Tips"]),
        ("need=adult_ed", []),
        ("language=es", ["Resumé Basics"]),
        ("language=en", ["Email for Job Seekers", "Online Interviewing Tips"]),
        ("online=on", ["Email for Job Seekers", "Online Interviewing Tips"]),
        ("need=digital&online=on", ["Email for Job Seekers"]),
        # A value the form does not offer narrows nothing.
        ("need=gardening", ["Resumé Basics", "Email for Job Seekers", "Online Interviewing Tips"]),
    ],
)
def test_the_filters_narrow_the_list(client, calendar, query, expected):
    response = client.get(f"/classes/?{query}")

    assert response.status_code == 200
    assert titles(response) == expected


def test_the_location_filter_offers_the_places_with_upcoming_sessions(
    client, calendar, central, branch
):
    LocationFactory(organization=central.organization, name="Quiet Branch")
    northtown = branch.locations.get()

    response = client.get(f"/classes/?location={northtown.pk}")

    assert titles(response) == ["Resumé Basics"]
    assert [str(loc) for loc in response.context["form"].fields["location"].queryset] == [
        "Central Library",
        calendar["email"].location.name,
        "Northtown Library",
    ]


def test_no_match_says_so(client, calendar):
    response = client.get("/classes/?need=adult_ed")

    assert "No upcoming classes match what you chose. Try fewer filters." in text(html(response))


def test_the_list_is_paged_by_twenty_keeping_the_filters(client, library, central):
    workshop = WorkshopFactory(organization=library, title="Weekly Class", language="es")
    for day in range(21):
        WorkshopSessionFactory(
            workshop=workshop,
            location=central,
            starts=NOW + timedelta(days=day + 1),
            ends=NOW + timedelta(days=day + 1, hours=1),
        )

    first = client.get("/classes/?language=es")
    second = client.get("/classes/?language=es&page=2")

    assert (len(first.context["rows"]), len(second.context["rows"])) == (20, 1)
    assert 'href="?language=es&amp;page=2"' in html(first)
    assert 'href="?language=es&amp;page=1"' in html(second)


def test_the_list_takes_the_same_number_of_queries_for_one_or_three_sessions(
    client, library, central
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/classes/")
        assert response.status_code == 200
        return len(queries)

    session_at(3, 10, organization=library, title="One", location=central)
    one = count()
    session_at(4, 10, organization=OrganizationFactory(), title="Two")
    session_at(5, 10, organization=library, title="Three", location=central, delivery="in_person")

    assert count() == one


def test_the_list_is_in_spanish(client, calendar):
    response = client.get("/classes/", HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es"' in html(response)
    assert "Miércoles, 3 de febrero de 2027, 14:00 (CST)" in items(response)[0]


def test_the_home_page_and_the_header_link_to_the_classes(client, library):
    response = client.get("/")

    assert html(response).count('href="/classes/"') == 2


def test_the_list_links_to_the_feeds(client, calendar, library, other_library, branch):
    response = client.get("/classes/")

    feeds = re.search(r'<ul class="usa-list" id="class-feeds">(.*?)</ul>', html(response), re.S)
    assert re.findall(r'href="([^"]+)"', feeds[1]) == [
        "/classes/calendar.ics",
        "/classes/elsewhere/calendar.ics",
        "/classes/northtown/calendar.ics",
        "/classes/riverbend/calendar.ics",
    ]


# --- A session's page ----------------------------------------------------------------------------


def test_a_sessions_page_shows_the_class(client, library, central, other_library):
    workshop = WorkshopFactory(
        organization=library,
        title="Online Interviewing Tips",
        description="Put your best face forward.",
        audience="Anyone with a video interview coming up",
        language="en",
        needs=["interview", "digital"],
        materials="A phone or laptop with a camera",
        capacity=12,
    )
    workshop.co_hosts.add(other_library)
    session = WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=local(2027, 2, 3, 10),
        ends=local(2027, 2, 3, 11, 30),
        join_url=SECRET_LINK,
    )
    later = WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=local(2027, 3, 3, 10),
        ends=local(2027, 3, 3, 11),
    )
    RegistrationFactory.create_batch(12, session=later)

    response = client.get(f"/classes/{session.pk}/")

    assert response.status_code == 200
    assert details(response) == {
        "When": "Wednesday, Feb. 3, 2027, 10 a.m. (CST) – 11:30 a.m.",
        "Where": "Online, by video link. You get the details for joining when you have a seat.",
        "Hosted by": "Riverbend County Library, Elsewhere Library",
        "Who it is for": "Anyone with a video interview coming up",
        "Language": "English",
        "Topics": "Interview practice, Computer and digital skills",
        "What to bring": "A phone or laptop with a camera",
        "Seats": "12 seats left",
    }
    page = text(html(response))
    assert "Put your best face forward." in page
    assert "Wednesday, March 3, 2027, 10 a.m. (CST) — Full — waitlist open" in page
    assert f'href="/classes/{later.pk}/"' in html(response)
    assert 'id="register-form"' in html(response)


def test_an_in_person_session_shows_the_address(client, library, central):
    session = session_at(3, 10, organization=library, location=central, delivery="in_person")

    response = client.get(f"/classes/{session.pk}/")

    assert details(response)["Where"] == "Central Library 100 Main St Riverbend, MN 55400"


def test_the_form_asks_in_the_page_language_with_a_fresh_key(client, calendar):
    url = f"/classes/{calendar['interview'].pk}/"

    english = client.get(url)
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert english.context["form"]["language"].value() == "en"
    assert spanish.context["form"]["language"].value() == "es"
    keys = [
        re.search(r'name="idempotency_key" value="([^"]+)"', html(r))[1] for r in (english, spanish)
    ]
    assert keys[0] != keys[1] and all(len(k) == 32 for k in keys)
    assert '<html lang="es"' in html(spanish)


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("cancelled", "This session was cancelled."),
        ("past", "This session has already taken place."),
    ],
)
def test_a_cancelled_or_past_session_says_why_and_has_no_form(client, calendar, which, reason):
    response = client.get(f"/classes/{calendar[which].pk}/")

    assert response.status_code == 200
    assert reason in text(html(response))
    assert 'id="register-form"' not in html(response)


def test_registration_not_yet_open_or_closed_says_so(client, calendar):
    session = calendar["interview"]
    session.registration_opens = local(2027, 2, 2, 9)
    session.save()

    response = client.get(f"/classes/{session.pk}/")

    assert "Registration for this session opens on Tuesday, Feb. 2, 2027, 9 a.m. (CST)." in text(
        html(response)
    )
    assert 'id="register-form"' not in html(response)

    session.registration_opens = None
    session.registration_closes = NOW - timedelta(hours=1)
    session.save()

    response = client.get(f"/classes/{session.pk}/")

    assert "Registration for this session has closed." in text(html(response))
    assert 'id="register-form"' not in html(response)


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_an_unknown_session_is_404(client, db, pk):
    response = client.get(f"/classes/{pk}/")

    assert response.status_code == 404
    assert "Page not found" in html(response)


# --- Join details stay with registrants ----------------------------------------------------------


def test_join_details_are_never_on_public_pages_or_feeds(client, calendar, library):
    phone_class = calendar["email"]
    phone_class.conference_phone = SECRET_PHONE
    phone_class.conference_code = SECRET_CODE
    phone_class.save()
    RegistrationFactory(session=calendar["interview"])

    pages = [
        client.get("/classes/"),
        client.get("/classes/?online=on"),
        *(client.get(f"/classes/{s.pk}/") for s in calendar.values()),
        client.get("/classes/calendar.ics"),
        client.get("/classes/riverbend/calendar.ics"),
        client.get("/classes/elsewhere/calendar.ics"),
    ]

    assert [r.status_code for r in pages] == [200] * len(pages)
    for response in pages:
        content = response.content.decode()
        assert "secret-room" not in content
        assert SECRET_CODE not in content
        assert "555 0199" not in content


# --- Feeds ---------------------------------------------------------------------------------------


def uids(response) -> list[str]:
    return re.findall(r"^UID:class-session-(\d+)@", response.content.decode(), re.M)


def test_the_feed_has_every_upcoming_session(client, calendar):
    response = client.get("/classes/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(response) == [str(calendar[k].pk) for k in ("resume", "email", "interview")]
    body = response.content.decode()
    assert "SUMMARY:Resumé Basics – Northtown Library" in body
    assert "LOCATION:Online: registrants get the details" in body


def test_an_organizations_feed_has_what_it_and_its_branches_host_or_co_host(
    client, calendar, library, other_library
):
    co_hosted = session_at(6, 10, organization=OrganizationFactory(), title="Shared Class")
    co_hosted.workshop.co_hosts.add(BranchFactory(parent=other_library))

    system = client.get("/classes/riverbend/calendar.ics")
    elsewhere = client.get("/classes/elsewhere/calendar.ics")

    assert uids(system) == [str(calendar["resume"].pk), str(calendar["interview"].pk)]
    assert uids(elsewhere) == [str(calendar["email"].pk), str(co_hosted.pk)]
    assert system["Content-Type"] == "text/calendar; charset=utf-8"


def test_a_feed_of_an_unknown_organization_is_404(client, calendar):
    response = client.get("/classes/nowhere/calendar.ics")

    assert response.status_code == 404
