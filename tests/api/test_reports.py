import pytest

from jobhelp.accounts.domain import create_api_token
from jobhelp.reports.suppression import SUPPRESSED
from tests.reports.conftest import (  # noqa: F401 - fixtures
    COMMENT,
    PRIVATE_NOTE,
    branch_manager_fixture,
    november_fixture,
    other_manager_fixture,
)

SUMMARY = "/api/v1/reports/summary"
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def get(client, user, params=None):
    _token, key = create_api_token(user, name="reports", by=user)
    return client.get(SUMMARY, params or {}, headers={"Authorization": f"Bearer {key}"})


def table(body, key) -> dict:
    found = next(t for t in body["tables"] if t["key"] == key)
    return {row["key"]: row["values"] for row in found["rows"]}


def test_the_operation_is_in_the_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert "get" in schema["paths"][SUMMARY]


def test_without_a_token_is_401(client, november):
    assert client.get(SUMMARY).status_code == 401


@pytest.mark.parametrize("persona", ["front_desk", "helper", "outsider"])
def test_staff_who_manage_nothing_are_refused(client, request, november, persona):
    response = get(client, request.getfixturevalue(persona), NOVEMBER)

    assert response.status_code == 403
    assert response.json() == {"detail": "Only managers can read reports.", "errors": {}}


def test_a_manager_reads_the_known_month_with_small_cells_hidden(
    client, manager, library, branch, november
):
    response = get(client, manager, NOVEMBER)

    body = response.json()
    assert response.status_code == 200
    assert (body["start"], body["end"], body["time_zone"]) == (
        "2026-11-01",
        "2026-11-30",
        "America/Chicago",
    )
    assert body["organizations"] == [
        {"id": library.pk, "name": "Riverbend County Library"},
        {"id": branch.pk, "name": "Northtown Library"},
    ]
    assert [t["key"] for t in body["tables"]] == [
        "requests",
        "organizations",
        "first_contact",
        "resolution",
        "appointments",
        "sessions",
        "helpers",
        "outcomes",
        "feedback",
        "referrals",
        "classes",
        "referrals_sent",
        "referrals_received",
        "referrals_services",
        "referrals_outcomes",
        "referrals_response",
        "computers",
    ]
    assert table(body, "classes") == {
        str(november.workshop.pk): {
            # How many times the class met is about the class: shown as it is.
            "sessions": 1,
            "registered": 6,
            "attended": 5,
            "rate": 83.3,
        }
    }
    assert table(body, "requests") == {
        "web": {"requests": 7},
        "phone": {"requests": "<5"},
        "email": {"requests": SUPPRESSED},
        "walk_in": {"requests": 0},
        "referral": {"requests": 0},
        "total": {"requests": 14},
    }
    assert table(body, "first_contact") == {
        "median": {"value": 3.0},
        "p90": {"value": 7.6},
        "count": {"value": 5},
    }
    assert table(body, "feedback") == {
        "asked": {"value": 6},
        "answered": {"value": 5},
        "response_rate": {"value": 83.3},
        "would_recommend": {"value": SUPPRESSED},
        "helpful": {"value": 4.2},
    }
    assert table(body, "helpers") == {
        str(november.ana.pk): {"sessions": 5, "minutes": 180},
        str(november.bo.pk): {"sessions": 1, "minutes": 20},
    }


def test_nothing_to_measure_is_null(client, branch_manager, november):
    body = get(client, branch_manager, NOVEMBER).json()

    assert table(body, "first_contact") == {
        "median": {"value": None},
        "p90": {"value": None},
        "count": {"value": 0},
    }


def test_filters_apply(client, manager, branch, november):
    body = get(client, manager, {**NOVEMBER, "organization_id": branch.pk, "channel": "web"}).json()

    assert [o["id"] for o in body["organizations"]] == [branch.pk]
    assert table(body, "requests")["total"] == {"requests": SUPPRESSED}
    assert table(body, "requests")["phone"] == {"requests": 0}


def test_another_librarys_manager_reads_only_theirs(client, other_manager, november):
    body = get(client, other_manager, NOVEMBER).json()

    assert [o["name"] for o in body["organizations"]] == ["Elsewhere Library"]
    assert table(body, "requests")["web"] == {"requests": 6}


@pytest.mark.parametrize("field", ["organization_id", "helper_id"])
def test_naming_what_one_does_not_manage_is_404(client, other_manager, library, november, field):
    value = library.pk if field == "organization_id" else november.ana.pk

    response = get(client, other_manager, {**NOVEMBER, field: value})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"start": "2026-11-30", "end": "2026-11-01"},
            {"end": ["The end date must be on or after the start date."]},
        ),
        (
            {"start": "1990-01-01", "end": "1990-02-01"},
            {"start": ["Reports begin on 1 January 2000. Choose a later date."]},
        ),
        (
            {"start": "2001-01-01", "end": "2026-01-01"},
            {"end": ["A report covers at most five years. Choose a shorter range."]},
        ),
    ],
)
def test_bad_dates_are_422_with_the_forms_message(client, manager, november, params, errors):
    response = get(client, manager, params)

    assert response.status_code == 422
    assert response.json() == {"detail": "The request is not valid.", "errors": errors}


@pytest.mark.parametrize(
    "params", [{"start": "2026-02-30"}, {"need": "dancing"}, {"organization_id": "abc"}]
)
def test_malformed_filters_are_422(client, manager, november, params):
    assert get(client, manager, params).status_code == 422


def test_private_notes_and_comments_never_appear(client, manager, november):
    response = get(client, manager, NOVEMBER)

    assert response.status_code == 200
    assert PRIVATE_NOTE not in response.content.decode()
    assert COMMENT not in response.content.decode()
