"""Real files for materials tests, made in code: one-page PDFs with text (and hostile variants
of them), PNG and JPEG images from Pillow, uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf(
    text: str = "Online Interviewing Tips",
    *,
    pages: int = 1,
    catalog_extra: bytes = b"",
    extra_objects: tuple[bytes, ...] = (),
) -> bytes:
    """A small, valid PDF: `pages` letter pages, each with `text` in Helvetica.
    `catalog_extra` goes into the document's catalog (an /OpenAction, say) and
    `extra_objects` are numbered after the pages (from 4 + 2 * pages)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for n in range(pages):
        stream = b"BT /F1 28 Tf 72 700 Td (" + _escape(text) + b") Tj ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * n)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.extend(extra_objects)
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def png(width: int = 40, height: int = 60, color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG", **save)
    return out.getvalue()


def jpeg(width: int = 40, height: int = 60, color=(30, 30, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", **save)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class RawUpload(io.BytesIO):
    """An upload as a caller other than Django's form parser could hand it over: its name is
    whatever was sent (Django's parser would have cut a path off)."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name = name
        self.size = len(content)
