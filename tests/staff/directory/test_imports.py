"""An HSDS import from the staff side (staff.views.directory.imports): managers only; a file is
checked as a dry run, nothing written; every error listed with its path, nothing written; then
the import."""

import json
import uuid

import pytest

from jobhelp.directory.models import Service
from tests import object_storage

pytestmark = pytest.mark.django_db

bucket = object_storage.bucket


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The checked uploads wait in the `default` storage: here a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(name: str, documents: list[dict]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "\n".join(json.dumps(d) for d in documents).encode()
    return SimpleUploadedFile(name, data, content_type="application/json")


def service(library, **changes) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "name": "Resumé help",
        "status": "active",
        "organization_id": str(library.uuid),
        **changes,
    }


def test_only_managers_import(client, helper, partner_staff):
    for person in (helper, partner_staff):
        client.force_login(person)
        assert client.get("/staff/directory/import/").status_code == 403


def test_a_dry_run_then_the_import(
    client, manager, library, run_worker, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    documents = [service(library, name="Resumé help"), service(library, name="Typing class")]

    checked = client.post("/staff/directory/import/", {"file": upload("a.ndjson", documents)})

    assert checked.status_code == 200
    assert checked.context["report"].created == {"service": [d["id"] for d in documents]}
    assert Service.objects.count() == 0
    assert "Checked: this is what the import would change" in checked.content.decode()

    assert checked.context["owner"]["organization"].value() == library.pk
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/staff/directory/import/run/", {"organization": library.pk})
    assert queued.status_code == 302
    assert Service.objects.count() == 0
    run_worker()
    imported = client.get(queued["Location"]).content.decode()

    assert "Finished: 2 documents imported." in imported
    assert '<th scope="row">Created</th><td>2</td>' in imported
    assert sorted(Service.objects.values_list("name", flat=True)) == ["Resumé help", "Typing class"]


def test_an_invalid_file_lists_every_error_with_its_path_and_writes_nothing(
    client, manager, library
):
    client.force_login(manager)
    documents = [
        service(library),
        service(library, id="1", email="nobody"),
        service(library, status="open"),
    ]

    response = client.post("/staff/directory/import/", {"file": upload("bad.ndjson", documents)})
    page = response.content.decode()

    assert response.status_code == 400
    assert [e.path for e in response.context["report"].errors] == [
        "$[1].email",
        "$[1].id",
        "$[2].status",
    ]
    assert "3 problems: nothing was imported." in page
    assert "$[2].status" in page
    assert Service.objects.count() == 0
    assert client.post("/staff/directory/import/run/").status_code == 302
    assert Service.objects.count() == 0


def test_a_file_that_is_not_json_is_a_clear_error(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)

    response = client.post(
        "/staff/directory/import/", {"file": SimpleUploadedFile("x.json", b'[{"id": ')}
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()


def test_a_checked_file_nobody_imported_is_removed_a_day_later(client, manager, library, media):
    import os
    import time

    from django.core.files.storage import default_storage
    from django.test import Client

    from jobhelp.staff.views.directory.imports import KEEP_SECONDS, UPLOADS

    client.force_login(manager)
    client.post("/staff/directory/import/", {"file": upload("a.ndjson", [service(library)])})
    kept = f"{UPLOADS}/{client.session['hsds_import']}"
    other = Client()  # another session, whose upload does not replace the first one's
    other.force_login(manager)
    other.post("/staff/directory/import/", {"file": upload("b.ndjson", [service(library)])})
    assert default_storage.exists(kept)
    os.utime(default_storage.path(kept), (time.time() - KEEP_SECONDS - 60,) * 2)

    other.post("/staff/directory/import/", {"file": upload("c.ndjson", [service(library)])})

    assert not default_storage.exists(kept)
    assert len(default_storage.listdir(UPLOADS)[1]) == 1


def test_an_import_that_fails_in_the_worker_shows_its_errors_and_writes_nothing(
    client, manager, outsider, library, run_worker, django_capture_on_commit_callbacks, media
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from jobhelp.core.models import ImportJob
    from jobhelp.directory.import_jobs import start_import

    stored = default_storage.save(
        "imports/hsds/changed",
        ContentFile(
            "\n".join(json.dumps(d) for d in [service(library), service(library, status="open")])
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(
            organization=library, by=manager, stored_name=stored, documents=2, language="en"
        )
    run_worker()
    client.force_login(manager)

    page = client.get(f"/staff/imports/{job.pk}/").content.decode()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "The import failed; nothing was written." in page
    assert "$[1].status" in page
    assert Service.objects.count() == 0
    assert not default_storage.exists(stored)
    client.force_login(outsider)
    assert client.get(f"/staff/imports/{job.pk}/").status_code == 404


def test_the_manager_chooses_which_of_their_organizations_the_import_is_for(
    client, manager, library, branch, run_worker, django_capture_on_commit_callbacks
):
    """A library system's manager manages its branches too: both are choices, none chosen for
    them; the job is the branch's, which its managers see."""
    from jobhelp.core.models import ImportJob

    client.force_login(manager)
    checked = client.post(
        "/staff/directory/import/", {"file": upload("a.ndjson", [service(library)])}
    )
    owner = checked.context["owner"]

    assert list(owner.fields["organization"].queryset) == [branch, library]
    assert owner["organization"].value() is None
    assert "- Choose an organization -" in checked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/staff/directory/import/run/", {"organization": branch.pk})
    assert queued.status_code == 302
    assert ImportJob.objects.get().organization == branch


@pytest.mark.parametrize("choice", ["other", "", "not-a-number"])
def test_an_organization_the_manager_does_not_manage_is_refused_and_nothing_is_queued(
    client, manager, library, other_library, center, choice, django_capture_on_commit_callbacks
):
    from jobhelp.core.models import ImportJob

    client.force_login(manager)
    client.post("/staff/directory/import/", {"file": upload("a.ndjson", [service(library)])})
    forged = {"other": other_library.pk, "": "", "not-a-number": "x"}[choice]

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/staff/directory/import/run/", {"organization": forged})
        refused_center = client.post("/staff/directory/import/run/", {"organization": center.pk})

    assert (refused.status_code, refused_center.status_code) == (400, 400)
    assert "Choose one of the organizations you manage." in refused.content.decode()
    assert not ImportJob.objects.exists()
    assert Service.objects.count() == 0
    # The checked file is kept for another try with a right choice.
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/staff/directory/import/run/", {"organization": library.pk})
    assert queued.status_code == 302
    assert ImportJob.objects.get().organization == library


def test_with_object_storage_the_checked_file_waits_in_the_bucket_and_goes_after_the_import(
    client, manager, library, run_worker, django_capture_on_commit_callbacks, bucket
):
    """FILE_STORAGE_URL set (moto, in the process): the upload never touches the web node's
    disk, so the import step and the task worker may run on other machines."""
    client.force_login(manager)
    documents = [service(library, name="Resumé help")]

    checked = client.post("/staff/directory/import/", {"file": upload("a.ndjson", documents)})

    assert checked.status_code == 200
    [key] = bucket.keys()
    assert key == f"uploads/imports/hsds/{client.session['hsds_import']}"
    assert bucket.local_files() == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/directory/import/run/", {"organization": library.pk})
    run_worker()

    assert Service.objects.filter(name="Resumé help").count() == 1
    assert bucket.keys() == []
