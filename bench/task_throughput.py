"""The task queue's throughput: `python -m bench.task_throughput` (in `make bench`). Prints,
never gates.

django-tasks-db on PostgreSQL, the backend every install runs (settings.TASKS): N tasks of two
kinds, with 1 and then 2 `manage.py db_worker` processes, as deploy/jobhelp-worker.service
starts them (the default poll interval of 1 s):

- **trivial**: bench.task_load.nothing, which does nothing, so the figure is the backend's own
  cost per task (enqueue's INSERT, the claim with SELECT ... FOR UPDATE SKIP LOCKED, the result);
- **outbox**: notifications.tasks.send_message on a real OutboundMessage, the task every email,
  text and reminder goes through (claim the message with a conditional UPDATE, send it, mark it
  sent, the audit entry), with Django's in-memory mail backend, so a mail server's time is not
  in it: the figure is what the database side allows.

For each kind and number of workers, two runs:
- **drain**: N tasks enqueued held back (run_after a day away), then let go at once to the
  running workers: tasks/s is N over the time from the first task's start to the last one's
  finish;
- **steady**: the workers running, tasks enqueued at half the drain rate (a busy hour, not a
  flood) for about BENCH_TASK_SECONDS; the latency from enqueue to finish, median and p95. With
  the 1 s poll interval an idle worker sleeps up to a second between looks at the queue, so the
  latency is mostly that wait.

Environment: DATABASE_URL (PostgreSQL; on SQLite this benchmark says so and stops: one writer at
a time is not what a network of several workers runs on); BENCH_TASKS (N, default 200);
BENCH_TASK_SECONDS (default 2). Commits wait for the WAL flush (synchronous_commit=on for every
process here, as in production), but make bench's throwaway cluster runs with fsync=off, so on a
real disk each commit costs more: treat these rates as the ceiling of this machine's CPU.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER_COUNTS = (1, 2)
KINDS = ("trivial", "outbox")
# The steady run enqueues at this share of the drain rate.
STEADY_SHARE = 0.5


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ["TASKS_BACKEND"] = "database"
    os.environ["MAIL_BACKEND"] = "locmem"
    # As in production: a commit waits for its WAL record (the throwaway cluster turns it off).
    os.environ["PGOPTIONS"] = (
        os.environ.get("PGOPTIONS", "") + " -c synchronous_commit=on"
    ).strip()

    import django

    django.setup()


def _clear() -> None:
    from django_tasks_db.models import DBTaskResult

    from jobhelp.notifications.models import OutboundMessage

    DBTaskResult.objects.all().delete()
    OutboundMessage.objects.filter(template="bench_task").delete()


def _enqueue(kind: str, count: int, *, start: int = 0, held: bool = False) -> None:
    """Enqueue `count` tasks of `kind`, each in its own transaction as the application does;
    `held` ones wait (run_after a day away) until release() lets them all go at once."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from bench.task_load import nothing
    from jobhelp.notifications.models import OutboundMessage
    from jobhelp.notifications.tasks import send_message

    later = {"run_after": timezone.now() + timedelta(days=1)} if held else {}
    for n in range(start, start + count):
        with transaction.atomic():
            if kind == "trivial":
                nothing.using(**later).enqueue(n)
            else:
                message = OutboundMessage.objects.create(
                    channel="email",
                    to=f"patron{n}@example.org",
                    language="en",
                    template="bench_task",
                    subject="Reminder: your appointment tomorrow",
                    body="Your appointment is tomorrow at 10:00 at Central Library.\n" * 3,
                )
                transaction.on_commit(lambda pk=message.pk: send_message.using(**later).enqueue(pk))


def _release() -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def _workers(count: int) -> list[subprocess.Popen]:
    """`count` db_worker processes, as the service runs them, once they have run a task (so
    Django's start-up is in neither figure)."""
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "-v", "0"]
    running = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [*command, "--worker-id", f"bench-{i}"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
        for i in range(count)
    ]
    _clear()
    _enqueue("trivial", count, start=-count)
    if not _finished(count, timeout=120):
        _stop(running)
        raise SystemExit("the workers did not start")
    return running


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _finished(expected: int, *, timeout: float) -> bool:
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DBTaskResult.objects.filter(finished_at__isnull=False).count() >= expected:
            return True
        time.sleep(0.1)
    return False


def _check_all_succeeded(kind: str) -> None:
    from django_tasks_db.models import DBTaskResult

    from jobhelp.notifications.models import OutboundMessage

    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    if failed:
        raise SystemExit(f"{failed} {kind} tasks did not succeed")
    if kind == "outbox":
        unsent = OutboundMessage.objects.filter(template="bench_task").exclude(state="sent")
        if unsent.exists():
            raise SystemExit(f"{unsent.count()} messages were not sent")


def drain(kind: str, count: int) -> float:
    """Tasks a second for the running workers, from the first task's start to the last one's
    finish: `count` tasks enqueued held, then let go at once."""
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    _clear()
    _enqueue(kind, count, held=True)
    _release()
    if not _finished(count, timeout=300):
        raise SystemExit("the workers did not drain the queue")
    _check_all_succeeded(kind)
    span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
    return count / (span["last"] - span["first"]).total_seconds()


def steady(kind: str, rate: float, seconds: float) -> tuple[float, float, int]:
    """Median and p95 latency from enqueue to finish (seconds), enqueuing `rate` tasks a second
    for `seconds` to the running workers; and how many tasks that was."""
    from django_tasks_db.models import DBTaskResult

    _clear()
    total = max(1, int(rate * seconds))
    began = time.monotonic()
    for n in range(total):
        pause = began + n / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        _enqueue(kind, 1, start=n)
    if not _finished(total, timeout=120):
        raise SystemExit("the workers did not finish the steady run")
    _check_all_succeeded(kind)
    latencies = sorted(
        (r.finished_at - r.enqueued_at).total_seconds() for r in DBTaskResult.objects.all()
    )
    p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
    return statistics.median(latencies), p95, total


def main() -> None:
    _setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("task throughput: PostgreSQL only (set DATABASE_URL, or run make bench); skipped")
        return
    call_command("migrate", verbosity=0)
    count = int(os.environ.get("BENCH_TASKS", "200"))
    seconds = float(os.environ.get("BENCH_TASK_SECONDS", "2"))
    print(
        f"task queue: django-tasks-db on PostgreSQL {connection.pg_version // 10000}, "
        f"{count} tasks a drain, steady runs at {STEADY_SHARE:.0%} of the drain rate "
        f"for {seconds:g} s; db_worker poll interval 1 s"
    )
    print(
        f"{'kind':<8} {'workers':>7} {'drain tasks/s':>14} {'steady tasks/s':>15} "
        f"{'latency median':>15} {'p95':>8}"
    )
    started = time.perf_counter()
    rows = []
    for workers in WORKER_COUNTS:
        running = _workers(workers)
        try:
            for kind in KINDS:
                rate = drain(kind, count)
                median, p95, total = steady(kind, rate * STEADY_SHARE, seconds)
                rows.append((kind, workers, rate, total / seconds, median, p95))
        finally:
            _stop(running)
    for kind, workers, rate, steady_rate, median, p95 in sorted(rows):
        print(
            f"{kind:<8} {workers:>7} {rate:>14.0f} {steady_rate:>15.0f} "
            f"{median * 1000:>12.0f} ms {p95 * 1000:>5.0f} ms"
        )
    _clear()
    print(f"task throughput: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
