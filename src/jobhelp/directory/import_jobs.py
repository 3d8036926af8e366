"""Starting a confirmed HSDS import in the task worker (core.imports); the work is
directory.hsds.jobs.run_import_job."""

from django.db import transaction

from jobhelp.core import imports as jobs
from jobhelp.core.models import ImportJob
from jobhelp.directory.tasks import import_hsds_job

KIND = "directory.hsds"


def start_import(*, organization, by, stored_name: str, documents: int, language: str) -> ImportJob:
    """Queue the import of the checked file `stored_name` in the `default` storage (the local
    disk or object storage, which the task worker reads wherever it runs; it deletes the file
    after) (`documents` documents, counted by the dry
    run) by the manager `by`, shown to `organization`'s managers. Side effects: audit
    ``jobhelp.import_job.queued``; the task directory.tasks.import_hsds_job enqueued after
    commit."""
    job = jobs.start(KIND, organization=organization, by=by, total=documents)
    transaction.on_commit(
        lambda: import_hsds_job.enqueue(job.pk, stored_name=stored_name, language=language)
    )
    return job
