"""The public classes API: the calendar of sessions, and registering for one. No token needed;
join details never included; the self-service link only to the call that made it."""

import json
from datetime import UTC

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops import domain
from jobhelp.workshops import links as workshop_links
from jobhelp.workshops.domain import Registrant
from jobhelp.workshops.enums import Delivery, RegistrationState, SessionState
from jobhelp.workshops.models import Registration, RegistrationLink
from tests.factories.organizations import OrganizationFactory
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)
from tests.scheduling.times import local

NOW = local(2027, 2, 1, 12)
JOIN_URL = "https://meet.example.org/secret-room-4417"
ALREADY = (
    "This phone number or email is already registered for this session. Check the email we "
    "sent you, or call us."
)
SESSIONS = "/api/v1/classes/sessions"
KEY = "api-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def session_at(day: int, **workshop):
    location = workshop.pop("location", None)
    return WorkshopSessionFactory(
        workshop=WorkshopFactory(**workshop),
        starts=local(2027, 2, day, 10),
        ends=local(2027, 2, day, 11),
        join_url=JOIN_URL,
        conference_phone="+13125550199",
        conference_code="884213",
        **({"location": location} if location else {}),
    )


@pytest.fixture
def sessions(library, central, branch, other_library):
    return {
        "interview": session_at(
            5,
            organization=library,
            location=central,
            title="Online Interviewing Tips",
            needs=["interview"],
            language="en",
            delivery=Delivery.VIDEO,
            capacity=2,
        ),
        "resume": session_at(
            3,
            organization=branch,
            location=branch.locations.get(),
            title="Resumé Basics",
            needs=["resume", "digital"],
            language="es",
            delivery=Delivery.IN_PERSON,
        ),
        "email": session_at(
            4,
            organization=other_library,
            title="Email for Job Seekers",
            needs=["digital"],
            delivery=Delivery.PHONE,
        ),
        "cancelled": WorkshopSessionFactory(
            workshop=WorkshopFactory(organization=library, title="Cancelled Class"),
            location=central,
            starts=local(2027, 2, 2, 10),
            ends=local(2027, 2, 2, 11),
            state=SessionState.CANCELLED,
        ),
    }


def post(client, session, *, headers=None, **body):
    payload = {
        "name": "Rosa Díaz",
        "phone": "763-555-0123",
        "email": "Rosa@Example.org",
        "language": "es",
        "idempotency_key": KEY,
        **body,
    }
    return client.post(
        f"{SESSIONS}/{session.pk}/registrations",
        json.dumps(payload),
        content_type="application/json",
        headers=headers or {},
    )


def snapshot() -> dict:
    return {
        "registrations": list(Registration.objects.order_by("pk").values_list("pk", "state")),
        "links": list(RegistrationLink.objects.order_by("pk").values_list("pk")),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
        "messages": list(OutboundMessage.objects.order_by("pk").values_list("pk", "template")),
    }


# --- The calendar --------------------------------------------------------------------------------


def test_the_sessions_are_public_soonest_first_without_join_details(client, sessions, library):
    RegistrationFactory(session=sessions["interview"])

    response = client.get(SESSIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    interview = sessions["interview"]
    assert body["items"][2] == {
        "id": interview.pk,
        "class_id": interview.workshop_id,
        "title": "Online Interviewing Tips",
        "description": interview.workshop.description,
        "audience": "",
        "language": "en",
        "needs": ["interview"],
        "delivery": "video",
        "online": True,
        "materials": "",
        "organization": {"id": library.pk, "name": "Riverbend County Library", "slug": "riverbend"},
        "co_hosts": [],
        "location": {
            "id": interview.location_id,
            "name": "Central Library",
            "street": "100 Main St",
            "city": "Riverbend",
            "state": "MN",
            "postal_code": "55400",
            "time_zone": "America/Chicago",
        },
        "starts": "2027-02-05T10:00:00-06:00",
        "ends": "2027-02-05T11:00:00-06:00",
        "capacity": 2,
        "seats_left": 1,
        "waitlist_open": False,
        "url": f"http://127.0.0.1:8000/classes/{interview.pk}/",
    }
    assert [item["title"] for item in body["items"]] == [
        "Resumé Basics",
        "Email for Job Seekers",
        "Online Interviewing Tips",
    ]
    content = response.content.decode()
    assert "secret-room" not in content
    assert "884213" not in content
    assert "5550199" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("need=digital", ["Resumé Basics", "Email for Job Seekers"]),
        ("language=es", ["Resumé Basics"]),
        ("online=true", ["Email for Job Seekers", "Online Interviewing Tips"]),
        ("need=digital&online=true", ["Email for Job Seekers"]),
    ],
)
def test_the_sessions_can_be_filtered(client, sessions, query, expected):
    response = client.get(f"{SESSIONS}?{query}")

    assert [item["title"] for item in response.json()["items"]] == expected


def test_the_sessions_can_be_filtered_by_location(client, sessions, central):
    response = client.get(f"{SESSIONS}?location_id={central.pk}")

    assert [item["title"] for item in response.json()["items"]] == ["Online Interviewing Tips"]


@pytest.mark.parametrize(
    "query", ["need=gardening", "language=xx", "location_id=0", "online=maybe"]
)
def test_a_filter_that_does_not_fit_is_422(client, sessions, query):
    assert client.get(f"{SESSIONS}?{query}").status_code == 422


def test_the_sessions_take_the_same_number_of_queries_for_one_or_three(client, library, central):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(SESSIONS)
        assert response.status_code == 200
        return len(queries)

    session_at(3, organization=library, location=central, title="One")
    one = count()
    shared = session_at(4, organization=OrganizationFactory(), title="Two")
    shared.workshop.co_hosts.add(library)
    session_at(5, organization=library, location=central, title="Three")

    assert count() == one


# --- Registering ---------------------------------------------------------------------------------


def test_registering_answers_201_with_the_state_and_the_patrons_page(client, sessions):
    session = sessions["interview"]

    response = post(client, session)

    registration = Registration.objects.get()
    body = response.json()
    assert response.status_code == 201
    token = body["manage_url"].removeprefix("http://127.0.0.1:8000/classes/registration/")
    assert workshop_links.registration_for_token(token.rstrip("/")) == registration
    assert body == {
        "session_id": session.pk,
        "state": "registered",
        "waitlist_place": None,
        "manage_url": body["manage_url"],
    }
    assert (registration.name, registration.phone, registration.email, registration.language) == (
        "Rosa Díaz",
        "+17635550123",
        "rosa@example.org",
        "es",
    )
    message = OutboundMessage.objects.get()
    assert (message.template, message.attachment_name) == ("workshop_registered", "class.ics")
    assert "secret-room" not in response.content.decode()


def test_a_full_session_answers_with_the_place_on_the_waitlist(client, sessions):
    session = sessions["interview"]
    RegistrationFactory.create_batch(2, session=session)
    RegistrationFactory(session=session, state=RegistrationState.WAITLISTED)

    response = post(client, session)

    assert response.status_code == 201
    assert (response.json()["state"], response.json()["waitlist_place"]) == ("waitlisted", 2)


def test_the_same_call_sent_again_registers_once_and_gives_no_link(client, sessions):
    session = sessions["interview"]
    first = post(client, session)

    again = post(Client(), session)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {
        "session_id": session.pk,
        "state": "registered",
        "waitlist_place": None,
        "manage_url": None,
    }
    assert Registration.objects.count() == 1


def test_the_same_phone_with_another_key_or_none_is_409_without_the_link(client, sessions):
    session = sessions["interview"]
    post(client, session)

    other_key = post(client, session, name="Someone", email="", idempotency_key="b" * 20)
    no_key = post(client, session, name="Someone", email="", idempotency_key="")

    for response in (other_key, no_key):
        assert response.status_code == 409
        assert response.json() == {"detail": ALREADY, "errors": {}}
    assert Registration.objects.count() == 1


def test_the_same_key_from_two_people_makes_two_registrations(client, sessions):
    session = sessions["interview"]

    first = post(client, session)
    second = post(client, session, name="Luis", phone="763-555-0188", email="")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["manage_url"] != first.json()["manage_url"]
    assert Registration.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"phone": "", "email": ""},
            {"phone": ["Give a phone number or an email address so we can reach you."]},
        ),
        (
            {"phone": "123"},
            {
                "phone": [
                    "That does not look like a working phone number. Check the area code and "
                    "digits."
                ]
            },
        ),
        ({"email": "rosa-at-example"}, {"email": ["Enter a valid email address."]}),
        (
            {"name": "R" * 121},
            {"name": ["Ensure this value has at most 120 characters (it has 121)."]},
        ),
        ({"name": ""}, {"name": ["Enter your name."]}),
        ({"language": "klingon"}, {"language": ["Choose a language from the list."]}),
        (
            {"idempotency_key": "short"},
            {"__all__": ["This form is out of date. Please reload the page and try again."]},
        ),
    ],
)
def test_bad_input_is_422_with_messages_and_nothing_written(client, sessions, body, errors):
    before = snapshot()

    response = post(client, sessions["interview"], **body)

    assert response.status_code == 422
    assert response.json() == {"detail": "The request is not valid.", "errors": errors}
    assert snapshot() == before


def test_malformed_json_is_400_a_wrong_type_422_and_nothing_written(client, sessions):
    before = snapshot()

    response = client.post(
        f"{SESSIONS}/{sessions['interview'].pk}/registrations",
        "{not json",
        content_type="application/json",
    )
    wrong_type = post(client, sessions["interview"], name=["Rosa"])

    assert (response.status_code, wrong_type.status_code) == (400, 422)
    assert snapshot() == before


def test_a_cancelled_session_is_409_and_an_unknown_one_404(client, sessions):
    before = snapshot()

    cancelled = post(client, sessions["cancelled"])
    unknown = client.post(
        f"{SESSIONS}/999999/registrations", json.dumps({}), content_type="application/json"
    )

    assert (cancelled.status_code, cancelled.json()) == (
        409,
        {"detail": "This session was cancelled.", "errors": {}},
    )
    assert unknown.status_code == 404
    assert snapshot() == before


def test_too_many_registrations_from_one_address_are_429(client, sessions, settings):
    settings.FORM_RATE_LIMIT = 1
    post(client, sessions["interview"])
    before = snapshot()

    response = post(client, sessions["resume"], name="Luis", phone="763-555-0188", email="")

    assert response.status_code == 429
    assert response.json()["detail"] == "Too many sign-ups came from this address. Try again later."
    assert snapshot() == before


def test_bad_input_does_not_count_against_the_limit(client, sessions, settings):
    settings.FORM_RATE_LIMIT = 1
    mistakes = [post(client, sessions["interview"], phone="", email="") for _ in range(3)]

    response = post(client, sessions["interview"])

    assert ([m.status_code for m in mistakes], response.status_code) == ([422] * 3, 201)


def test_the_page_and_the_api_share_the_rate_limit(client, sessions, settings):
    settings.FORM_RATE_LIMIT = 1
    client.post(
        f"/classes/{sessions['resume'].pk}/",
        {
            "name": "Ana",
            "phone": "763-555-0101",
            "preferred_contact": "none",
            "language": "en",
            "idempotency_key": "a" * 32,
        },
    )

    assert post(client, sessions["interview"]).status_code == 429


def test_registering_needs_no_token_and_no_csrf_cookie(sessions):
    client = Client(enforce_csrf_checks=True)

    response = post(client, sessions["interview"])

    assert response.status_code == 201


def test_a_staff_token_is_not_needed_but_does_no_harm(client, sessions, front_desk):
    from jobhelp.accounts.domain import create_api_token

    _token, key = create_api_token(front_desk, name="kiosk", by=front_desk)

    response = post(client, sessions["interview"], headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 201
    assert Registration.objects.get().registered_by is None


def test_the_schema_lists_the_public_class_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    listing = schema["paths"]["/api/v1/classes/sessions"]["get"]
    registering = schema["paths"]["/api/v1/classes/sessions/{session_id}/registrations"]["post"]
    assert "security" not in listing
    assert "security" not in registering
    assert sorted(registering["responses"]) == ["200", "201", "404", "409", "422", "429"]


def test_registering_through_the_domain_first_then_the_api_is_409(client, sessions):
    session = sessions["interview"]
    domain.register(
        session,
        registrant=Registrant(name="Rosa", phone="+17635550123"),
        now=NOW,
    )

    response = post(client, session)

    assert response.status_code == 409
    assert "manage_url" not in response.json()


def test_the_same_person_and_key_can_register_for_another_session(client, sessions, central):
    later = WorkshopSessionFactory(
        workshop=sessions["interview"].workshop,
        location=central,
        starts=local(2027, 3, 5, 10),
        ends=local(2027, 3, 5, 11),
    )
    post(client, sessions["interview"])

    response = post(client, later)

    assert response.status_code == 201
    assert sorted(Registration.objects.values_list("session_id", flat=True)) == [
        sessions["interview"].pk,
        later.pk,
    ]


def test_a_caller_may_choose_texts_and_without_a_choice_gets_email(client, sessions, texting):
    texted = post(client, sessions["interview"], email="", preferred_contact="text")
    emailed = post(
        client, sessions["resume"], phone="763-555-0188", idempotency_key="other-key-0123456789"
    )

    assert (texted.status_code, emailed.status_code) == (201, 201)
    assert sorted(OutboundMessage.objects.values_list("template", "channel", "to", "language")) == [
        ("workshop_registered", "email", "rosa@example.org", "es"),
        ("workshop_registered", "sms", "+17635550123", "es"),
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"preferred_contact": "pigeon"},
            {"preferred_contact": ["Choose one of the ways listed."]},
        ),
        (
            {"preferred_contact": "text", "phone": ""},
            {
                "preferred_contact": [
                    "You chose text messages; please add a mobile phone number above, or "
                    "choose another way."
                ]
            },
        ),
    ],
)
def test_a_way_for_messages_that_cannot_work_is_a_422(client, sessions, texting, body, errors):
    response = post(client, sessions["interview"], **body)

    assert (response.status_code, response.json()["errors"]) == (422, errors)
    assert Registration.objects.count() == 0
