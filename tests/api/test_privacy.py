"""A person's data through the API (/api/v1/privacy/...): token holders with a privacy role
only, the staff pages' rules and audit, bad input refused with nothing written, another
organization's records never found, nothing identifying in an address, never stored."""

import json

import pytest

from jobhelp.accounts.domain import create_api_token
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.enums import AppointmentState
from tests.privacy.conftest import EMAIL, NAME, PHONE, rosa  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

FIND, EXPORT, ERASE = "/api/v1/privacy/find", "/api/v1/privacy/export", "/api/v1/privacy/erase"


def post(client, user, path, body):
    _token, key = create_api_token(user, name="privacy", by=user)
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def test_the_operations_are_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"post"} == set(paths[FIND]) == set(paths[EXPORT]) == set(paths[ERASE])


@pytest.mark.parametrize("path", [FIND, EXPORT, ERASE])
def test_without_a_token_is_401(client, rosa, path):  # noqa: F811
    assert client.post(path, "{}", content_type="application/json").status_code == 401


@pytest.mark.parametrize("persona", ["front_desk", "helper", "manager", "outsider"])
@pytest.mark.parametrize("path", [FIND, EXPORT, ERASE])
def test_without_a_privacy_role_is_403_and_nothing_happens(client, request, rosa, persona, path):  # noqa: F811
    response = post(client, request.getfixturevalue(persona), path, {"q": PHONE, "confirm": True})

    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == NAME
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.person.").exists()


def test_finding_by_phone_gives_every_record_of_her_organizations_only(
    client,
    rosa,  # noqa: F811
    privacy_officer,
):
    response = post(client, privacy_officer, FIND, {"q": "(763) 555-0188"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["identifiers"] == {"phones": [PHONE], "emails": [EMAIL]}
    sections = {s["name"]: s["records"] for s in body["sections"]}
    references = [r["reference"] for r in sections["intake.requests"]]
    assert sorted(references) == sorted(["ROSA22", rosa.branch_request.reference])
    assert rosa.elsewhere.reference not in response.content.decode()
    assert "Elsewhere's own" not in response.content.decode()


def test_export_is_the_json_document_and_is_audited(client, rosa, privacy_officer):  # noqa: F811
    response = post(client, privacy_officer, EXPORT, {"q": "ROSA22"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["identifiers"] == {"phones": [PHONE], "emails": [EMAIL]}
    assert len(document["records"]["intake.requests"]) == 2
    entry = AuditEntry.objects.get(action="jobhelp.person.exported")
    assert (entry.actor, entry.data["intake_requests"]) == (privacy_officer, 2)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (FIND, {"q": "not a code, a phone or an email"}, "q"),
        (EXPORT, {"q": "x@"}, "q"),
        (ERASE, {"q": PHONE}, "confirm"),
        (ERASE, {"q": PHONE, "confirm": False}, "confirm"),
        (ERASE, {"q": "", "confirm": True}, "q"),
    ],
)
def test_bad_input_is_a_422_with_the_field_and_nothing_written(
    client,
    rosa,  # noqa: F811
    privacy_officer,
    path,
    body,
    field,
):
    response = post(client, privacy_officer, path, body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == NAME
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.person.").exists()


def test_malformed_json_is_refused_and_nothing_written(client, rosa, privacy_officer):  # noqa: F811
    _token, key = create_api_token(privacy_officer, name="privacy", by=privacy_officer)
    response = client.post(
        ERASE,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code in (400, 422)
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == NAME


def test_erasing_cancels_then_erases_and_is_audited(client, rosa, privacy_officer):  # noqa: F811
    response = post(client, privacy_officer, ERASE, {"q": EMAIL, "confirm": True})

    assert response.status_code == 200
    body = response.json()
    assert body["erased"]["intake_requests"] == 2
    assert body["cancelled"] == {
        "scheduling_appointments": 1,
        "workshops_registrations": 1,
        "referrals_referrals": 1,
        "notifications_messages": 2,
    }
    request = HelpRequest.objects.get(pk=rosa.request.pk)
    assert (request.name, request.phone, request.email) == ("", "", "")
    rosa.appointment.refresh_from_db()
    assert rosa.appointment.state == AppointmentState.CANCELLED
    entry = AuditEntry.objects.get(action="jobhelp.person.erased")
    assert entry.actor == privacy_officer
    assert PHONE not in json.dumps(entry.data)
    # Another organization's request with her phone number is untouched.
    assert HelpRequest.objects.get(pk=rosa.elsewhere.pk).name == NAME


@pytest.mark.parametrize("path", [FIND, EXPORT, ERASE])
def test_a_get_changes_nothing(client, rosa, privacy_officer, path):  # noqa: F811
    _token, key = create_api_token(privacy_officer, name="privacy", by=privacy_officer)

    response = client.get(path, {"q": PHONE}, headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 405
    assert HelpRequest.objects.get(pk=rosa.request.pk).name == NAME
