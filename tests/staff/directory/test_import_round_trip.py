"""The HSDS round trip through the interfaces: the demo's directory downloaded as the public
package (/api/hsds/package.zip), then, in an installation that has only the same partner
organizations (their ids, names and tree, and a manager of each library system and center),
uploaded on the staff import page, checked as a dry run (nothing written), imported for real in
the task worker, and compared: the same services, locations, schedules, taxonomy terms and
organizations, under the same ids."""

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import Membership
from jobhelp.directory.domain import create_term, set_hours_exception, update_service
from jobhelp.directory.hsds import api
from jobhelp.directory.models import (
    HoursException,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from jobhelp.organizations.models import Location, OpeningHours, Organization
from tests.factories.accounts import UserFactory


def _without_dates(document: dict) -> dict:
    document.pop("last_modified", None)
    return document


def snapshot() -> dict:
    """The directory as HSDS publishes it, but for the modification dates an import sets."""
    return {
        "services": [
            _without_dates(api.service_document(uuid))
            for uuid in Service.objects.order_by("uuid").values_list("uuid", flat=True)
        ],
        "organizations": [
            {
                **document,
                "services": [_without_dates(s) for s in document["services"]],
            }
            for document in (
                api.organization_document(uuid)
                for uuid in Organization.objects.order_by("uuid").values_list("uuid", flat=True)
            )
        ],
        "service_at_locations": [
            api.service_at_location_document(uuid)
            for uuid in ServiceAtLocation.objects.order_by("uuid").values_list("uuid", flat=True)
        ],
        "taxonomy_terms": [
            api.taxonomy_term_document(uuid)
            for uuid in TaxonomyTerm.objects.order_by("uuid").values_list("uuid", flat=True)
        ],
        "taxonomies": [
            api.taxonomy_document(uuid)
            for uuid in Taxonomy.objects.order_by("uuid").values_list("uuid", flat=True)
        ],
    }


def ids() -> dict:
    return {
        "services": set(Service.objects.values_list("uuid", flat=True)),
        "locations": set(Location.objects.values_list("uuid", flat=True)),
        "service_at_locations": set(ServiceAtLocation.objects.values_list("uuid", flat=True)),
        "taxonomy_terms": set(TaxonomyTerm.objects.values_list("uuid", flat=True)),
        "taxonomies": set(Taxonomy.objects.values_list("uuid", flat=True)),
        "filed": set(
            Service.terms.through.objects.values_list("service__uuid", "taxonomyterm__uuid")
        ),
        "weekly_hours": set(
            OpeningHours.objects.values_list("location__uuid", "weekday", "opens", "closes").filter(
                location__directory_services__isnull=False
            )
        ),
        "exceptions": set(
            HoursException.objects.values_list("location__uuid", "on", "opens", "closes")
        ),
    }


def organization_skeleton() -> list[dict]:
    """What an installation's administrator sets up for the partners: each organization's id,
    name, short name, kind and place in the tree, and nothing else."""
    return list(
        Organization.objects.order_by("parent_id", "pk").values(
            "uuid", "name", "slug", "kind", "parent__uuid"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_package_downloaded_then_imported_on_the_staff_page_reproduces_it(
    client, run_worker, django_capture_on_commit_callbacks
):
    call_command("seed_demo", "--force", verbosity=0)
    # The demo files entries under jobhelp's own terms (code); add a partner's taxonomy and a
    # category of the installation's, as staff would, so that rows travel too.
    partner = Taxonomy.objects.create(name="Partner categories", uri="https://example.org/tax")
    veterans = create_term(by=None, name="Services for veterans", taxonomy=partner)
    create_term(by=None, name="Veterans' resumés", parent=veterans)
    resume = Service.objects.filter(status="active").order_by("name").first()
    update_service(resume, by=None, terms=list(TaxonomyTerm.objects.all()))
    held = Location.objects.filter(directory_services__isnull=False).distinct().order_by("pk")
    ahead = timezone.localdate() + timedelta(days=30)
    set_hours_exception(held[0], by=None, on=ahead, note="Staff training")
    set_hours_exception(held[1], by=None, on=ahead, opens=time(10), closes=time(14))
    download = client.get("/api/hsds/package.zip")
    assert download.status_code == 200
    package = b"".join(download.streaming_content) if download.streaming else download.content
    before, before_ids = snapshot(), ids()
    skeleton = organization_skeleton()
    assert len(before["services"]) >= 10 and before["taxonomy_terms"]
    assert before_ids["exceptions"] and before_ids["weekly_hours"]

    call_command("flush", "--no-input", verbosity=0)
    by_uuid = {}
    for row in skeleton:
        by_uuid[row["uuid"]] = Organization.objects.create(
            uuid=row["uuid"],
            name=row["name"],
            slug=row["slug"],
            kind=row["kind"],
            parent=by_uuid.get(row["parent__uuid"]),
        )
    manager = UserFactory(username="importer")
    roots = [o for o in by_uuid.values() if o.parent_id is None]
    for organization in roots:
        Membership.objects.create(user=manager, organization=organization, role=Role.MANAGER)
    client.force_login(manager)
    assert not Service.objects.exists() and not Location.objects.exists()

    checked = client.post(
        "/staff/directory/import/",
        {"file": SimpleUploadedFile("package.zip", package, content_type="application/zip")},
    )

    assert checked.status_code == 200, [e.message for e in checked.context["report"].errors]
    report = checked.context["report"]
    assert set(report.created["service"]) == {str(u) for u in before_ids["services"]}
    assert set(report.created["location"]) == {str(u) for u in before_ids["locations"]}
    assert not Service.objects.exists() and not Location.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/staff/directory/import/run/", {"organization": roots[0].pk})
    assert queued.status_code == 302
    run_worker()
    progress = client.get(queued["Location"]).content.decode()

    assert "Finished" in progress
    assert ids() == before_ids
    after = snapshot()
    for kind in (
        "services",
        "service_at_locations",
        "taxonomy_terms",
        "taxonomies",
        "organizations",
    ):
        assert after[kind] == before[kind], kind
