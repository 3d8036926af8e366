import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.core.models import PeriodicJob


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due (reminders, offer expiry, the outbox sweep, the "
        "erasers) once each, then exit; from cron every minute, or as a service with --every 60. "
        "Two runners at once never run the same job twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every this many seconds (0: run once)"
        )
        parser.add_argument(
            "--job",
            action="append",
            dest="jobs",
            metavar="NAME",
            help="run this job now, due or not (still never beside another runner); repeatable",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="list the jobs with their intervals and next runs, and exit",
        )

    def handle(self, *args, every: int, jobs: list[str] | None, list_jobs: bool, **options):
        if list_jobs:
            self._list()
            return
        if every < 0:
            raise CommandError("--every takes a number of seconds, 0 or more.")
        if jobs and every:
            raise CommandError("--job runs the jobs named once; leave out --every.")
        if jobs:
            known = {job.name for job in periodic.registry.jobs()}
            if unknown := [name for name in jobs if name not in known]:
                raise CommandError(f"Unknown job {', '.join(unknown)}; see run_periodic --list.")
        rounds = 0
        while True:
            if rounds:
                # Between rounds, as a web request ends: a connection the database closed, or
                # one past CONN_MAX_AGE, is replaced.
                close_old_connections()
            failed = self._report(periodic.run_jobs(names=jobs), loud=not every, **options)
            if not every:
                if failed:
                    raise CommandError(f"Failed: {', '.join(failed)}.")
                return
            rounds += 1
            time.sleep(every)

    def _report(self, outcomes, *, loud: bool, verbosity: int, **options) -> list[str]:
        failed = []
        for outcome in outcomes:
            if outcome.status == periodic.Status.FAILED:
                failed.append(outcome.job)
                self.stderr.write(f"{outcome.job}: failed ({outcome.error})")
            elif outcome.status == periodic.Status.BUSY:
                self.stderr.write(f"{outcome.job}: another runner is running it")
            elif loud or verbosity > 1:
                counts = ", ".join(f"{key} {value}" for key, value in outcome.counts.items())
                self.stdout.write(f"{outcome.job}: {counts or 'done'}")
        if loud and not outcomes:
            self.stdout.write("No job was due.")
        return failed

    def _list(self):
        jobs = periodic.registry.jobs()
        rows = PeriodicJob.objects.in_bulk([job.name for job in jobs], field_name="name")
        now = timezone.now()
        width = max(len(job.name) for job in jobs)
        for job in jobs:
            row = rows.get(job.name)
            if row is None:
                state = "never run: due now"
            else:
                state = f"next {_when(row.next_run_at)}"
                if row.locked_until and row.locked_until > now:
                    state += f", running (held until {_when(row.locked_until)})"
                if row.last_error:
                    state += f", last run failed ({row.last_error})"
                elif row.last_finished_at:
                    state += f", last finished {_when(row.last_finished_at)}"
            every = f"every {_interval(job.every)}"
            self.stdout.write(f"{job.name:<{width}}  {every:<12}  {state}")
            self.stdout.write(f"{'':<{width}}  {job.description}")


def _interval(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
