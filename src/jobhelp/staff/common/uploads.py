"""Uploads and downloads of the staff areas that keep files (partnership attachments and
evidence, training materials): the upload size limit applied as the body arrives, and a stored
file served as a download."""

from functools import wraps

from django.http import FileResponse, Http404
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jobhelp.core import files


def takes_upload(view):
    """Put core.files.UploadSizeLimit first among the upload handlers before the body is
    read, and pass it to the view as `upload_limit`: a file over the limit is dropped as it
    arrives and the form says so. The CSRF check reads the body, so it runs after (csrf_protect
    inside) rather than in the middleware (csrf_exempt outside)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = files.UploadSizeLimit(request)
        request.upload_handlers.insert(0, limit)
        return protected(request, *args, upload_limit=limit, **kwargs)

    return csrf_exempt(wrapper)


def serve_file(stored):
    """A stored file as a download: never shown in the browser, its type not guessed, not kept
    in any cache."""
    try:
        handle = stored.open()
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=stored.content_type, as_attachment=True, filename=stored.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
