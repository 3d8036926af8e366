"""The picture of a material's first page, drawn after the upload is committed (by the task
materials.tasks.make_material_thumbnail), so that the upload never waits for a PDF renderer."""

from django.core.files.base import ContentFile
from django.db import transaction

from jobhelp.core import audit
from jobhelp.materials import files
from jobhelp.materials.enums import FileKind, ThumbnailState
from jobhelp.materials.models import Material


def make_thumbnail(material_id: int) -> ThumbnailState | None:
    """Draw the first page of a material whose picture is still to be made (files.
    thumbnail_png) and store it beside the file; when none can be drawn (a PDF without
    pdftoppm, or one it fails on), mark it so and the lists show the drawing of its kind of
    file. Safe to run twice: the picture is drawn outside any transaction (so a slow PDF holds
    no lock), then kept only by the run whose conditional UPDATE finds it still pending; a
    second run finds nothing to do and returns None.

    Side effects: a PNG written to storage; audit ``jobhelp.material.thumbnail_made`` (data:
    the state, ``ready`` or ``placeholder``).
    """
    material = (
        Material.objects.select_related("organization")
        .filter(pk=material_id, thumbnail_state=ThumbnailState.PENDING)
        .first()
    )
    if material is None:
        return None
    try:
        with material.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        content = b""
    picture = files.thumbnail_png(content, FileKind(material.file_kind)) if content else None
    storage = Material._meta.get_field("thumbnail").storage
    name = (
        storage.save(files.thumbnail_name(material.file.name), ContentFile(picture))
        if picture
        else ""
    )
    state = ThumbnailState.READY if picture else ThumbnailState.PLACEHOLDER
    with transaction.atomic():
        updated = Material.objects.filter(
            pk=material_id, thumbnail_state=ThumbnailState.PENDING
        ).update(thumbnail=name, thumbnail_state=state)
        if updated:
            audit.record(
                "jobhelp.material.thumbnail_made",
                organization=material.organization,
                obj=material,
                data={"state": state.value},
            )
    if not updated:
        if name:
            storage.delete(name)
        return None
    return state
