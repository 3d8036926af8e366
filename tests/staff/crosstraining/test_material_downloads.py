"""A second look at a training material's download and removal (review of the shared
attachment pages): a hostile uploaded name can only ever be a label in Content-Disposition, a
removal is refused on GET and without the CSRF token, and the stored file stays."""

import pytest
from django.test import Client

from jobhelp.crosstraining.models import TrainingMaterial
from tests.staff.crosstraining.test_materials import attach, media, stored_files, training
from tests.workshops.files import tiny_pdf, upload

__all__ = ["media", "training"]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ('plan "final".pdf', 'attachment; filename="plan \\"final\\".pdf"'),
        ("a; filename=evil.html.pdf", 'attachment; filename="a; filename=evil.html.pdf"'),
        ("Diseño café.pdf", "attachment; filename*=utf-8''Dise%C3%B1o%20caf%C3%A9.pdf"),
    ],
)
def test_a_hostile_name_is_only_a_quoted_label_in_the_download(
    client, liaison, training, media, name, header
):
    client.force_login(liaison)
    attach(client, training, name=name)
    material = TrainingMaterial.objects.get()

    response = client.get(f"/staff/training/materials/{material.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == header
    assert response["Content-Type"] == "application/pdf"
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == (
        "nosniff",
        "no-store",
    )


def test_a_stored_name_with_a_line_break_cannot_add_a_header(client, liaison, training, media):
    client.force_login(liaison)
    attach(client, training)
    # A row written before names were cleaned, or by another path.
    TrainingMaterial.objects.update(display_name="a.pdf\r\nSet-Cookie: x=1")
    material = TrainingMaterial.objects.get()

    response = client.get(f"/staff/training/materials/{material.pk}/")

    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''a.pdf%0D%0A")
    assert "Set-Cookie" not in response


def test_upload_and_removal_are_refused_on_get_and_without_the_csrf_token(liaison, training, media):
    trusted = Client()
    trusted.force_login(liaison)
    attach(trusted, training)
    material = TrainingMaterial.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(liaison)

    # The upload page takes the token itself (takes_upload's csrf_protect), not the middleware.
    refused_upload = client.post(
        f"/staff/training/{training.pk}/materials/new/",
        {"title": "x", "file": upload("a.pdf", tiny_pdf())},
    )
    assert refused_upload.status_code == 403
    assert client.get(f"/staff/training/materials/{material.pk}/remove/").status_code == 405
    assert client.post(f"/staff/training/materials/{material.pk}/remove/").status_code == 403
    assert list(TrainingMaterial.objects.values_list("pk", flat=True)) == [material.pk]
    assert len(stored_files(media)) == 1
