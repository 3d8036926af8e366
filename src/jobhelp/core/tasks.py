from django.tasks import task

from jobhelp.core import periodic


@task()
def run_periodic_jobs() -> dict[str, str]:
    """One round of `manage.py run_periodic` as a task, for a deployment whose scheduler
    enqueues tasks. Safe to run twice: each job runs only when due and under its lock.
    Returns each job run with its outcome (ran or failed)."""
    return {outcome.job: outcome.status.value for outcome in periodic.run_jobs()}
