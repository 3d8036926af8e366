"""What a material's file may be: a PDF, PNG or JPEG by content, parsed to the end, nothing
hidden in it, within the size setting; how images are stored (re-encoded), the picture of the
first page, and the headers a download is served with."""

import io
import shutil
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import SkipFile
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from jobhelp.materials import files
from jobhelp.materials.enums import FileKind
from tests.materials.files import RawUpload, jpeg, pdf, png, upload

MB = 1024 * 1024


def refusal(upload_) -> tuple[str, str]:
    with pytest.raises(ValidationError) as refused:
        files.check_upload(upload_)
    return refused.value.code, refused.value.messages[0]


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<p>hello</p>")
    return out.getvalue()


# --- Accepted ---------------------------------------------------------------------------------


def test_a_pdf_is_accepted_by_its_content_whatever_it_is_called():
    checked = files.check_upload(upload("scan0001.bin", pdf(pages=3), "text/html"))

    assert (checked.kind, checked.pages, checked.content) == (FileKind.PDF, 3, pdf(pages=3))


@pytest.mark.parametrize(
    ("content", "kind", "image_format"),
    [(png(), FileKind.PNG, "PNG"), (jpeg(), FileKind.JPEG, "JPEG")],
)
def test_an_image_is_accepted_and_stored_as_pillow_wrote_it_again(content, kind, image_format):
    checked = files.check_upload(upload("flyer.pdf", content, "application/pdf"))

    with Image.open(io.BytesIO(checked.content)) as stored:
        assert (checked.kind, checked.pages, stored.format, stored.size) == (
            kind,
            1,
            image_format,
            (40, 60),
        )


def test_a_photo_is_stored_upright_without_its_exif_or_anything_after_its_end():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show it
    photo = jpeg(40, 60, exif=exif.tobytes()) + b"SAMSUNG-TRAILER" * 10

    checked = files.check_upload(upload("IMG_0001.jpg", photo, "image/jpeg"))

    with Image.open(io.BytesIO(checked.content)) as stored:
        assert (stored.size, dict(stored.getexif())) == ((60, 40), {})
    assert b"PhoneMaker" not in checked.content
    assert b"SAMSUNG" not in checked.content


def test_exactly_the_size_limit_is_allowed(settings):
    settings.MATERIALS_UPLOAD_MAX_BYTES = len(pdf())

    assert files.check_upload(upload("flyer.pdf", pdf())).kind == FileKind.PDF


# --- Refused: not what it says ----------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)


def test_html_renamed_pdf_is_refused_as_a_web_page():
    assert refusal(upload("flyer.pdf", HTML)) == (
        "html",
        "This file is a web page, not a PDF or an image, whatever its name says.",
    )


@pytest.mark.parametrize(
    "content",
    [SVG_WITH_SCRIPT, b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"/></svg>'],
)
def test_an_svg_is_refused_with_or_without_a_script(content):
    assert refusal(upload("flyer.svg", content, "image/svg+xml")) == (
        "svg",
        "SVG drawings are not accepted, because they can carry scripts. Save the drawing as a "
        "PDF or PNG and upload that.",
    )


@pytest.mark.parametrize(
    "content", [b"GIF89a\x01\x00\x01\x00", b"just some text", b"%PD", zipped(), b"\xff\xd8"]
)
def test_anything_else_is_refused_whatever_its_name(content):
    assert refusal(upload("flyer.pdf", content)) == (
        "wrong_kind",
        "The file must be a PDF, PNG or JPEG. This file is something else, whatever its name says.",
    )


def test_an_empty_file_is_refused():
    assert refusal(upload("flyer.pdf", b"")) == ("empty", "The file is empty.")


# --- Refused: too large -----------------------------------------------------------------------


class Unread:
    """An upload that fails the test if anything reads it."""

    name = "big.pdf"

    def __init__(self, size: int):
        self.size = size

    def read(self, *args):
        raise AssertionError("the file was read")

    def seek(self, *args):
        raise AssertionError("the file was read")


def test_a_20_mb_file_is_refused_before_it_is_read():
    assert refusal(Unread(20 * MB)) == (
        "too_large",
        "The file is larger than 10 MB. Save it smaller (for example as a PDF with compressed "
        "pictures) and try again.",
    )


def test_the_limit_is_a_setting(settings):
    settings.MATERIALS_UPLOAD_MAX_BYTES = 1 * MB

    code, message = refusal(Unread(2 * MB))

    assert (code, "larger than 1 MB" in message) == ("too_large", True)


def test_a_file_larger_than_it_says_is_refused():
    lying = RawUpload("flyer.pdf", pdf() + b"\n" * (11 * MB))
    lying.size = 100

    assert refusal(lying) == ("too_large", "The file is larger than the size it reported.")


# --- Refused: a path in the name --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../etc/cron.d/evil.pdf", "..\\..\\windows\\flyer.pdf", "/var/lib/x.pdf", "fly\x00er.pdf"],
)
def test_a_name_with_a_folder_path_or_control_characters_is_refused(name):
    assert refusal(RawUpload(name, pdf())) == (
        "name",
        "The file's name contains a folder path or control characters. Rename the file and "
        "try again.",
    )


# --- Refused: polyglots -----------------------------------------------------------------------


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return png(pnginfo=info)


POLYGLOT = (
    "polyglot",
    "This file is a PDF or image with something else hidden in it (a web page, a script or an "
    "archive). Save it again from the program that made it and upload that.",
)


@pytest.mark.parametrize(
    "content",
    [
        pdf() + HTML,
        pdf(text="<html><script>alert(1)</script>"),
        pdf() + zipped(),
        pdf() + b"\x00junk" * 400,
        png() + zipped(),
        png_with_text("<script>alert(document.cookie)</script>"),
        jpeg() + pdf(),
        png() + HTML,
    ],
    ids=[
        "pdf+html",
        "pdf-with-markup",
        "pdf+zip",
        "pdf+trailing-data",
        "png+zip",
        "png-with-script",
        "jpeg+pdf",
        "png+html",
    ],
)
def test_a_polyglot_is_refused(content):
    assert refusal(upload("flyer.pdf", content)) == POLYGLOT


# --- Refused: PDFs that do not open cleanly ---------------------------------------------------

ACTIVE = (
    "pdf_active",
    "This PDF contains scripts, attached files or actions that run by themselves. Print it "
    "to a new PDF to get a plain copy, and upload that.",
)


def pdf_with_javascript_by_pypdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pdf(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        # The same with its names escaped, which a byte search would miss.
        pdf(catalog_extra=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
        pdf_with_javascript_by_pypdf(),
        pdf(catalog_extra=b"/OpenAction << /S /Launch /F (calc.exe) >> "),
        pdf(catalog_extra=b"/Names << /EmbeddedFiles << /Names [] >> >> "),
        pdf(catalog_extra=b"/AcroForm << /Fields [] /XFA 6 0 R >> ", extra_objects=(b"[]",)),
        # A javascript: link written as a hex string.
        pdf(catalog_extra=b"/OpenAction << /S /URI /URI <6a6176617363726970743a6f70656e2829> >> "),
    ],
    ids=["javascript", "escaped-names", "pypdf-add-js", "launch", "attached-file", "xfa", "uri"],
)
def test_a_pdf_with_active_content_is_refused(content):
    assert refusal(upload("flyer.pdf", content)) == ACTIVE


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="", owner_password="secret", permissions_flag=0)
    out = io.BytesIO()
    writer.write(out)

    assert refusal(upload("flyer.pdf", out.getvalue())) == (
        "pdf_encrypted",
        "This PDF is protected by a password or against printing. Save it without protection "
        "so that every location can print it.",
    )


def test_a_pdf_of_more_than_50_pages_is_refused():
    assert refusal(upload("brochure.pdf", pdf(pages=51))) == (
        "pdf_pages",
        "This PDF has 51 pages; a flyer or brochure may have 50.",
    )


UNREADABLE_PDF = (
    "pdf_unreadable",
    "This PDF could not be read. Save it again as a PDF (for example with “Save as PDF” or "
    "“Print to PDF”) and try again.",
)


@pytest.mark.parametrize(
    "content",
    [pdf()[: len(pdf()) // 2], b"%PDF-1.7\nnot really a pdf at all\n%%EOF\n"],
    ids=["cut-short", "garbage"],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    assert refusal(upload("flyer.pdf", content)) == UNREADABLE_PDF


# --- Refused: images that do not decode -------------------------------------------------------


def test_a_damaged_png_is_refused():
    content = bytearray(png())
    content[60] ^= 0xFF

    assert refusal(upload("flyer.png", bytes(content), "image/png")) == (
        "image_unreadable",
        "This image could not be read: it is damaged, or it is not really a PNG or JPEG.",
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png(6000, 5000, color=(0, 0, 0), optimize=True)
    assert len(bomb) < 1 * MB

    assert refusal(upload("flyer.png", bomb, "image/png")) == (
        "image_too_large",
        "This image is 6000 × 5000 pixels; at most 25 million pixels are accepted. Make it "
        "smaller and try again.",
    )


# --- Names, pictures, headers -----------------------------------------------------------------


def test_stored_names_are_random_and_never_the_uploaded_name():
    first = files.stored_name(FileKind.PDF, year=2026)
    second = files.stored_name(FileKind.PDF, year=2026)

    assert first.startswith("materials/2026/") and first.endswith(".pdf")
    assert len(first.rsplit("/", 1)[1]) == len("0123456789abcdef0123456789abcdef.pdf")
    assert first != second
    assert files.thumbnail_name(first) == first.removesuffix(".pdf") + ".thumb.png"


def test_an_image_is_shrunk_to_a_thumbnail():
    picture = files.thumbnail_png(png(1200, 1600), FileKind.PNG)

    with Image.open(io.BytesIO(picture)) as shrunk:
        assert (shrunk.format, shrunk.size) == ("PNG", (240, 320))


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is not installed (CI installs it)"
)
def test_a_pdf_s_first_page_is_drawn_by_pdftoppm():
    picture = files.thumbnail_png(pdf(pages=2), FileKind.PDF)

    with Image.open(io.BytesIO(picture)) as page:
        # A letter page fitted into 240 × 320, with the text's dark pixels on it.
        assert (page.format, page.size) == ("PNG", (240, 310))
        assert page.convert("L").getextrema()[0] < 128


def test_without_pdftoppm_a_pdf_has_no_picture_and_the_placeholder_stands_in(monkeypatch):
    monkeypatch.setattr(files.shutil, "which", lambda name: None)

    assert files.thumbnail_png(pdf(), FileKind.PDF) is None
    with Image.open(io.BytesIO(files.placeholder_png(FileKind.PDF))) as drawing:
        assert (drawing.format, drawing.size) == ("PNG", (240, 320))


def test_a_failing_pdftoppm_gives_no_picture(monkeypatch, tmp_path):
    broken = tmp_path / "pdftoppm"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(files.shutil, "which", lambda name: str(broken))

    assert files.thumbnail_png(pdf(), FileKind.PDF) is None


def test_downloads_are_attachments_named_after_the_title_with_nosniff():
    name = files.download_name("Talleres de marzo: ¡Entrevistas! / 2026", FileKind.PDF)

    assert name == "talleres-de-marzo-entrevistas-2026.pdf"
    assert files.download_headers(FileKind.PDF, name) == {
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="talleres-de-marzo-entrevistas-2026.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "private, max-age=300",
    }
    assert files.download_name("¡¿!", FileKind.PNG) == "material.png"


# --- The upload handler -----------------------------------------------------------------------


def test_the_upload_handler_drops_a_file_as_soon_as_it_passes_the_limit(settings):
    settings.MATERIALS_UPLOAD_MAX_BYTES = 1 * MB
    handler = files.MaterialSizeLimit()
    handler.new_file("file", "big.pdf", "application/pdf", None)
    chunk = b"x" * (64 * 1024)
    passed = 0
    with pytest.raises(SkipFile):
        while True:
            assert handler.receive_data_chunk(chunk, passed) == chunk
            passed += len(chunk)

    assert (passed, handler.too_large) == (1 * MB, {"file"})


def test_the_upload_handler_drops_a_file_that_announces_a_larger_size():
    handler = files.MaterialSizeLimit()

    with pytest.raises(SkipFile):
        handler.new_file("file", "big.pdf", "application/pdf", 20 * MB)

    assert handler.too_large == {"file"}
