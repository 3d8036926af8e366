"""Materials and reference titles through the API, by token: the same forms, domain functions
and rules as the staff pages. Another organization's material or title is a 404, someone in
no organization a 403, a refusal a 409, unusable input a 422 by field; and the lists' queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.domain import create_api_token
from jobhelp.materials.enums import OrderState, Step
from jobhelp.materials.models import Material, MaterialTarget, ReferenceTitle, TitleOrder
from tests.materials.files import pdf
from tests.materials.helpers import send
from tests.staff.materials.conftest import title

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        _token, key = create_api_token(user, name="api", by=user)
        headers = {"Authorization": f"Bearer {key}"}

        class Caller:
            def get(self, path):
                return client.get(path, headers=headers)

            def post(self, path, data=None, **kwargs):
                if "multipart" in kwargs:
                    return client.post(path, kwargs["multipart"], headers=headers)
                return client.post(
                    path, data or {}, content_type="application/json", headers=headers
                )

            def put(self, path, data):
                return client.put(path, data, content_type="application/json", headers=headers)

            def delete(self, path):
                return client.delete(path, headers=headers)

        return Caller()

    return as_user


def test_a_branch_lists_the_centers_flyer_and_never_another_systems(api, flyer, theirs, north_desk):
    caller = api(north_desk)
    items = caller.get("/api/v1/materials").json()

    assert [(i["source"], i["title"], i["is_sender"]) for i in items] == [
        ("material", "Center workshops", False)
    ]
    assert [t["location"]["name"] for t in items[0]["targets"]] == ["Northtown Library"]
    assert caller.get(f"/api/v1/materials/{theirs.pk}").status_code == 404
    assert caller.get(f"/api/v1/materials/{theirs.pk}/file").status_code == 404


def test_the_file_is_an_attachment_never_sniffed(api, flyer, north_desk):
    response = api(north_desk).get(f"/api/v1/materials/{flyer.pk}/file")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="center-workshops.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_someone_in_no_organization_gets_a_403(api, flyer, admin_user):
    assert api(admin_user).get("/api/v1/materials").status_code == 403
    assert api(admin_user).get("/api/v1/titles").status_code == 403


def test_a_branch_confirms_its_own_location_and_not_another(api, flyer, north, lake, north_desk):
    caller = api(north_desk)
    posted = caller.post(
        f"/api/v1/materials/{flyer.pk}/confirm",
        {"location_id": north.pk, "step": Step.POSTED, "copies": 8},
    )
    other = caller.post(
        f"/api/v1/materials/{flyer.pk}/confirm", {"location_id": lake.pk, "step": Step.POSTED}
    )

    assert (posted.status_code, posted.json()["step"], posted.json()["posted_copies"]) == (
        200,
        "posted",
        8,
    )
    assert other.status_code == 404
    assert MaterialTarget.objects.get(material=flyer, location=lake).step is None


def test_posting_without_copies_is_a_422_by_field(api, flyer, north, north_desk):
    response = api(north_desk).post(
        f"/api/v1/materials/{flyer.pk}/confirm", {"location_id": north.pk, "step": "posted"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"copies": ["Enter how many copies were put out."]}


def test_the_liaisons_grid_names_who_has_not_posted(api, flyer, north, lake, north_desk, liaison):
    api(north_desk).post(
        f"/api/v1/materials/{flyer.pk}/confirm",
        {"location_id": north.pk, "step": "posted", "copies": 3},
    )
    grid = api(liaison).get("/api/v1/materials/month").json()

    assert [f["name"] for f in grid["flyers"]] == ["Center workshops"]
    assert [r["location"]["name"] for r in grid["rows"]] == [
        "Lakeside Library",
        "Northtown Library",
    ]
    assert grid["not_posted"] == [lake.pk]


def test_the_center_sends_a_flyer_by_multipart(api, sharing, liaison, library, this_month, media):
    response = api(liaison).post(
        "/api/v1/materials",
        multipart={
            "kind": "flyer",
            "title": "Center workshops",
            "language": "en",
            "month": this_month.strftime("%Y-%m"),
            "group_ids": [library.pk],
            "file": SimpleUploadedFile("flyer.pdf", pdf()),
        },
    )

    assert response.status_code == 201, response.content
    assert sorted(t["location"]["name"] for t in response.json()["targets"]) == [
        "Lakeside Library",
        "Northtown Library",
    ]


def test_an_html_file_named_pdf_is_a_422_with_nothing_stored(
    api, sharing, liaison, library, this_month, media
):
    response = api(liaison).post(
        "/api/v1/materials",
        multipart={
            "kind": "flyer",
            "title": "Center workshops",
            "month": this_month.strftime("%Y-%m"),
            "group_ids": [library.pk],
            "file": SimpleUploadedFile("flyer.pdf", b"<!DOCTYPE html><script>x</script>"),
        },
    )

    assert response.status_code == 422
    assert "web page" in response.json()["errors"]["file"][0]
    assert Material.objects.count() == 0


def test_a_title_is_listed_by_api_and_a_bad_one_is_a_422_by_field(
    api, sharing, manager, library, north
):
    caller = api(manager)
    made = caller.post(
        "/api/v1/titles",
        {
            "organization_id": library.pk,
            "title": "Resumes",
            "isbn": "0-306-40615-2",
            "location_id": north.pk,
        },
    )
    bad = caller.post(
        "/api/v1/titles",
        {"organization_id": library.pk, "title": "=1+1", "isbn": "123", "location_id": north.pk},
    )

    assert (made.status_code, made.json()["isbn"]) == (201, "9780306406157")
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"title", "isbn"}
    assert ReferenceTitle.objects.count() == 1


def test_a_partners_title_cannot_be_changed_and_another_systems_is_a_404(
    api, sharing, manager, liaison, center, office, other_library, elsewhere
):
    from jobhelp.accounts.enums import Role
    from tests.factories.accounts import staff_member

    theirs = title(center, liaison, office, "Parachute", times_asked=40)
    hidden = title(other_library, staff_member(other_library, Role.MANAGER), elsewhere, "Secret")
    caller = api(manager)

    assert caller.put(f"/api/v1/titles/{theirs.pk}", {"title": "Mine now"}).status_code == 403
    assert caller.delete(f"/api/v1/titles/{theirs.pk}").status_code == 403
    assert caller.get(f"/api/v1/titles/{hidden.pk}").status_code == 404
    assert [t["title"] for t in caller.get("/api/v1/titles").json()["items"]] == ["Parachute"]


def test_the_library_orders_a_suggestion_once_then_receives_it(
    api, sharing, manager, liaison, center, office, library
):
    popular = title(center, liaison, office, "Parachute", times_asked=40)
    caller = api(manager)
    assert [s["title"]["title"] for s in caller.get("/api/v1/titles/suggestions").json()] == [
        "Parachute"
    ]

    ordered = caller.post(f"/api/v1/titles/{popular.pk}/order", {"copies": 2})
    again = caller.post(f"/api/v1/titles/{popular.pk}/order", {"copies": 2})
    assert (ordered.status_code, ordered.json()["state"]) == (201, OrderState.ORDERED)
    assert again.status_code == 409

    order = TitleOrder.objects.get()
    received = caller.post(f"/api/v1/titles/orders/{order.pk}/received")
    assert (received.status_code, received.json()["state"]) == (200, OrderState.RECEIVED)


def _count(caller, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert caller.get(path).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_for_one_and_three_items(
    api, sharing, center, liaison, manager, library, north, lake, office, this_month
):
    caller = api(liaison)
    send(center, liaison, [north, lake], title="One", month=this_month)
    title(center, liaison, office, "Title one")
    paths = ["/api/v1/materials", "/api/v1/materials/month", "/api/v1/titles"]
    caller.get("/api/v1/materials")  # The token's first use is written down once.
    one = [_count(caller, p) for p in paths]
    for n in (2, 3):
        send(center, liaison, [north, lake], title=f"Flyer {n}", month=this_month)
        title(center, liaison, office, f"Title {n}")
    three = [_count(caller, p) for p in paths]

    assert one == three
