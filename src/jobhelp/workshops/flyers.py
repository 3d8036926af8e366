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
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

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


class FlyerSizeLimit(FileUploadHandler):
    """The first upload handler of a page that takes a flyer. It counts each file's bytes as
    they arrive and drops the file (SkipFile) once it passes MAX_BYTES, so a large upload is
    never stored whole in memory or on disk. The rest of that file is read and thrown away,
    so the other fields still arrive and the page can answer with a message. The names of the
    fields it dropped are in `too_large`.

    Django reads the body before a view that is protected against CSRF runs, so a view that
    installs this handler is csrf_exempt and calls a csrf_protect'ed view after installing it.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large: set[str] = set()

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if content_length is not None and content_length > MAX_BYTES:
            self.too_large.add(field_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_BYTES:
            self.too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handler (in memory or a temporary file) makes the file.
        return None
