"""A training's materials in S3-compatible object storage (FILE_STORAGE_URL; moto, in the
process): the upload is stored in the bucket, privately, and nothing on the local disk; the
permission-checked download streams the same bytes back; another organization still gets a
404; removing the material deletes the object."""

import pytest

from jobhelp.crosstraining.models import TrainingMaterial
from tests import object_storage
from tests.factories.crosstraining import TrainingFactory
from tests.workshops.files import tiny_pdf, tiny_png, upload

pytestmark = pytest.mark.django_db

bucket = object_storage.bucket


@pytest.fixture
def training(liaison, center_location, library):
    return TrainingFactory(
        organization=center_location.organization,
        trainer=liaison,
        location=center_location,
        audience=[library],
    )


def attach(client, training, name="handout.pdf", content=None):
    return client.post(
        f"/staff/training/{training.pk}/materials/new/",
        {"title": "Handout", "file": upload(name, tiny_pdf() if content is None else content)},
    )


def test_a_material_is_stored_in_the_bucket_privately_and_nothing_on_disk(
    client, liaison, training, bucket
):
    client.force_login(liaison)

    assert attach(client, training, name="map.png", content=tiny_png()).status_code == 302

    material = TrainingMaterial.objects.get()
    key = bucket.key_of(material.file)
    assert bucket.keys() == [key]
    assert bucket.read(key) == tiny_png()
    assert bucket.local_files() == []
    # Private: only the owner may read it; nobody else is granted anything.
    grants = bucket.acl_grants(key)
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)


def test_the_download_streams_the_same_bytes_through_the_checked_view(
    client, liaison, desk, training, bucket
):
    client.force_login(liaison)
    attach(client, training, name="map.png", content=tiny_png())
    material = TrainingMaterial.objects.get()

    client.force_login(desk)
    response = client.get(f"/staff/training/materials/{material.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="map.png"'
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == tiny_png()
    # No address of the bucket is ever handed out.
    assert "Location" not in response


def test_another_organization_still_gets_404(client, liaison, training, outsider, bucket):
    client.force_login(liaison)
    attach(client, training)
    material = TrainingMaterial.objects.get()

    client.force_login(outsider)

    assert client.get(f"/staff/training/materials/{material.pk}/").status_code == 404
    assert client.post(f"/staff/training/materials/{material.pk}/remove/").status_code == 404
    assert len(bucket.keys()) == 1


def test_removing_the_material_deletes_the_object(
    client, liaison, training, bucket, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    attach(client, training)
    attach(client, training, name="other.pdf")
    material, kept = TrainingMaterial.objects.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/training/materials/{material.pk}/remove/")

    assert bucket.keys() == [bucket.key_of(kept.file)]


def test_a_refused_file_leaves_nothing_in_the_bucket(client, liaison, training, bucket):
    client.force_login(liaison)

    response = attach(client, training, name="slides.pdf", content=b"MZ" + b"\x00" * 200)

    assert response.status_code == 200
    assert TrainingMaterial.objects.count() == 0
    assert bucket.keys() == []
