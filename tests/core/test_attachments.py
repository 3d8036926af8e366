"""The shared mechanism of a file attached to a record (core.attachments, core.models.AttachedFile,
core.forms.AttachedFileForm), tried on both tables that use it: a refused file leaves nothing on
disk, no row and no audit entry; a kept one is stored under a random name, recorded and audited;
a removed one loses its row at once and its file once committed."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from jobhelp.core import files
from jobhelp.core.attachments import add_file, remove_file
from jobhelp.core.forms import AttachedFileForm
from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining.models import TrainingMaterial
from jobhelp.partnerships.models import Attachment
from tests.factories.accounts import UserFactory
from tests.factories.crosstraining import TrainingFactory
from tests.factories.partnerships import AgreementFactory
from tests.workshops.files import tiny_pdf, tiny_png, upload

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


# Each table on AttachedFile: a new row for its record, the folder it stores in.
TABLES = {
    "training material": (
        lambda: TrainingMaterial(training=TrainingFactory(), title="Handout"),
        "training",
    ),
    "agreement attachment": (
        lambda: Attachment(agreement=AgreementFactory(), title="Signed copy"),
        "agreements",
    ),
}


@pytest.fixture(params=list(TABLES))
def table(request, db):
    return TABLES[request.param]


def add(row, by, content, *, name="handout.pdf", validate=files.validate_evidence, check=None):
    return add_file(
        row,
        by=by,
        upload=upload(name, content),
        validate=validate,
        check=check,
        action="jobhelp.test.file_added",
        organization=None,
        obj=row,
        audit_key="file",
    )


def test_a_file_is_stored_under_a_random_name_recorded_and_audited(table, media):
    new_row, folder = table
    person = UserFactory()

    row = add(new_row(), person, tiny_pdf(), name="Plan (final).pdf")

    (path,) = stored_files(media)
    assert (path.parent.parent.name, path.suffix, len(path.stem)) == (folder, ".pdf", 32)
    assert path.read_bytes() == tiny_pdf()
    row.refresh_from_db()
    assert (row.display_name, row.size, row.sha256, row.uploaded_by) == (
        "Plan (final).pdf",
        len(tiny_pdf()),
        hashlib.sha256(tiny_pdf()).hexdigest(),
        person,
    )
    assert row.uploaded_at is not None
    assert str(row) in {"Handout", "Signed copy"}
    entry = AuditEntry.objects.get(action="jobhelp.test.file_added")
    assert (entry.actor, entry.data) == (
        person,
        {"file": row.pk, "kind": "pdf", "bytes": len(tiny_pdf())},
    )


def test_the_kind_found_in_the_bytes_names_the_stored_file(table, media):
    new_row, _folder = table

    add(new_row(), UserFactory(), tiny_png(), name="photo.pdf")

    assert [p.suffix for p in stored_files(media)] == [".png"]


@pytest.mark.parametrize(
    ("content", "validate", "code", "message"),
    [
        (
            HTML,
            files.validate_evidence,
            "wrong_kind",
            "The file must be a PDF, PNG or JPEG. "
            "This file is something else, whatever its name says.",
        ),
        (
            tiny_png(),
            files.validate_pdf,
            "wrong_kind",
            "The file must be a PDF. This file is something else, whatever its name says.",
        ),
        (b"", files.validate_evidence, "empty", "The file is empty."),
    ],
)
def test_a_file_refused_by_content_leaves_nothing(table, media, content, validate, code, message):
    new_row, _folder = table
    model = type(new_row())

    with pytest.raises(ValidationError) as refused:
        add(new_row(), UserFactory(), content, validate=validate)

    assert (refused.value.code, refused.value.messages) == (code, [message])
    assert (stored_files(media), model.objects.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action="jobhelp.test.file_added").exists()


def test_an_oversized_file_is_refused_and_leaves_nothing(table, media, settings):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    new_row, _folder = table
    model = type(new_row())
    big = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (1024 * 1024) + b"\n", 1)

    with pytest.raises(ValidationError) as refused:
        add(new_row(), UserFactory(), big)

    assert refused.value.messages == [
        "The file is larger than 1 MB. Save it smaller and try again."
    ]
    assert (stored_files(media), model.objects.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action="jobhelp.test.file_added").exists()


def test_a_name_with_a_path_is_refused_and_leaves_nothing(table, media):
    new_row, _folder = table
    model = type(new_row())

    with pytest.raises(ValidationError, match="must not contain a folder path"):
        add_file(
            new_row(),
            by=UserFactory(),
            upload=upload("plan.pdf", tiny_pdf()),
            name="../../etc/plan.pdf",
            validate=files.validate_pdf,
            action="jobhelp.test.file_added",
            organization=None,
            obj=None,
            audit_key="file",
        )

    assert (stored_files(media), model.objects.count()) == ([], 0)


def test_the_apps_own_check_runs_before_anything_is_stored(table, media):
    new_row, _folder = table
    model = type(new_row())
    seen = []

    def check(row):
        seen.append((row.display_name, row.size))
        raise ValueError("refused by the app")

    with pytest.raises(ValueError, match="refused by the app"):
        add(new_row(), UserFactory(), tiny_pdf(), check=check)

    assert seen == [("handout.pdf", len(tiny_pdf()))]
    assert (stored_files(media), model.objects.count()) == ([], 0)


def test_a_row_that_cannot_be_saved_leaves_no_file_and_its_own_error_is_raised(
    db, media, monkeypatch, caplog
):
    person = UserFactory()
    training = TrainingFactory.build()  # never saved: the row cannot be written

    with pytest.raises(ValueError, match="unsaved related object"):
        add(TrainingMaterial(training=training, title="Handout"), person, tiny_pdf())
    assert stored_files(media) == []

    # And when the storage cannot delete the file either, the first error is still the one
    # raised, and the file left behind is logged.
    def unreachable(self, name):
        raise OSError("object storage unreachable")

    monkeypatch.setattr(FileSystemStorage, "delete", unreachable)
    with pytest.raises(ValueError, match="unsaved related object"):
        add(TrainingMaterial(training=training, title="Handout"), person, tiny_pdf())
    assert "Could not delete training/" in caplog.text
    assert not AuditEntry.objects.filter(action="jobhelp.test.file_added").exists()


def remove(row, by):
    remove_file(
        row, by=by, action="jobhelp.test.file_removed", organization=None, obj=row, audit_key="file"
    )


@pytest.fixture
def kept(table, media):
    """A file already attached, with the person who attached it."""
    new_row, _folder = table
    person = UserFactory()
    return add(new_row(), person, tiny_pdf()), person


def test_removal_deletes_the_row_and_the_file_once_committed(
    kept, media, django_capture_on_commit_callbacks
):
    row, person = kept
    pk = row.pk
    (path,) = stored_files(media)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove(row, person)
    assert (type(row).objects.filter(pk=pk).exists(), path.exists()) == (False, True)

    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    entry = AuditEntry.objects.get(action="jobhelp.test.file_removed")
    assert (entry.actor, entry.data) == (person, {"file": pk})


def test_a_removal_rolled_back_keeps_the_row_and_the_file(
    kept, media, django_capture_on_commit_callbacks
):
    row, person = kept
    pk = row.pk

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        remove(row, person)
        raise RuntimeError("a later step failed")

    assert callbacks == []
    assert (type(row).objects.filter(pk=pk).exists(), len(stored_files(media))) == (True, 1)
    assert not AuditEntry.objects.filter(action="jobhelp.test.file_removed").exists()


def test_a_file_removed_twice_at_once_is_removed_and_audited_once(
    kept, media, django_capture_on_commit_callbacks
):
    row, person = kept
    # A second request that loaded the same row before the first removed it.
    other = type(row).objects.get(pk=row.pk)

    with django_capture_on_commit_callbacks(execute=True):
        remove_file(
            row,
            by=person,
            action="jobhelp.test.file_removed",
            organization=None,
            obj=row,
            audit_key="file",
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not remove_file(
            other,
            by=person,
            action="jobhelp.test.file_removed",
            organization=None,
            obj=other,
            audit_key="file",
        )

    assert callbacks == []
    assert stored_files(media) == []
    assert AuditEntry.objects.filter(action="jobhelp.test.file_removed").count() == 1


def test_a_storage_failing_after_the_commit_does_not_undo_or_break_the_removal(
    kept, media, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    row, person = kept
    pk = row.pk

    def unreachable(name):
        raise OSError("object storage unreachable")

    monkeypatch.setattr(FileSystemStorage, "delete", lambda self, name: unreachable(name))
    with django_capture_on_commit_callbacks(execute=True):
        remove(row, person)

    assert not type(row).objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="jobhelp.test.file_removed").count() == 1
    assert "object storage unreachable" in caplog.text


# --- The form -------------------------------------------------------------------------------------


def test_the_form_refuses_a_file_by_content_with_a_clear_message():
    form = AttachedFileForm(data={"title": "Handout"}, files={"file": upload("a.pdf", HTML)})

    assert not form.is_valid()
    assert form.errors == {
        "file": [
            "The file must be a PDF, PNG or JPEG. "
            "This file is something else, whatever its name says."
        ]
    }


def test_the_form_says_a_dropped_file_was_too_large_not_missing(settings):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    form = AttachedFileForm(data={"title": "Handout"}, files={}, too_large={"file"})

    assert not form.is_valid()
    assert form.errors == {"file": ["The file is larger than 2 MB. Save it smaller and try again."]}


def test_the_form_refuses_a_title_on_two_lines_and_takes_a_good_file():
    bad = AttachedFileForm(data={"title": "Hand\nout"}, files={"file": upload("a.pdf", tiny_pdf())})
    good = AttachedFileForm(data={"title": "Handout"}, files={"file": upload("a.pdf", tiny_pdf())})

    assert (bad.is_valid(), list(bad.errors)) == (False, ["title"])
    assert good.is_valid()
    assert (good.cleaned_data["title"], good.display_name) == ("Handout", "a.pdf")
