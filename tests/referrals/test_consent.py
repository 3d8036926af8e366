from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.core import links
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.referrals import domain
from jobhelp.referrals.consent import (
    Person,
    confirm_consent,
    open_consent,
    record_consent,
    withdraw_by_link,
    withdraw_consent,
)
from jobhelp.referrals.domain import ReferralDetails, send_referral
from jobhelp.referrals.enums import ConsentStatus, EventKind
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Consent
from jobhelp.referrals.sharing import shared_details
from tests.referrals.conftest import EMAIL, NAME, NOTE, PHONE

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def spoken(referral, by, fields=("name", "phone"), days=30, **kwargs):
    return record_consent(
        referral,
        by=by,
        fields=list(fields),
        purpose="So the center can call her about WIOA training.",
        until=today() + timedelta(days=days),
        method="spoken",
        **kwargs,
    )


def test_a_spoken_consent_shares_only_the_fields_chosen_with_the_receiving_partner(
    referral, helper
):
    recorded = spoken(referral, helper)
    shared = shared_details(referral, now=timezone.now())
    assert (shared.name, shared.phone, shared.email, shared.language, shared.notes) == (
        NAME,
        PHONE,
        "",
        "",
        "",
    )
    assert shared.fields == frozenset({"name", "phone"})
    consent = recorded.consent
    assert (consent.method, consent.recorded_by, consent.shared_with) == (
        "spoken",
        helper,
        referral.to_organization,
    )
    # Only what was chosen is copied at all.
    assert (consent.email, consent.notes, consent.needs) == ("", "", [])
    assert consent.last_day == today() + timedelta(days=30)
    assert referral.events.last().kind == EventKind.CONSENT_GIVEN
    assert AuditEntry.objects.get(action="jobhelp.referral_consent.recorded").data == {
        "consent": consent.pk,
        "fields": ["name", "phone"],
        "method": "spoken",
        "days": 31,
    }


def test_the_patron_gets_their_link_by_the_channel_of_their_request_in_their_language(
    referral, helper, rosa
):
    recorded = spoken(referral, helper)
    message = OutboundMessage.objects.get(template="referral_consent")
    assert (message.to, message.language) == (EMAIL, "es")
    assert recorded.url in message.body
    assert recorded.sent_by == "email"
    assert open_consent(recorded.token) == recorded.consent


def test_the_link_stores_only_a_hash(referral, helper):
    recorded = spoken(referral, helper)
    link = recorded.consent.links.get()
    assert recorded.token not in link.token_hash
    assert link.expires_at == recorded.consent.expires_at


def test_a_consent_asked_through_the_link_shares_nothing_until_the_patron_says_yes(
    referral, helper
):
    recorded = record_consent(
        referral,
        by=helper,
        fields=["name", "email"],
        purpose="Contact about the referral.",
        until=today() + timedelta(days=10),
        method="link",
    )
    assert recorded.consent.status_at(timezone.now()) == ConsentStatus.PENDING
    assert shared_details(referral, now=timezone.now()) is None
    confirmed = confirm_consent(recorded.token)
    assert confirmed.status_at(timezone.now()) == ConsentStatus.GIVEN
    assert shared_details(referral, now=timezone.now()).email == EMAIL
    # Saying yes twice changes nothing the second time.
    confirm_consent(recorded.token)
    assert AuditEntry.objects.filter(action="jobhelp.referral_consent.confirmed").count() == 1


def test_an_ended_consent_hides_the_details_at_once_and_its_link_says_so(referral, helper):
    recorded = spoken(referral, helper)
    after = recorded.consent.expires_at
    assert shared_details(referral, now=after - timedelta(seconds=1)).phone == PHONE
    assert shared_details(referral, now=after) is None
    with pytest.raises(links.LinkExpired):
        open_consent(recorded.token, now=after)


def test_staff_withdraw_at_the_patrons_word_and_the_copied_details_go(
    referral, helper, partner_staff, center_manager
):
    recorded = spoken(referral, helper)
    withdrawn = withdraw_consent(recorded.consent, by=partner_staff)
    assert withdrawn.status_at(timezone.now()) == ConsentStatus.WITHDRAWN
    assert (withdrawn.name, withdrawn.phone, withdrawn.withdrawn_via) == ("", "", "staff")
    assert shared_details(referral, now=timezone.now()) is None
    assert AuditEntry.objects.get(action="jobhelp.referral_consent.withdrawn").data == {
        "consent": withdrawn.pk,
        "via": "staff",
    }
    # Twice changes nothing.
    withdraw_consent(withdrawn, by=helper)
    assert referral.events.filter(kind=EventKind.CONSENT_WITHDRAWN).count() == 1


def test_the_patron_withdraws_through_their_link_and_both_sides_hear(
    referral, helper, center_manager
):
    recorded = spoken(referral, helper)
    withdraw_by_link(recorded.token)
    assert shared_details(referral, now=timezone.now()) is None
    told = OutboundMessage.objects.filter(template="referral_consent_changed").order_by("pk")
    assert [(m.to, m.subject) for m in told] == [
        (
            center_manager.email,
            f"Referral {referral.display_code}: the patron agreed to share details",
        ),
        (
            center_manager.email,
            f"Referral {referral.display_code}: the patron withdrew their consent",
        ),
        (helper.email, f"Referral {referral.display_code}: the patron withdrew their consent"),
    ]
    entry = AuditEntry.objects.get(action="jobhelp.referral_consent.withdrawn")
    assert (entry.actor, entry.data["via"]) == (None, "patron")


def test_staff_outside_both_partners_cannot_withdraw(referral, helper, outsider):
    recorded = spoken(referral, helper)
    with pytest.raises(ReferralError, match="Only staff of the two partners"):
        withdraw_consent(recorded.consent, by=outsider)


def test_a_consent_is_recorded_by_the_sending_side_only(referral, partner_staff):
    with pytest.raises(ReferralError, match="Only staff of Riverbend County Library"):
        spoken(referral, partner_staff)
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "days", "purpose", "message"),
    [
        ([], 30, "Contact", "Choose at least one detail"),
        (["ssn"], 30, "Contact", "Choose at least one detail"),
        (["name"], -1, "Contact", "A consent lasts from today up to 365 days"),
        (["name"], 366, "Contact", "A consent lasts from today up to 365 days"),
        (["name"], 30, "  ", "Say what the details are shared for"),
        (["name"], 30, "Call 763-555-0188", "Leave phone numbers"),
    ],
)
def test_bad_consents_are_refused_and_nothing_is_written(
    referral, helper, fields, days, purpose, message
):
    with pytest.raises(ReferralError, match=message):
        record_consent(
            referral,
            by=helper,
            fields=fields,
            purpose=purpose,
            until=today() + timedelta(days=days),
            method="spoken",
        )
    assert (
        Consent.objects.count(),
        OutboundMessage.objects.filter(template="referral_consent").count(),
    ) == (0, 0)


def test_a_detail_the_request_does_not_have_cannot_be_shared(referral, helper, rosa):
    rosa.email = ""
    rosa.save()
    referral.request.refresh_from_db()
    with pytest.raises(ReferralError, match="There is no email address to share"):
        spoken(referral, helper, fields=["name", "email"])


def test_one_consent_at_a_time_and_a_new_one_after_withdrawing(referral, helper):
    first = spoken(referral, helper)
    with pytest.raises(ReferralError, match="already has a consent"):
        spoken(referral, helper, fields=["name"])
    withdraw_consent(first.consent, by=helper)
    second = spoken(referral, helper, fields=["name", "phone", "email", "needs", "notes"])
    shared = shared_details(referral, now=timezone.now())
    assert (shared.consent_id, shared.email, shared.needs, shared.notes) == (
        second.consent.pk,
        EMAIL,
        ("coaching", "resume"),
        NOTE,
    )


def test_a_closed_referral_takes_no_consent(referral, helper):
    domain.cancel_referral(referral, by=helper)
    referral.refresh_from_db()
    with pytest.raises(ReferralError, match="This referral is closed"):
        spoken(referral, helper)


def test_a_walk_ins_details_are_typed_and_needs_and_notes_refused(
    agreement, wioa, library, front_desk, texting
):
    walk_in = send_referral(
        service=wioa,
        by=front_desk,
        from_organization=library,
        details=ReferralDetails(reason="program", need="coaching"),
    )
    with pytest.raises(ReferralError, match="Needs and notes come from a request"):
        spoken(walk_in, front_desk, fields=["name", "needs"])
    recorded = spoken(
        walk_in,
        front_desk,
        person=Person(name="Abdi", phone="+17635550199", language="so"),
        fields=["name", "phone", "language"],
        send_to_phone="+17635550199",
    )
    shared = shared_details(walk_in, now=timezone.now())
    assert (shared.name, shared.phone, shared.language) == ("Abdi", "+17635550199", "so")
    assert recorded.sent_by == "sms"
    assert [t.to for t in texting] == []  # queued, sent by the worker
    message = OutboundMessage.objects.get(template="referral_consent")
    assert (message.channel, message.to) == ("sms", "+17635550199")
