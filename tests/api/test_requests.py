from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.accounts.models import ApiToken
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory

UNAUTHORIZED = {"detail": "Unauthorized"}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_key(front_desk):
    _token, key = create_api_token(front_desk, name="kiosk", by=front_desk)
    return key


@pytest.fixture
def requests_everywhere(library, branch, other_library):
    return {
        "AAA222": HelpRequestFactory(
            organization=library,
            reference="AAA222",
            state="new",
            language="en",
            channel="web",
            needs=["resume"],
        ),
        "BBB333": HelpRequestFactory(
            organization=branch,
            reference="BBB333",
            state="assigned",
            language="es",
            channel="phone",
            needs=["digital", "resume"],
        ),
        "CCC444": HelpRequestFactory(
            organization=other_library,
            reference="CCC444",
            state="new",
            language="es",
            channel="phone",
            needs=["resume"],
        ),
    }


def new_request_payload(**overrides) -> dict:
    payload = {
        "channel": "phone",
        "name": "Luis",
        "phone": "763-555-0188",
        "preferred_contact": "phone",
        "needs": ["applications", "interview"],
        "language": "es",
        "modality": "phone",
        "consent": True,
    }
    payload.update(overrides)
    return payload


# --- The schema --------------------------------------------------------------------------------


def test_openapi_schema_is_served_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"] == "3.1.0"
    # The triage paths are checked in test_triage.py.
    assert {"/api/v1/requests", "/api/v1/requests/{reference}"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"] == {
        "StaffToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "A staff API token, created on the staff 'API tokens' page.",
        }
    }


def test_interactive_docs_are_not_served(client, db):
    assert client.get("/api/v1/docs").status_code == 404


# --- Authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer jh_not-a-real-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_request_without_a_valid_token_is_401(client, requests_everywhere, headers):
    responses = [
        client.get("/api/v1/requests", headers=headers),
        client.get("/api/v1/requests/AAA222", headers=headers),
        client.post(
            "/api/v1/requests",
            new_request_payload(),
            content_type="application/json",
            headers=headers,
        ),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(401, UNAUTHORIZED)] * 3
    assert HelpRequest.objects.count() == 3


def test_revoked_token_is_401(client, front_desk, requests_everywhere):
    token, key = create_api_token(front_desk, name="kiosk", by=front_desk)
    assert client.get("/api/v1/requests", headers=bearer(key)).status_code == 200

    revoke_api_token(token, by=front_desk)
    response = client.get("/api/v1/requests", headers=bearer(key))

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_token_of_someone_without_membership_is_401(client, no_membership, requests_everywhere):
    _token, key = create_api_token(no_membership, name="script", by=no_membership)

    response = client.get("/api/v1/requests", headers=bearer(key))

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_token_of_a_deactivated_user_is_401(client, front_desk, api_key, requests_everywhere):
    front_desk.is_active = False
    front_desk.save()

    response = client.get("/api/v1/requests", headers=bearer(api_key))

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_using_a_token_records_when(client, api_key, requests_everywhere):
    client.get("/api/v1/requests", headers=bearer(api_key))

    assert ApiToken.objects.get().last_used_at is not None


# --- Reading -------------------------------------------------------------------------------------


def test_list_returns_only_the_callers_organizations(client, api_key, requests_everywhere):
    response = client.get("/api/v1/requests", headers=bearer(api_key))

    body = response.json()
    assert response.status_code == 200
    assert sorted(body) == ["count", "items"]
    assert body["count"] == 2
    assert sorted(item["reference"] for item in body["items"]) == ["AAA222", "BBB333"]


def test_outsider_lists_only_their_own(client, outsider, requests_everywhere):
    _token, key = create_api_token(outsider, name="script", by=outsider)

    body = client.get("/api/v1/requests", headers=bearer(key)).json()

    assert (body["count"], [i["reference"] for i in body["items"]]) == (1, ["CCC444"])


def test_list_item_has_every_field(client, api_key, library, central):
    help_request = HelpRequestFactory(
        organization=library,
        reference="4K7M9Q",
        name="Rosa",
        phone="+17635550123",
        email="rosa@example.com",
        preferred_contact="email",
        best_time="morning",
        voicemail_ok=True,
        language="es",
        preferred_location=central,
        modality="in_person",
        note="No computer at home.",
        channel="web",
        needs=["resume", "digital"],
    )

    body = client.get("/api/v1/requests", headers=bearer(api_key)).json()
    created_at = datetime.fromisoformat(body["items"][0].pop("created_at"))

    # JSON carries milliseconds (DjangoJSONEncoder); the database keeps microseconds.
    assert created_at == help_request.created_at.replace(
        microsecond=help_request.created_at.microsecond // 1000 * 1000
    )
    assert body == {
        "items": [
            {
                "reference": "4K7M9Q",
                "display_reference": "4K7-M9Q",
                "organization_id": library.pk,
                "state": "new",
                "channel": "web",
                "name": "Rosa",
                "phone": "+17635550123",
                "email": "rosa@example.com",
                "preferred_contact": "email",
                "best_time": "morning",
                "voicemail_ok": True,
                "needs": ["digital", "resume"],
                "language": "es",
                "preferred_location_id": central.pk,
                "modality": "in_person",
                "note": "No computer at home.",
            }
        ],
        "count": 1,
    }


def test_list_is_newest_first_and_paged_by_50(client, api_key, library):
    HelpRequestFactory.create_batch(51, organization=library)
    newest_first = list(
        HelpRequest.objects.order_by("-created_at", "-pk").values_list("reference", flat=True)
    )

    first = client.get("/api/v1/requests", headers=bearer(api_key)).json()
    second = client.get("/api/v1/requests?page=2", headers=bearer(api_key)).json()

    assert (first["count"], second["count"]) == (51, 51)
    assert [i["reference"] for i in first["items"] + second["items"]] == newest_first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AAA222", "BBB333"]),
        ("?state=new", ["AAA222"]),
        ("?state=assigned", ["BBB333"]),
        ("?state=closed", []),
        ("?need=resume", ["AAA222", "BBB333"]),
        ("?need=digital", ["BBB333"]),
        ("?language=es", ["BBB333"]),
        ("?channel=web", ["AAA222"]),
        ("?channel=phone", ["BBB333"]),
        ("?state=new&language=es", []),
    ],
)
def test_list_filters(client, api_key, requests_everywhere, query, expected):
    body = client.get(f"/api/v1/requests{query}", headers=bearer(api_key)).json()

    assert sorted(i["reference"] for i in body["items"]) == expected
    assert body["count"] == len(expected)


def test_list_filters_by_organization(client, api_key, branch, requests_everywhere):
    body = client.get(
        f"/api/v1/requests?organization_id={branch.pk}", headers=bearer(api_key)
    ).json()

    assert [i["reference"] for i in body["items"]] == ["BBB333"]


def test_organization_filter_cannot_reach_another_organization(
    client, api_key, other_library, requests_everywhere
):
    body = client.get(
        f"/api/v1/requests?organization_id={other_library.pk}", headers=bearer(api_key)
    ).json()

    assert body == {"items": [], "count": 0}


@pytest.mark.parametrize("query", ["state=lost", "organization_id=99999999999999999999"])
def test_unknown_filter_value_is_422(client, api_key, requests_everywhere, query):
    response = client.get(f"/api/v1/requests?{query}", headers=bearer(api_key))

    assert response.status_code == 422


def test_list_query_count_does_not_grow_with_the_requests(
    client, front_desk, api_key, library, central
):
    # Recording the token's use is written at most once a minute; keep it out of both counts.
    ApiToken.objects.update(last_used_at=timezone.now())
    HelpRequestFactory(organization=library, preferred_location=central, needs=["resume"])

    with CaptureQueriesContext(connection) as one:
        response = client.get("/api/v1/requests", headers=bearer(api_key))
    assert response.json()["count"] == 1

    for _ in range(2):
        HelpRequestFactory(
            organization=library,
            preferred_location=central,
            taken_by=front_desk,
            needs=["resume", "digital"],
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/api/v1/requests", headers=bearer(api_key))
    assert response.json()["count"] == 3

    assert len(three) == len(one)


@pytest.mark.parametrize("typed", ["BBB333", "bbb-333", "bbb333"])
def test_get_by_reference(client, api_key, requests_everywhere, typed):
    response = client.get(f"/api/v1/requests/{typed}", headers=bearer(api_key))

    assert response.status_code == 200
    assert (response.json()["reference"], response.json()["needs"]) == (
        "BBB333",
        ["digital", "resume"],
    )


@pytest.mark.parametrize("reference", ["CCC444", "ZZZ999"])
def test_get_another_organizations_request_is_404(client, api_key, requests_everywhere, reference):
    response = client.get(f"/api/v1/requests/{reference}", headers=bearer(api_key))

    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


# --- Creating ------------------------------------------------------------------------------------


def test_create_saves_the_request_taken_by_the_token_owner(client, front_desk, api_key, library):
    response = client.post(
        "/api/v1/requests",
        new_request_payload(),
        content_type="application/json",
        headers=bearer(api_key),
    )

    help_request = HelpRequest.objects.get()
    assert response.status_code == 201
    assert response.json()["reference"] == help_request.reference
    assert response.json()["needs"] == ["applications", "interview"]
    assert (
        help_request.organization,
        help_request.channel,
        help_request.taken_by,
        help_request.name,
        help_request.phone,
        help_request.email,
        help_request.language,
    ) == (library, "phone", front_desk, "Luis", "+17635550188", "", "es")
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor", "data")) == [
        ("jobhelp.api_token.created", front_desk.pk, {}),
        (
            "jobhelp.request.created",
            front_desk.pk,
            {"channel": "phone", "needs": ["applications", "interview"], "language": "es"},
        ),
    ]


def test_create_for_a_branch_names_the_organization(client, front_desk, api_key, branch):
    response = client.post(
        "/api/v1/requests",
        new_request_payload(organization_id=branch.pk, channel="walk_in"),
        content_type="application/json",
        headers=bearer(api_key),
    )

    assert response.status_code == 201
    help_request = HelpRequest.objects.get()
    assert (help_request.organization, help_request.channel) == (branch, "walk_in")


def test_create_needs_an_organization_from_someone_in_several(client, front_desk, api_key, branch):
    response = client.post(
        "/api/v1/requests",
        new_request_payload(),
        content_type="application/json",
        headers=bearer(api_key),
    )

    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": "The request is not valid.",
            "errors": {"organization": ["This field is required."]},
        },
    )
    assert HelpRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"phone": "555-201-3344"},
            {
                "phone": [
                    "That does not look like a working phone number. "
                    "Check the area code and digits."
                ]
            },
        ),
        (
            {"phone": "", "email": ""},
            {"phone": ["Give a phone number or an email address so we can reach you."]},
        ),
        (
            {"phone": "", "email": "luis@example.com", "preferred_contact": "text"},
            {
                "preferred_contact": [
                    "You chose text messages; please add a mobile phone number above, "
                    "or choose another way."
                ]
            },
        ),
        ({"name": "Luis\r\nBcc: x@example.com"}, {"name": ["Please keep this on one line."]}),
        (
            {"consent": False},
            {"consent": ["Please agree to the privacy notice so we can help you."]},
        ),
        ({"needs": []}, {"needs": ["Choose at least one thing you need help with."]}),
        (
            {"channel": "web"},
            {"channel": ["Select a valid choice. web is not one of the available choices."]},
        ),
    ],
)
def test_create_with_bad_input_is_422_and_saves_nothing(
    client, api_key, library, overrides, errors
):
    response = client.post(
        "/api/v1/requests",
        new_request_payload(**overrides),
        content_type="application/json",
        headers=bearer(api_key),
    )

    assert (response.status_code, response.json()) == (
        422,
        {"detail": "The request is not valid.", "errors": errors},
    )
    assert HelpRequest.objects.count() == 0
    assert AuditEntry.objects.filter(action="jobhelp.request.created").count() == 0


def test_create_for_another_organization_is_422(client, api_key, library, other_library):
    response = client.post(
        "/api/v1/requests",
        new_request_payload(organization_id=other_library.pk),
        content_type="application/json",
        headers=bearer(api_key),
    )

    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": "The request is not valid.",
            "errors": {
                "organization": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        },
    )
    assert HelpRequest.objects.count() == 0


def test_create_with_a_location_of_another_organization_is_422(
    client, api_key, library, other_library
):
    elsewhere = LocationFactory(organization=other_library)

    response = client.post(
        "/api/v1/requests",
        new_request_payload(preferred_location_id=elsewhere.pk),
        content_type="application/json",
        headers=bearer(api_key),
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "preferred_location": [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    }
    assert HelpRequest.objects.count() == 0
