from django.core.management.base import BaseCommand

from jobhelp.notifications.domain import sweep_outbox


class Command(BaseCommand):
    help = "Enqueue due messages that have no task waiting for them (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"Enqueued {sweep_outbox()} due messages.")
