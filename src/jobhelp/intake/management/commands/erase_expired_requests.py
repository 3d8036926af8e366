from django.core.management.base import BaseCommand

from jobhelp.intake.domain import erase_expired_requests


class Command(BaseCommand):
    help = "Erase personal details of requests finished longer ago than JOBHELP_RETENTION_DAYS."

    def handle(self, *args, **options):
        count = erase_expired_requests()
        self.stdout.write(f"Erased the personal details of {count} finished requests.")
