"""Sending materials, changing and withdrawing them, each location's confirmations, sharing,
and the picture of the first page: one audited function each, checked on both sides."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.materials import domain, files, thumbnails
from jobhelp.materials.domain import MaterialDetails, MaterialError
from jobhelp.materials.enums import Audience, MaterialKind, ThumbnailState
from jobhelp.materials.models import Material, MaterialTarget, Sharing
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory
from tests.materials.files import RawUpload, pdf, png, upload
from tests.materials.helpers import MARCH, send
from tests.materials.test_files import HTML, SVG_WITH_SCRIPT, Unread

NOW = datetime(2026, 2, 25, 15, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("sharing")


def stored(media: Path) -> list[Path]:
    return sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())


def actions() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id", "data"))


# --- Sending ----------------------------------------------------------------------------------


def test_the_center_sends_its_monthly_flyer_to_every_branch(
    center, liaison, north, lake, media, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        material = send(center, liaison, [north, lake], now=NOW)
    run_worker()

    material.refresh_from_db()
    assert (
        material.kind,
        material.valid_from,
        material.valid_until,
        material.audience,
        material.language,
        material.pages,
        material.file_kind,
        material.created_at,
    ) == ("flyer", date(2026, 3, 1), date(2026, 3, 31), Audience.ALL_BRANCHES, "en", 1, "pdf", NOW)
    assert set(material.targets.values_list("location_id", flat=True)) == {north.pk, lake.pk}
    name = Path(material.file.name)
    assert (name.parent, name.suffix, len(name.stem)) == (Path("materials/2026"), ".pdf", 32)
    assert (media / material.file.name).read_bytes() == pdf("Workshops in March")
    assert material.thumbnail_state == ThumbnailState.READY
    assert stored(media) == sorted([Path(material.file.name), Path(material.thumbnail.name)])
    assert actions() == [
        (
            "jobhelp.material.uploaded",
            liaison.pk,
            {
                "kind": "flyer",
                "language": "en",
                "file": "pdf",
                "bytes": len(pdf("Workshops in March")),
                "pages": 1,
                "targets": 2,
                "audience": "all_branches",
            },
        ),
        ("jobhelp.material.thumbnail_made", None, {"state": "ready"}),
    ]


def test_the_library_sends_a_spanish_brochure_to_the_job_center_for_good(library, manager, office):
    brochure = send(
        library,
        manager,
        [office],
        kind=MaterialKind.MARKETING,
        title="Su biblioteca: tarjetas y computadoras",
        language="es",
        valid_from=date(2026, 1, 1),
    )

    assert (brochure.audience, brochure.valid_until, brochure.language) == (
        Audience.JOB_CENTER,
        None,
        "es",
    )


def test_some_branches_are_some_locations_each_once(center, liaison, north):
    material = send(center, liaison, [north, north])

    # Northtown alone is not every library location (Lakeside exists).
    assert (material.audience, material.targets.count()) == (Audience.SOME_LOCATIONS, 1)


def test_a_path_in_the_name_never_reaches_storage(center, liaison, north, media):
    # Django's upload parser keeps only the last part of a name; whatever is left is not used.
    material = domain.upload_material(
        center,
        by=liaison,
        upload=SimpleUploadedFile("../../../etc/cron.d/flyer.pdf", pdf(), "application/pdf"),
        details=MaterialDetails(kind=MaterialKind.MONTHLY_FLYER, title="March", month=MARCH),
        targets=[north],
    )

    assert stored(media) == [Path(material.file.name)]
    assert "cron" not in material.file.name and "flyer" not in material.file.name


HOSTILE = [
    (RawUpload("../../etc/cron.d/flyer.pdf", pdf()), "folder path"),
    (upload("flyer.pdf", HTML), "This file is a web page"),
    (upload("flyer.svg", SVG_WITH_SCRIPT, "image/svg+xml"), "SVG drawings are not accepted"),
    (Unread(20 * 1024 * 1024), "larger than 10 MB"),
    (upload("flyer.pdf", pdf() + HTML), "something else hidden in it"),
    (upload("flyer.png", png() + pdf(), "image/png"), "something else hidden in it"),
]


@pytest.mark.parametrize(
    ("hostile", "message"),
    HOSTILE,
    ids=["path-in-name", "html-as-pdf", "svg-with-script", "20-mb", "pdf+html", "png+pdf"],
)
def test_a_hostile_upload_is_refused_with_a_clear_error_and_nothing_written(
    center, liaison, north, media, hostile, message
):
    with pytest.raises(MaterialError, match=message) as refused:
        domain.upload_material(
            center,
            by=liaison,
            upload=hostile,
            details=MaterialDetails(kind=MaterialKind.MONTHLY_FLYER, title="March", month=MARCH),
            targets=[north],
        )

    assert refused.value.field == "file"
    assert (Material.objects.count(), MaterialTarget.objects.count()) == (0, 0)
    assert (stored(media), actions()) == ([], [])


def test_staff_send_only_for_their_own_organizations(center, north, outsider, north_desk, media):
    for person in (outsider, north_desk):
        with pytest.raises(MaterialError, match="your own organizations"):
            send(center, person, [north])

    assert (Material.objects.count(), stored(media)) == (0, [])


def test_only_organizations_that_share_receive_materials(
    center, liaison, other_library, elsewhere, outsider, north
):
    with pytest.raises(MaterialError, match="does not share with yours") as refused:
        send(center, liaison, [north, elsewhere])
    with pytest.raises(MaterialError, match="does not share with yours"):
        send(other_library, outsider, [north])

    assert refused.value.field == "targets"
    assert Material.objects.count() == 0


def test_after_sharing_stops_no_new_material_goes_there(library, center, liaison, manager, north):
    domain.stop_sharing(library, partner=center, by=manager)

    with pytest.raises(MaterialError, match="does not share with yours"):
        send(center, liaison, [north])


def test_a_closed_location_receives_nothing(center, liaison, north):
    north.is_active = False
    north.save()

    with pytest.raises(MaterialError, match="it is closed"):
        send(center, liaison, [north])


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        ({"kind": "poster", "title": "March"}, "kind", "Choose what kind of material"),
        ({"kind": "flyer", "title": "  "}, "title", "Enter a title."),
        ({"kind": "flyer", "title": "March"}, "month", "Choose the month"),
        ({"kind": "flyer", "title": "x" * 201, "month": MARCH}, "title", "at most 200"),
        ({"kind": "flyer", "title": "A\nB", "month": MARCH}, "title", "one line of text"),
        (
            {"kind": "flyer", "title": "March", "month": MARCH, "language": "xx"},
            "language",
            "language",
        ),
        ({"kind": "marketing", "title": "Brochure"}, "valid_from", "first day"),
        (
            {
                "kind": "marketing",
                "title": "Brochure",
                "valid_from": date(2026, 3, 5),
                "valid_until": date(2026, 3, 4),
            },
            "valid_until",
            "cannot be before",
        ),
    ],
)
def test_bad_details_are_refused_before_the_file_is_read(
    center, liaison, north, media, details, field, message
):
    with pytest.raises(MaterialError, match=message) as refused:
        domain.upload_material(
            center,
            by=liaison,
            upload=Unread(1),
            details=MaterialDetails(**details),
            targets=[north],
        )

    assert (refused.value.field, Material.objects.count(), stored(media)) == (field, 0, [])


def test_no_target_is_refused(center, liaison):
    with pytest.raises(MaterialError, match="at least one location"):
        send(center, liaison, [])


def test_a_monthly_flyer_covers_its_whole_month_whatever_day_is_given(center, liaison, north):
    flyer = send(center, liaison, [north], month=date(2028, 2, 17))

    assert (flyer.valid_from, flyer.valid_until) == (date(2028, 2, 1), date(2028, 2, 29))


# --- Changing, retargeting, withdrawing -------------------------------------------------------


@pytest.fixture
def flyer(center, liaison, north, lake):
    material = send(center, liaison, [north, lake])
    AuditEntry.objects.all().delete()
    return material


def test_the_sender_changes_the_details_and_only_changes_are_audited(flyer, liaison):
    details = MaterialDetails(
        kind=MaterialKind.MONTHLY_FLYER, title="Talleres de marzo", language="es", month=MARCH
    )
    domain.update_material(flyer, by=liaison, details=details)
    domain.update_material(flyer, by=liaison, details=details)

    flyer.refresh_from_db()
    assert (flyer.title, flyer.language) == ("Talleres de marzo", "es")
    assert actions() == [
        ("jobhelp.material.updated", liaison.pk, {"fields": ["language", "title"]})
    ]


def test_the_receiving_side_cannot_change_or_withdraw_it(flyer, north_desk, manager):
    details = MaterialDetails(kind=MaterialKind.MONTHLY_FLYER, title="Mine now", month=MARCH)
    for person in (north_desk, manager):
        with pytest.raises(MaterialError, match="organization that sent it"):
            domain.update_material(flyer, by=person, details=details)
        with pytest.raises(MaterialError, match="organization that sent it"):
            domain.withdraw_material(flyer, by=person)

    assert Material.objects.get().withdrawn_at is None


def test_a_material_keeps_its_kind(flyer, liaison):
    with pytest.raises(MaterialError, match="kind cannot change"):
        domain.update_material(
            flyer,
            by=liaison,
            details=MaterialDetails(kind=MaterialKind.MARKETING, title="x", valid_from=MARCH),
        )


def test_retargeting_adds_and_removes_locations(flyer, liaison, north, lake, office):
    domain.set_targets(flyer, by=liaison, targets=[north, office])

    assert set(flyer.targets.values_list("location_id", flat=True)) == {north.pk, office.pk}
    assert Material.objects.get().audience == Audience.SOME_LOCATIONS
    assert actions() == [
        ("jobhelp.material.retargeted", liaison.pk, {"added": [office.pk], "removed": [lake.pk]})
    ]


def test_a_location_that_confirmed_stays_a_target(flyer, liaison, north, lake, lake_desk):
    domain.confirm(flyer, location=lake, step="downloaded", by=lake_desk)

    with pytest.raises(MaterialError, match="Lakeside Library has already confirmed"):
        domain.set_targets(flyer, by=liaison, targets=[north])

    assert flyer.targets.count() == 2


def test_withdrawing_is_once_and_audited(flyer, liaison):
    assert domain.withdraw_material(flyer, by=liaison, now=NOW) is True
    assert domain.withdraw_material(flyer, by=liaison, now=NOW) is False

    assert Material.objects.get().withdrawn_at == NOW
    assert actions() == [("jobhelp.material.withdrawn", liaison.pk, {})]


# --- Confirmations ----------------------------------------------------------------------------


def test_posting_confirms_downloading_and_printing_too(flyer, north, north_desk):
    target = domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=12, now=NOW)

    assert (
        target.downloaded_at,
        target.printed_at,
        target.posted_at,
        target.posted_copies,
        target.printed_copies,
        target.posted_by,
        target.step,
    ) == (NOW, NOW, NOW, 12, None, north_desk, "posted")
    assert actions() == [
        (
            "jobhelp.material.confirmed",
            north_desk.pk,
            {"location": north.pk, "step": "posted", "copies": 12},
        )
    ]


def test_steps_confirmed_one_by_one_keep_their_own_times(flyer, north, north_desk):
    first = datetime(2026, 3, 2, 15, tzinfo=UTC)
    later = datetime(2026, 3, 3, 15, tzinfo=UTC)
    domain.confirm(flyer, location=north, step="downloaded", by=north_desk, now=first)
    domain.confirm(flyer, location=north, step="printed", by=north_desk, copies=20, now=later)
    target = domain.confirm(
        flyer, location=north, step="posted", by=north_desk, copies=18, now=later
    )

    assert (
        target.downloaded_at,
        target.printed_at,
        target.printed_copies,
        target.posted_copies,
    ) == (
        first,
        later,
        20,
        18,
    )


def test_the_same_answer_twice_changes_nothing_and_a_correction_is_audited(
    flyer, north, north_desk
):
    domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=12)
    domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=12)
    domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=10)

    assert [data["copies"] for _action, _actor, data in actions()] == [12, 10]
    assert MaterialTarget.objects.get(location=north).posted_copies == 10


@pytest.mark.parametrize("copies", [None, 0, -3, "lots", 100_001])
def test_posting_needs_a_number_of_copies(flyer, north, north_desk, copies):
    with pytest.raises(MaterialError, match="copies") as refused:
        domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=copies)

    assert refused.value.field == "copies"
    assert MaterialTarget.objects.get(location=north).step is None


def test_only_the_location_s_staff_confirm_for_it(
    flyer, north, lake_desk, liaison, outsider, manager
):
    for person in (lake_desk, liaison, outsider):
        with pytest.raises(MaterialError, match="Only staff of Northtown Library"):
            domain.confirm(flyer, location=north, step="downloaded", by=person)

    # The library system's staff act for its branches.
    assert domain.confirm(flyer, location=north, step="downloaded", by=manager).step == "downloaded"


def test_a_location_the_material_was_not_sent_to_cannot_confirm(flyer, office, center_manager):
    with pytest.raises(MaterialError, match="not sent to WorkForce Center office"):
        domain.confirm(flyer, location=office, step="downloaded", by=center_manager)


def test_a_withdrawn_material_takes_no_confirmations(flyer, liaison, north, north_desk):
    domain.withdraw_material(flyer, by=liaison)

    with pytest.raises(MaterialError, match="not sent to"):
        domain.confirm(flyer, location=north, step="downloaded", by=north_desk)


def test_undoing_a_step_undoes_the_later_ones(flyer, north, north_desk):
    domain.confirm(flyer, location=north, step="posted", by=north_desk, copies=5)

    domain.undo_confirmation(flyer, location=north, step="posted", by=north_desk)
    after_posted = MaterialTarget.objects.get(location=north)
    domain.undo_confirmation(flyer, location=north, step="downloaded", by=north_desk)
    after_downloaded = MaterialTarget.objects.get(location=north)
    domain.undo_confirmation(flyer, location=north, step="printed", by=north_desk)

    assert (after_posted.step, after_posted.posted_copies) == ("printed", None)
    assert (after_downloaded.step, after_downloaded.printed_at) == (None, None)
    assert [action for action, _actor, _data in actions()] == [
        "jobhelp.material.confirmed",
        "jobhelp.material.confirmation_undone",
        "jobhelp.material.confirmation_undone",
    ]


# --- Sharing ----------------------------------------------------------------------------------


def test_a_manager_starts_and_stops_sharing_once(other_library, center, outsider):
    manager = staff_member(other_library, Role.MANAGER)
    AuditEntry.objects.all().delete()

    first = domain.start_sharing(other_library, partner=center, by=manager)
    again = domain.start_sharing(other_library, partner=center, by=manager)
    stopped = domain.stop_sharing(other_library, partner=center, by=manager)
    stopped_again = domain.stop_sharing(other_library, partner=center, by=manager)

    assert (first.pk, stopped, stopped_again) == (again.pk, True, False)
    assert actions() == [
        ("jobhelp.sharing.started", manager.pk, {"partner": center.pk}),
        ("jobhelp.sharing.stopped", manager.pk, {"partner": center.pk}),
    ]


def test_only_a_manager_of_a_top_level_organization_decides_what_it_shares(
    library, northtown, center, north_desk, liaison, other_library
):
    branch_manager = staff_member(northtown, Role.MANAGER)
    with pytest.raises(MaterialError, match="Only a manager of Riverbend County Library"):
        domain.start_sharing(library, partner=other_library, by=liaison)
    with pytest.raises(MaterialError, match="Only a manager of Riverbend County Library"):
        domain.start_sharing(library, partner=other_library, by=north_desk)
    with pytest.raises(MaterialError, match="library system or a workforce center"):
        domain.start_sharing(northtown, partner=center, by=branch_manager)

    assert not Sharing.objects.filter(partner=other_library).exists()


# --- The picture of the first page ------------------------------------------------------------


def test_the_picture_is_made_once(flyer, media):
    assert thumbnails.make_thumbnail(flyer.pk) == ThumbnailState.READY
    assert thumbnails.make_thumbnail(flyer.pk) is None

    flyer.refresh_from_db()
    assert len([p for p in stored(media) if p.name.endswith(".thumb.png")]) == 1
    assert AuditEntry.objects.filter(action="jobhelp.material.thumbnail_made").count() == 1


def test_without_a_pdf_renderer_the_material_gets_the_placeholder(flyer, monkeypatch):
    monkeypatch.setattr(files.shutil, "which", lambda name: None)

    assert thumbnails.make_thumbnail(flyer.pk) == ThumbnailState.PLACEHOLDER

    flyer.refresh_from_db()
    assert (flyer.thumbnail_state, flyer.thumbnail.name) == ("placeholder", "")


def test_an_image_material_gets_its_picture_from_pillow(center, liaison, north, monkeypatch):
    monkeypatch.setattr(files.shutil, "which", lambda name: None)
    poster = send(center, liaison, [north], content=png(800, 1000))

    assert thumbnails.make_thumbnail(poster.pk) == ThumbnailState.READY


def test_the_library_system_s_own_locations_are_targets_too(center, liaison, library):
    far = LocationFactory(organization=library, name="Far Library", time_zone="America/Denver")

    assert send(center, liaison, [far]).targets.get().location == far
