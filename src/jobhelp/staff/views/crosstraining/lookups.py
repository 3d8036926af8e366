"""Finding what the person may see in the cross-training area (a 404 otherwise)."""

from functools import wraps

from django.http import FileResponse, Http404
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jobhelp.crosstraining import queries
from jobhelp.partnerships import files


def _found(value):
    if value is None:
        raise Http404
    return value


def training_or_404(user, pk: int):
    return _found(queries.training_for_user(user, pk))


def requirement_or_404(user, pk: int):
    return _found(queries.requirement_for_user(user, pk))


def card_or_404(user, pk: int):
    return _found(queries.card_for_user(user, pk))


def loan_or_404(user, pk: int):
    return _found(queries.loan_for_lender(user, pk))


def material_or_404(user, pk: int):
    return _found(queries.material_for_user(user, pk))


def takes_upload(view):
    """Put partnerships.files.UploadSizeLimit first among the upload handlers before the body is
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
