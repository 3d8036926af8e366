from django.conf import settings
from django.core.management.base import BaseCommand

from jobhelp.casework.domain import erase_expired_notes
from jobhelp.intake.domain import erase_expired_requests
from jobhelp.workshops.domain import erase_past_registrations


class Command(BaseCommand):
    help = (
        "Erase personal details kept longer than their retention periods (settings.RETENTION): "
        "finished requests, their help sessions' notes, and registrations for classes that are "
        "over."
    )

    def handle(self, *args, **options):
        count = erase_expired_requests()
        notes = erase_expired_notes()
        registrations = erase_past_registrations(older_than=settings.RETENTION["registrations"])
        self.stdout.write(
            f"Erased the personal details of {count} finished requests, the notes of "
            f"{notes['notes']} help sessions and {registrations} class registrations."
        )
