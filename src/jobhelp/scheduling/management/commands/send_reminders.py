import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobhelp.notifications.domain import sweep_outbox
from jobhelp.scheduling.reminders import send_due_reminders
from jobhelp.workshops.domain import expire_offers
from jobhelp.workshops.reminders import send_due_class_reminders


class Command(BaseCommand):
    help = (
        "Queue the appointment and class reminders that are due, pass lapsed waitlist offers "
        "on, and re-enqueue lost messages. Run it "
        "every minute from cron, or once with --every 60 as a long-running process. Two "
        "copies running at once send each reminder once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every this many seconds (0: run once)"
        )

    def handle(self, *args, every: int, **options):
        while True:
            close_old_connections()
            reminders = send_due_reminders() + send_due_class_reminders()
            # Waitlist offers past their time go to the next person waiting.
            expire_offers()
            swept = sweep_outbox()
            if options["verbosity"] > 1 or not every:
                self.stdout.write(f"Queued {reminders} reminders; enqueued {swept} messages.")
            if not every:
                return
            time.sleep(every)
