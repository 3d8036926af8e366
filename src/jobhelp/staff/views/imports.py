"""The progress of an import running in the task worker (core.imports): rows done of the
total, then its counts or what went wrong. htmx asks for the status box alone every 2 seconds
until the import has finished; without JavaScript a "Refresh" link reloads the page. Only the
person who started it, or a manager of its organization, sees it (others get a 404)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core import imports as jobs
from jobhelp.staff.common.decorators import staff_member_required


def _kinds() -> dict[str, dict]:
    return {
        "materials.titles": {
            "title": _("Importing titles"),
            "unit": _("titles"),
            "back": reverse("staff:materials:titles"),
            "back_label": _("Back to the titles"),
            "counts": {
                "rows": _("Rows"),
                "new": _("New titles"),
                "changed": _("Changed"),
                "unchanged": _("Unchanged"),
            },
        },
        "directory.hsds": {
            "title": _("Importing directory entries"),
            "unit": _("documents"),
            "back": reverse("staff:directory:import"),
            "back_label": _("Back to the HSDS import"),
            "counts": {
                "created": _("Created"),
                "updated": _("Updated"),
                "unchanged": _("Unchanged"),
                "missing": _("Services not in the file (kept)"),
            },
        },
    }


@staff_member_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = (
        jobs.visible_to(
            request.user,
            acting_for=organizations_for(request.user),
            managing=organizations_for(request.user, roles=MANAGING_ROLES),
        )
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    kind = _kinds().get(job.kind)
    if kind is None:
        raise Http404
    stages = {"checking": _("Checking"), "writing": _("Writing")}
    context = {
        "job": job,
        "kind": kind,
        "stage": stages.get(job.stage, ""),
        "counts": [(label, job.result.get(name, 0)) for name, label in kind["counts"].items()],
    }
    template = "status.html" if request.headers.get("HX-Request") else "progress.html"
    return render(request, f"staff/imports/{template}", context)
