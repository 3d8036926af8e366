"""Reference titles from the pages: the combined list across partners, searchable, as a CSV
file (formula-safe); a partner's own titles added, changed and removed (another's are read-
only, another system's a 404); the CSV import previewed, then confirmed, hostile files refused
with nothing written; suggestions ordered and received; the printable shelf; query counts."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.materials.enums import OrderState
from jobhelp.materials.models import ReferenceTitle, TitleOrder
from tests.staff.materials.conftest import title

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sharing")]


@pytest.fixture
def shelves(library, center, manager, liaison, north, lake, office, other_library, elsewhere):
    from jobhelp.accounts.enums import Role
    from tests.factories.accounts import staff_member

    return {
        "ours": title(library, manager, north, "Resumes for Dummies", isbn="0-306-40615-2"),
        "popular": title(center, liaison, office, "What Color Is Your Parachute?", times_asked=40),
        "also": title(center, liaison, office, "Knock 'em Dead", times_asked=12),
        "on_shelf": title(library, manager, office, "Library card application", partner_shelf=True),
        "theirs": title(
            other_library,
            staff_member(other_library, Role.MANAGER),
            elsewhere,
            "Elsewhere secrets",
            times_asked=99,
        ),
    }


def test_the_combined_list_shows_both_partners_and_never_another_system(
    client, shelves, front_desk
):
    client.force_login(front_desk)
    page = client.get("/staff/titles/").content.decode()

    for name in (
        "Resumes for Dummies",
        "What Color Is Your Parachute?",
        "Library card application",
    ):
        assert name in page
    assert "Elsewhere secrets" not in page
    assert client.get(f"/staff/titles/{shelves['theirs'].pk}/edit/").status_code == 404


def test_the_search_finds_words_and_an_isbn_however_written(client, shelves, front_desk):
    client.force_login(front_desk)
    by_word = client.get("/staff/titles/?q=parachute").content.decode()
    by_isbn = client.get("/staff/titles/?q=978-0-306-40615-7").content.decode()

    assert "What Color Is Your Parachute?" in by_word and "Resumes for Dummies" not in by_word
    assert "Resumes for Dummies" in by_isbn and "Parachute" not in by_isbn


def test_a_partners_title_is_read_only(client, shelves, manager):
    client.force_login(manager)
    assert client.get(f"/staff/titles/{shelves['popular'].pk}/edit/").status_code == 403
    assert client.post(f"/staff/titles/{shelves['popular'].pk}/remove/").status_code == 403
    assert ReferenceTitle.objects.filter(pk=shelves["popular"].pk).exists()


def _title_form(location, **more):
    return {
        "title": "Occupational Outlook Handbook",
        "author": "BLS",
        "isbn": "",
        "format": "binder",
        "location": location.pk,
        "shelf": "331.7",
        "circulation": "reference",
        "copies": "1",
        "times_asked": "30",
        **more,
    }


def test_a_title_is_listed_changed_and_removed(client, manager, library, north):
    client.force_login(manager)
    response = client.post("/staff/titles/new/", _title_form(north, organization=library.pk))
    assert response.status_code == 302
    listed = ReferenceTitle.objects.get()
    assert (listed.organization, listed.location, listed.times_asked) == (library, north, 30)

    client.post(
        f"/staff/titles/{listed.pk}/edit/",
        _title_form(north, organization=library.pk, times_asked="31"),
    )
    listed.refresh_from_db()
    assert listed.times_asked == 31

    client.post(f"/staff/titles/{listed.pk}/remove/")
    assert ReferenceTitle.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", '=HYPERLINK("http://evil")', "which a spreadsheet would run as a formula"),
        ("title", "x" * 10_000, "Ensure this value has at most 300 characters"),
        ("isbn", "978-0-306-40615-8", "check digit"),
        ("author", "@SUM(A1)", "which a spreadsheet would run as a formula"),
    ],
)
def test_a_bad_title_is_refused_by_field_with_nothing_written_or_lost(
    client, manager, library, north, field, value, message
):
    client.force_login(manager)
    response = client.post(
        "/staff/titles/new/", _title_form(north, organization=library.pk, **{field: value})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "331.7" in page
    assert ReferenceTitle.objects.count() == 0


def test_the_csv_export_is_formula_safe_and_scoped(client, shelves, front_desk, office):
    # A location name from the admin that a spreadsheet would run.
    office.name = "=cmd|'/c calc'!A1"
    office.save()
    client.force_login(front_desk)
    response = client.get("/staff/titles/titles.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))

    assert response["Content-Disposition"] == 'attachment; filename="reference-titles.csv"'
    assert "Elsewhere secrets" not in body
    (location,) = {row["location"] for row in rows if row["title"] == "Knock 'em Dead"}
    assert location.startswith("'=cmd")


def _csv(rows, header=("title", "author", "isbn", "location", "times_asked"), encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("titles.csv", out.getvalue().encode(encoding), "text/csv")


def test_an_import_is_previewed_then_written_on_confirmation(
    client, manager, library, north, lake, run_worker, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    upload = _csv(
        [
            ["Resumes for Dummies", "Kennedy", "0-306-40615-2", "Northtown Library", "12"],
            ["Guía para entrevistas", "Pérez", "", "Lakeside Library", "3"],
        ]
    )
    preview = client.post("/staff/titles/import/", {"organization": library.pk, "file": upload})
    page = preview.content.decode()

    assert "2 rows: 2 new titles, 0 changed, 0 unchanged." in page
    assert ReferenceTitle.objects.count() == 0
    token = preview.context["token"]

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/staff/titles/import/confirm/", {"token": token})
    run_worker()
    done = client.get(queued["Location"]).content.decode()
    assert "Finished: 2 titles imported." in done
    assert '<th scope="row">New titles</th><td>2</td>' in done
    assert sorted(ReferenceTitle.objects.values_list("title", flat=True)) == [
        "Guía para entrevistas",
        "Resumes for Dummies",
    ]
    # The file kept aside is gone, and the same token cannot import twice.
    again = client.post("/staff/titles/import/confirm/", {"token": token}, follow=True)
    assert "This import is out of date." in again.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            _csv([['=HYPERLINK("http://x")', "", "", "Northtown Library", "1"]]),
            "which a spreadsheet would run as a formula",
        ),
        (
            _csv(
                [["Guía para entrevistas", "Pérez", "", "Northtown Library", "1"]],
                encoding="cp1252",
            ),
            "is not UTF-8 text",
        ),
        (
            _csv([["x" * 10_000, "", "", "Northtown Library", "1"]]),
            "Title has 10,000 characters; at most 300 are allowed.",
        ),
        (_csv([["A title", "", "", "Nowhere", "1"]]), "There is no location called"),
    ],
)
def test_a_hostile_csv_is_refused_with_its_line_and_nothing_written(
    client, manager, library, north, upload, message
):
    client.force_login(manager)
    response = client.post("/staff/titles/import/", {"organization": library.pk, "file": upload})
    page = response.content.decode()

    assert "This file cannot be imported" in page
    assert message in page
    assert response.context["token"] == ""
    assert ReferenceTitle.objects.count() == 0
    assert not AuditEntry.objects.filter(action="jobhelp.reference_title.imported").exists()


def test_the_library_orders_and_receives_the_centers_popular_title(
    client, shelves, manager, library
):
    client.force_login(manager)
    page = client.get("/staff/titles/suggestions/").content.decode()
    assert "What Color Is Your Parachute?" in page
    assert "Elsewhere secrets" not in page

    client.post(f"/staff/titles/{shelves['popular'].pk}/order/", {"organization": library.pk})
    order = TitleOrder.objects.get()
    assert (order.organization, order.state, order.title) == (
        library,
        OrderState.ORDERED,
        "What Color Is Your Parachute?",
    )
    client.post(f"/staff/titles/orders/{order.pk}/received/")
    order.refresh_from_db()
    assert order.state == OrderState.RECEIVED


def test_another_systems_title_cannot_be_ordered(client, shelves, manager):
    client.force_login(manager)
    assert client.post(f"/staff/titles/{shelves['theirs'].pk}/order/").status_code == 404
    assert TitleOrder.objects.count() == 0


def test_a_branch_desk_cannot_order_for_the_system(client, shelves, north_desk):
    client.force_login(north_desk)
    page = client.get("/staff/titles/suggestions/").content.decode()
    assert "Titles are ordered by a library system or a center" in page
    client.post(f"/staff/titles/{shelves['popular'].pk}/order/")
    assert TitleOrder.objects.count() == 0


def test_the_shelf_list_prints_the_library_titles_at_the_center(client, shelves, liaison):
    client.force_login(liaison)
    page = client.get("/staff/titles/shelf/").content.decode()

    assert "Partner resources shelf at WorkForce Center office" in page
    assert "Library card application" in page
    assert "What Color Is Your Parachute?" not in page


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_title_lists_cost_the_same_for_one_and_three_titles(
    client, manager, library, center, liaison, north, office
):
    client.force_login(manager)
    title(library, manager, north, "One")
    title(center, liaison, office, "Popular one", times_asked=9)
    title(library, manager, office, "Shelf one", partner_shelf=True)
    paths = ["/staff/titles/", "/staff/titles/suggestions/", "/staff/titles/shelf/"]
    one = [_count(client, path) for path in paths]
    for n in (2, 3):
        title(library, manager, north, f"Title {n}")
        title(center, liaison, office, f"Popular {n}", times_asked=9)
        title(library, manager, office, f"Shelf {n}", partner_shelf=True)
    three = [_count(client, path) for path in paths]

    assert one == three
