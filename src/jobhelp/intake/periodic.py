"""intake's periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.intake.domain import erase_expired_requests


@periodic.job(
    "intake.request_eraser",
    every=timedelta(days=1),
    description="Erase the personal details of requests finished longer ago than the "
    "retention period.",
)
def request_eraser(*, now: datetime) -> periodic.Counts:
    return {"erased": erase_expired_requests(now=now)}
