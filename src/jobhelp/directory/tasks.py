"""directory's background tasks: they take ids and plain values and call a domain function;
safe to run twice."""

from django.tasks import task

from jobhelp.directory.hsds.jobs import run_import_job


@task()
def import_hsds_job(job_id: int, *, language: str, stored_name: str = "", path: str = "") -> str:
    """Import a confirmed HSDS file (directory.hsds.jobs.run_import_job): `stored_name` in the
    `default` storage; `path` only for a job queued before the files moved there."""
    return run_import_job(job_id, stored_name=stored_name, path=path, language=language)
