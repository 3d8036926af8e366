"""notifications' periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.notifications.domain import erase_expired_messages
from jobhelp.notifications.tasks import sweep_outbox


@periodic.job(
    "notifications.outbox_sweep",
    every=timedelta(minutes=1),
    description="Enqueue again the messages that are due but may have no task waiting.",
)
def outbox_sweep(*, now: datetime) -> periodic.Counts:
    return {"enqueued": sweep_outbox(now=now)}


@periodic.job(
    "notifications.outbox_eraser",
    every=timedelta(days=1),
    description="Empty the recipient and subject of messages sent longer ago than the "
    "retention period.",
)
def outbox_eraser(*, now: datetime) -> periodic.Counts:
    return {"erased": erase_expired_messages(now=now)}
