"""The periodic-job registry and its runner: due-ness, the lock, failures and the audit."""

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry, PeriodicJob

T = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def jobs(monkeypatch):
    """An empty registry in place of the real one, for jobs declared by the test."""
    registry = periodic.Registry()
    monkeypatch.setattr(periodic, "registry", registry)
    return registry


def ran(outcomes) -> list[tuple[str, str, dict]]:
    return [(o.job, o.status.value, o.counts) for o in outcomes]


def row(name: str) -> tuple:
    job = PeriodicJob.objects.get(name=name)
    return (
        job.next_run_at,
        job.locked_until,
        job.last_started_at,
        job.last_finished_at,
        job.last_counts,
        job.last_error,
    )


def periodic_entries() -> list[dict]:
    return list(
        AuditEntry.objects.filter(action="jobhelp.periodic.ran")
        .order_by("pk")
        .values("actor", "organization", "object_id", "data")
    )


def test_each_app_declares_its_jobs_and_they_are_found():
    assert [(job.name, job.every) for job in periodic.registry.jobs()] == [
        ("casework.note_eraser", DAY),
        ("core.rate_limit_eraser", HOUR),
        ("crosstraining.card_reminders", HOUR),
        ("crosstraining.training_reminders", HOUR),
        ("directory.count_aggregation", HOUR),
        ("directory.review_reminders", DAY),
        ("intake.request_eraser", DAY),
        ("materials.flyer_reminders", 15 * MINUTE),
        ("notifications.outbox_eraser", DAY),
        ("notifications.outbox_sweep", MINUTE),
        ("partnerships.action_item_reminders", HOUR),
        ("partnerships.agreement_expiry", HOUR),
        ("partnerships.renewal_reminders", HOUR),
        ("referrals.detail_eraser", DAY),
        ("referrals.expiry", 15 * MINUTE),
        ("referrals.webhooks", MINUTE),
        ("scheduling.appointment_reminders", MINUTE),
        ("workshops.class_reminders", MINUTE),
        ("workshops.offer_expiry", MINUTE),
        ("workshops.registration_eraser", DAY),
    ]
    assert all(job.description for job in periodic.registry.jobs())


def test_a_name_is_app_dot_job_and_is_declared_once(jobs):
    def one(*, now):
        return {}

    def another(*, now):
        return {}

    jobs.register("test.one", every=HOUR, description="One.")(one)
    jobs.register("test.one", every=HOUR, description="One.")(one)
    with pytest.raises(ValueError, match="declared twice"):
        jobs.register("test.one", every=HOUR, description="Another.")(another)
    with pytest.raises(ValueError, match=r"<app>\.<job>"):
        jobs.register("Reminders", every=HOUR, description="Bad name.")
    with pytest.raises(ValueError, match="positive interval"):
        jobs.register("test.never", every=timedelta(0), description="No interval.")
    assert [job.name for job in jobs.jobs()] == ["test.one"]


def test_a_due_job_runs_once_and_not_again_until_its_interval_has_passed(db, jobs):
    calls = []

    @periodic.job("test.hourly", every=HOUR, description="Counts its runs.")
    def hourly(*, now):
        calls.append(now)
        return {"counted": 1}

    assert ran(periodic.run_jobs(now=T)) == [("test.hourly", "ran", {"counted": 1})]
    assert row("test.hourly") == (T + HOUR, None, T, T, {"counted": 1}, "")
    assert periodic.run_jobs(now=T) == []
    assert periodic.run_jobs(now=T + HOUR - timedelta(seconds=1)) == []
    assert ran(periodic.run_jobs(now=T + HOUR)) == [("test.hourly", "ran", {"counted": 1})]
    assert calls == [T, T + HOUR]
    assert row("test.hourly") == (T + 2 * HOUR, None, T + HOUR, T + HOUR, {"counted": 1}, "")


def test_naming_a_job_runs_it_now_even_when_it_is_not_due(db, jobs):
    calls = []
    periodic.job("test.daily", every=DAY, description="Daily.")(
        lambda *, now: calls.append(now) or {}
    )
    periodic.job("test.other", every=DAY, description="Not named.")(
        lambda *, now: calls.append("other") or {}
    )
    periodic.run_jobs(now=T)

    assert ran(periodic.run_jobs(names=["test.daily"], now=T + HOUR)) == [("test.daily", "ran", {})]
    assert calls == [T, "other", T + HOUR]
    assert PeriodicJob.objects.get(name="test.daily").next_run_at == T + HOUR + DAY
    with pytest.raises(KeyError):
        periodic.run_jobs(names=["test.unknown"], now=T)


def test_a_failing_job_is_recorded_released_and_the_others_still_run(db, jobs, caplog):
    patron = "rosa@example.org"

    @periodic.job("test.broken", every=DAY, description="Always fails.")
    def broken(*, now):
        # The message names a patron: the log must not (the stack shows this line, unfilled).
        raise RuntimeError(f"could not write to {patron}")

    @periodic.job("test.working", every=DAY, description="Works.")
    def working(*, now):
        return {"done": 1}

    with caplog.at_level(logging.ERROR, logger="jobhelp.core.periodic"):
        outcomes = periodic.run_jobs(now=T)

    assert ran(outcomes) == [("test.broken", "failed", {}), ("test.working", "ran", {"done": 1})]
    assert outcomes[0].error == "RuntimeError"
    # Tried again before its day is up; not held by anyone.
    assert row("test.broken") == (T + periodic.RETRY_AFTER_FAILURE, None, T, T, {}, "RuntimeError")
    assert "periodic job test.broken failed: RuntimeError" in caplog.text
    assert "rosa@example.org" not in caplog.text
    assert [entry["data"]["job"] for entry in periodic_entries()] == ["test.working"]
    assert ran(periodic.run_jobs(now=T + periodic.RETRY_AFTER_FAILURE)) == [
        ("test.broken", "failed", {})
    ]


def test_a_job_that_returns_something_other_than_counts_has_failed(db, jobs):
    periodic.job("test.chatty", every=DAY, description="Returns text.")(
        lambda *, now: {"patron": "rosa@example.org"}
    )
    periodic.job("test.negative", every=DAY, description="Returns a minus.")(
        lambda *, now: {"erased": -1}
    )

    assert ran(periodic.run_jobs(now=T)) == [
        ("test.chatty", "failed", {}),
        ("test.negative", "failed", {}),
    ]
    assert periodic_entries() == []


def test_a_run_that_did_something_is_audited_with_its_counts_only(db, jobs):
    queued = iter([0, 3, 0])

    @periodic.job("test.reminders", every=MINUTE, description="Queues reminders.")
    def reminders(*, now):
        return {"queued": next(queued), "skipped": 0}

    periodic.run_jobs(now=T)
    assert periodic_entries() == []
    periodic.run_jobs(now=T + MINUTE)
    periodic.run_jobs(now=T + 2 * MINUTE)

    assert periodic_entries() == [
        {
            "actor": None,
            "organization": None,
            "object_id": "",
            "data": {"job": "test.reminders", "queued": 3, "skipped": 0},
        }
    ]


def test_a_job_held_by_another_runner_waits_for_its_lease_to_pass(db, jobs):
    calls = []
    periodic.job("test.held", every=MINUTE, description="Held.")(
        lambda *, now: calls.append(now) or {}
    )
    # A runner took it at T and died without releasing it.
    PeriodicJob.objects.create(name="test.held", next_run_at=T, locked_until=T + 10 * MINUTE)

    assert periodic.run_jobs(now=T + 9 * MINUTE) == []
    assert ran(periodic.run_jobs(names=["test.held"], now=T + 9 * MINUTE)) == [
        ("test.held", "busy", {})
    ]
    assert ran(periodic.run_jobs(now=T + 10 * MINUTE)) == [("test.held", "ran", {})]
    assert calls == [T + 10 * MINUTE]


def test_a_runner_past_its_lease_leaves_the_next_runners_lock_alone(db, jobs):
    @periodic.job("test.slow", every=HOUR, description="Slow.", lease=MINUTE)
    def slow(*, now):
        # Meanwhile the lease ran out and another runner took the job until T + 5 minutes.
        PeriodicJob.objects.filter(name="test.slow").update(
            locked_until=T + 5 * MINUTE, last_started_at=T + 2 * MINUTE
        )
        return {"done": 1}

    assert ran(periodic.run_jobs(now=T)) == [("test.slow", "ran", {"done": 1})]
    assert row("test.slow") == (T, T + 5 * MINUTE, T + 2 * MINUTE, None, {}, "")


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_run_a_due_job_exactly_once(jobs):
    entered = []
    release = threading.Event()

    @periodic.job("test.once", every=MINUTE, description="Must run once.")
    def once(*, now):
        entered.append(threading.current_thread().name)
        # Hold the job until the other runner has tried and given up.
        release.wait(timeout=10)
        return {"done": 1}

    barrier = threading.Barrier(2)
    results = {}

    def runner():
        try:
            barrier.wait(timeout=10)
            results[threading.current_thread().name] = periodic.run_jobs(now=T)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while not results and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(timeout=30)

    assert len(entered) == 1
    assert sorted(ran(outcomes) for outcomes in results.values()) == [
        [],
        [("test.once", "ran", {"done": 1})],
    ]
    assert row("test.once") == (T + MINUTE, None, T, T, {"done": 1}, "")
    assert [entry["data"] for entry in periodic_entries()] == [{"job": "test.once", "done": 1}]


def test_the_task_runs_one_round(db, jobs, run_worker):
    from jobhelp.core.tasks import run_periodic_jobs

    periodic.job("test.tasked", every=HOUR, description="Run by the worker.")(
        lambda *, now: {"done": 1}
    )
    run_periodic_jobs.enqueue()
    run_worker()

    assert PeriodicJob.objects.get(name="test.tasked").last_counts == {"done": 1}
