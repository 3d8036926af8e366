"""Class flyers: checked by content and size, stored under a random name, served as what they
are (with nosniff) to staff of any partner."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import SkipFile

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.workshops import flyers
from jobhelp.workshops.catalog import set_flyer
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.seats import WorkshopError
from tests.factories.accounts import staff_member
from tests.factories.workshops import WorkshopFactory
from tests.workshops.files import tiny_jpeg, tiny_pdf, tiny_png, upload

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SIX_MB = 6 * 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def workshop(library):
    return WorkshopFactory(organization=library, title="Online Interviewing Tips")


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


# --- What is accepted -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [(tiny_pdf(), flyers.PDF), (tiny_png(), flyers.PNG), (tiny_jpeg(), flyers.JPEG)],
)
def test_a_small_pdf_png_or_jpeg_is_accepted_whatever_it_is_called(content, kind):
    assert (
        flyers.validate_flyer(upload("scan0001.bin", content, "application/octet-stream")) == kind
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("flyer.pdf", HTML, "application/pdf"),
        ("flyer.png", b"GIF89a\x01\x00\x01\x00", "image/png"),
        ("flyer.jpg", b"\xff\xd8", "image/jpeg"),
        ("flyer.pdf", b"%PD", "application/pdf"),
        ("flyer.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    ],
)
def test_a_file_that_only_claims_to_be_a_pdf_or_image_is_refused(name, content, content_type):
    with pytest.raises(ValidationError) as refused:
        flyers.validate_flyer(upload(name, content, content_type))

    assert refused.value.messages == [
        "The flyer must be a PDF, PNG or JPEG file. This file is something else, "
        "whatever its name says."
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        flyers.validate_flyer(upload("flyer.pdf", b""))

    assert refused.value.messages == ["The flyer file is empty."]


class Unread:
    """An upload that fails the test if anything reads it."""

    name = "big.pdf"

    def __init__(self, size: int):
        self.size = size

    def read(self, *args):
        raise AssertionError("the file was read")

    def seek(self, *args):
        raise AssertionError("the file was read")


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    with pytest.raises(ValidationError) as refused:
        flyers.validate_flyer(Unread(SIX_MB))

    assert refused.value.messages == [
        "The flyer is larger than 5 MB. Save it smaller (for example as a PDF) and try again."
    ]


def test_exactly_5_mb_is_allowed():
    content = b"%PDF-1.4\n" + b"0" * (flyers.MAX_BYTES - 9)

    assert flyers.validate_flyer(upload("flyer.pdf", content)) == flyers.PDF


# --- The upload handler ---------------------------------------------------------------------------


def test_the_upload_handler_drops_a_file_as_soon_as_it_passes_5_mb():
    handler = flyers.FlyerSizeLimit()
    handler.new_file("flyer", "big.pdf", "application/pdf", None)
    chunk = b"x" * (64 * 1024)
    passed = 0
    with pytest.raises(SkipFile):
        while True:
            assert handler.receive_data_chunk(chunk, passed) == chunk
            passed += len(chunk)

    assert passed == flyers.MAX_BYTES
    assert handler.too_large == {"flyer"}


def test_the_upload_handler_drops_a_file_that_announces_its_size():
    handler = flyers.FlyerSizeLimit()

    with pytest.raises(SkipFile):
        handler.new_file("flyer", "big.pdf", "application/pdf", SIX_MB)

    assert handler.too_large == {"flyer"}


def test_the_upload_handler_passes_a_small_file_on():
    handler = flyers.FlyerSizeLimit()
    handler.new_file("flyer", "flyer.pdf", "application/pdf", None)

    assert handler.receive_data_chunk(tiny_pdf(), 0) == tiny_pdf()
    assert handler.file_complete(len(tiny_pdf())) is None
    assert handler.too_large == set()


# --- Storing --------------------------------------------------------------------------------------


def test_set_flyer_stores_it_under_a_random_name_and_audits_it(workshop, manager, media):
    set_flyer(workshop, by=manager, upload=upload("Rosa Martinez resume.pdf", tiny_pdf()))

    workshop.refresh_from_db()
    name = Path(workshop.flyer.name)
    assert name.parent.parent == Path("flyers")
    assert name.suffix == ".pdf"
    assert len(name.stem) == 32
    assert "Rosa" not in workshop.flyer.name
    assert stored_files(media) == [media / workshop.flyer.name]
    assert (media / workshop.flyer.name).read_bytes() == tiny_pdf()
    assert list(AuditEntry.objects.values_list("action", "actor", "data")) == [
        ("jobhelp.workshop.flyer_set", manager.pk, {"kind": "pdf", "bytes": len(tiny_pdf())})
    ]


def test_a_new_flyer_replaces_the_old_file(
    workshop, manager, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_flyer(workshop, by=manager, upload=upload("a.pdf", tiny_pdf()))
    with django_capture_on_commit_callbacks(execute=True):
        set_flyer(workshop, by=manager, upload=upload("b.png", tiny_png(), "image/png"))

    workshop.refresh_from_db()
    assert workshop.flyer.name.endswith(".png")
    assert stored_files(media) == [media / workshop.flyer.name]


def test_set_flyer_refuses_bad_files_and_writes_nothing(workshop, manager, media):
    with pytest.raises(WorkshopError, match="whatever its name says"):
        set_flyer(workshop, by=manager, upload=upload("flyer.pdf", HTML))

    assert Workshop.objects.get().flyer.name == ""
    assert stored_files(media) == []
    assert AuditEntry.objects.count() == 0


def test_set_flyer_refuses_staff_of_another_organization(workshop, outsider, media):
    with pytest.raises(WorkshopError):
        set_flyer(workshop, by=outsider, upload=upload("flyer.pdf", tiny_pdf()))

    assert stored_files(media) == []


# --- Serving --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "filename"),
    [
        (tiny_pdf(), "application/pdf", "flyer.pdf"),
        (tiny_png(), "image/png", "flyer.png"),
        (tiny_jpeg(), "image/jpeg", "flyer.jpg"),
    ],
)
def test_a_flyer_is_served_as_what_it_is_with_nosniff(
    client, workshop, manager, content, content_type, filename
):
    set_flyer(workshop, by=manager, upload=upload("whatever.bin", content, "text/html"))
    client.force_login(manager)

    response = client.get(f"/staff/classes/{workshop.pk}/flyer/")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("persona", ["front_desk", "outsider"])
def test_staff_of_any_partner_may_open_a_flyer(client, log_in, workshop, manager, persona):
    set_flyer(workshop, by=manager, upload=upload("flyer.pdf", tiny_pdf()))
    log_in(persona)

    response = client.get(f"/staff/classes/{workshop.pk}/flyer/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_pdf()


def test_a_flyer_is_not_for_anonymous_visitors_or_logins_without_membership(
    client, workshop, manager, no_membership
):
    set_flyer(workshop, by=manager, upload=upload("flyer.pdf", tiny_pdf()))
    path = f"/staff/classes/{workshop.pk}/flyer/"

    anonymous = client.get(path)
    client.force_login(no_membership)
    member_of_nothing = client.get(path)

    assert (anonymous.status_code, anonymous.url) == (302, f"/staff/login/?next={path}")
    assert member_of_nothing.status_code == 403


def test_a_class_without_a_flyer_or_a_missing_file_is_not_found(client, workshop, manager, media):
    client.force_login(manager)
    without = client.get(f"/staff/classes/{workshop.pk}/flyer/")
    set_flyer(workshop, by=manager, upload=upload("flyer.pdf", tiny_pdf()))
    for path in stored_files(media):
        path.unlink()
    missing = client.get(f"/staff/classes/{workshop.pk}/flyer/")

    assert (without.status_code, missing.status_code) == (404, 404)


def test_a_staff_member_of_another_role_may_still_set_a_flyer(library, workshop, media):
    partner = staff_member(library, Role.PARTNER_STAFF)

    set_flyer(workshop, by=partner, upload=upload("flyer.png", tiny_png(), "image/png"))

    assert len(stored_files(media)) == 1
