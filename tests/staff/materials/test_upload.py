"""Sending a material from the page: a flyer to every library location, and hostile uploads
(a web page named .pdf, an SVG with a script, a 20 MB file, a path in the name) refused with a
clear message, nothing stored and nothing typed lost."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobhelp.core.models import AuditEntry
from jobhelp.materials.enums import Audience, MaterialKind
from jobhelp.materials.models import Material
from tests.materials.files import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sharing")]


def _form(library, this_month, file, **more):
    return {
        "organization": more.pop("organization", ""),
        "kind": MaterialKind.MONTHLY_FLYER,
        "title": "Center workshops",
        "description": "Résumés, interviews, benefits",
        "language": "en",
        "month": this_month.strftime("%Y-%m"),
        "groups": [str(library.pk)],
        "file": file,
        **more,
    }


def _stored(media) -> list:
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_the_center_sends_this_months_flyer_to_every_library_location(
    client, liaison, center, library, north, lake, this_month, media
):
    client.force_login(liaison)
    response = client.post(
        "/staff/materials/new/",
        _form(library, this_month, SimpleUploadedFile("flyer.pdf", pdf("March"))),
    )

    material = Material.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/materials/{material.pk}/"
    assert (material.organization, material.audience, material.valid_from) == (
        center,
        Audience.ALL_BRANCHES,
        this_month,
    )
    assert sorted(t.location.name for t in material.targets.all()) == [
        "Lakeside Library",
        "Northtown Library",
    ]
    assert re.fullmatch(r"materials/\d{4}/[0-9a-f]{32}\.pdf", material.file.name)


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("flyer.pdf", HTML, "This file is a web page, not a PDF or an image"),
        ("flyer.svg", SVG, "SVG drawings are not accepted, because they can carry scripts."),
        ("flyer.png", SVG, "SVG drawings are not accepted"),
        ("../../etc/flyer.pdf", HTML, "This file is a web page"),
    ],
)
def test_a_hostile_upload_is_refused_with_nothing_stored_and_nothing_typed_lost(
    client, liaison, library, this_month, media, name, content, message
):
    client.force_login(liaison)
    response = client.post(
        "/staff/materials/new/",
        _form(library, this_month, SimpleUploadedFile(name, content)),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Center workshops"' in page
    assert "Résumés, interviews, benefits" in page
    assert Material.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="jobhelp.material").count() == 0
    assert _stored(media) == []


def test_a_20_mb_file_is_dropped_as_it_arrives_and_refused(
    client, liaison, library, this_month, media
):
    client.force_login(liaison)
    big = pdf("Big") + b"0" * (20 * 1024 * 1024)
    response = client.post(
        "/staff/materials/new/", _form(library, this_month, SimpleUploadedFile("big.pdf", big))
    )

    assert response.status_code == 200
    assert "The file is larger than 10 MB." in response.content.decode()
    assert Material.objects.count() == 0
    assert _stored(media) == []


def test_a_path_in_the_name_never_reaches_storage(client, liaison, library, this_month, media):
    client.force_login(liaison)
    client.post(
        "/staff/materials/new/",
        _form(library, this_month, SimpleUploadedFile("../../../tmp/evil.pdf", pdf("Ok"))),
    )

    material = Material.objects.get()
    assert re.fullmatch(r"materials/\d{4}/[0-9a-f]{32}\.pdf", material.file.name)
    assert "evil" not in " ".join(_stored(media))


def test_no_location_and_no_month_are_said_by_field(client, liaison, library, this_month, media):
    client.force_login(liaison)
    response = client.post(
        "/staff/materials/new/",
        _form(
            library,
            this_month,
            SimpleUploadedFile("flyer.pdf", pdf()),
            groups=[],
            month="",
        ),
    )

    page = response.content.decode()
    assert "Choose at least one location to send it to." in page
    assert Material.objects.count() == 0


def test_a_branch_cannot_send_to_another_library_system(
    client, north_desk, other_library, elsewhere, this_month, library, media
):
    client.force_login(north_desk)
    response = client.post(
        "/staff/materials/new/",
        _form(
            library,
            this_month,
            SimpleUploadedFile("flyer.pdf", pdf()),
            groups=[],
            targets=[str(elsewhere.pk)],
        ),
    )

    assert "Select a valid choice." in response.content.decode()
    assert Material.objects.count() == 0
