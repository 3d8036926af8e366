"""Importing HSDS (directory.hsds.importer): everything checked first, every error with its
path and nothing written; a dry run; idempotent updates by id; missing services reported, not
deleted; the round trip of an export; bounded memory."""

import io
import json
import tracemalloc
import uuid

import pytest
from django.core.management import call_command

from jobhelp.core.models import AuditEntry
from jobhelp.directory.hsds import api
from jobhelp.directory.hsds.export import write_package
from jobhelp.directory.hsds.importer import Source, import_hsds
from jobhelp.directory.models import Service
from jobhelp.organizations.models import Organization
from tests.directory.test_hsds import county  # noqa: F401
from tests.factories.directory import ServiceFactory


def exported() -> bytes:
    buffer = io.BytesIO()
    write_package(buffer)
    return buffer.getvalue()


def snapshot() -> list:
    """The directory as HSDS sees it, without the dates an import changes."""
    documents = [api.service_document(s.uuid) for s in Service.objects.order_by("uuid")]
    for document in documents:
        document.pop("last_modified")
    organizations = [
        api.organization_document(o.uuid) for o in Organization.objects.order_by("uuid")
    ]
    for organization in organizations:
        for service in organization["services"]:
            service.pop("last_modified")
    return [documents, organizations]


def service_json(**changes) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "name": "Resumé help",
        "status": "active",
        **changes,
    }


def test_importing_our_own_export_again_changes_nothing(county):  # noqa: F811
    before = snapshot()
    audit = AuditEntry.objects.count()

    report = import_hsds(Source(data=exported()))

    assert (report.errors, report.created, report.updated, report.missing) == ([], {}, {}, [])
    assert report.unchanged == {
        "taxonomy": 1,
        "taxonomy_term": 1,
        "organization": 2,
        "location": 1,
        "service": 2,
    }
    assert (snapshot(), AuditEntry.objects.count()) == (before, audit)


def test_invalid_documents_write_nothing_and_every_error_has_its_path(library):
    organization = str(library.uuid)
    lines = [
        service_json(organization_id=organization),
        service_json(id="1", organization_id=organization, email="nobody"),
        service_json(organization_id=str(uuid.uuid4()), status="open"),
        service_json(
            organization_id=organization,
            service_at_locations=[
                {
                    "id": str(uuid.uuid4()),
                    "location_id": str(uuid.uuid4()),
                    "schedules": [
                        {
                            "id": str(uuid.uuid4()),
                            "freq": "WEEKLY",
                            "byday": "XX",
                            "opens_at": "9am",
                        }
                    ],
                }
            ],
        ),
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()

    report = import_hsds(Source(data=data))

    assert [(p.path, p.message) for p in report.errors] == [
        ("$[1].email", "'nobody' is not a 'email'"),
        ("$[1].id", "'1' is not a 'uuid'"),
        (
            "$[2].status",
            "'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']",
        ),
        ("$[3].service_at_locations[0].schedules[0].opens_at", "Not a time such as 09:00:00."),
        (
            "$[3].service_at_locations[0].schedules[0]",
            "A weekly schedule needs days (byday) and both times.",
        ),
        (
            "$[3].service_at_locations[0].location_id",
            "Nothing with this id is in the import or in jobhelp.",
        ),
    ]
    assert (Service.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_dry_run_reports_creates_and_updates_by_id_and_writes_nothing(library):
    existing = ServiceFactory(organization=library, name="Old name")
    new = service_json(organization_id=str(library.uuid))
    changed = service_json(id=str(existing.uuid), organization_id=str(library.uuid))
    data = json.dumps({"contents": [new, changed], "total_items": 2}).encode()

    report = import_hsds(Source(data=data), dry_run=True)

    assert (report.created, report.updated, report.dry_run) == (
        {"service": [new["id"]]},
        {"service": [changed["id"]]},
        True,
    )
    existing.refresh_from_db()
    assert (Service.objects.count(), existing.name, AuditEntry.objects.count()) == (
        1,
        "Old name",
        0,
    )

    import_hsds(Source(data=data))
    again = import_hsds(Source(data=data))
    assert (again.created, again.updated, again.unchanged) == ({}, {}, {"service": 2})
    existing.refresh_from_db()
    assert (Service.objects.count(), existing.name) == (2, "Resumé help")


def test_services_the_import_does_not_name_are_reported_not_deleted(library):
    kept = ServiceFactory(organization=library, name="Not in the partner's file")
    data = json.dumps([service_json(organization_id=str(library.uuid))]).encode()

    report = import_hsds(Source(data=data))

    assert report.missing == [str(kept.uuid)]
    assert Service.objects.filter(pk=kept.pk).exists()


def test_staff_import_only_for_organizations_they_manage(library, other_library, manager, helper):
    ours = json.dumps([service_json(organization=api.build.organization_document(library))])
    theirs = json.dumps([service_json(organization=api.build.organization_document(other_library))])

    assert import_hsds(Source(data=ours.encode()), by=manager).errors == []
    assert [p.path for p in import_hsds(Source(data=theirs.encode()), by=manager).errors] == [
        "$[0].organization"
    ]
    assert [p.path for p in import_hsds(Source(data=ours.encode()), by=helper).errors] == [
        "$[0].organization"
    ]


def test_not_json_is_a_clear_error(db):
    from jobhelp.directory.hsds.importer import SourceError

    with pytest.raises(SourceError, match="not valid JSON"):
        import_hsds(Source(data=b'[{"id": '))


def test_many_services_stream_in_bounded_memory_with_progress(library):
    def ndjson(n: int) -> bytes:
        return "\n".join(
            json.dumps(
                service_json(
                    organization_id=str(library.uuid), description="x" * 2000, name=f"Service {i}"
                )
            )
            for i in range(n)
        ).encode()

    peaks = []
    seen = []
    for n in (100, 400):
        data = ndjson(n)
        tracemalloc.start()
        report = import_hsds(
            Source(data=data), dry_run=True, progress=lambda stage, done: seen.append(stage)
        )
        peaks.append(tracemalloc.get_traced_memory()[1] - len(data))
        tracemalloc.stop()
        assert len(report.created["service"]) == n
    # Four times the services (and 800 kB more of input, held as bytes by the test itself):
    # the import's own peak grows by far less than the documents' size.
    assert peaks[1] - peaks[0] < 600_000, peaks
    assert {"checking", "writing", "done"} <= set(seen)


@pytest.mark.django_db(transaction=True)
def test_an_export_of_the_demo_imports_into_an_empty_database_and_reproduces_it():
    call_command("seed_demo", "--force", verbosity=0)
    package = exported()
    before = snapshot()
    assert len(before[0]) >= 10
    call_command("flush", "--no-input", verbosity=0)
    assert Organization.objects.count() == 0

    report = import_hsds(Source(data=package))

    assert (report.errors, report.updated, report.missing) == ([], {}, [])
    assert snapshot() == before
