"""partnerships' periodic jobs (see core.periodic): renewal reminders, expiring agreements past
their renewal date, and action-item reminders. Each is thin and safe to run twice: reminders
carry the outbox's dedupe keys, expiry is a conditional UPDATE."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.partnerships.agreements import expire_agreements, send_renewal_reminders
from jobhelp.partnerships.meetings import send_action_item_reminders


@periodic.job(
    "partnerships.renewal_reminders",
    every=timedelta(hours=1),
    description="Remind the parties' managers 120, 60 and 30 days before an agreement renews.",
)
def renewal_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_renewal_reminders(now=now)}


@periodic.job(
    "partnerships.agreement_expiry",
    every=timedelta(hours=1),
    description="Executed agreements past their renewal date become expired.",
)
def agreement_expiry(*, now: datetime) -> periodic.Counts:
    return {"expired": expire_agreements(now=now)}


@periodic.job(
    "partnerships.action_item_reminders",
    every=timedelta(hours=1),
    description="Remind owners of open action items 3 days before and on the due date.",
)
def action_item_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_action_item_reminders(now=now)}
