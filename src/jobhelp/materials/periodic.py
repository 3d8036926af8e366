"""materials' periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.core import periodic
from jobhelp.materials.reminders import send_flyer_reminders


@periodic.job(
    "materials.flyer_reminders",
    every=timedelta(minutes=15),
    description="Remind a location's staff, once, of a monthly flyer not posted a week into "
    "its month.",
)
def flyer_reminders(*, now: datetime) -> periodic.Counts:
    reminded = send_flyer_reminders(now=now)
    return {"locations": reminded.locations, "queued": reminded.messages}
