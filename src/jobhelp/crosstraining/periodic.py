"""crosstraining's periodic jobs (see core.periodic): reminders of required trainings coming
due or lapsed, and of temporary cards about to expire. Each is thin and safe to run twice: the
reminders carry the outbox's dedupe keys."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.crosstraining.domain import send_training_reminders
from jobhelp.crosstraining.lending import send_card_reminders


@periodic.job(
    "crosstraining.training_reminders",
    every=timedelta(hours=1),
    description="Remind staff and their managers before and on a required training's due date.",
)
def training_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_training_reminders(now=now)}


@periodic.job(
    "crosstraining.card_reminders",
    every=timedelta(hours=1),
    description="Remind holders and the library's liaisons before a temporary card expires.",
)
def card_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_card_reminders(now=now)}
