"""materials' background tasks: they take ids and call a domain function; safe to run twice."""

from django.tasks import task

from jobhelp.materials.imports import run_import_job
from jobhelp.materials.thumbnails import make_thumbnail


@task()
def make_material_thumbnail(material_id: int) -> str | None:
    """Draw a new material's first page (materials.thumbnails.make_thumbnail)."""
    state = make_thumbnail(material_id)
    return state.value if state else None


@task()
def import_titles_job(job_id: int, *, stored_name: str, language: str) -> str:
    """Import a confirmed CSV file of titles (materials.imports.run_import_job)."""
    return run_import_job(job_id, stored_name=stored_name, language=language)
