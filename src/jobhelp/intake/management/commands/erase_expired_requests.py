from django.core.management.base import BaseCommand

from jobhelp.casework.domain import erase_expired_notes
from jobhelp.intake.domain import erase_expired_requests


class Command(BaseCommand):
    help = "Erase personal details of requests finished longer ago than JOBHELP_RETENTION_DAYS."

    def handle(self, *args, **options):
        count = erase_expired_requests()
        # Help session notes and survey comments of those requests go with them.
        sessions = erase_expired_notes()
        self.stdout.write(
            f"Erased the personal details of {count} finished requests "
            f"and the notes of {sessions} help sessions."
        )
