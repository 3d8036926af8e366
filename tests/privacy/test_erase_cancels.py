"""Erasing a person first ends what is still going on for them, through each app's own domain
function, audited as the privacy officer, with nothing sent to them: their class seat (given
to the next person waiting), their referral waiting for an answer (the receiving organization
is told), and every message to them not sent yet. The future appointment's slot is tested in
tests/scheduling/test_privacy.py."""

import pytest

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.privacy.domain import Lookup, erase_person, find_person
from jobhelp.referrals.enums import ReferralState
from jobhelp.referrals.models import Referral
from jobhelp.workshops.models import Registration
from tests.factories.workshops import RegistrationFactory
from tests.privacy.conftest import EMAIL, PHONE

pytestmark = pytest.mark.django_db

UNSENT = [MessageState.QUEUED, MessageState.SENDING]


def _erase(officer):
    return erase_person(officer, find_person(officer, Lookup(phone=PHONE)))


def test_her_class_seat_goes_to_the_next_person_waiting(rosa, privacy_officer):
    session = rosa.registration.session
    session.capacity = 1
    session.save()
    waiting = RegistrationFactory(
        session=session, name="Wes Waiting", phone="+17635550111", state="waitlisted"
    )

    _erase(privacy_officer)

    rosa.registration.refresh_from_db()
    waiting.refresh_from_db()
    assert rosa.registration.state == "cancelled"
    assert waiting.state == "offered"
    entry = AuditEntry.objects.get(action="jobhelp.registration.cancelled")
    assert (entry.actor, entry.data) == (privacy_officer, {"was": "registered", "erased": True})


def test_a_past_class_registration_is_left_as_it_was(rosa, privacy_officer):
    from datetime import timedelta

    from django.utils import timezone

    session = rosa.registration.session
    session.starts = timezone.now() - timedelta(days=1)
    session.ends = session.starts + timedelta(hours=1)
    session.save()

    _erase(privacy_officer)

    assert Registration.objects.get(pk=rosa.registration.pk).state == "registered"


def test_her_referral_waiting_for_an_answer_is_called_off_without_telling_her(
    rosa, privacy_officer
):
    Referral.objects.filter(pk=rosa.referral.pk).update(notify_patron=True)
    before = set(OutboundMessage.objects.values_list("pk", flat=True))

    _erase(privacy_officer)

    referral = Referral.objects.get(pk=rosa.referral.pk)
    assert referral.state == ReferralState.CANCELLED
    entry = AuditEntry.objects.get(action="jobhelp.referral.cancelled")
    assert (entry.actor, entry.data["erased"]) == (privacy_officer, True)
    new = OutboundMessage.objects.exclude(pk__in=before)
    # The receiving organization hears of it; Rosa does not.
    assert not new.filter(template="referral_patron_update").exists()
    assert not new.filter(to__in=[PHONE, EMAIL]).exists()


def test_an_answered_referral_is_left_in_its_state(rosa, privacy_officer):
    Referral.objects.filter(pk=rosa.referral.pk).update(state=ReferralState.ACCEPTED)

    _erase(privacy_officer)

    assert Referral.objects.get(pk=rosa.referral.pk).state == ReferralState.ACCEPTED


def test_no_message_to_her_is_left_waiting_to_be_sent(rosa, privacy_officer):
    ids = [rosa.email.pk, rosa.text.pk]
    assert set(OutboundMessage.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        MessageState.QUEUED
    }

    counts = _erase(privacy_officer)

    assert counts["notifications_messages_cancelled"] == 2
    assert not OutboundMessage.objects.filter(pk__in=ids, state__in=UNSENT).exists()
    # Nothing unsent anywhere still holds anything personal of hers, and nothing unsent was
    # written for her by the cancellations (the neighbour's test message, written with the
    # fixture's text, aside).
    unsent = OutboundMessage.objects.filter(state__in=UNSENT).exclude(pk=rosa.neighbour_message.pk)
    for message in unsent:
        for secret in (PHONE, EMAIL, "Rosa"):
            assert secret not in f"{message.to} {message.subject} {message.body}"
    entry = AuditEntry.objects.get(action="jobhelp.message.cancelled")
    assert (entry.actor, entry.data) == (privacy_officer, {"messages": 2})
    # The neighbour's message still goes out.
    rosa.neighbour_message.refresh_from_db()
    assert rosa.neighbour_message.state == MessageState.QUEUED


def test_a_second_erasure_cancels_nothing_more(rosa, privacy_officer):
    _erase(privacy_officer)
    audited = AuditEntry.objects.count()

    counts = _erase(privacy_officer)

    assert {k: v for k, v in counts.items() if k.endswith("_cancelled")} == {
        "scheduling_appointments_cancelled": 0,
        "workshops_registrations_cancelled": 0,
        "referrals_referrals_cancelled": 0,
        "notifications_messages_cancelled": 0,
    }
    # Only the erasure's own entry is new.
    assert AuditEntry.objects.count() == audited + 1
