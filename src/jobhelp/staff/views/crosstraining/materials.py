"""A training's materials: attaching a file (checked by content and size, stored under a random
name), downloading it through this permission-checked view, and removing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.attachments import add_material, remove_material
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import MaterialForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.uploads import serve_file, takes_upload
from jobhelp.staff.views.crosstraining.lookups import (
    material_or_404,
    training_or_404,
)


@staff_member_required
@takes_upload
@require_http_methods(["GET", "POST"])
def material_new(request: HttpRequest, pk: int, *, upload_limit) -> HttpResponse:
    training = training_or_404(request.user, pk)
    if not rules.can_edit_training(request.user, training):
        raise PermissionDenied
    posted = request.method == "POST"
    form = MaterialForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=upload_limit.too_large,
    )
    if posted and form.is_valid():
        try:
            material = add_material(
                training,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except CrosstrainingError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request, _("“%(name)s” is attached.") % {"name": material.display_name}
            )
            return redirect("staff:crosstraining:training", training.pk)
    return render(
        request, "staff/crosstraining/material_form.html", {"training": training, "form": form}
    )


@staff_member_required
@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        stored = queries.material_file_for_user(request.user, pk)
    except FileNotFoundError:
        raise Http404 from None
    if stored is None:
        raise Http404
    return serve_file(stored)


@staff_member_required
@require_POST
def material_remove(request: HttpRequest, pk: int) -> HttpResponse:
    material = material_or_404(request.user, pk)
    training = material.training
    try:
        remove_material(material, by=request.user)
    except CrosstrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": material.display_name})
    return redirect("staff:crosstraining:training", training.pk)
