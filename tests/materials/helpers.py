"""Sending materials as the pages will, for tests that need one."""

from datetime import date

from jobhelp.materials import domain
from jobhelp.materials.domain import MaterialDetails
from jobhelp.materials.enums import MaterialKind
from tests.materials.files import pdf, upload

MARCH = date(2026, 3, 1)


def send(
    organization,
    by,
    targets,
    *,
    title="Workshops in March",
    month=MARCH,
    kind=MaterialKind.MONTHLY_FLYER,
    content=None,
    now=None,
    **details,
):
    """A material sent through the domain function, as the upload page will."""
    values = {"kind": kind, "title": title, **details}
    if kind == MaterialKind.MONTHLY_FLYER:
        values["month"] = month
    else:
        values.setdefault("valid_from", month)
    return domain.upload_material(
        organization,
        by=by,
        upload=upload("flyer.pdf", content or pdf(title)),
        details=MaterialDetails(**values),
        targets=targets,
        now=now,
    )
