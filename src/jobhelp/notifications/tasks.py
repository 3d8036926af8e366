"""The outbox's tasks: they take ids, call notifications.domain, and enqueue what it leaves due.
The domain never enqueues a task itself, so it never imports this module."""

from django.tasks import task

from jobhelp.notifications.domain import deliver_message, due_messages
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage


@task()
def send_message(message_id: int) -> str | None:
    """Safe to run twice: the second run finds the message claimed or sent and does nothing.
    A message queued again after a passing failure is enqueued for its next attempt; without
    deferral (the immediate backend) the sweep picks it up when it is due."""
    state = deliver_message(message_id)
    if state == MessageState.QUEUED and send_message.get_backend().supports_defer:
        retry_at = (
            OutboundMessage.objects.filter(pk=message_id).values_list("next_attempt_at").get()[0]
        )
        send_message.using(run_after=retry_at).enqueue(message_id)
    return state.value if state else None


def sweep_outbox(*, now=None) -> int:
    """Enqueue every message that is due but may have no task waiting for it
    (notifications.domain.due_messages). Safe at any time. Returns how many were enqueued."""
    count = 0
    for message_id in due_messages(now=now).iterator():
        send_message.enqueue(message_id)
        count += 1
    return count
