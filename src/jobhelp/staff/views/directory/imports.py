"""An HSDS import by a manager (directory.hsds.importer): upload a partner's package or API
JSON; it is checked and run as a dry run, which lists every error with its JSON path (then
nothing can be written) or what would be created, updated and left alone; then importing it
for real. The upload waits between the two steps in a private temporary file named in the
person's session, and is deleted after the import. The manager chooses which of the
organizations they manage the import is for (its managers see the job and its progress); a
choice outside those is refused on the form, nothing queued."""

import secrets
import tempfile
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.directory.hsds.importer import Source, SourceError, import_hsds
from jobhelp.directory.import_jobs import start_import
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import ImportForm, ImportOwnerForm

SESSION_KEY = "hsds_import"
DOCUMENTS_KEY = "hsds_import_documents"
UPLOADS = Path(tempfile.gettempdir()) / "jobhelp-hsds-imports"
# A checked file nobody imported is removed at the next upload after this long.
KEEP_SECONDS = 24 * 3600


def _managed(user):
    return organizations_for(user, roles=MANAGING_ROLES).order_by("name", "pk")


def _manager_only(user) -> None:
    if not _managed(user).exists():
        raise PermissionDenied


def _kept_upload(request) -> Path | None:
    name = request.session.get(SESSION_KEY, "")
    path = UPLOADS / name
    return path if name and name.isalnum() and path.is_file() else None


def _run(request, path: Path, *, dry_run: bool):
    try:
        return import_hsds(Source(path=path), by=request.user, dry_run=dry_run), ""
    except SourceError as error:
        return None, str(error)


def _summary(report) -> list[dict]:
    kinds = sorted(set(report.created) | set(report.updated) | set(report.unchanged))
    return [
        {
            "kind": kind,
            "created": report.created.get(kind, []),
            "updated": report.updated.get(kind, []),
            "unchanged": report.unchanged.get(kind, 0),
        }
        for kind in kinds
    ]


def _page(request, form, *, report=None, problem="", imported=False, owner=None, status=200):
    return render(
        request,
        "staff/directory/import.html",
        {
            "form": form,
            "report": report,
            "summary": _summary(report) if report else [],
            "problem": problem,
            "imported": imported,
            "owner": owner,
        },
        status=status,
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The upload, checked and run as a dry run; nothing is written here."""
    _manager_only(request.user)
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    UPLOADS.mkdir(mode=0o700, exist_ok=True)
    for old in UPLOADS.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    name = secrets.token_hex(16)
    path = UPLOADS / name
    with path.open("wb") as target:
        for chunk in form.cleaned_data["file"].chunks():
            target.write(chunk)
    previous = _kept_upload(request)
    if previous is not None:
        previous.unlink(missing_ok=True)
    report, problem = _run(request, path, dry_run=True)
    if report is None or not report.ok:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        return _page(request, ImportForm(), report=report, problem=problem, status=400)
    request.session[SESSION_KEY] = name
    request.session[DOCUMENTS_KEY] = report.read
    return _page(
        request,
        ImportForm(),
        report=report,
        owner=ImportOwnerForm(organizations=_managed(request.user)),
    )


@staff_member_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """Import the file checked by the dry run in the task worker (checked again first, as the
    data may have changed since), and show its progress."""
    _manager_only(request.user)
    path = _kept_upload(request)
    if path is None:
        return redirect("staff:directory:import")
    owner = ImportOwnerForm(request.POST, organizations=_managed(request.user))
    if not owner.is_valid():
        # The checked file stays for another try; nothing is queued.
        return _page(request, ImportForm(), owner=owner, status=400)
    request.session.pop(SESSION_KEY, None)
    job = start_import(
        organization=owner.cleaned_data["organization"],
        by=request.user,
        path=path,
        documents=request.session.pop(DOCUMENTS_KEY, 0),
        language=get_language(),
    )
    return redirect("staff:imports:progress", job.pk)
