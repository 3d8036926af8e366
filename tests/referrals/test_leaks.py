"""A referral without the patron's consent never shows her contact details to the receiving
partner anywhere: its pages, its queue and search, the CSV, the API, the messages, the webhook
body, or a request opened from it. A consent that ends or is withdrawn hides them on the very
next read. The patron's record has details that could leak (tests/referrals/conftest.py): each
test first shows what the partner does see, so that an empty answer cannot pass by accident.
Run on SQLite and on PostgreSQL (scripts/with-postgres.sh)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from jobhelp.referrals import domain
from jobhelp.referrals.consent import record_consent, withdraw_by_link, withdraw_consent
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Consent
from jobhelp.referrals.webhooks import deliver_due
from tests.referrals.conftest import (
    EMAIL,
    NAME,
    PHONE,
    PHONE_DIGITS,
    contains_any,
)

pytestmark = pytest.mark.django_db


def spoken(referral, by, fields=("name", "phone")):
    return record_consent(
        referral,
        by=by,
        fields=list(fields),
        purpose="So the center can call her.",
        until=timezone.localdate() + timedelta(days=30),
        method="spoken",
    )


class Receiver:
    """Everything the receiving partner's staff can read of the referral, as text."""

    def __init__(self, user, referral):
        self.referral = referral
        self.client = Client()
        self.client.force_login(user)
        _token, key = create_api_token(user, name="leaks", by=user)
        self.api = {"Authorization": f"Bearer {key}"}

    def get(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, path
        return response.content.decode()

    def api_get(self, path: str) -> dict:
        response = Client().get(path, headers=self.api)
        assert response.status_code == 200, path
        return response.json()

    def everywhere(self) -> dict[str, str]:
        code = self.referral.code
        return {
            "page": self.get(f"/staff/referrals/{code}/"),
            "queue": self.get("/staff/referrals/"),
            "csv": self.get("/staff/referrals/received.csv"),
            "api list": json.dumps(self.api_get("/api/v1/referrals")),
            "api detail": json.dumps(self.api_get(f"/api/v1/referrals/{code}")),
        }

    def search(self, text: str) -> str:
        return self.get(f"/staff/referrals/?q={text}")


def leaks(texts: dict[str, str]) -> dict[str, list[str]]:
    return {where: found for where, text in texts.items() if (found := contains_any(text))}


def messages_to_the_partner() -> str:
    patron = {EMAIL, PHONE}
    return "\n".join(
        m.subject + "\n" + m.body for m in OutboundMessage.objects.exclude(to__in=patron)
    )


def test_without_consent_the_partner_sees_the_referral_and_nothing_of_the_person(
    center_manager, referral, partner_staff
):
    receiver = Receiver(partner_staff, referral)
    texts = receiver.everywhere()
    # The partner does see the referral in each place...
    assert {
        where: referral.display_code in text or referral.code in text
        for where, text in texts.items()
    } == dict.fromkeys(texts, True)
    assert "WIOA career services" in texts["page"]
    # ...and nothing of Rosa.
    assert leaks(texts) == {}
    assert json.loads(texts["api detail"])["patron"] is None
    assert messages_to_the_partner() != ""
    assert contains_any(messages_to_the_partner()) == []


def test_searching_for_the_person_finds_nothing_without_consent(referral, partner_staff):
    receiver = Receiver(partner_staff, referral)
    assert f"referral-{referral.code}" in receiver.search(referral.display_code)
    for text in (NAME, "Leakwell", PHONE_DIGITS, "763-555-0188"):
        assert f"referral-{referral.code}" not in receiver.search(text), text


def test_with_consent_the_partner_finds_and_sees_only_what_was_agreed(
    referral, helper, partner_staff
):
    spoken(referral, helper)
    receiver = Receiver(partner_staff, referral)
    texts = receiver.everywhere()
    assert {where: NAME in text for where, text in texts.items()} == dict.fromkeys(texts, True)
    assert "(763) 555-0188" in texts["page"]
    # Not the email address, nor her note: she did not agree to those.
    assert {
        where: contains_any(text, (EMAIL, "Lupita", "Anoka plant")) for where, text in texts.items()
    } == {where: [] for where in texts}
    assert json.loads(texts["api detail"])["patron"] == {
        "name": NAME,
        "phone": PHONE,
        "email": None,
        "language": None,
        "needs": None,
        "notes": None,
    }
    assert f"referral-{referral.code}" in receiver.search("Leakwell")
    assert f"referral-{referral.code}" in receiver.search(PHONE_DIGITS)


@pytest.mark.parametrize("how", ["ended", "withdrawn by staff", "withdrawn by the patron"])
def test_a_consent_that_ends_or_is_withdrawn_hides_the_details_on_the_next_read(
    referral, helper, partner_staff, how
):
    recorded = spoken(referral, helper)
    receiver = Receiver(partner_staff, referral)
    assert NAME in receiver.get(f"/staff/referrals/{referral.code}/")
    if how == "ended":
        # No job runs in between: the moment passing is enough.
        Consent.objects.filter(pk=recorded.consent.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif how == "withdrawn by staff":
        withdraw_consent(recorded.consent, by=helper)
    else:
        withdraw_by_link(recorded.token)
    texts = receiver.everywhere()
    assert leaks(texts) == {}
    assert f"referral-{referral.code}" not in receiver.search("Leakwell")


def test_the_webhook_body_carries_the_person_only_with_a_live_consent(
    referral, helper, center_webhook, webhook_server
):
    spoken(referral, helper)
    # Withdrawn after the event was queued and before it was sent: the body respects it.
    withdraw_consent(referral.consents.get(), by=helper)
    assert deliver_due(now=timezone.now()) == {"delivered": 2, "retrying": 0, "failed": 0}
    bodies = [r["body"].decode() for r in webhook_server.received]
    assert [json.loads(b)["event"] for b in bodies] == [
        "referral.consent_changed",
        "referral.consent_changed",
    ]
    assert [contains_any(b) for b in bodies] == [[], []]
    assert [json.loads(b)["referral"]["patron"] for b in bodies] == [None, None]


def test_the_webhook_carries_what_a_live_consent_shares(
    agreement, wioa, rosa, helper, center_webhook, webhook_server
):
    from tests.referrals.conftest import refer

    referral = refer(rosa, wioa, helper)
    deliver_due(now=timezone.now())
    spoken(referral, helper)
    deliver_due(now=timezone.now())
    first, second = (json.loads(r["body"]) for r in webhook_server.received)
    assert (first["event"], first["referral"]["patron"]) == ("referral.created", None)
    assert contains_any(json.dumps(first)) == []
    assert second["event"] == "referral.consent_changed"
    assert (second["referral"]["patron"]["name"], second["referral"]["patron"]["email"]) == (
        NAME,
        None,
    )


def test_no_request_is_opened_at_the_partner_without_a_consent_to_share_contact(
    referral, helper, partner_staff
):
    with pytest.raises(ReferralError, match="needs the patron's consent to share a phone"):
        domain.accept_referral(referral, by=partner_staff, open_request=True)
    assert HelpRequest.objects.filter(organization=referral.to_organization).count() == 0
    referral.refresh_from_db()
    assert referral.state == "requested"
    spoken(referral, helper, fields=["name"])
    with pytest.raises(ReferralError, match="needs the patron's consent to share a phone"):
        domain.accept_referral(referral, by=partner_staff, open_request=True)


def test_the_request_opened_at_the_partner_holds_only_the_consented_details(
    referral, helper, partner_staff
):
    spoken(referral, helper, fields=["name", "phone"])
    accepted = domain.accept_referral(referral, by=partner_staff, open_request=True)
    opened = accepted.receiving_request
    assert (opened.organization, opened.name, opened.phone, opened.email, opened.language) == (
        referral.to_organization,
        NAME,
        PHONE,
        "",
        "en",
    )
    assert (opened.channel, opened.taken_by) == ("referral", partner_staff)
    assert sorted(n.need for n in opened.needs.all()) == ["coaching"]
    assert contains_any(opened.note, (EMAIL, "Lupita", "Anoka plant")) == []
    assert referral.display_code in opened.note
    # Linked both ways.
    assert opened.referral_received == accepted
    with pytest.raises(ReferralError, match="already opened"):
        domain.open_receiving_request(accepted, by=partner_staff)
