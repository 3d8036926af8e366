from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from jobhelp.casework.domain import erase_expired_notes
from jobhelp.intake.domain import erase_expired_requests
from jobhelp.workshops.domain import erase_past_registrations


class Command(BaseCommand):
    help = (
        "Erase personal details kept longer than JOBHELP_RETENTION_DAYS: finished requests "
        "(with their help sessions' notes) and registrations for classes that are over."
    )

    def handle(self, *args, **options):
        count = erase_expired_requests()
        # Help session notes and survey comments of those requests go with them.
        sessions = erase_expired_notes()
        registrations = erase_past_registrations(older_than=timedelta(days=settings.RETENTION_DAYS))
        self.stdout.write(
            f"Erased the personal details of {count} finished requests, the notes of "
            f"{sessions} help sessions and {registrations} class registrations."
        )
