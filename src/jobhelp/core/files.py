"""Files staff upload to a record: an agreement's attachments (PDF only), the evidence that an
obligation was kept and a training's materials (a PDF, or a photo as PNG or JPEG). Stored and
removed by core.attachments (for the tables on core.models.AttachedFile) and
partnerships.obligations (evidence).

- **By content, never by name.** A PDF starts with ``%PDF-1.x`` (or 2.0) at its very first
  byte, has ``startxref`` with an offset inside the file near its end, and ends with
  ``%%EOF``; anything else (HTML renamed .pdf, a "polyglot" that starts with other content and
  hides a PDF further in, a cut-off download) is refused. Markup in the first kilobyte (the part
  browsers sniff) is refused too. PNG and JPEG are recognised by their signatures.
- **Size first.** The size is checked before anything is read, against
  settings.PARTNERSHIP_UPLOAD_MAX_BYTES; UploadSizeLimit, put first among a page's upload
  handlers, drops a larger file while it arrives.
- **Names.** A file is stored under a fresh random name (stored_name); the uploaded name is
  kept only as a label, cleaned (display_name), and one that holds a path is refused.
- **Serving** is the interfaces' job (staff.common.uploads.serve_file), given a StoredFile by
  the app's scoped query (stored_file here), with the type read again from the stored bytes and
  ``Content-Disposition: attachment``.
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")

_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_IMAGES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# How much of each end of a PDF is read: the header and what browsers sniff at the start, the
# cross-reference pointer and the end marker at the end.
_HEAD = 1024
_TAIL = 2048
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<body", b"<head", b"<svg", b"<iframe", b"<?xml")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
NAME_LENGTH = 150


def max_bytes() -> int:
    return settings.PARTNERSHIP_UPLOAD_MAX_BYTES


def _too_large() -> ValidationError:
    megabytes = max_bytes() // (1024 * 1024)
    return ValidationError(
        _("The file is larger than %(size)d MB. Save it smaller and try again.")
        % {"size": megabytes},
        code="too_large",
    )


def _check_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes():
        raise _too_large()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    return size


def _read_ends(upload, size: int) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(max(0, size - _TAIL))
    tail = upload.read(_TAIL)
    upload.seek(0)
    return head, tail


def _pdf_problem(head: bytes, tail: bytes, size: int) -> str | None:
    """Why these ends are not those of a PDF, or None."""
    if not _PDF_HEADER.match(head):
        return "wrong_kind"
    if any(marker in head.lower() for marker in _MARKUP):
        return "wrong_kind"
    found = _STARTXREF.search(tail.rstrip(b"\x00"))
    if found is None or int(found.group(1)) >= size:
        return "damaged"
    return None


def _refuse_pdf(code: str) -> ValidationError:
    if code == "damaged":
        return ValidationError(
            _("This PDF looks damaged or incomplete. Save it again as a PDF and try again."),
            code="damaged",
        )
    return ValidationError(
        _("The file must be a PDF. This file is something else, whatever its name says."),
        code="wrong_kind",
    )


def validate_pdf(upload) -> FileKind:
    """Check an agreement attachment: its size (without reading it), then its content.
    Raises ValidationError with a message for the person uploading."""
    size = _check_size(upload)
    problem = _pdf_problem(*_read_ends(upload, size), size)
    if problem:
        raise _refuse_pdf(problem)
    return PDF


def validate_evidence(upload) -> FileKind:
    """Check a file given as evidence: a PDF (checked as validate_pdf does), PNG or JPEG."""
    size = _check_size(upload)
    head, tail = _read_ends(upload, size)
    for signature, kind in _IMAGES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"%PDF-"):
        problem = _pdf_problem(head, tail, size)
        if problem:
            raise _refuse_pdf(problem)
        return PDF
    raise ValidationError(
        _(
            "The file must be a PDF, PNG or JPEG. "
            "This file is something else, whatever its name says."
        ),
        code="wrong_kind",
    )


def display_name(name: str) -> str:
    """The uploaded file's name as a label: one line, no path, at most NAME_LENGTH characters
    (the extension kept). A name with a path in it (``../../etc/passwd``, ``C:\\x.pdf``) or
    hidden characters is refused, not quietly cut."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise ValidationError(
            _("The file's name must not contain a folder path. Rename the file and try again."),
            code="path",
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError(
            _("The file's name contains hidden special characters. Rename the file and try again."),
            code="control_characters",
        )
    name = " ".join(name.split())
    if not name:
        return _("document")
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10:
            name = stem[: NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_LENGTH]
    return name


def stored_name(kind: FileKind) -> str:
    """A fresh random file name; the uploaded name is never used in storage."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def kind_of_stored(field_file) -> FileKind | None:
    """The kind of a stored file, read again from its first bytes when it is served."""
    with field_file.open("rb") as stored:
        head = stored.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    for signature, kind in _IMAGES:
        if head.startswith(signature):
            return kind
    return None


@dataclass(frozen=True)
class StoredFile:
    """A stored file to send back: the view serves `open()` as `content_type`, as a download
    named `name` (Content-Disposition: attachment) with X-Content-Type-Options: nosniff."""

    name: str
    content_type: str
    size: int
    field_file: object

    def open(self) -> File:
        return self.field_file.open("rb")


def stored_file(row, *, kinds=(PDF, PNG, JPEG)) -> StoredFile | None:
    """A core.models.AttachedFile row as a StoredFile, or None when it has no file or its stored
    bytes are no longer one of `kinds` (such a file is never served)."""
    if row is None or not row.file:
        return None
    kind = kind_of_stored(row.file)
    if kind not in kinds:
        return None
    return StoredFile(
        name=row.display_name, content_type=kind.content_type, size=row.size, field_file=row.file
    )


class UploadSizeLimit(FileUploadHandler):
    """The first upload handler of a page or endpoint that takes a file. It counts each file's
    bytes as they arrive and drops the file (SkipFile) once it passes `limit()` (here the
    attached files' limit; class flyers and library materials give theirs), so a large upload
    is never stored whole in memory or on disk. The rest of that file is read and thrown away,
    so the other fields still arrive and the page can answer with a message; the names of the
    fields it dropped are in `too_large`.

    Django reads the body before a view that is protected against CSRF runs, so a view that
    installs this handler is csrf_exempt and calls a csrf_protect'ed view after installing it.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large: set[str] = set()

    def limit(self) -> int:
        return max_bytes()

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if content_length is not None and content_length > self.limit():
            self.too_large.add(field_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit():
            self.too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handler (in memory or a temporary file) makes the file.
        return None


def too_large_error() -> ValidationError:
    """The message for a file UploadSizeLimit dropped."""
    return _too_large()
