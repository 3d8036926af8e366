"""materials' background tasks: they take ids and call a domain function; safe to run twice."""

from django.tasks import task

from jobhelp.materials.thumbnails import make_thumbnail


@task()
def make_material_thumbnail(material_id: int) -> str | None:
    """Draw a new material's first page (materials.thumbnails.make_thumbnail)."""
    state = make_thumbnail(material_id)
    return state.value if state else None
