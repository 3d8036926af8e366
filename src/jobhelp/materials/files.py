"""Material files: which uploads are accepted, how they are stored, the picture of their first
page, and the headers they are served with. No models here: domain.py and thumbnails.py store
what this module checked and made.

**Accepted.** A PDF, PNG or JPEG of at most settings.MATERIALS_UPLOAD_MAX_BYTES. The check
generalises class flyers' (workshops.flyers, whose first-bytes test and random names it reuses)
from "starts like a PDF or image" to "is one, and only one":

1. the name is not used, but one with a folder path or control characters in it is refused: a
   browser never sends one, so the request was made by hand;
2. the size, from the upload's own count, before anything is read;
3. the first bytes (workshops.flyers.kind_of): anything else is refused, with words for the two
   usual cases, a web page (HTML renamed .pdf) and an SVG drawing;
4. no second file hidden in it (a polyglot): no web page or script anywhere in the bytes, no ZIP
   archive's directory at the end, no PDF inside an image, nothing after a PDF's end;
5. a real parse to the end: pypdf opens a PDF, which must have 1 to MAX_PAGES pages, no
   password and no active content (JavaScript, launch or submit actions, attached files, rich
   media, XFA forms), found by walking every object reachable from the document's root; Pillow
   decodes an image fully, at most MAX_PIXELS pixels.

**SVG is refused outright**, not sanitised: an SVG is an XML program that may carry scripts,
event handlers, external references and entity bombs, and sanitising it is a moving target;
every design tool that makes an SVG also exports a PDF or PNG, which is what branches print.

**Images are stored re-encoded** (decoded and written again by Pillow, turned upright by their
EXIF orientation): whatever was hidden in their metadata or after their end is not stored, and
neither is a phone photo's GPS position. PDFs are stored as uploaded, once they passed.

**Stored** under a random name (workshops.flyers.stored_name) in materials/<year>/; served only
through the scoped queries (queries.material_file_for_user) with download_headers: always an
attachment, `nosniff`, a sandboxing Content-Security-Policy.

**The first page's picture** (thumbnail_png): Pillow shrinks an image; a PDF is drawn by
poppler's `pdftoppm` when it is installed (Debian: poppler-utils), in a subprocess with a time
limit, on a PDF that already passed the checks above. Without it, or when it fails, the lists
show a drawing of the kind of file (placeholder_png). pypdf itself cannot draw pages.
"""

import functools
import io
import re
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobhelp.core.files import UploadSizeLimit
from jobhelp.materials.enums import FileKind
from jobhelp.workshops import flyers

if TYPE_CHECKING:
    from pypdf import PdfReader

# Pillow and pypdf are imported where a file is read, not with this module: most of a
# server's requests never read one, and the two weigh about 25 MB in every worker.

MAX_PAGES = 50
# 25 million pixels: a tabloid poster at 300 dots per inch is 17 million.
MAX_PIXELS = 25_000_000
# Objects walked in a PDF looking for active content; a flyer has a few hundred.
MAX_PDF_OBJECTS = 200_000
THUMBNAIL_BOX = (240, 320)
PDFTOPPM_TIMEOUT = 20

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
}
_PILLOW_FORMAT = {FileKind.PNG: "PNG", FileKind.JPEG: "JPEG"}

# Markup or a script anywhere in the bytes: the file is also a web page (a polyglot).
_HIDDEN_PAGE = re.compile(
    rb"<(?:script|html|iframe|body|svg|object|embed)[\s/>]|<!doctype\s+html|javascript:",
    re.IGNORECASE,
)
# The end-of-directory record of a ZIP archive (also a JAR, DOCX, ...), which unzip looks for
# in the last 64 KiB and 22 bytes of a file.
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65536 + 22
# Names that give a PDF active content, and actions that run something.
_ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/RichMediaContent",
        "/XFA",
    }
)
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
_BAD_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.\.?$")


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its kind, the bytes to store, and its number of pages."""

    kind: FileKind
    content: bytes
    pages: int


def max_bytes() -> int:
    return settings.MATERIALS_UPLOAD_MAX_BYTES


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _polyglot() -> ValidationError:
    return _refused(
        _(
            "This file is a PDF or image with something else hidden in it (a web page, a "
            "script or an archive). Save it again from the program that made it and upload "
            "that."
        ),
        "polyglot",
    )


def _what_else(head: bytes) -> ValidationError:
    """The refusal for a file that starts like no PDF, PNG or JPEG, in the words that fit."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in start or (start.startswith(b"<?xml") and b"svg" in start):
        return _refused(
            _(
                "SVG drawings are not accepted, because they can carry scripts. Save the "
                "drawing as a PDF or PNG and upload that."
            ),
            "svg",
        )
    if start.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script")):
        return _refused(
            _("This file is a web page, not a PDF or an image, whatever its name says."),
            "html",
        )
    return _refused(
        _(
            "The file must be a PDF, PNG or JPEG. This file is something else, whatever its "
            "name says."
        ),
        "wrong_kind",
    )


def check_upload(upload) -> CheckedFile:
    """Check an uploaded material (see the module's docstring) and return what to store.
    Raises ValidationError with one message for the person uploading; nothing is stored."""
    name = str(getattr(upload, "name", "") or "")
    if _BAD_NAME.search(name) or len(name) > 255:
        raise _refused(
            _(
                "The file's name contains a folder path or control characters. Rename the "
                "file and try again."
            ),
            "name",
        )
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is None or size > limit:
        raise _refused(
            _(
                "The file is larger than %(mb)s MB. Save it smaller (for example as a PDF "
                "with compressed pictures) and try again."
            )
            % {"mb": limit // (1024 * 1024)},
            "too_large",
        )
    if size == 0:
        raise _refused(_("The file is empty."), "empty")
    upload.seek(0)
    # One more byte than allowed: an upload whose size was misreported cannot slip through.
    content = upload.read(limit + 1)
    upload.seek(0)
    if len(content) > limit:
        raise _refused(_("The file is larger than the size it reported."), "too_large")
    flyer_kind = flyers.kind_of(content[: flyers.HEAD_BYTES])
    if flyer_kind is None:
        raise _what_else(content[:1024])
    kind = FileKind(flyer_kind.extension)
    if _HIDDEN_PAGE.search(content) or _ZIP_END in content[-_ZIP_TAIL:]:
        raise _polyglot()
    if kind == FileKind.PDF:
        return CheckedFile(kind=kind, content=content, pages=_check_pdf(content))
    if b"%PDF-" in content:
        raise _polyglot()
    return CheckedFile(kind=kind, content=_reencoded_image(content, kind), pages=1)


def _unreadable_pdf() -> ValidationError:
    return _refused(
        _(
            "This PDF could not be read. Save it again as a PDF (for example with “Save as "
            "PDF” or “Print to PDF”) and try again."
        ),
        "pdf_unreadable",
    )


def _check_pdf(content: bytes) -> int:
    """The number of pages of a PDF that passes; ValidationError otherwise."""
    from pypdf import PdfReader

    # A PDF ends with %%EOF (readers look for it in the last 1024 bytes); more after it is
    # another file appended.
    if b"%%EOF" not in content[-1024:]:
        raise _polyglot() if b"%%EOF" in content else _unreadable_pdf()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                raise _refused(
                    _(
                        "This PDF is protected by a password or against printing. Save it "
                        "without protection so that every location can print it."
                    ),
                    "pdf_encrypted",
                )
            pages = len(reader.pages)
            if pages < 1:
                raise _unreadable_pdf()
            if pages > MAX_PAGES:
                raise _refused(
                    _("This PDF has %(pages)s pages; a flyer or brochure may have %(max)s.")
                    % {"pages": pages, "max": MAX_PAGES},
                    "pdf_pages",
                )
            # The first page must have a size: it is the one the lists show.
            reader.pages[0].mediabox  # noqa: B018
            active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception:
        # pypdf raises many kinds of errors on damaged or hostile files (and RecursionError
        # on deep ones); each means the same to the person uploading.
        raise _unreadable_pdf() from None
    if active:
        raise _refused(
            _(
                "This PDF contains scripts, attached files or actions that run by themselves. "
                "Print it to a new PDF to get a plain copy, and upload that."
            ),
            "pdf_active",
        )
    return pages


def _has_active_content(reader: "PdfReader") -> bool:
    """Walk every object reachable from the trailer (the catalog, pages, annotations, name
    trees, forms) and look for the names of active content. pypdf decodes escaped names
    (/J#61vaScript) and object streams, so neither hides them."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            raise _unreadable_pdf()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _ACTIVE_KEYS:
                    return True
                if key == "/S" and value in _ACTIVE_ACTIONS:
                    return True
                if key == "/URI":
                    target = str(value.get_object()).strip().lower()
                    if target.startswith(("javascript:", "file:", "data:")):
                        return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def _unreadable_image() -> ValidationError:
    return _refused(
        _("This image could not be read: it is damaged, or it is not really a PNG or JPEG."),
        "image_unreadable",
    )


def _reencoded_image(content: bytes, kind: FileKind) -> bytes:
    """The image decoded to its last pixel and written again by Pillow, upright; only the
    picture (and its colour profile) is kept."""
    from PIL import Image, ImageOps

    image_format = _PILLOW_FORMAT[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _refused(
                        _(
                            "This image is %(width)s × %(height)s pixels; at most %(max)s "
                            "million pixels are accepted. Make it smaller and try again."
                        )
                        % {"width": width, "height": height, "max": MAX_PIXELS // 1_000_000},
                        "image_too_large",
                    )
                image.verify()
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.load()
                profile = image.info.get("icc_profile")
                upright = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if kind == FileKind.JPEG:
                    upright.save(out, "JPEG", quality=92, icc_profile=profile)
                else:
                    upright.save(out, "PNG", icc_profile=profile)
    except ValidationError:
        raise
    except Exception:
        # Pillow's errors for truncated, damaged or oversized images (DecompressionBomb*).
        raise _unreadable_image() from None
    return out.getvalue()


def stored_name(kind: FileKind, *, year: int) -> str:
    """Where a new material's file goes in storage: materials/<year>/<random>.<extension>."""
    flyer_kind = {k.extension: k for k in (flyers.PDF, flyers.PNG, flyers.JPEG)}[kind.value]
    return f"materials/{year}/{flyers.stored_name(flyer_kind)}"


def thumbnail_name(material_file_name: str) -> str:
    """The thumbnail's name beside its material: materials/<year>/<random>.thumb.png."""
    return f"{material_file_name.rsplit('.', 1)[0]}.thumb.png"


# --- Pictures of the first page ---------------------------------------------------------------


def _shrunk_png(content: bytes) -> bytes:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(content)) as image:
            image.draft("RGB", THUMBNAIL_BOX)
            picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            picture.thumbnail(THUMBNAIL_BOX)
            out = io.BytesIO()
            picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def _pdf_first_page(content: bytes) -> bytes | None:
    """The first page of a PDF as a PNG drawn by poppler's pdftoppm, or None when it is not
    installed, fails or takes too long."""
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="jobhelp-thumb-") as folder:
        source = Path(folder) / "material.pdf"
        source.write_bytes(content)
        target = Path(folder) / "page"
        try:
            # A fixed program and arguments, no shell; the PDF passed check_upload.
            subprocess.run(  # noqa: S603
                [
                    program,
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-scale-to",
                    str(max(THUMBNAIL_BOX)),
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=PDFTOPPM_TIMEOUT,
                env={"PATH": "/usr/bin:/bin"},
            )
        except (OSError, subprocess.SubprocessError):
            return None
        page = target.with_suffix(".png")
        return page.read_bytes() if page.exists() else None


def thumbnail_png(content: bytes, kind: FileKind) -> bytes | None:
    """A PNG of the first page that fits THUMBNAIL_BOX, or None when none can be made (a PDF
    without pdftoppm): the lists then show placeholder_png."""
    try:
        if kind == FileKind.PDF:
            page = _pdf_first_page(content)
            return _shrunk_png(page) if page else None
        return _shrunk_png(content)
    except Exception:
        # A picture for a list is not worth failing for; the placeholder stands in.
        return None


@functools.cache
def placeholder_png(kind: FileKind) -> bytes:
    """A drawing of a page with the kind of file written on it ("PDF", "PNG", "JPG"), for
    materials without a picture of their first page and for class flyers."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = THUMBNAIL_BOX
    image = Image.new("RGB", THUMBNAIL_BOX, "#ffffff")
    draw = ImageDraw.Draw(image)
    fold = 40
    draw.polygon(
        [
            (8, 8),
            (width - 8 - fold, 8),
            (width - 8, 8 + fold),
            (width - 8, height - 8),
            (8, height - 8),
        ],
        outline="#565c65",
        fill="#f0f0f0",
        width=3,
    )
    draw.line(
        [(width - 8 - fold, 8), (width - 8 - fold, 8 + fold), (width - 8, 8 + fold)],
        fill="#565c65",
        width=3,
    )
    label = {FileKind.PDF: "PDF", FileKind.PNG: "PNG", FileKind.JPEG: "JPG"}[FileKind(kind)]
    try:
        font = ImageFont.load_default(size=56)
    except (OSError, ValueError):
        font = ImageFont.load_default()
    draw.text((width / 2, height / 2), label, fill="#1b1b1b", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- Serving ----------------------------------------------------------------------------------


def download_name(title: str, kind: FileKind) -> str:
    """The name a download is saved under: the title in plain ASCII, never the uploaded name."""
    base = slugify(title, allow_unicode=False)[:60].strip("-") or "material"
    return f"{base}.{FileKind(kind).value}"


def download_headers(kind: FileKind, filename: str) -> dict[str, str]:
    """Headers for serving a material's file: always a download (never shown inline by the
    browser, where a PDF viewer or an image could run or be framed), its type from its content
    and not sniffed, and a Content-Security-Policy that allows nothing should it be opened."""
    return {
        "Content-Type": CONTENT_TYPES[FileKind(kind)],
        "Content-Disposition": content_disposition_header(True, filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "private, max-age=300",
    }


class MaterialSizeLimit(UploadSizeLimit):
    """The first upload handler of a page or endpoint that takes a material: drops a file once
    it passes settings.MATERIALS_UPLOAD_MAX_BYTES as it arrives (core.files.UploadSizeLimit,
    whose note on CSRF applies here too)."""

    def limit(self) -> int:
        return max_bytes()
