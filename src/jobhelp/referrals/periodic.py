"""The referrals' periodic jobs (docs/conventions/tasks.md, "Periodic jobs")."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.referrals.domain import expire_referrals
from jobhelp.referrals.retention import erase_closed_referral_details
from jobhelp.referrals.webhooks import deliver_due


@periodic.job(
    "referrals.expiry",
    every=timedelta(minutes=15),
    description="Expire referrals nobody answered within the receiving organization's "
    "business days.",
)
def expiry(*, now: datetime) -> periodic.Counts:
    return {"expired": expire_referrals(now=now)}


@periodic.job(
    "referrals.webhooks",
    every=timedelta(minutes=1),
    description="Send the receiving organizations' webhooks that are due, retrying with backoff.",
)
def webhooks(*, now: datetime) -> periodic.Counts:
    return deliver_due(now=now)


@periodic.job(
    "referrals.detail_eraser",
    every=timedelta(days=1),
    description="Erase the personal details of referrals closed longer ago than "
    "RETENTION['referrals'].",
)
def detail_eraser(*, now: datetime) -> periodic.Counts:
    return {"erased": erase_closed_referral_details(now=now)}
