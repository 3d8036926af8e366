import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import message_language, queue_message
from tests.factories.intake import HelpRequestFactory


def _queue(help_request, *, language="en", **kwargs):
    return queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": help_request, "needs": ["Resumé"]},
        language=language,
        organization=help_request.organization,
        related=help_request,
        **kwargs,
    )


@pytest.fixture
def help_request(library):
    return HelpRequestFactory(organization=library, name="Rosa", reference="4K7M9Q")


def test_queue_renders_in_the_recipients_language_and_sends_after_commit(
    help_request, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(help_request, language="es")
        assert mail.outbox == []

    run_worker()

    message.refresh_from_db()
    assert (message.state, message.language, message.attempts, message.body) == (
        MessageState.SENT,
        "es",
        1,
        "",
    )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject) == (["rosa@example.com"], message.subject)
    assert "4K7-M9Q" in sent.body
    assert sent.extra_headers["Content-Language"] == "es"


@pytest.mark.parametrize(
    ("wanted", "used"), [("es", "es"), ("en", "en"), ("ht", "en"), ("hmn", "en")]
)
def test_languages_without_a_translation_fall_back_to_english(wanted, used):
    assert message_language(wanted) == used


def test_nothing_is_sent_when_the_transaction_rolls_back(help_request, run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(help_request)
        raise RuntimeError("the caller failed after queueing")

    run_worker()

    assert (OutboundMessage.objects.count(), mail.outbox) == (0, [])


def test_a_dedupe_key_stores_and_sends_the_message_once(help_request):
    first = _queue(help_request, dedupe_key="reminder:1:24h")
    second = _queue(help_request, dedupe_key="reminder:1:24h")

    assert (first is not None, second) == (True, None)
    assert OutboundMessage.objects.count() == 1


def test_subject_never_carries_a_line_break(help_request):
    help_request.name = "Rosa"
    message = _queue(help_request)
    assert "\n" not in message.subject and "\r" not in message.subject


class FlakyBackend(EmailBackend):
    failures: list[Exception] = []

    def send_messages(self, messages):
        if FlakyBackend.failures:
            raise FlakyBackend.failures.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.test_outbox.FlakyBackend"}}
    FlakyBackend.failures = []
    return FlakyBackend


def test_a_transient_failure_is_retried_later_then_sent(help_request, flaky_mail):
    flaky_mail.failures = [smtplib.SMTPServerDisconnected("connection dropped")]
    message = _queue(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (
        MessageState.QUEUED,
        1,
        "SMTPServerDisconnected",
    )
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: a second worker picking it up early does nothing.
    assert deliver_message(message.pk) is None

    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_message(message.pk) == MessageState.SENT
    assert len(mail.outbox) == 1


def test_a_permanent_failure_is_marked_failed_and_audited(help_request, flaky_mail):
    flaky_mail.failures = [smtplib.SMTPRecipientsRefused({"rosa@example.com": (550, b"no")})]
    message = _queue(help_request)

    assert deliver_message(message.pk) == MessageState.FAILED

    message.refresh_from_db()
    assert (message.state, message.last_error, message.body) == (
        MessageState.FAILED,
        "recipient refused 550",
        "",
    )
    assert list(
        AuditEntry.objects.filter(action="jobhelp.message.failed").values_list(
            "object_id", flat=True
        )
    ) == [str(message.pk)]
    assert mail.outbox == []


def test_retries_stop_after_the_last_delay(help_request, flaky_mail, settings):
    settings.OUTBOX_RETRY_DELAYS = [60]
    flaky_mail.failures = [TimeoutError(), TimeoutError()]
    message = _queue(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_message(message.pk) == MessageState.FAILED


def test_a_sent_message_is_never_sent_again(help_request):
    message = _queue(help_request)
    assert deliver_message(message.pk) == MessageState.SENT
    assert deliver_message(message.pk) is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_message_send_it_once(library):
    help_request = HelpRequestFactory(organization=library, reference="RACE22")
    message = _queue(help_request)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        from django.db import connection

        barrier.wait()
        try:
            results.append(deliver_message(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=str) == sorted([MessageState.SENT, None], key=str)
    assert len(mail.outbox) == 1


def test_the_sweep_enqueues_due_messages_whose_task_was_lost(help_request, run_worker):
    from django.core.management import call_command

    from jobhelp.notifications.domain import STALE_CLAIM
    from jobhelp.notifications.tasks import sweep_outbox

    lost = _queue(help_request)  # queued outside on_commit capture: its task never ran
    stuck = _queue(help_request, dedupe_key="stuck")
    OutboundMessage.objects.filter(pk=stuck.pk).update(
        state=MessageState.SENDING, claimed_at=timezone.now() - STALE_CLAIM - timedelta(1)
    )
    later = _queue(help_request, dedupe_key="later")
    OutboundMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    assert sweep_outbox() == 2
    run_worker()
    call_command("run_periodic", "--job", "notifications.outbox_sweep", verbosity=0)

    assert dict(OutboundMessage.objects.values_list("pk", "state")) == {
        lost.pk: MessageState.SENT,
        stuck.pk: MessageState.SENT,
        later.pk: MessageState.QUEUED,
    }
    assert len(mail.outbox) == 2


def test_messages_of_the_past_are_stored_as_sent_and_never_sent(
    help_request, run_worker, django_capture_on_commit_callbacks
):
    from jobhelp.notifications.outbox import recording_history

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with recording_history():
            message = _queue(help_request, language="es", dedupe_key="past-1")
            assert _queue(help_request, dedupe_key="past-1") is None
        later = _queue(help_request)

    run_worker()

    message.refresh_from_db()
    assert len(callbacks) == 1  # only the message queued after the block is enqueued
    assert (message.state, message.attempts, message.body, message.language) == (
        MessageState.SENT,
        1,
        "",
        "es",
    )
    assert message.subject != "" and message.sent_at is not None
    assert [m.to for m in mail.outbox] == [["rosa@example.com"]]
    later.refresh_from_db()
    assert later.state == MessageState.SENT
    assert (
        AuditEntry.objects.filter(action="jobhelp.message.sent", object_id=str(message.pk)).count()
        == 1
    )
