"""manage.py run_periodic: one round, --every, --job and --list."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.core.models import PeriodicJob

T = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def jobs(db, monkeypatch):
    """Two jobs of the test's own in place of the real registry; returns their runs."""
    registry = periodic.Registry()
    monkeypatch.setattr(periodic, "registry", registry)
    runs = []

    @registry.register("test.reminders", every=timedelta(minutes=1), description="Reminds.")
    def reminders(*, now):
        runs.append("test.reminders")
        return {"queued": 2}

    @registry.register("test.eraser", every=timedelta(days=1), description="Erases.")
    def eraser(*, now):
        runs.append("test.eraser")
        return {"erased": 0}

    return runs


def run(*args, verbosity=1) -> str:
    out = StringIO()
    call_command("run_periodic", *args, stdout=out, stderr=out, verbosity=verbosity)
    return out.getvalue()


def test_one_round_runs_each_due_job_and_exits(jobs):
    assert run() == "test.eraser: erased 0\ntest.reminders: queued 2\n"
    assert run() == "No job was due.\n"
    assert jobs == ["test.eraser", "test.reminders"]


def test_named_jobs_run_now_whether_due_or_not(jobs):
    run()
    assert run("--job", "test.eraser", "--job", "test.eraser") == "test.eraser: erased 0\n"
    assert jobs == ["test.eraser", "test.reminders", "test.eraser"]


def test_an_unknown_job_or_job_with_every_is_refused_before_anything_runs(jobs):
    with pytest.raises(CommandError, match=r"Unknown job test\.nothing; see run_periodic --list"):
        run("--job", "test.reminders", "--job", "test.nothing")
    with pytest.raises(CommandError, match="leave out --every"):
        run("--job", "test.reminders", "--every", "60")
    assert jobs == []


def test_a_failed_job_fails_the_command_after_the_others_ran(jobs):
    @periodic.job("test.broken", every=timedelta(days=1), description="Fails.")
    def broken(*, now):
        raise LookupError

    out = StringIO()
    with pytest.raises(CommandError, match=r"Failed: test.broken\."):
        call_command("run_periodic", stdout=out, stderr=out)
    assert out.getvalue() == (
        "test.broken: failed (LookupError)\ntest.eraser: erased 0\ntest.reminders: queued 2\n"
    )


def test_every_repeats_rounds_quietly_and_closes_old_connections_between_them(jobs, monkeypatch):
    sleeps, closed = [], []

    class Stop(Exception):
        pass

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise Stop
        # A minute passes: the reminders are due again.
        PeriodicJob.objects.filter(name="test.reminders").update(next_run_at=timezone.now())

    command = "jobhelp.core.management.commands.run_periodic"
    monkeypatch.setattr(f"{command}.time.sleep", sleep)
    monkeypatch.setattr(f"{command}.close_old_connections", lambda: closed.append(True))

    out = StringIO()
    with pytest.raises(Stop):
        call_command("run_periodic", "--every", "60", stdout=out, stderr=out)
    assert (out.getvalue(), jobs, sleeps, closed) == (
        "",
        ["test.eraser", "test.reminders", "test.reminders"],
        [60, 60],
        [True],
    )


def test_list_shows_each_job_with_its_interval_and_next_run(jobs, settings):
    settings.TIME_ZONE = "America/Chicago"
    periodic.run_jobs(names=["test.reminders"], now=T)

    assert run("--list") == (
        "test.eraser     every 1 d     never run: due now\n"
        "                Erases.\n"
        "test.reminders  every 1 min   next 2026-03-02 09:01 CST, "
        "last finished 2026-03-02 09:00 CST\n"
        "                Reminds.\n"
    )
    assert jobs == ["test.reminders"]
