"""directory's background tasks: they take ids and plain values and call a domain function;
safe to run twice."""

from django.tasks import task

from jobhelp.directory.hsds.jobs import run_import_job


@task()
def import_hsds_job(job_id: int, *, path: str, language: str) -> str:
    """Import a confirmed HSDS file (directory.hsds.jobs.run_import_job)."""
    return run_import_job(job_id, path=path, language=language)
