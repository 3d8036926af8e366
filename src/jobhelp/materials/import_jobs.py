"""Starting a confirmed import of titles in the task worker (core.imports): the job is created
and the task enqueued after commit; materials.imports.run_import_job does the work."""

from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.core import imports as jobs
from jobhelp.core.models import ImportJob
from jobhelp.materials import rules
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.tasks import import_titles_job
from jobhelp.organizations.models import Organization

KIND = "materials.titles"


def start_import(
    organization: Organization, *, by, stored_name: str, rows: int, language: str
) -> ImportJob:
    """Queue the import of the checked file kept as `stored_name` (`rows` rows, from the
    preview) for `organization`. Side effects: audit ``jobhelp.import_job.queued``; the task
    materials.tasks.import_titles_job enqueued after commit."""
    if not rules.can_edit_titles(by, organization):
        raise MaterialError(_("You can only import titles for your own organizations."))
    job = jobs.start(KIND, organization=organization, by=by, total=rows)
    transaction.on_commit(
        lambda: import_titles_job.enqueue(job.pk, stored_name=stored_name, language=language)
    )
    return job
