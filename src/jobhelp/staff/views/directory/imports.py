"""An HSDS import by a manager (directory.hsds.importer): upload a partner's package or API
JSON; it is checked and run as a dry run, which lists every error with its JSON path (then
nothing can be written) or what would be created, updated and left alone; then importing it
for real. The upload waits between the two steps as a file of the `default` storage
(imports/hsds/<random name>, on the local disk or in object storage, so the next request and
the task worker read it on whichever machine they run), named in the person's session, and is
deleted after the import. The manager chooses which of the
organizations they manage the import is for (its managers see the job and its progress); a
choice outside those is refused on the form, nothing queued."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
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
UPLOADS = "imports/hsds"
# A checked file nobody imported is removed at the next upload after this long.
KEEP_SECONDS = 24 * 3600


def _managed(user):
    return organizations_for(user, roles=MANAGING_ROLES).order_by("name", "pk")


def _manager_only(user) -> None:
    if not _managed(user).exists():
        raise PermissionDenied


def _kept_upload(request) -> str | None:
    """The storage name of the file this session checked, if it is still there."""
    name = request.session.get(SESSION_KEY, "")
    if not (name and name.isalnum()):
        return None
    stored = f"{UPLOADS}/{name}"
    return stored if default_storage.exists(stored) else None


def _remove_stale() -> None:
    """Checked files nobody imported, older than KEEP_SECONDS, are deleted."""
    try:
        _folders, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return
    limit = timezone.now() - timedelta(seconds=KEEP_SECONDS)
    for name in names:
        stored = f"{UPLOADS}/{name}"
        try:
            if default_storage.get_modified_time(stored) < limit:
                default_storage.delete(stored)
        except FileNotFoundError:  # removed a moment before by another request
            continue


def _run(request, stored: str, *, dry_run: bool):
    try:
        return import_hsds(Source(stored=stored), by=request.user, dry_run=dry_run), ""
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
    _remove_stale()
    name = secrets.token_hex(16)
    stored = default_storage.save(f"{UPLOADS}/{name}", form.cleaned_data["file"])
    previous = _kept_upload(request)
    if previous is not None:
        default_storage.delete(previous)
    report, problem = _run(request, stored, dry_run=True)
    if report is None or not report.ok:
        default_storage.delete(stored)
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
    stored = _kept_upload(request)
    if stored is None:
        return redirect("staff:directory:import")
    owner = ImportOwnerForm(request.POST, organizations=_managed(request.user))
    if not owner.is_valid():
        # The checked file stays for another try; nothing is queued.
        return _page(request, ImportForm(), owner=owner, status=400)
    request.session.pop(SESSION_KEY, None)
    job = start_import(
        organization=owner.cleaned_data["organization"],
        by=request.user,
        stored_name=stored,
        documents=request.session.pop(DOCUMENTS_KEY, 0),
        language=get_language(),
    )
    return redirect("staff:imports:progress", job.pk)
