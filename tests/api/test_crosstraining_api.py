"""The cross-training API under /api/v1/partnerships/: the same rules as the pages, the card
number never given back, and the xAPI export."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from jobhelp.accounts.domain import create_api_token
from jobhelp.crosstraining.models import Card, CardLoan
from tests.factories.crosstraining import (
    CardFactory,
    TrainingFactory,
    TrainingRecordFactory,
    card_number,
)
from tests.factories.organizations import LocationFactory
from tests.factories.partnerships import PartnerFactory, PartnershipFactory

NUMBER = card_number(6161)


def api_as(user) -> Client:
    token = create_api_token(user, name="test", by=user)[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def partnership(library, center):
    partnership = PartnershipFactory()
    PartnerFactory(partnership=partnership, organization=library)
    PartnerFactory(partnership=partnership, organization=center)
    return partnership


def test_a_card_is_added_lent_refused_twice_and_returned_without_its_number(
    front_desk, partner_staff, liaison, library, partnership
):
    branch = LocationFactory(organization=library)
    api = api_as(front_desk)
    bad = api.post(
        "/api/v1/partnerships/cards",
        {"number": "12345", "branch_id": branch.pk},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["errors"]) == (
        422,
        {"number": ["A library card number has 14 digits."]},
    )
    assert Card.objects.count() == 0
    added = api.post(
        "/api/v1/partnerships/cards",
        {"number": NUMBER, "branch_id": branch.pk},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert NUMBER not in added.content.decode()
    card_id = added.json()["id"]
    lend = {"holder_id": partner_staff.pk, "issued_on": "2026-03-01", "expires_on": "2026-06-01"}
    lent = api.post(
        f"/api/v1/partnerships/cards/{card_id}/loans", lend, content_type="application/json"
    )
    assert (lent.status_code, lent.json()["current_loan"]["holder"]["id"]) == (
        201,
        partner_staff.pk,
    )
    again = api.post(
        f"/api/v1/partnerships/cards/{card_id}/loans",
        {**lend, "holder_id": liaison.pk},
        content_type="application/json",
    )
    assert again.status_code == 409
    loan = CardLoan.objects.get()
    back = api.post(f"/api/v1/partnerships/card-loans/{loan.pk}/return")
    assert (back.status_code, back.json()["current_loan"]) == (200, None)
    listing = api.get("/api/v1/partnerships/cards")
    assert listing.json()[0]["masked"] == f"•••• {NUMBER[-4:]}"
    assert NUMBER not in listing.content.decode()
    # Nobody else sees the holder.
    assert api_as(liaison).get("/api/v1/partnerships/cards").json() == []


def test_an_expiry_before_the_issue_is_a_422(front_desk, partner_staff, library, partnership):
    card = CardFactory(library=library)
    response = api_as(front_desk).post(
        f"/api/v1/partnerships/cards/{card.pk}/loans",
        {"holder_id": partner_staff.pk, "issued_on": "2026-03-10", "expires_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "expires_on": ["The expiry date must be after the issue date."]
    }
    assert CardLoan.objects.count() == 0


def test_records_export_as_xapi_statements(liaison, center, library, front_desk, settings):
    settings.PUBLIC_BASE_URL = "https://jobhelp.example"
    location = LocationFactory(organization=center)
    training = TrainingFactory(
        organization=center,
        trainer=liaison,
        location=location,
        audience=[library],
        starts_at=datetime(2026, 3, 3, 16, tzinfo=ZoneInfo("UTC")),
    )
    record = TrainingRecordFactory(
        person=front_desk, training=training, attested_by=None, title_es="Orientación"
    )
    [statement] = api_as(front_desk).get("/api/v1/partnerships/training-records/xapi").json()
    assert {k: v for k, v in statement.items() if k != "id"} == {
        "actor": {
            "objectType": "Agent",
            "name": str(front_desk),
            "account": {"homePage": "https://jobhelp.example", "name": str(front_desk.pk)},
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {
            "objectType": "Activity",
            "id": f"https://jobhelp.example/xapi/activities/training/{training.pk}",
            "definition": {
                "name": {"en-US": "Job-center orientation", "es": "Orientación"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "result": {"completion": True, "success": True},
        "timestamp": "2026-03-03T16:00:00Z",
    }
    assert record.pk
    assert api_as(liaison).get("/api/v1/partnerships/training-records/xapi").json() == []
