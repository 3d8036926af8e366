"""A confirmed import runs in the task worker and shows its progress (core.imports,
staff.views.imports): the task writes rows done of the total as it goes, the page shows them and
refreshes itself, then the counts or the error; only the person who started it and their
organization's managers see it."""

import csv
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core import imports as jobs
from jobhelp.core.models import AuditEntry, ImportJob
from jobhelp.materials import imports
from jobhelp.materials.import_jobs import start_import
from jobhelp.materials.models import ReferenceTitle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sharing")]


def _stored(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["title", "location"])
    writer.writerows(rows)
    return default_storage.save("materials/imports/test.csv", ContentFile(out.getvalue().encode()))


def _queued(library, person, rows, django_capture_on_commit_callbacks) -> ImportJob:
    name = _stored(rows)
    with django_capture_on_commit_callbacks(execute=True):
        return start_import(library, by=person, stored_name=name, rows=len(rows), language="en")


def test_the_task_writes_its_progress_batch_by_batch(
    monkeypatch, manager, library, north, run_worker, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "BATCH", 2)
    written = []
    record = jobs.record

    def spy(job_id, **changes):
        if changes.get("stage"):
            written.append((changes["stage"], changes.get("done"), changes.get("total")))
        return record(job_id, **changes)

    monkeypatch.setattr(imports, "record", spy)
    job = _queued(
        library,
        manager,
        [[f"Title {n}", "Northtown Library"] for n in range(5)],
        django_capture_on_commit_callbacks,
    )
    assert job.state == ImportJob.State.QUEUED

    run_worker()

    assert written == [
        ("checking", 0, None),
        ("checking", 2, None),
        ("checking", 4, None),
        ("checking", 5, None),
        ("writing", 2, 5),
        ("writing", 4, 5),
        ("writing", 5, 5),
    ]
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (ImportJob.State.DONE, 5, 5)
    assert job.result == {"rows": 5, "new": 5, "changed": 0, "unchanged": 0}
    assert ReferenceTitle.objects.count() == 5
    assert not default_storage.exists("materials/imports/test.csv")
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.import_job")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["jobhelp.import_job.queued", "jobhelp.import_job.done"]


def test_the_page_shows_rows_done_of_the_total_and_refreshes_itself(client, manager, library):
    job = jobs.start("materials.titles", organization=library, by=manager, total=20_000)
    jobs.record(job.pk, stage="writing", done=12_500)
    client.force_login(manager)

    page = client.get(f"/staff/imports/{job.pk}/").content.decode()

    assert "Writing: 12,500 of 20,000 titles" in page
    assert '<progress id="import-progress" max="20000" value="12500"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="/staff/imports/{job.pk}/">Refresh</a>' in page
    assert 'http-equiv="refresh"' not in page
    # htmx asks for the status box alone.
    box = client.get(f"/staff/imports/{job.pk}/", headers={"HX-Request": "true"})
    assert box.content.decode().startswith('<div id="import-status"')


def test_the_page_is_in_spanish(client, manager, library):
    job = jobs.start("materials.titles", organization=library, by=manager, total=20_000)
    jobs.record(job.pk, stage="writing", done=12_500)
    client.force_login(manager)

    page = client.get(f"/staff/imports/{job.pk}/", headers={"Accept-Language": "es"})

    text = page.content.decode()
    assert "Importación de títulos" in text
    assert re.search(r"Guardando: 12\W?500 de 20\W?000 títulos", text)
    assert ">Actualizar</a>" in text


def test_the_finished_page_shows_the_counts_and_stops_polling(
    client, manager, library, north, run_worker, django_capture_on_commit_callbacks
):
    job = _queued(
        library,
        manager,
        [["Resumes for Dummies", "Northtown Library"], ["Knock 'em Dead", "Northtown Library"]],
        django_capture_on_commit_callbacks,
    )
    run_worker()
    client.force_login(manager)

    page = client.get(f"/staff/imports/{job.pk}/").content.decode()

    assert "Finished: 2 titles imported." in page
    assert '<th scope="row">New titles</th><td>2</td>' in page
    assert "hx-trigger" not in page


def test_a_failed_import_shows_its_message_and_wrote_nothing(
    client, manager, library, north, run_worker, django_capture_on_commit_callbacks
):
    # The file changed after the preview: a location nobody has.
    job = _queued(
        library,
        manager,
        [["Resumes for Dummies", "Northtown Library"], ["A title", "Nowhere"]],
        django_capture_on_commit_callbacks,
    )
    run_worker()
    client.force_login(manager)

    page = client.get(f"/staff/imports/{job.pk}/").content.decode()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "The import failed; nothing was written." in page
    assert "line 3: There is no location called" in page
    assert ReferenceTitle.objects.count() == 0
    assert not AuditEntry.objects.filter(action="jobhelp.reference_title.imported").exists()


def test_a_task_run_twice_imports_once(
    manager, library, north, run_worker, django_capture_on_commit_callbacks
):
    job = _queued(
        library,
        manager,
        [["Resumes for Dummies", "Northtown Library"]],
        django_capture_on_commit_callbacks,
    )
    run_worker()
    assert imports.run_import_job(job.pk, stored_name="gone.csv", language="en") == "done"
    assert ReferenceTitle.objects.count() == 1


def test_only_the_starter_and_their_managers_see_the_page(
    client, front_desk, helper, manager, outsider, liaison, library
):
    job = jobs.start("materials.titles", organization=library, by=front_desk, total=3)
    for person, status in [
        (front_desk, 200),
        (manager, 200),
        (helper, 404),
        (outsider, 404),
        (liaison, 404),
    ]:
        client.force_login(person)
        assert client.get(f"/staff/imports/{job.pk}/").status_code == status, person
    client.logout()
    assert client.get(f"/staff/imports/{job.pk}/").status_code == 302


def test_the_page_takes_the_same_queries_for_a_small_and_a_large_import(client, manager, library):
    client.force_login(manager)
    counts = []
    for total in (1, 3):
        job = jobs.start("materials.titles", organization=library, by=manager, total=total)
        jobs.record(job.pk, state=ImportJob.State.DONE, done=total, result={"rows": total})
        client.get(f"/staff/imports/{job.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/staff/imports/{job.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_writing_stage_is_seen_before_the_import_commits(
    monkeypatch, manager, library, north, run_worker
):
    from django.db import DEFAULT_DB_ALIAS, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the writing stage is seen at commit")
    monkeypatch.setattr(imports, "BATCH", 2)
    seen = []
    record = jobs.record

    def look(job_id, **changes):
        result = record(job_id, **changes)
        if changes.get("stage") == "writing":
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT done FROM core_importjob WHERE id = %s", [job_id])
                    seen.append(cursor.fetchone()[0])
            finally:
                other.close()
        return result

    monkeypatch.setattr(imports, "record", look)
    name = _stored([[f"Title {n}", "Northtown Library"] for n in range(5)])
    job = start_import(library, by=manager, stored_name=name, rows=5, language="en")
    run_worker()

    assert seen == [2, 4, 5]
    job.refresh_from_db()
    assert (job.state, job.done) == (ImportJob.State.DONE, 5)
