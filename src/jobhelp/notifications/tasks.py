from django.tasks import task

from jobhelp.notifications.domain import deliver_message


@task()
def send_message(message_id: int) -> str | None:
    """Safe to run twice: the second run finds the message claimed or sent and does nothing."""
    state = deliver_message(message_id)
    return state.value if state else None
