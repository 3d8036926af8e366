"""Periodic work: the registry of jobs the domain apps declare, and the runner that runs them.
See docs/conventions/tasks.md, "Periodic jobs".

Each app declares its jobs in its own `<app>/periodic.py`, which CoreConfig.ready imports:

    @periodic.job(
        "scheduling.appointment_reminders",
        every=timedelta(minutes=1),
        description="Queue the appointment reminders that are due.",
    )
    def appointment_reminders(*, now: datetime) -> dict[str, int]:
        return {"queued": send_due_reminders(now=now)}

A job is a plain function of `now` that returns counts, and is safe to run twice: the database
decides what is still to do (dedupe keys, conditional updates). The runner adds the rest: a job
runs when it is due, under a lock held in its `core.PeriodicJob` row, so two runners never run
it at once; a job that raises is recorded and does not stop the others; a run that did
something is audited with its counts.
"""

import logging
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobhelp.core import audit
from jobhelp.core.models import PeriodicJob

log = logging.getLogger(__name__)

# "<app>.<job>", both parts codes, so the name fits in an audit entry.
_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
_COUNT = re.compile(r"^[a-z_]+$")
# How long a runner holds a job. A runner that dies mid-run loses it when the lease passes; a
# job that runs longer may be started again by another runner, which its idempotency allows.
DEFAULT_LEASE = timedelta(minutes=30)
# A failed job is tried again after its interval, or after this if that comes sooner.
RETRY_AFTER_FAILURE = timedelta(minutes=15)

Counts = dict[str, int]


@dataclass(frozen=True, kw_only=True)
class Job:
    name: str
    every: timedelta
    run: Callable[..., Counts]
    description: str
    lease: timedelta = DEFAULT_LEASE


class Status(StrEnum):
    RAN = "ran"
    FAILED = "failed"
    # Forced with --job while another runner held it.
    BUSY = "busy"


@dataclass(frozen=True)
class Outcome:
    job: str
    status: Status
    counts: Counts
    error: str = ""


class Registry:
    def __init__(self):
        self._jobs: dict[str, Job] = {}

    def register(
        self, name: str, *, every: timedelta, description: str, lease: timedelta = DEFAULT_LEASE
    ) -> Callable[[Callable[..., Counts]], Callable[..., Counts]]:
        if not _NAME.match(name):
            raise ValueError(f"periodic job name {name!r} must look like <app>.<job>")
        if every <= timedelta(0) or lease <= timedelta(0):
            raise ValueError(f"periodic job {name!r} needs a positive interval and lease")

        def decorator(function: Callable[..., Counts]) -> Callable[..., Counts]:
            known = self._jobs.get(name)
            if known is not None and _where(known.run) != _where(function):
                raise ValueError(f"periodic job {name!r} is declared twice")
            self._jobs[name] = Job(
                name=name, every=every, run=function, description=description, lease=lease
            )
            return function

        return decorator

    def jobs(self, names: Iterable[str] | None = None) -> list[Job]:
        """The registered jobs by name, or those named; an unknown name raises KeyError."""
        if names is None:
            return sorted(self._jobs.values(), key=lambda job: job.name)
        return [self._jobs[name] for name in dict.fromkeys(names)]


def _where(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


registry = Registry()


def job(name: str, *, every: timedelta, description: str, lease: timedelta = DEFAULT_LEASE):
    """Declare a periodic job (a decorator); see the module's docstring."""
    return registry.register(name, every=every, description=description, lease=lease)


def run_jobs(*, names: Iterable[str] | None = None, now: datetime | None = None) -> list[Outcome]:
    """Run the jobs that are due, each at most once and under its lock; with `names`, run
    those jobs now whether due or not (still under the lock). Returns what happened to each job
    that was run or, when named, found busy; jobs not due are left out.

    Side effects: each job's own; its PeriodicJob row records the run; an audit entry
    ``jobhelp.periodic.ran`` with the job's name and counts for a run whose counts are not all
    zero. `now` fixes the clock, for tests.
    """
    forced = names is not None
    jobs = registry.jobs(names)
    _add_missing_rows(jobs, now=now or timezone.now())
    outcomes = []
    for each in jobs:
        outcome = _run(each, now=now, forced=forced)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _add_missing_rows(jobs: list[Job], *, now: datetime) -> None:
    # A job new to this database is due at once; two runners adding it at once is harmless.
    names = [each.name for each in jobs]
    known = set(PeriodicJob.objects.filter(name__in=names).values_list("name", flat=True))
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=name, next_run_at=now) for name in names if name not in known],
        ignore_conflicts=True,
    )


def _run(job: Job, *, now: datetime | None, forced: bool) -> Outcome | None:
    started = now or timezone.now()
    lease_until = started + job.lease
    # The claim: one conditional UPDATE, so of two runners exactly one changes the row.
    claimable = PeriodicJob.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=started), name=job.name
    )
    if not forced:
        claimable = claimable.filter(next_run_at__lte=started)
    if not claimable.update(locked_until=lease_until, last_started_at=started):
        return Outcome(job.name, Status.BUSY, {}) if forced else None
    try:
        counts = _checked(job, job.run(now=started))
    except Exception as error:
        code = type(error).__name__[:80]
        # The class and the stack, never the message: it may quote personal data.
        log.error(
            "periodic job %s failed: %s\n%s",
            job.name,
            code,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        _release(
            job,
            lease_until,
            finished=now or timezone.now(),
            next_run_at=started + min(job.every, RETRY_AFTER_FAILURE),
            counts={},
            error=code,
        )
        return Outcome(job.name, Status.FAILED, {}, code)
    with transaction.atomic():
        _release(
            job,
            lease_until,
            finished=now or timezone.now(),
            next_run_at=started + job.every,
            counts=counts,
            error="",
        )
        if any(counts.values()):
            audit.record("jobhelp.periodic.ran", data={"job": job.name, **counts})
    return Outcome(job.name, Status.RAN, counts)


def _checked(job: Job, counts) -> Counts:
    if not isinstance(counts, dict) or not all(
        isinstance(key, str) and _COUNT.match(key) and key != "job" for key in counts
    ):
        raise TypeError(f"periodic job {job.name} must return counts by name")
    if not all(type(value) is int and value >= 0 for value in counts.values()):
        raise TypeError(f"periodic job {job.name} must return whole counts")
    return counts


def _release(job, lease_until, *, finished, next_run_at, counts, error) -> None:
    # Only while this runner still holds the lock: if it ran past its lease, another runner may
    # hold the job now, and its record wins.
    released = PeriodicJob.objects.filter(name=job.name, locked_until=lease_until).update(
        locked_until=None,
        last_finished_at=finished,
        next_run_at=next_run_at,
        last_counts=counts,
        last_error=error,
    )
    if not released:
        log.warning("periodic job %s ran past its lease of %s", job.name, job.lease)


# --- core's own jobs (this module is core's `periodic.py` too) ---------------------------------


@job(
    "core.rate_limit_eraser",
    every=timedelta(hours=1),
    description="Delete rate-limit counters older than the retention period.",
)
def rate_limit_eraser(*, now: datetime) -> Counts:
    from jobhelp.core.ratelimit import erase_old_counters

    return {"deleted": erase_old_counters(now=now)}
