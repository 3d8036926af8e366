"""workshops' periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from django.conf import settings

from jobhelp.core import periodic
from jobhelp.workshops.domain import erase_past_registrations, expire_offers
from jobhelp.workshops.reminders import send_due_class_reminders


@periodic.job(
    "workshops.class_reminders",
    every=timedelta(minutes=1),
    description="Queue the class reminders that are due, each once.",
)
def class_reminders(*, now: datetime) -> periodic.Counts:
    return {"queued": send_due_class_reminders(now=now)}


@periodic.job(
    "workshops.offer_expiry",
    every=timedelta(minutes=1),
    description="Pass waitlist seat offers past their time on to the next people waiting.",
)
def offer_expiry(*, now: datetime) -> periodic.Counts:
    return {"lapsed": expire_offers(now=now)}


@periodic.job(
    "workshops.registration_eraser",
    every=timedelta(days=1),
    description="Erase class registrants' names and contact details after the retention period.",
)
def registration_eraser(*, now: datetime) -> periodic.Counts:
    erased = erase_past_registrations(older_than=settings.RETENTION["registrations"], now=now)
    return {"erased": erased}
