"""A training's materials: attaching a file (checked by content and size, stored under a random
name), downloading it through this permission-checked view, and removing it
(staff.common.attachments)."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.attachments import add_material, remove_material
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import MaterialForm
from jobhelp.staff.common import attachments
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.uploads import takes_upload
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
    return attachments.upload_page(
        request,
        form_class=MaterialForm,
        upload_limit=upload_limit,
        add=partial(add_material, training, by=request.user),
        refused=CrosstrainingError,
        back=("staff:crosstraining:training", training.pk),
        template="staff/crosstraining/material_form.html",
        context={"training": training},
    )


@staff_member_required
@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    return attachments.download(partial(queries.material_file_for_user, request.user, pk))


@staff_member_required
@require_POST
def material_remove(request: HttpRequest, pk: int) -> HttpResponse:
    material = material_or_404(request.user, pk)
    return attachments.remove(
        request,
        material,
        remove=partial(remove_material, material, by=request.user),
        refused=CrosstrainingError,
        back=("staff:crosstraining:training", material.training_id),
    )
