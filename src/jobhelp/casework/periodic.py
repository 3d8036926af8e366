"""casework's periodic jobs (see core.periodic)."""

from datetime import datetime, timedelta

from jobhelp.casework.domain import erase_expired_notes
from jobhelp.core import periodic


@periodic.job(
    "casework.note_eraser",
    every=timedelta(days=1),
    description="Erase help sessions' private notes, follow-up notes and survey comments "
    "after the retention period.",
)
def note_eraser(*, now: datetime) -> periodic.Counts:
    return erase_expired_notes(now=now)
