"""Class flyers: which uploads are accepted, and how big they may be.

A flyer is a PDF, PNG or JPEG, recognised by its first bytes, never by the name or the type the
browser sent (a file named flyer.pdf that holds HTML is refused). It is at most MAX_BYTES: the
size is checked before anything is read, and on the staff pages FlyerSizeLimit drops a larger
file while it arrives, so no more than MAX_BYTES and one chunk are ever held in memory or in a
temporary file. Stored flyers get a random name (stored_name) and are served by a view with the
type found here, never straight from MEDIA_ROOT.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.files import UploadSizeLimit

MAX_BYTES = 5 * 1024 * 1024

TOO_LARGE = _(
    "The flyer is larger than 5 MB. Save it smaller (for example as a PDF) and try again."
)
EMPTY = _("The flyer file is empty.")
WRONG_KIND = _(
    "The flyer must be a PDF, PNG or JPEG file. This file is something else, "
    "whatever its name says."
)


@dataclass(frozen=True)
class FlyerKind:
    extension: str
    content_type: str


PDF = FlyerKind("pdf", "application/pdf")
PNG = FlyerKind("png", "image/png")
JPEG = FlyerKind("jpg", "image/jpeg")

# The first bytes of each kind of file ("magic numbers").
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
HEAD_BYTES = max(len(signature) for signature, _kind in SIGNATURES)


def kind_of(head: bytes) -> FlyerKind | None:
    """The kind of file that starts with `head`, or None for anything else."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def validate_flyer(upload) -> FlyerKind:
    """Check an uploaded flyer: its size first (without reading it), then its first bytes.
    Raises ValidationError with a message for the person uploading."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = kind_of(head)
    if kind is None:
        raise ValidationError(WRONG_KIND, code="wrong_kind")
    return kind


def stored_name(kind: FlyerKind) -> str:
    """A fresh random file name; the uploaded name is never used (it may be personal, or
    crafted), and the random part makes flyers' addresses in storage unguessable."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


def kind_of_stored(field_file) -> FlyerKind | None:
    """The kind of a stored flyer, read from its first bytes."""
    with field_file.open("rb") as stored:
        return kind_of(stored.read(HEAD_BYTES))


class FlyerSizeLimit(UploadSizeLimit):
    """The first upload handler of a page that takes a flyer: drops a flyer once it passes
    MAX_BYTES as it arrives (core.files.UploadSizeLimit, whose note on CSRF applies)."""

    def limit(self) -> int:
        return MAX_BYTES
