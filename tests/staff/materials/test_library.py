"""The materials library, a material's page, its download and the month's grid: who sees
what (another organization's material is a 404), the headers of a download, confirmations by
the location's own staff, and the queries each list costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.materials.enums import Step
from jobhelp.materials.models import MaterialTarget
from tests.materials.helpers import send

pytestmark = pytest.mark.django_db


def test_a_branch_front_desk_finds_the_centers_flyer_and_not_another_systems(
    client, flyer, theirs, north_desk
):
    client.force_login(north_desk)
    page = client.get("/staff/materials/").content.decode()

    assert "Center workshops" in page
    assert "Elsewhere computer classes" not in page
    assert client.get(f"/staff/materials/{theirs.pk}/").status_code == 404
    assert client.get(f"/staff/materials/{theirs.pk}/file/").status_code == 404
    assert client.get(f"/staff/materials/{theirs.pk}/picture.png").status_code == 404


def test_the_download_is_an_attachment_never_sniffed(client, flyer, north_desk):
    client.force_login(north_desk)
    response = client.get(f"/staff/materials/{flyer.pk}/file/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="center-workshops.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_picture_is_a_png_never_sniffed(client, flyer, north_desk):
    client.force_login(north_desk)
    response = client.get(f"/staff/materials/{flyer.pk}/picture.png")

    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"\x89PNG")


def test_a_branch_confirms_posted_with_copies_for_its_own_location(
    client, flyer, north, north_desk
):
    client.force_login(north_desk)
    response = client.post(
        f"/staff/materials/{flyer.pk}/confirm/",
        {"location": north.pk, "step": Step.POSTED, "copies": "12"},
    )

    assert response.status_code == 302
    target = MaterialTarget.objects.get(material=flyer, location=north)
    assert (target.downloaded_at is not None, target.printed_at is not None) == (True, True)
    assert (target.posted_copies, target.posted_by) == (12, north_desk)


def test_a_branch_cannot_confirm_for_another_branch(client, flyer, lake, north_desk):
    client.force_login(north_desk)
    response = client.post(
        f"/staff/materials/{flyer.pk}/confirm/",
        {"location": lake.pk, "step": Step.DOWNLOADED},
    )

    assert response.status_code == 404
    assert MaterialTarget.objects.get(material=flyer, location=lake).step is None


@pytest.mark.parametrize(
    ("copies", "message"),
    [
        ("", "Enter how many copies were put out."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("many", "Enter a whole number."),
    ],
)
def test_posting_without_a_usable_number_of_copies_is_refused_and_changes_nothing(
    client, flyer, north, north_desk, copies, message
):
    client.force_login(north_desk)
    response = client.post(
        f"/staff/materials/{flyer.pk}/confirm/",
        {"location": north.pk, "step": Step.POSTED, "copies": copies},
        follow=True,
    )

    assert message in response.content.decode()
    assert MaterialTarget.objects.get(material=flyer, location=north).step is None


def test_the_liaisons_grid_shows_who_has_not_posted(
    client, flyer, north, lake, north_desk, liaison
):
    from jobhelp.materials import domain

    domain.confirm(flyer, location=north, step=Step.POSTED, by=north_desk, copies=5)
    client.force_login(liaison)
    page = client.get("/staff/materials/month/").content.decode()

    assert "Not posted yet: Lakeside Library" in page
    assert "Posted (5 copies)" in page


def test_the_branch_sees_only_its_own_row_of_the_grid(client, flyer, north_desk):
    client.force_login(north_desk)
    page = client.get("/staff/materials/month/").content.decode()

    assert "Northtown Library" in page
    assert "Lakeside Library" not in page


def test_the_sender_withdraws_and_the_file_is_gone(client, flyer, liaison, north_desk):
    client.force_login(liaison)
    assert client.post(f"/staff/materials/{flyer.pk}/withdraw/").status_code == 302
    client.force_login(north_desk)
    assert client.get(f"/staff/materials/{flyer.pk}/file/").status_code == 404


def test_the_receiving_branch_cannot_withdraw(client, flyer, north_desk):
    client.force_login(north_desk)
    client.post(f"/staff/materials/{flyer.pk}/withdraw/")
    flyer.refresh_from_db()
    assert flyer.withdrawn_at is None


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_library_and_the_grid_cost_the_same_for_one_and_three_flyers(
    client, sharing, center, liaison, north, lake, this_month
):
    client.force_login(liaison)
    send(center, liaison, [north, lake], title="One", month=this_month)
    one = (_queries(client, "/staff/materials/"), _queries(client, "/staff/materials/month/"))
    send(center, liaison, [north, lake], title="Two", month=this_month)
    send(center, liaison, [north], title="Three", month=this_month)
    three = (_queries(client, "/staff/materials/"), _queries(client, "/staff/materials/month/"))

    assert one == three
