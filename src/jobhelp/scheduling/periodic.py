"""scheduling's periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.scheduling.reminders import send_due_reminders


@periodic.job(
    "scheduling.appointment_reminders",
    every=timedelta(minutes=1),
    description="Queue the appointment reminders that are due, each once.",
)
def appointment_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_due_reminders(now=now)}
