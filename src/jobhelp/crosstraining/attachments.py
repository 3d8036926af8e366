"""A training's materials: files for its attendees (a PDF, including slides saved as a PDF, or a
picture as PNG or JPEG), checked by content with the partnerships' upload checks
(partnerships.files: size first, then the bytes, whatever the name says) and stored under a
random name in MEDIA_ROOT/training/<year>/, which is never served directly. They hold no personal
data (docs/crosstraining.md)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.crosstraining import rules
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.models import Training, TrainingMaterial
from jobhelp.partnerships import files


def _refuse_edit() -> CrosstrainingError:
    return CrosstrainingError(
        _("Only the trainer, and the managers and liaisons of its organization, can do this.")
    )


def add_material(training: Training, *, by, upload, title: str = "") -> TrainingMaterial:
    """Attach a file to `training`. The upload is checked by size and content
    (partnerships.files.validate_evidence); its name is kept only as a cleaned label and refused
    if it holds a path. Nothing is written, and no file stays in storage, when it is refused.

    Side effects: the file written under MEDIA_ROOT; audit ``jobhelp.training.material_added``
    (data: the kind and size, never the name).
    """
    if not rules.can_edit_training(by, training):
        raise _refuse_edit()
    try:
        shown = files.display_name(upload.name)
        kind = files.validate_evidence(upload)
    except ValidationError as error:
        raise CrosstrainingError(" ".join(error.messages)) from None
    material = TrainingMaterial(
        training=training,
        title=title.strip(),
        display_name=shown,
        size=upload.size,
        sha256=files.sha256_of(upload),
        uploaded_by=by,
    )
    storage = TrainingMaterial._meta.get_field("file").storage
    stored = ""
    try:
        with transaction.atomic():
            material.file.save(files.stored_name(kind), upload, save=False)
            stored = material.file.name
            material.save()
            audit.record(
                "jobhelp.training.material_added",
                actor=by,
                organization=training.organization,
                obj=training,
                data={"material": material.pk, "kind": kind.extension, "bytes": upload.size},
            )
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return material


def remove_material(material: TrainingMaterial, *, by) -> None:
    """Remove a file from its training.

    Side effects: the file deleted once committed; audit ``jobhelp.training.material_removed``.
    """
    training = material.training
    if not rules.can_edit_training(by, training):
        raise _refuse_edit()
    stored = material.file.name
    storage = material.file.storage
    with transaction.atomic():
        audit.record(
            "jobhelp.training.material_removed",
            actor=by,
            organization=training.organization,
            obj=training,
            data={"material": material.pk},
        )
        material.delete()
        transaction.on_commit(lambda: storage.delete(stored))
