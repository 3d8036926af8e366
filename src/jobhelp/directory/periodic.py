"""directory's periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.directory.computers import aggregate_old_counts
from jobhelp.directory.domain import send_review_reminders


@periodic.job(
    "directory.review_reminders",
    every=timedelta(days=1),
    description="Remind owners of directory entries not reviewed for a year, each entry once.",
)
def review_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_review_reminders(now=now)}


@periodic.job(
    "directory.count_aggregation",
    every=timedelta(hours=1),
    description="Reduce computer counts older than a day to hourly figures.",
)
def count_aggregation(*, now: datetime) -> periodic.Counts:
    return aggregate_old_counts(now=now)
