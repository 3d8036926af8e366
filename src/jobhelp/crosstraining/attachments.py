"""A training's materials: files for its attendees (a PDF, including slides saved as a PDF, or a
picture as PNG or JPEG), checked by content (core.files.validate_evidence: size first, then the
bytes, whatever the name says) and stored under a random name in MEDIA_ROOT/training/<year>/,
which is never served directly, by the shared core.attachments. They hold no personal data
(docs/crosstraining.md)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jobhelp.core import files
from jobhelp.core.attachments import add_file, remove_file
from jobhelp.crosstraining import rules
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.models import Training, TrainingMaterial


def _refuse_edit() -> CrosstrainingError:
    return CrosstrainingError(
        _("Only the trainer, and the managers and liaisons of its organization, can do this.")
    )


def add_material(training: Training, *, by, upload, title: str = "") -> TrainingMaterial:
    """Attach a file to `training`. The upload is checked by size and content
    (core.files.validate_evidence); its name is kept only as a cleaned label and refused if it
    holds a path. Nothing is written, and no file stays in storage, when it is refused.

    Side effects: the file written under MEDIA_ROOT; audit ``jobhelp.training.material_added``
    (data: the kind and size, never the name).
    """
    if not rules.can_edit_training(by, training):
        raise _refuse_edit()
    try:
        return add_file(
            TrainingMaterial(training=training, title=title.strip()),
            by=by,
            upload=upload,
            validate=files.validate_evidence,
            action="jobhelp.training.material_added",
            organization=training.organization,
            obj=training,
            audit_key="material",
        )
    except ValidationError as error:
        raise CrosstrainingError(" ".join(error.messages)) from None


def remove_material(material: TrainingMaterial, *, by) -> None:
    """Remove a file from its training.

    Side effects: the file deleted once committed; audit ``jobhelp.training.material_removed``.
    """
    training = material.training
    if not rules.can_edit_training(by, training):
        raise _refuse_edit()
    remove_file(
        material,
        by=by,
        action="jobhelp.training.material_removed",
        organization=training.organization,
        obj=training,
        audit_key="material",
    )
