"""A confirmed HSDS import run by the task worker (core.imports; directory.import_jobs starts
it): `run_import_job` does the work, writing how many documents are done to the job as it
goes."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from jobhelp.core import imports as jobs
from jobhelp.core.models import ImportJob
from jobhelp.directory.hsds.importer import Source, SourceError, import_hsds

State = ImportJob.State


def run_import_job(job_id: int, *, language: str, stored_name: str = "", path: str = "") -> str:
    """Import the file `stored_name` of the `default` storage (or, for a job queued before the
    uploads moved there, the file at `path` on this machine) for the job's manager (checked
    again first, as the data may have changed since the dry run), then delete it. Returns the
    job's state; safe to run twice (only the run that claims the queued job imports)."""
    if not jobs.record(job_id, stage="checking", done=0, claim=True):
        return ImportJob.objects.get(pk=job_id).state
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)

    def progress(stage: str, done: int) -> None:
        if stage != "done":
            # The writing stage runs in the import's transaction: its progress is written aside.
            jobs.record(job_id, stage=stage, done=done, aside=stage == "writing")

    with translation.override(language):
        try:
            source = Source(stored=stored_name) if stored_name else Source(path=Path(path))
            report = import_hsds(source, by=job.started_by, progress=progress)
        except (SourceError, OSError) as error:
            jobs.record(
                job_id, state=State.FAILED, error=str(error) or _("The file could not be read.")
            )
            return State.FAILED
        finally:
            if stored_name:
                default_storage.delete(stored_name)
            else:
                Path(path).unlink(missing_ok=True)
        if not report.ok:
            shown = "; ".join(str(problem) for problem in report.errors[:5])
            jobs.record(
                job_id,
                state=State.FAILED,
                error=_("Nothing was imported: %(errors)s") % {"errors": shown},
            )
            return State.FAILED
    jobs.record(
        job_id,
        state=State.DONE,
        done=report.read,
        total=report.read,
        result={
            "created": sum(len(ids) for ids in report.created.values()),
            "updated": sum(len(ids) for ids in report.updated.values()),
            "unchanged": sum(report.unchanged.values()),
            "missing": len(report.missing),
        },
    )
    return State.DONE
