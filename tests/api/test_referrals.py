"""Referrals through the API, by token: the same forms, domain functions and rules as the
staff pages; the person only as a live consent shares them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.referrals.models import Referral
from tests.factories.directory import ServiceFactory
from tests.referrals.conftest import (  # noqa: F401 - fixtures
    NAME,
    PHONE,
    agreement_fixture,
    contains_any,
    referral_fixture,
    rosa_fixture,
    wioa_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def call(user):
        _token, key = create_api_token(user, name="api", by=user)
        headers = {"Authorization": f"Bearer {key}"}

        class Caller:
            def get(self, path):
                return client.get(path, headers=headers)

            def post(self, path, data=None):
                return client.post(
                    path, data or {}, content_type="application/json", headers=headers
                )

        return Caller()

    return call


def test_the_partner_reads_its_queue_and_the_sender_what_it_sent(
    as_user, referral, helper, partner_staff
):
    received = as_user(partner_staff).get("/api/v1/referrals").json()
    assert [
        (r["code"], r["side"], r["patron"], r["request_reference"]) for r in received["items"]
    ] == [(referral.code, "receiver", None, None)]
    sent = as_user(helper).get("/api/v1/referrals?direction=sent").json()
    assert [(r["code"], r["side"], r["request_reference"]) for r in sent["items"]] == [
        (referral.code, "sender", referral.request.reference)
    ]
    assert as_user(helper).get("/api/v1/referrals").json()["items"] == []
    assert contains_any(str(received)) == []


def test_another_organizations_referral_is_not_found(as_user, referral, outsider):
    assert as_user(outsider).get(f"/api/v1/referrals/{referral.code}").status_code == 404
    assert as_user(outsider).post(f"/api/v1/referrals/{referral.code}/accept").status_code == 404


def test_a_referral_is_sent_with_the_services_public_id(as_user, agreement, wioa, rosa, helper):
    response = as_user(helper).post(
        "/api/v1/referrals",
        {
            "service_id": str(wioa.uuid),
            "request_reference": rosa.reference,
            "reason": "program",
            "need": "coaching",
        },
    )
    assert response.status_code == 201
    body = response.json()
    referral = Referral.objects.get()
    assert (body["code"], body["state"], body["fhir_status"], body["side"]) == (
        referral.code,
        "requested",
        "requested",
        "sender",
    )
    assert referral.language == "es"


def test_a_service_outside_the_agreements_is_refused(
    as_user, agreement, rosa, helper, other_library
):
    elsewhere = ServiceFactory(organization=other_library)
    response = as_user(helper).post(
        "/api/v1/referrals",
        {
            "service_id": str(elsewhere.uuid),
            "request_reference": rosa.reference,
            "reason": "program",
            "need": "coaching",
        },
    )
    # Not among the partners' services the form offers: the same answer as the page's.
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "service": ["Choose a service from the list of your partners' services."]
    }
    assert Referral.objects.count() == 0


def test_bad_input_is_a_422_with_the_forms_messages(as_user, agreement, wioa, rosa, helper):
    response = as_user(helper).post(
        "/api/v1/referrals",
        {
            "service_id": str(wioa.uuid),
            "request_reference": rosa.reference,
            "reason": "program",
            "need": "coaching",
            "note": "Her email is rosa@example.org",
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["note"]


def test_accept_decline_and_complete(as_user, referral, partner_staff, helper):
    partner = as_user(partner_staff)
    code = referral.code
    refused = partner.post(f"/api/v1/referrals/{code}/decline", {})
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        {"reason": ["Say why you decline the referral."]},
    )
    assert as_user(helper).post(f"/api/v1/referrals/{code}/accept").status_code == 409
    accepted = partner.post(f"/api/v1/referrals/{code}/accept", {"note": "Calling her."})
    assert (accepted.status_code, accepted.json()["state"]) == (200, "accepted")
    again = partner.post(f"/api/v1/referrals/{code}/accept")
    assert again.status_code == 409
    assert "Someone else just changed this referral" in again.json()["detail"]
    no_outcome = partner.post(f"/api/v1/referrals/{code}/transition", {"action": "complete"})
    assert no_outcome.status_code == 422
    done = partner.post(
        f"/api/v1/referrals/{code}/transition", {"action": "complete", "outcome": "got_help"}
    )
    assert (done.json()["state"], done.json()["outcome"], done.json()["fhir_status"]) == (
        "completed",
        "got_help",
        "completed",
    )


def test_consent_through_the_api_shows_the_details_and_withdrawing_hides_them(
    as_user, referral, helper, partner_staff
):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    recorded = as_user(helper).post(
        f"/api/v1/referrals/{referral.code}/consent",
        {
            "fields": ["name", "phone"],
            "purpose": "Contact",
            "until": until,
            "method": "spoken",
            "attest": True,
        },
    )
    assert recorded.status_code == 201
    assert "/referrals/consent/" in recorded.json()["link"]
    partner = as_user(partner_staff)
    seen = partner.get(f"/api/v1/referrals/{referral.code}").json()
    assert (seen["patron"]["name"], seen["patron"]["phone"], seen["patron"]["email"]) == (
        NAME,
        PHONE,
        None,
    )
    assert seen["consent"]["fields"] == ["name", "phone"]
    withdrawn = partner.post(f"/api/v1/referrals/{referral.code}/consent/withdraw")
    assert (withdrawn.status_code, withdrawn.json()["patron"]) == (200, None)
    assert partner.post(f"/api/v1/referrals/{referral.code}/consent/withdraw").status_code == 409
    assert contains_any(str(partner.get(f"/api/v1/referrals/{referral.code}").json())) == []


def test_the_receiving_side_cannot_record_a_consent(as_user, referral, partner_staff):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = as_user(partner_staff).post(
        f"/api/v1/referrals/{referral.code}/consent",
        {
            "fields": ["name"],
            "purpose": "Contact",
            "until": until,
            "method": "spoken",
            "attest": True,
        },
    )
    assert response.status_code == 404


def test_the_erasures_decline_reason_cannot_be_given_through_the_api(
    as_user, referral, partner_staff
):
    response = as_user(partner_staff).post(
        f"/api/v1/referrals/{referral.code}/decline", {"reason": "person_erased"}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reason"]
    referral.refresh_from_db()
    assert referral.state == "requested"
