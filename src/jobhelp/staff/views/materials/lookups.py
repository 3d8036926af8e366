"""The door of the area (a 403 for someone with no membership anywhere), finding what the
person may see (a 404 otherwise), uploads with the size limit, and serving a stored file."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.materials import files, queries


def door(request) -> None:
    """Materials are for people who work for some organization; an administrator without a
    membership has nothing here."""
    if not request.staff_roles:
        raise PermissionDenied


def found(value):
    if value is None:
        raise Http404
    return value


def acting_for(user):
    """The organizations the user acts for, library systems and centers first."""
    return organizations_for(user).order_by(F("parent").asc(nulls_first=True), "name", "pk")


def ordering_for(user):
    """The library systems and centers the user orders partners' titles for."""
    return organizations_for(user).filter(parent__isnull=True).order_by("name", "pk")


def refused(request, message, to, *args) -> HttpResponseRedirect:
    messages.error(request, str(message))
    return redirect(to, *args)


def takes_material(view):
    """Put files.MaterialSizeLimit first among the upload handlers before the body is read, and
    pass it to the view as `upload_limit`: a file over the limit is dropped as it arrives and
    the form says so. The CSRF check reads the body, so it runs after (csrf_protect inside)
    rather than in the middleware (csrf_exempt outside)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = files.MaterialSizeLimit(request)
        request.upload_handlers.insert(0, limit)
        return protected(request, *args, upload_limit=limit, **kwargs)

    return csrf_exempt(wrapper)


def serve_download(download: queries.Download | None) -> FileResponse:
    """A material's file with the headers materials.files gives: always an attachment, its
    type from its content, never sniffed."""
    if download is None:
        raise Http404
    response = FileResponse(download.file)
    for name, value in download.headers.items():
        response[name] = value
    return response


def serve_picture(picture: queries.Picture | None) -> HttpResponse:
    if picture is None:
        raise Http404
    response = HttpResponse(picture.content, content_type=picture.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
