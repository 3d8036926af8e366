"""Races on a real database, in real threads: two people of the receiving partner accepting
the same referral at once, and two staff recording a consent for it at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.domain import accept_referral
from jobhelp.referrals.enums import EventKind, ReferralState
from jobhelp.referrals.errors import AlreadyMoved, ReferralError
from jobhelp.referrals.models import Consent, Referral
from tests.concurrency import at_once
from tests.referrals.conftest import refer

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_the_same_referral_at_once_one_wins_the_other_is_told(
    agreement, wioa, rosa, helper, partner_staff, liaison
):
    people = [partner_staff, liaison]
    for _round in range(ROUNDS):
        referral = refer(rosa, wioa, helper)

        def press(person, pk=referral.pk):
            # Each reads the referral as their page showed it: waiting for an answer.
            seen = Referral.objects.select_related(
                "service", "from_organization", "to_organization"
            ).get(pk=pk)
            return accept_referral(seen, by=person)

        results = at_once([lambda p=p: press(p) for p in people])

        winners = [r for r in results if isinstance(r, Referral)]
        losers = [r for r in results if not isinstance(r, Referral)]
        assert (len(winners), [type(r) for r in losers]) == (1, [AlreadyMoved])
        winner = winners[0].accepted_by
        assert losers[0].by == winner
        assert str(losers[0]) == (
            f"Someone else just changed this referral: {winner} made it “Accepted”."
        )
        stored = Referral.objects.get(pk=referral.pk)
        assert (stored.state, stored.accepted_by) == (ReferralState.ACCEPTED, winner)
        assert stored.events.filter(kind=EventKind.MOVED).count() == 1
        assert (
            AuditEntry.objects.filter(
                action="jobhelp.referral.accepted", object_id=str(referral.pk)
            ).count()
            == 1
        )


@pytest.mark.django_db(transaction=True)
def test_two_consents_recorded_at_once_make_one(agreement, wioa, rosa, helper, front_desk):
    referral = refer(rosa, wioa, helper)

    def record(person, fields):
        seen = Referral.objects.select_related(
            "service", "from_organization", "to_organization", "request"
        ).get(pk=referral.pk)
        return record_consent(
            seen,
            by=person,
            fields=fields,
            purpose="Contact",
            until=timezone.localdate() + timedelta(days=5),
            method="spoken",
        ).consent

    results = at_once([lambda: record(helper, ["name"]), lambda: record(front_desk, ["phone"])])

    made = [r for r in results if isinstance(r, Consent)]
    refused = [r for r in results if not isinstance(r, Consent)]
    assert (len(made), [type(r) for r in refused]) == (1, [ReferralError])
    assert Consent.objects.filter(referral=referral).count() == 1
