"""The staff pages of a file attached to a record (core.attachments): the upload page, the
download and the removal, the same for a training's materials and an agreement's PDFs. Each
area's view finds its record (a 404 for what the person does not see), checks its own
permission and passes its domain function; nothing here decides who may do what."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jobhelp.core.files import StoredFile
from jobhelp.staff.common.uploads import serve_file


def upload_page(
    request: HttpRequest,
    *,
    form_class,
    upload_limit,
    add: Callable,
    refused: type[Exception],
    back: tuple,
    template: str,
    context: dict,
) -> HttpResponse:
    """The form to attach a file (GET), and attaching it (POST): `add(upload=, title=)` is the
    area's domain function for its record; its refusal (`refused`) shows on the file field. On
    success, back to `back` (a URL name and its arguments) saying the file is attached."""
    posted = request.method == "POST"
    form = form_class(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=upload_limit.too_large,
    )
    if posted and form.is_valid():
        try:
            row = add(upload=form.cleaned_data["file"], title=form.cleaned_data["title"])
        except refused as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": row.display_name})
            return redirect(*back)
    return render(request, template, {**context, "form": form})


def download(find: Callable[[], StoredFile | None]) -> HttpResponse:
    """The file `find()` returns (the area's scoped query) as a download; a 404 when it finds
    nothing or the stored file is gone."""
    try:
        stored = find()
    except FileNotFoundError:
        raise Http404 from None
    if stored is None:
        raise Http404
    return serve_file(stored)


def remove(
    request: HttpRequest, row, *, remove: Callable[[], None], refused: type[Exception], back: tuple
) -> HttpResponse:
    """Remove `row` with the area's domain function; back to `back` saying it is removed, or
    why it was refused."""
    try:
        remove()
    except refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": row.display_name})
    return redirect(*back)
