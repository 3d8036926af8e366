"""What each person sees of the materials library, when items leave it, the month's grid and
the evidence, the files served, and how many queries each list costs."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile

from jobhelp.accounts.enums import Role
from jobhelp.materials import domain, queries, thumbnails
from jobhelp.materials.enums import MaterialKind, Step
from jobhelp.materials.queries import LocationEvidence
from jobhelp.workshops.models import Workshop
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.materials.files import png
from tests.materials.helpers import MARCH, send

IN_MARCH = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
APRIL = date(2026, 4, 1)
pytestmark = pytest.mark.usefixtures("sharing")


def listed(user, now=IN_MARCH, **filters) -> list[tuple[str, str]]:
    return [
        (item.source, item.title) for item in queries.library_for_user(user, now=now, **filters)
    ]


@pytest.fixture
def county(center, liaison, library, manager, other_library, north, lake, office, elsewhere):
    """Something for everyone, and something for each to not see."""
    return {
        "both": send(center, liaison, [north, lake], title="Center workshops, March"),
        "lake_only": send(center, liaison, [lake], title="Lakeside job fair, March"),
        "brochure": send(
            library,
            manager,
            [office],
            kind=MaterialKind.MARKETING,
            title="Library cards for job seekers",
            valid_from=date(2026, 1, 1),
        ),
        # Another library system's own flyer for its own location: it must never leak.
        "theirs": send(
            other_library,
            staff_member(other_library, Role.MANAGER),
            [elsewhere],
            title="Elsewhere computer classes",
        ),
    }


# --- Who sees what ----------------------------------------------------------------------------


def test_a_branch_front_desk_sees_what_was_sent_to_its_branch_whoever_sent_it(county, north_desk):
    items = queries.library_for_user(north_desk, now=IN_MARCH)

    assert [(item.title, item.is_sender) for item in items] == [("Center workshops, March", False)]
    # Only their own location's confirmation row, not Lakeside's.
    assert [t.location.name for t in items[0].targets] == ["Northtown Library"]


def test_the_sender_sees_its_own_with_every_location_and_what_was_sent_to_it(county, liaison):
    items = {item.title: item for item in queries.library_for_user(liaison, now=IN_MARCH)}

    assert sorted(items) == [
        "Center workshops, March",
        "Lakeside job fair, March",
        "Library cards for job seekers",
    ]
    assert [t.location.name for t in items["Center workshops, March"].targets] == [
        "Lakeside Library",
        "Northtown Library",
    ]
    assert items["Library cards for job seekers"].is_sender is False


def test_the_library_system_sees_everything_sent_to_its_branches_and_its_own(county, manager):
    assert listed(manager) == [
        ("material", "Center workshops, March"),
        ("material", "Lakeside job fair, March"),
        ("material", "Library cards for job seekers"),
    ]


def test_another_library_sees_only_its_own_and_ours_are_not_found(
    county, outsider, north_desk, no_membership
):
    ours = county["both"]

    assert listed(outsider) == [("material", "Elsewhere computer classes")]
    assert (
        queries.material_for_user(outsider, ours.pk),
        queries.material_file_for_user(outsider, ours.pk),
        queries.thumbnail_for_user(outsider, ours.pk),
        queries.material_for_user(north_desk, county["theirs"].pk),
        queries.material_for_user(north_desk, county["lake_only"].pk),
    ) == (None, None, None, None, None)
    assert (listed(no_membership), queries.library_for_user(None, now=IN_MARCH)) == ([], [])


def test_a_withdrawn_material_leaves_every_list(county, liaison, north_desk):
    domain.withdraw_material(county["both"], by=liaison)

    assert listed(north_desk) == []
    assert queries.material_file_for_user(north_desk, county["both"].pk) is None


# --- When items leave the lists ---------------------------------------------------------------


@pytest.fixture
def honolulu(library):
    return LocationFactory(
        organization=library, name="Island Reading Room", time_zone="Pacific/Honolulu"
    )


def test_an_item_leaves_each_location_s_list_when_its_last_day_ends_there(
    center, liaison, north, honolulu, north_desk, manager
):
    send(center, liaison, [north, honolulu], title="March flyer")
    # 00:30 on April 1 in Chicago, still 19:30 on March 31 in Honolulu.
    chicago_past = datetime(2026, 4, 1, 5, 30, tzinfo=UTC)
    both_past = datetime(2026, 4, 1, 10, 30, tzinfo=UTC)
    just_before = datetime(2026, 4, 1, 4, 59, tzinfo=UTC)

    assert listed(north_desk, now=just_before) == [("material", "March flyer")]
    assert listed(north_desk, now=chicago_past) == []
    # The library system acts for the Honolulu room, where it is still March 31.
    assert listed(manager, now=chicago_past) == [("material", "March flyer")]
    assert listed(liaison, now=chicago_past) == [("material", "March flyer")]
    assert (listed(manager, now=both_past), listed(liaison, now=both_past)) == ([], [])


def test_next_month_s_flyer_is_listed_ahead_and_a_brochure_without_end_stays(
    center, liaison, library, manager, north, office, north_desk
):
    send(center, liaison, [north], title="April flyer", month=APRIL)
    send(
        library,
        manager,
        [north],
        kind=MaterialKind.MARKETING,
        title="Job help at the library",
        valid_from=date(2020, 1, 1),
    )

    assert listed(north_desk, now=datetime(2031, 1, 1, tzinfo=UTC)) == [
        ("material", "Job help at the library")
    ]
    assert listed(north_desk) == [
        ("material", "April flyer"),
        ("material", "Job help at the library"),
    ]


# --- Class flyers -----------------------------------------------------------------------------


def class_with_flyer(organization, *, title, co_hosts=(), starts=IN_MARCH + timedelta(days=5)):
    workshop = WorkshopFactory(organization=organization, title=title, language="en")
    workshop.co_hosts.set(co_hosts)
    workshop.flyer.save("flyer.png", ContentFile(png()), save=False)
    Workshop.objects.filter(pk=workshop.pk).update(flyer=workshop.flyer.name)
    WorkshopSessionFactory(workshop=workshop, starts=starts, ends=starts + timedelta(hours=1))
    return workshop


def test_class_flyers_of_classes_to_come_are_listed_with_the_materials(
    county, center, library, other_library, north_desk, outsider, liaison
):
    interviewing = class_with_flyer(center, title="Online Interviewing Tips", co_hosts=[library])
    class_with_flyer(center, title="Last year's class", starts=IN_MARCH - timedelta(days=300))
    class_with_flyer(other_library, title="Elsewhere's class")
    WorkshopFactory(organization=center, title="A class without a flyer")

    assert listed(north_desk) == [
        ("material", "Center workshops, March"),
        ("class_flyer", "Online Interviewing Tips"),
    ]
    assert listed(outsider) == [
        ("material", "Elsewhere computer classes"),
        ("class_flyer", "Elsewhere's class"),
    ]
    assert listed(liaison, kind="class_flyer") == [("class_flyer", "Online Interviewing Tips")]
    assert listed(liaison, kind=MaterialKind.MARKETING) == [
        ("material", "Library cards for job seekers")
    ]
    download = queries.class_flyer_file_for_user(north_desk, interviewing.pk, now=IN_MARCH)
    with download.file:
        assert (download.filename, download.headers["Content-Disposition"]) == (
            "online-interviewing-tips.png",
            'attachment; filename="online-interviewing-tips.png"',
        )
    assert queries.class_flyer_file_for_user(outsider, interviewing.pk, now=IN_MARCH) is None


def test_a_class_meeting_at_a_branch_shows_its_flyer_there(other_library, north, north_desk):
    workshop = class_with_flyer(other_library, title="Visiting class")
    workshop.sessions.update(location=north)

    assert listed(north_desk) == [("class_flyer", "Visiting class")]


def test_the_language_filter(center, liaison, north, north_desk):
    send(center, liaison, [north], title="Talleres de marzo", language="es")
    send(center, liaison, [north], title="Workshops in March")

    assert listed(north_desk, language="es") == [("material", "Talleres de marzo")]


# --- Files and pictures -----------------------------------------------------------------------


def test_a_permitted_user_gets_the_file_as_a_download_named_after_its_title(county, north_desk):
    download = queries.material_file_for_user(north_desk, county["both"].pk)

    with download.file:
        content = download.file.read()
    assert content.startswith(b"%PDF-")
    assert (download.size, download.headers) == (
        len(content),
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": 'attachment; filename="center-workshops-march.pdf"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cross-Origin-Resource-Policy": "same-origin",
            "Cache-Control": "private, max-age=300",
        },
    )


def test_a_stored_file_that_changed_into_something_else_or_vanished_is_not_served(
    county, north_desk, media
):
    flyer, brochure = county["both"], county["brochure"]
    (media / flyer.file.name).write_bytes(b"<html><script>alert(1)</script></html>")
    (media / brochure.file.name).unlink()

    assert queries.material_file_for_user(north_desk, flyer.pk) is None
    assert queries.material_file_for_user(north_desk, brochure.pk) is None


def test_the_picture_is_the_placeholder_until_the_page_is_drawn(county, north_desk):
    flyer = county["both"]
    before = queries.thumbnail_for_user(north_desk, flyer.pk)
    thumbnails.make_thumbnail(flyer.pk)
    after = queries.thumbnail_for_user(north_desk, flyer.pk)

    assert before.content == queries.class_flyer_thumbnail("pdf").content
    assert after.content != before.content
    assert after.content.startswith(b"\x89PNG")


# --- The month's grid and the evidence --------------------------------------------------------


@pytest.fixture
def march(center, liaison, north, lake, north_desk, manager):
    a = send(center, liaison, [north, lake], title="A: workshops")
    b = send(center, liaison, [north], title="B: job fair")
    send(center, liaison, [north, lake], title="April", month=APRIL)
    posted_at = datetime(2026, 3, 3, 15, tzinfo=UTC)
    domain.confirm(a, location=north, step=Step.POSTED, by=north_desk, copies=12, now=posted_at)
    domain.confirm(b, location=north, step=Step.DOWNLOADED, by=north_desk)
    return a, b


def grid_cells(grid) -> list:
    return [
        (row.location.name, [cell.step if cell else "-" for cell in row.cells], row.all_posted)
        for row in grid.rows
    ]


def test_the_liaison_s_grid_shows_every_location_and_what_each_confirmed(march, liaison):
    grid = queries.flyer_grid(liaison, month=date(2026, 3, 17))

    assert (grid.month, [f.title for f in grid.flyers]) == (MARCH, ["A: workshops", "B: job fair"])
    assert grid_cells(grid) == [
        ("Lakeside Library", [None, "-"], False),
        ("Northtown Library", ["posted", "downloaded"], False),
    ]
    assert [row.location.name for row in grid.not_posted] == [
        "Lakeside Library",
        "Northtown Library",
    ]


def test_a_branch_sees_only_its_own_row_and_an_outsider_nothing(march, north_desk, outsider):
    assert grid_cells(queries.flyer_grid(north_desk, month=MARCH)) == [
        ("Northtown Library", ["posted", "downloaded"], False)
    ]
    assert queries.flyer_grid(outsider, month=MARCH) == queries.FlyerGrid(
        month=MARCH, flyers=(), rows=()
    )


def test_the_evidence_gives_each_location_s_state_for_the_month(
    march, liaison, center, north, lake
):
    a, b = march
    evidence = queries.flyer_evidence(liaison, organization=center, month=MARCH)

    target = {(t.material_id, t.location_id): t.pk for t in a.targets.all() | b.targets.all()}
    assert evidence == [
        LocationEvidence(
            location=lake,
            flyers=1,
            downloaded=0,
            printed=0,
            posted=0,
            copies_posted=0,
            last_posted_at=None,
            target_ids=(target[(a.pk, lake.pk)],),
        ),
        LocationEvidence(
            location=north,
            flyers=2,
            downloaded=2,
            printed=1,
            posted=1,
            copies_posted=12,
            last_posted_at=datetime(2026, 3, 3, 15, tzinfo=UTC),
            target_ids=(target[(a.pk, north.pk)], target[(b.pk, north.pk)]),
        ),
    ]
    assert [(e.step, e.complete) for e in evidence] == [
        (None, False),
        (Step.DOWNLOADED, False),
    ]


def test_evidence_is_complete_when_every_flyer_is_posted(march, liaison, center, north, north_desk):
    _a, b = march
    domain.confirm(b, location=north, step=Step.POSTED, by=north_desk, copies=3)

    north_evidence = queries.flyer_evidence(liaison, organization=center, month=MARCH)[1]

    assert (north_evidence.step, north_evidence.complete, north_evidence.copies_posted) == (
        Step.POSTED,
        True,
        15,
    )


def test_the_current_month_is_on_the_site_s_calendar():
    # 03:00 UTC on April 1 is still March 31 in Chicago.
    assert queries.current_month(now=datetime(2026, 4, 1, 3, tzinfo=UTC)) == MARCH


# --- Queries per list -------------------------------------------------------------------------


def _library_of(n, center, liaison, library, north):
    for i in range(n):
        material = send(center, liaison, [north], title=f"Flyer {i}")
        thumbnails.make_thumbnail(material.pk)
        class_with_flyer(center, title=f"Class {i}", co_hosts=[library])


@pytest.mark.parametrize("n", [1, 3])
def test_the_library_costs_three_queries_however_long(
    n, center, liaison, library, north, north_desk, django_assert_num_queries
):
    _library_of(n, center, liaison, library, north)

    with django_assert_num_queries(3):
        items = queries.library_for_user(north_desk, now=IN_MARCH)
        [(item.organization.name, [t.location.name for t in item.targets]) for item in items]

    assert len(items) == 2 * n


@pytest.mark.parametrize("n", [1, 3])
def test_the_grid_costs_two_queries_however_many_flyers(
    n, center, liaison, north, lake, django_assert_num_queries
):
    for i in range(n):
        send(center, liaison, [north, lake], title=f"Flyer {i}")

    with django_assert_num_queries(2):
        grid = queries.flyer_grid(liaison, month=MARCH)
        [(row.location.name, [c.step for c in row.cells]) for row in grid.rows]

    assert (len(grid.flyers), len(grid.rows)) == (n, 2)


@pytest.mark.parametrize("n", [1, 3])
def test_the_evidence_costs_two_queries_however_many_flyers(
    n, center, liaison, north, lake, north_desk, django_assert_num_queries
):
    for i in range(n):
        flyer = send(center, liaison, [north, lake], title=f"Flyer {i}")
        domain.confirm(flyer, location=north, step=Step.POSTED, by=north_desk, copies=2)

    with django_assert_num_queries(2):
        evidence = queries.flyer_evidence(liaison, organization=center, month=MARCH)
        [(e.location.name, e.step) for e in evidence]

    assert [(e.flyers, e.posted) for e in evidence] == [(n, 0), (n, n)]


@pytest.mark.parametrize("n", [1, 3])
def test_the_upload_form_s_choices_cost_two_queries(n, center, library, django_assert_num_queries):
    for i in range(n):
        LocationFactory(organization=library, name=f"Branch room {i}")

    with django_assert_num_queries(2):
        groups = queries.target_groups(center)
        [(g.organization.name, [loc.name for loc in g.locations]) for g in groups]

    # The library's group (its two branches' locations and the new ones), then the center's.
    assert [(g.audience, len(g.locations)) for g in groups] == [
        ("all_branches", 2 + n),
        ("job_center", 1),
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_the_sharing_list_costs_one_query(n, library, manager, django_assert_num_queries):
    from tests.factories.organizations import OrganizationFactory

    for _ in range(n):
        domain.start_sharing(library, partner=OrganizationFactory(), by=manager)

    with django_assert_num_queries(1):
        rows = [(s.organization.name, s.partner.name) for s in queries.sharing_for_user(manager)]

    # The sharing fixture's two rows (both ways with the center), and the new ones.
    assert len(rows) == 2 + n


def test_confirmation_rows_are_seen_by_the_sender_and_by_each_location_for_itself(
    county, liaison, north_desk, outsider, manager, north, lake, django_assert_num_queries
):
    def rows(user):
        return sorted((t.material.title, t.location.name) for t in queries.targets_for_user(user))

    with django_assert_num_queries(1):
        liaison_rows = rows(liaison)

    assert liaison_rows == [
        ("Center workshops, March", "Lakeside Library"),
        ("Center workshops, March", "Northtown Library"),
        ("Lakeside job fair, March", "Lakeside Library"),
        ("Library cards for job seekers", "WorkForce Center office"),
    ]
    assert rows(north_desk) == [("Center workshops, March", "Northtown Library")]
    assert rows(outsider) == [("Elsewhere computer classes", "Elsewhere Library")]
    assert len(rows(manager)) == 4
