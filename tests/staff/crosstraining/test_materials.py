"""A training's materials: attached by its trainer (checked by content and size, stored under a
random name), listed on its page, downloaded only through the permission-checked view by the
staff it is for, its attendees and the trainer's organization, and removed with an audit entry.
A file that is not what its name says is refused with a clear message and nothing written."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining.models import TrainingMaterial
from tests.factories.crosstraining import TrainingFactory, TrainingRecordFactory
from tests.workshops.files import tiny_pdf, tiny_png, upload

# A Windows program, renamed: the first bytes of every .exe.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
WEB_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def training(liaison, center_location, library):
    return TrainingFactory(
        organization=center_location.organization,
        trainer=liaison,
        location=center_location,
        audience=[library],
    )


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def attach(client, training, name="handout.pdf", content=None, title="The handout"):
    return client.post(
        f"/staff/training/{training.pk}/materials/new/",
        {"title": title, "file": upload(name, tiny_pdf() if content is None else content)},
    )


def test_the_trainer_attaches_a_pdf_and_it_is_listed(client, liaison, training, media):
    client.force_login(liaison)

    response = attach(client, training)

    material = TrainingMaterial.objects.get(training=training)
    assert response.url == f"/staff/training/{training.pk}/"
    assert (material.title, material.display_name, material.uploaded_by) == (
        "The handout",
        "handout.pdf",
        liaison,
    )
    assert re.fullmatch(r"training/\d{4}/[0-9a-f]{32}\.pdf", material.file.name)
    assert len(stored_files(media)) == 1
    entry = AuditEntry.objects.get(action="jobhelp.training.material_added")
    assert entry.data == {"material": material.pk, "kind": "pdf", "bytes": len(tiny_pdf())}
    page = client.get(f"/staff/training/{training.pk}/").content.decode()
    assert f'href="/staff/training/materials/{material.pk}/"' in page
    assert "The handout" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [("slides.pdf", EXECUTABLE), ("slides.pdf", WEB_PAGE), ("photo.png", EXECUTABLE)],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(
    client, liaison, training, media, name, content
):
    client.force_login(liaison)
    audits = AuditEntry.objects.count()

    response = attach(client, training, name=name, content=content)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            "The file must be a PDF, PNG or JPEG. "
            "This file is something else, whatever its name says."
        ]
    }
    assert TrainingMaterial.objects.count() == 0
    assert AuditEntry.objects.count() == audits
    assert stored_files(media) == []
    # What was typed is kept for the next try.
    assert 'value="The handout"' in response.content.decode()


def test_an_oversized_file_is_dropped_and_the_form_says_so(
    client, liaison, training, media, settings
):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(liaison)
    big = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (2 * 1024 * 1024) + b"\n")

    response = attach(client, training, content=big)

    assert response.context["form"].errors == {
        "file": ["The file is larger than 1 MB. Save it smaller and try again."]
    }
    assert TrainingMaterial.objects.count() == 0
    assert stored_files(media) == []


def test_the_audience_downloads_it_as_an_attachment_never_sniffed(
    client, liaison, desk, training, media
):
    client.force_login(liaison)
    attach(client, training, name="map.png", content=tiny_png(), title="")
    material = TrainingMaterial.objects.get()

    client.force_login(desk)
    page = client.get(f"/staff/training/{training.pk}/").content.decode()
    response = client.get(f"/staff/training/materials/{material.pk}/")

    assert "map.png" in page
    assert "Attach a file" not in page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="map.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == tiny_png()


def test_an_attendee_from_elsewhere_still_downloads_it(client, liaison, training, media, outsider):
    client.force_login(liaison)
    attach(client, training)
    material = TrainingMaterial.objects.get()
    TrainingRecordFactory(person=outsider, training=training, attested_by=None)

    client.force_login(outsider)
    assert client.get(f"/staff/training/materials/{material.pk}/").status_code == 200


def test_another_organizations_staff_get_404_on_the_download_and_removal(
    client, liaison, training, media, outsider
):
    client.force_login(liaison)
    attach(client, training)
    material = TrainingMaterial.objects.get()

    client.force_login(outsider)
    assert client.get(f"/staff/training/materials/{material.pk}/").status_code == 404
    assert client.post(f"/staff/training/materials/{material.pk}/remove/").status_code == 404
    assert client.get(f"/staff/training/{training.pk}/materials/new/").status_code == 404
    assert TrainingMaterial.objects.count() == 1


def test_the_audience_may_not_attach_or_remove(client, liaison, desk, training, media):
    client.force_login(liaison)
    attach(client, training)
    material = TrainingMaterial.objects.get()

    client.force_login(desk)
    assert attach(client, training).status_code == 403
    response = client.post(f"/staff/training/materials/{material.pk}/remove/", follow=True)
    assert "Only the trainer" in response.content.decode()
    assert TrainingMaterial.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_the_trainer_removes_it_and_the_file_goes_once_committed(
    client, liaison, training, media, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    attach(client, training)
    material = TrainingMaterial.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/training/materials/{material.pk}/remove/")

    assert response.url == f"/staff/training/{training.pk}/"
    assert TrainingMaterial.objects.count() == 0
    assert stored_files(media) == []
    assert AuditEntry.objects.filter(
        action="jobhelp.training.material_removed", data={"material": material.pk}
    ).exists()


def test_the_training_page_reads_its_files_in_the_same_queries_for_1_or_3(
    client, liaison, training, media
):
    client.force_login(liaison)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/staff/training/{training.pk}/").status_code == 200
        return len(queries)

    attach(client, training)
    one = count()
    attach(client, training, name="b.pdf")
    attach(client, training, name="c.pdf")
    assert count() == one
