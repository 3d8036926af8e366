"""The patron's consent page behind its secret link: what is shared, with whom and until when;
saying yes, and stopping. Opening it changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.enums import ConsentStatus
from jobhelp.referrals.sharing import shared_details
from tests.referrals.conftest import (  # noqa: F401 - fixtures
    agreement_fixture,
    referral_fixture,
    rosa_fixture,
    wioa_fixture,
)

pytestmark = pytest.mark.django_db


def consent(referral, helper, method="spoken"):
    return record_consent(
        referral,
        by=helper,
        fields=["name", "phone"],
        purpose="So the center can call you about training.",
        until=timezone.localdate() + timedelta(days=30),
        method=method,
    )


def test_the_page_says_what_is_shared_with_whom_until_when_and_changes_nothing(
    client, referral, helper
):
    recorded = consent(referral, helper)
    response = client.get(f"/referrals/consent/{recorded.token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "What you share with Riverbend WorkForce Center" in page
    assert "You agreed that Riverbend WorkForce Center may see these details until" in page
    assert "<li>Name</li>" in page and "<li>Phone number</li>" in page
    assert "So the center can call you about training." in page
    assert (response["Cache-Control"], response["X-Robots-Tag"]) == ("no-store", "noindex")
    assert response["Referrer-Policy"] == "strict-origin"
    recorded.consent.refresh_from_db()
    assert recorded.consent.status_at(timezone.now()) == ConsentStatus.GIVEN


def test_the_patron_stops_sharing(client, referral, helper):
    recorded = consent(referral, helper)
    response = client.post(f"/referrals/consent/{recorded.token}/withdraw/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Done: Riverbend WorkForce Center no longer sees your details." in page
    assert "You stopped sharing on" in page
    assert shared_details(referral, now=timezone.now()) is None


def test_a_consent_asked_through_the_link_is_confirmed_by_the_patron(client, referral, helper):
    recorded = consent(referral, helper, method="link")
    page = client.get(f"/referrals/consent/{recorded.token}/").content.decode()
    assert "Nothing is shared unless you say yes" in page
    assert "Yes, share these details" in page
    assert shared_details(referral, now=timezone.now()) is None
    response = client.post(f"/referrals/consent/{recorded.token}/confirm/")
    assert "Thank you. Your details are shared as shown below." in response.content.decode()
    assert shared_details(referral, now=timezone.now()).name == referral.request.name


def test_an_ended_consent_and_an_unknown_link(client, referral, helper):
    recorded = consent(referral, helper)
    recorded.consent.links.update(expires_at=timezone.now() - timedelta(seconds=1))
    ended = client.get(f"/referrals/consent/{recorded.token}/")
    assert (ended.status_code, "This consent has ended" in ended.content.decode()) == (410, True)
    unknown = client.get("/referrals/consent/not-a-real-link/")
    assert (unknown.status_code, "This link does not work" in unknown.content.decode()) == (
        404,
        True,
    )
    assert client.post("/referrals/consent/not-a-real-link/withdraw/").status_code == 404


def test_confirming_after_withdrawing_is_refused(client, referral, helper):
    recorded = consent(referral, helper, method="link")
    client.post(f"/referrals/consent/{recorded.token}/withdraw/")
    response = client.post(f"/referrals/consent/{recorded.token}/confirm/")
    assert response.status_code == 409
    assert "You withdrew this consent. Nothing is shared." in response.content.decode()
    assert shared_details(referral, now=timezone.now()) is None


def test_the_page_is_in_spanish(client, referral, helper):
    recorded = consent(referral, helper)
    page = client.get(
        f"/referrals/consent/{recorded.token}/", headers={"Accept-Language": "es"}
    ).content.decode()
    assert "Lo que comparte con Riverbend WorkForce Center" in page
