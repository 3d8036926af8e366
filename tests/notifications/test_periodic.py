"""notifications' periodic jobs: the outbox sweep and the outbox eraser."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import queue_message
from tests.factories.intake import HelpRequestFactory


def message(help_request, key: str, **fields) -> OutboundMessage:
    queued = queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": help_request, "needs": []},
        language="en",
        related=help_request,
        dedupe_key=key,
    )
    OutboundMessage.objects.filter(pk=queued.pk).update(**fields)
    return queued


def test_the_outbox_eraser_empties_old_addresses_and_subjects_and_nothing_newer(library, retention):
    retention(messages=30)
    now = timezone.now()
    help_request = HelpRequestFactory(organization=library, email="rosa@example.com")
    sent = {"state": MessageState.SENT, "body": ""}
    failed = {"state": MessageState.FAILED, "body": ""}
    old_sent = message(help_request, "old-sent", sent_at=now - timedelta(days=31), **sent)
    new_sent = message(help_request, "new-sent", sent_at=now - timedelta(days=29), **sent)
    old_failed = message(help_request, "old-failed", claimed_at=now - timedelta(days=31), **failed)
    new_failed = message(help_request, "new-failed", claimed_at=now - timedelta(days=29), **failed)
    # Not sent yet, however old: the worker still needs its address.
    waiting = message(help_request, "waiting", created_at=now - timedelta(days=90))

    outcomes = periodic.run_jobs(names=["notifications.outbox_eraser"], now=now)

    assert [(o.job, o.counts) for o in outcomes] == [("notifications.outbox_eraser", {"erased": 2})]
    subject = waiting.subject
    assert {
        pk: (to, subj)
        for pk, to, subj in OutboundMessage.objects.values_list("pk", "to", "subject")
    } == {
        old_sent.pk: ("", ""),
        new_sent.pk: ("rosa@example.com", subject),
        old_failed.pk: ("", ""),
        new_failed.pk: ("rosa@example.com", subject),
        waiting.pk: ("rosa@example.com", subject),
    }
    assert OutboundMessage.objects.get(pk=waiting.pk).body != ""
    assert list(
        AuditEntry.objects.filter(action="jobhelp.periodic.ran").values_list("data", flat=True)
    ) == [{"job": "notifications.outbox_eraser", "erased": 2}]
    # The next day there is nothing left to erase, and nothing is audited.
    outcomes = periodic.run_jobs(names=["notifications.outbox_eraser"], now=now + timedelta(1))
    assert [o.counts for o in outcomes] == [{"erased": 0}]
    assert AuditEntry.objects.filter(action="jobhelp.periodic.ran").count() == 1


def test_the_sweep_job_enqueues_messages_whose_task_was_lost(library, run_worker):
    help_request = HelpRequestFactory(organization=library, email="rosa@example.com")
    lost = message(help_request, "lost")

    outcomes = periodic.run_jobs(names=["notifications.outbox_sweep"])
    run_worker()

    assert [o.counts for o in outcomes] == [{"enqueued": 1}]
    assert OutboundMessage.objects.get(pk=lost.pk).state == MessageState.SENT
