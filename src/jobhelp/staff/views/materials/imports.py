"""Importing a CSV file of titles: the file is checked and previewed (what would be new, changed
and unchanged, and every wrong row by line and column), kept aside under a random name while
the person looks, and imported only when they confirm; nothing is written before, nor when a
row is wrong."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.materials.errors import MaterialError
from jobhelp.materials.forms import ImportForm
from jobhelp.materials.import_jobs import start_import
from jobhelp.materials.imports import preview_import
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.materials.lookups import acting_for, door

PENDING = "materials_import"


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        default_storage.delete(pending["name"])


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    door(request)
    organizations = acting_for(request.user)
    if not organizations.exists():
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organizations=organizations,
    )
    report = None
    token = ""
    if posted and form.is_valid():
        organization = form.cleaned_data["organization"]
        upload = form.cleaned_data["file"]
        try:
            report = preview_import(organization, by=request.user, upload=upload)
        except MaterialError as error:
            form.add_error(None, error.message)
        else:
            _forget(request)
            if report.ok and report.rows:
                token = secrets.token_urlsafe(16)
                upload.seek(0)
                name = default_storage.save(f"materials/imports/{token}.csv", upload)
                request.session[PENDING] = {
                    "name": name,
                    "token": token,
                    "organization": organization.pk,
                    "rows": report.rows,
                }
    return render(
        request,
        "staff/materials/import.html",
        {"form": form, "report": report, "token": token},
    )


@staff_member_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    door(request)
    pending = request.session.get(PENDING)
    if not pending or request.POST.get("token") != pending["token"]:
        messages.error(request, _("This import is out of date. Choose the file again."))
        return redirect("staff:materials:import")
    organization = acting_for(request.user).filter(pk=pending["organization"]).first()
    if organization is None:
        _forget(request)
        raise PermissionDenied
    # The task imports the file (checking it again first) and deletes it afterwards.
    request.session.pop(PENDING, None)
    try:
        job = start_import(
            organization,
            by=request.user,
            stored_name=pending["name"],
            rows=pending.get("rows", 0),
            language=get_language(),
        )
    except MaterialError as error:
        default_storage.delete(pending["name"])
        messages.error(request, error.message)
        return redirect("staff:materials:import")
    return redirect("staff:imports:progress", job.pk)
