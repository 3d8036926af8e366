"""The staff class API: a session's roster, and taking attendance."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.core.models import AuditEntry
from jobhelp.workshops.models import Registration
from tests.factories.organizations import LocationFactory
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)

NOW = timezone.now().replace(second=0, microsecond=0)
NOT_FOUND = {"detail": "Not Found"}


def bearer(user) -> dict:
    _token, key = create_api_token(user, name="script", by=user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def workshop(library):
    return WorkshopFactory(organization=library, title="Online Interviewing Tips", capacity=2)


@pytest.fixture
def past(workshop, central):
    """A session that began an hour ago: Rosa and Ben registered, Wanda waiting."""
    session = WorkshopSessionFactory(
        workshop=workshop, location=central, starts=NOW - timedelta(hours=1), capacity=2
    )
    rosa = RegistrationFactory(
        session=session,
        name="Rosa Martinez",
        phone="+16125550142",
        person_key="+16125550142",
        email="rosa@example.org",
        language="es",
    )
    ben = RegistrationFactory(session=session, name="Ben Okafor", phone="+16125550143")
    wanda = RegistrationFactory(
        session=session, name="Wanda Waiting", phone="+16125550144", state="waitlisted"
    )
    return session, rosa, ben, wanda


@pytest.fixture
def theirs(other_library):
    workshop = WorkshopFactory(organization=other_library, title="Their class")
    session = WorkshopSessionFactory(
        workshop=workshop,
        location=LocationFactory(organization=other_library),
        starts=NOW - timedelta(hours=1),
    )
    RegistrationFactory(session=session, name="Hidden Person")
    return session


def states() -> dict[str, str]:
    return dict(Registration.objects.values_list("name", "state"))


def attendance_entries() -> list:
    return list(
        AuditEntry.objects.filter(action="jobhelp.workshop_session.attendance_taken").values_list(
            "actor", "data"
        )
    )


# --- The roster ------------------------------------------------------------------------------


def test_the_roster_lists_everyone_with_their_details(client, front_desk, past):
    session, rosa, ben, wanda = past
    Registration.objects.filter(pk=rosa.pk).update(registered_by=front_desk)

    response = client.get(
        f"/api/v1/classes/sessions/{session.pk}/roster", headers=bearer(front_desk)
    )

    assert response.status_code == 200
    body = response.json()
    starts = body.pop("starts")
    ends = body.pop("ends")
    assert starts.endswith("-06:00") and ends.endswith("-06:00")
    for registration in body["registrations"]:
        assert registration.pop("created_at")
    assert body == {
        "session_id": session.pk,
        "class_id": session.workshop_id,
        "title": "Online Interviewing Tips",
        "delivery": "video",
        "state": "scheduled",
        "capacity": 2,
        "registrations": [
            {
                "id": rosa.pk,
                "name": "Rosa Martinez",
                "phone": "+16125550142",
                "email": "rosa@example.org",
                "language": "es",
                "state": "registered",
                "offer_expires_at": None,
                "waitlist_place": None,
                "registered_by": {"id": front_desk.pk, "name": str(front_desk)},
            },
            {
                "id": ben.pk,
                "name": "Ben Okafor",
                "phone": "+16125550143",
                "email": "",
                "language": "en",
                "state": "registered",
                "offer_expires_at": None,
                "waitlist_place": None,
                "registered_by": None,
            },
            {
                "id": wanda.pk,
                "name": "Wanda Waiting",
                "phone": "+16125550144",
                "email": "",
                "language": "en",
                "state": "waitlisted",
                "offer_expires_at": None,
                "waitlist_place": 1,
                "registered_by": None,
            },
        ],
    }


def test_another_organizations_roster_is_not_found(client, outsider, past, theirs):
    session = past[0]

    response = client.get(f"/api/v1/classes/sessions/{session.pk}/roster", headers=bearer(outsider))
    missing = client.get("/api/v1/classes/sessions/999999/roster", headers=bearer(outsider))
    own = client.get(f"/api/v1/classes/sessions/{theirs.pk}/roster", headers=bearer(outsider))

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert [r["name"] for r in own.json()["registrations"]] == ["Hidden Person"]


def test_without_a_token_or_membership_the_roster_is_refused(client, no_membership, past):
    session = past[0]

    anonymous = client.get(f"/api/v1/classes/sessions/{session.pk}/roster")
    member_of_nothing = client.get(
        f"/api/v1/classes/sessions/{session.pk}/roster", headers=bearer(no_membership)
    )

    assert (anonymous.status_code, member_of_nothing.status_code) == (401, 401)


def test_the_roster_takes_the_same_number_of_queries_for_1_or_3_people(
    client, manager, workshop, central
):
    session = WorkshopSessionFactory(workshop=workshop, location=central)
    headers = bearer(manager)
    RegistrationFactory(session=session, registered_by=manager)
    path = f"/api/v1/classes/sessions/{session.pk}/roster"
    # The token's first use is noted once; count the calls after it.
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as one:
        assert client.get(path, headers=headers).status_code == 200
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, state="waitlisted", registered_by=manager)
    with CaptureQueriesContext(connection) as three:
        response = client.get(path, headers=headers)

    assert len(response.json()["registrations"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


# --- Attendance ------------------------------------------------------------------------------


def post_attendance(client, user, session, attended) -> object:
    return client.post(
        f"/api/v1/classes/sessions/{session.pk}/attendance",
        {"attended": attended},
        content_type="application/json",
        headers=bearer(user),
    )


def test_staff_mark_who_came(client, helper, past):
    session, _rosa, ben, _wanda = past

    response = post_attendance(client, helper, session, [ben.pk])

    assert response.status_code == 200
    body = response.json()
    assert (body["attended"], body["no_show"]) == (1, 1)
    assert [r["state"] for r in body["roster"]["registrations"]] == [
        "no_show",
        "attended",
        "waitlisted",
    ]
    assert states() == {
        "Rosa Martinez": "no_show",
        "Ben Okafor": "attended",
        "Wanda Waiting": "waitlisted",
    }
    assert attendance_entries() == [(helper.pk, {"attended": 1, "no_show": 1})]


def test_marking_again_corrects_it(client, manager, past):
    session, rosa, ben, _wanda = past
    post_attendance(client, manager, session, [ben.pk])

    response = post_attendance(client, manager, session, [rosa.pk, ben.pk])

    assert (response.json()["attended"], response.json()["no_show"]) == (2, 0)
    assert states()["Rosa Martinez"] == "attended"


@pytest.mark.parametrize(
    "attended",
    [
        "wanda",  # someone waiting, not registered
        "theirs",  # someone of another organization's session
        999999,  # no one at all
    ],
)
def test_marking_someone_not_on_the_roster_is_refused(client, manager, past, theirs, attended):
    session, _rosa, _ben, wanda = past
    ids = {"wanda": wanda.pk, "theirs": theirs.registrations.get().pk}
    before = states()

    response = post_attendance(client, manager, session, [ids.get(attended, attended)])

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid.",
        "errors": {"attended": ["Mark only people registered for this session."]},
    }
    assert states() == before
    assert attendance_entries() == []


@pytest.mark.parametrize("attended", [["one"], [0], [-1], "1", None])
def test_malformed_attendance_is_a_422(client, manager, past, attended):
    session = past[0]

    response = post_attendance(client, manager, session, attended)

    assert response.status_code == 422
    assert attendance_entries() == []


def test_attendance_before_the_start_is_a_409(client, manager, workshop, central):
    session = WorkshopSessionFactory(workshop=workshop, location=central)
    rosa = RegistrationFactory(session=session, name="Rosa Martinez")

    response = post_attendance(client, manager, session, [rosa.pk])

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Attendance can be taken once the session has started.", "errors": {}},
    )
    assert states() == {"Rosa Martinez": "registered"}


def test_attendance_for_another_organizations_session_is_not_found(client, outsider, past):
    session, rosa, _ben, _wanda = past
    before = states()

    response = post_attendance(client, outsider, session, [rosa.pk])

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert states() == before
