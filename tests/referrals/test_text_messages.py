"""Every referral text fits 320 characters in English and Spanish, with the demo county's real
names and a real link (docs/conventions/messaging.md, "Text messages")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.notifications.models import OutboundMessage
from jobhelp.referrals import domain
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.enums import ConsentMethod
from tests.factories.intake import HelpRequestFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

LIMIT = 320


@pytest.fixture
def long_names(library, center):
    library.name = "Riverbend County Library System"
    library.save()
    center.name = "Riverbend County WorkForce Center"
    center.save()


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_referral_text_fits(
    long_names, agreement, wioa, library, helper, partner_staff, texting, language
):
    texter = HelpRequestFactory(
        organization=library,
        email="",
        phone="+17635550177",
        preferred_contact="text",
        language=language,
    )
    made = []
    for state in ("accepted", "declined", "completed", "cancelled", "expired"):
        referral = refer(texter, wioa, helper, notify_patron=True)
        if state == "accepted":
            domain.accept_referral(referral, by=partner_staff)
        elif state == "declined":
            domain.decline_referral(referral, by=partner_staff, reason="no_capacity")
        elif state == "completed":
            referral = domain.accept_referral(referral, by=partner_staff)
            domain.complete_referral(referral, by=partner_staff, outcome="got_help")
        elif state == "cancelled":
            domain.cancel_referral(referral, by=helper)
        else:
            domain.expire_referrals(now=referral.expires_at)
        made.append(referral)
    slip = made[0]
    domain.send_slip(slip, by=helper)
    domain.send_slip(slip, by=helper, phone="+17635550166")
    for method in ConsentMethod.values:
        referral = refer(texter, wioa, helper)
        record_consent(
            referral,
            by=helper,
            fields=["name", "phone"],
            purpose="Contact",
            until=timezone.localdate() + timedelta(days=30),
            method=method,
        )
    texts = OutboundMessage.objects.filter(channel="sms")
    assert sorted(set(texts.values_list("template", flat=True))) == [
        "referral_consent",
        "referral_patron_update",
        "referral_slip",
    ]
    # Five ends (the completed one was accepted first), two slips, two consents.
    assert texts.count() == 6 + 2 + 2
    assert set(texts.values_list("language", flat=True)) == {language}
    too_long = [(t.template, len(t.body), t.body) for t in texts if len(t.body) > LIMIT]
    assert too_long == []


def test_the_slip_text_names_the_code_the_address_the_hours_and_the_phone(
    agreement, wioa, rosa, helper, texting
):
    referral = refer(rosa, wioa, helper)
    domain.send_slip(referral, by=helper, phone="+17635550166")
    text = OutboundMessage.objects.get(template="referral_slip").body
    # In Rosa's Spanish; each fact on its line.
    assert text.splitlines() == [
        "Riverbend County Library: le derivamos a WIOA career services, Riverbend WorkForce "
        "Center.",
        f"Código: {referral.display_code}",
        "1201 89th Ave NE, Blaine, MN 55434",
        "lun–vie 08:00–16:30",
        "Teléfono: 763-555-0150",
    ]
