"""Races on a real database, in real threads: two managers marking the same occurrence kept at
the same moment, the last two parties signing at once, and two runners sending the renewal
reminders at once."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.agreements import record_signature, send_renewal_reminders
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.errors import AlreadyDone
from jobhelp.partnerships.models import Agreement, Occurrence, Party
from jobhelp.partnerships.obligations import mark_occurrence_done
from tests.concurrency import at_once
from tests.factories.partnerships import OccurrenceFactory

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_two_managers_marking_the_same_occurrence_done_make_one_record(
    agreement, obligations, center_manager, manager
):
    people = [center_manager, manager]
    for round_ in range(ROUNDS):
        occurrence = OccurrenceFactory(
            obligation=obligations.tours, due_on=date(2020, 1, 1 + round_)
        )

        def press(person, pk=occurrence.pk):
            # Each reads the occurrence as their page showed it: not done.
            seen = Occurrence.objects.select_related("obligation__agreement").get(pk=pk)
            return mark_occurrence_done(seen, by=person, note=f"Done by {person.first_name}.")

        results = at_once([lambda p=p: press(p) for p in people])

        winners = [r for r in results if isinstance(r, Occurrence)]
        losers = [r for r in results if not isinstance(r, Occurrence)]
        assert (len(winners), [type(r) for r in losers]) == (1, [AlreadyDone])
        winner = winners[0].done_by
        assert losers[0].done_by == winner
        assert str(losers[0]) == f"{winner} already marked this done."
        stored = Occurrence.objects.get(pk=occurrence.pk)
        assert (stored.done_by, stored.note) == (winner, f"Done by {winner.first_name}.")
        assert (
            AuditEntry.objects.filter(
                action="jobhelp.occurrence.done", object_id=str(occurrence.pk)
            ).count()
            == 1
        )


@pytest.mark.django_db(transaction=True)
def test_the_last_two_parties_signing_at_once_execute_the_agreement_once(
    agreement, center, library, center_manager, manager
):
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    Party.objects.filter(agreement=agreement).exclude(organization__in=[center, library]).delete()
    Party.objects.filter(agreement=agreement).update(signed_on=None)
    parties = {
        center_manager: Party.objects.get(agreement=agreement, organization=center),
        manager: Party.objects.get(agreement=agreement, organization=library),
    }

    results = at_once(
        [
            lambda person=person, party=party: record_signature(
                party,
                by=person,
                signatory_name="Alex Director",
                signatory_title="Director",
                signed_on=date(2026, 12, 1),
            )
            for person, party in parties.items()
        ]
    )

    assert [type(r) for r in results] == [Party, Party]
    assert Agreement.objects.get(pk=agreement.pk).status == "executed"
    assert AuditEntry.objects.filter(action="jobhelp.agreement.executed").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("runner", ["domain", "periodic"])
def test_two_runners_at_once_queue_and_send_each_renewal_reminder_once(
    agreement, center_manager, manager, affiliate_manager, run_worker, runner
):
    """The renewal reminder 120 days ahead, on a controlled clock, with two runners firing in
    the same minute: straight through the domain function (the outbox's dedupe keys decide),
    or through the periodic runner (its lock on the job's row decides first)."""
    when = datetime.combine(
        agreement.renewal_on - timedelta(days=120), time(9), tzinfo=ZoneInfo("America/Chicago")
    )

    def run():
        if runner == "domain":
            return send_renewal_reminders(now=when)
        return periodic.run_jobs(names=["partnerships.renewal_reminders"], now=when)

    results = at_once([run, run])

    assert [r for r in results if isinstance(r, Exception)] == []
    queued = OutboundMessage.objects.filter(template="agreement_renewal_reminder")
    assert sorted(queued.values_list("to", flat=True)) == sorted(
        [center_manager.email, manager.email, affiliate_manager.email]
    )
    assert {key.split(":")[3] for key in queued.values_list("dedupe_key", flat=True)} == {"120"}
    run_worker()
    run_worker()
    reminders = [m for m in mail.outbox if "renew" in m.subject.lower()]
    assert sorted(m.to[0] for m in reminders) == sorted(
        [center_manager.email, manager.email, affiliate_manager.email]
    )
