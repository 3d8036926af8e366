"""The state directory `make bench-scale` writes with set-based SQL (bench.scale_directory):
what the HSDS list then publishes is valid HSDS 3.0 (UUIDs, schedules, languages, terms), each
organization has 20 to 40 services, and the term the benchmark filters by selects only its own.
PostgreSQL only, as the benchmark (gen_random_uuid, generate_series)."""

import pytest
from bench.scale_directory import measured_term, seed_directory
from django.db import connection

from jobhelp.directory.hsds import api, validation
from jobhelp.directory.models import Service
from tests.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's SQL is PostgreSQL's"
)


@pytest.fixture
def directory(db):
    organizations = [
        OrganizationFactory(kind="library_system"),
        OrganizationFactory(kind="workforce_center"),
        OrganizationFactory(kind="library_system"),
    ]
    counts = seed_directory([o.pk for o in organizations])
    return organizations, counts


def test_each_organization_gets_its_locations_and_20_to_40_services(directory):
    organizations, counts = directory
    for organization in organizations:
        assert 1 <= organization.locations.count() <= 3
        assert 20 <= Service.objects.filter(organization=organization).count() <= 40
    assert counts["services"] == Service.objects.count()
    assert counts["taxonomy terms"] == 40
    # Every service but the online ones is offered somewhere.
    assert not Service.objects.filter(places=None).exclude(access__contains=["online"]).exists()


def test_the_hsds_list_of_the_seeded_directory_is_valid_hsds(directory):
    page = api.services_page(api.ListParams(full=True, per_page=200))
    assert page["total_items"] == Service.objects.count()
    documents = page["contents"]
    assert any(d.get("service_at_locations") for d in documents)
    assert any(len(d.get("languages", [])) > 1 for d in documents)
    for document in documents:
        assert validation.problems("service", document) == []


def test_the_measured_term_selects_only_its_services(directory):
    term = measured_term()
    page = api.services_page(api.ListParams(taxonomy_term_id=term, per_page=200))
    assert 0 < page["total_items"] < Service.objects.count()
    listed = {d["id"] for d in page["contents"]}
    filed = {
        str(u) for u in Service.objects.filter(terms__uuid=term).values_list("uuid", flat=True)
    }
    assert listed == filed
