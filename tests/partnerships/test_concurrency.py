"""Races on a real database, in real threads: two managers marking the same occurrence kept at
the same moment, and the last two parties signing at once."""

import threading
from datetime import date

import pytest
from django.db import connection

from jobhelp.core.models import AuditEntry
from jobhelp.partnerships.agreements import record_signature
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.errors import AlreadyDone
from jobhelp.partnerships.models import Agreement, Occurrence, Party
from jobhelp.partnerships.obligations import mark_occurrence_done
from tests.factories.partnerships import OccurrenceFactory

ROUNDS = 5


def at_once(calls) -> list:
    """Run each call in its own thread, released together; returns each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return results


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
