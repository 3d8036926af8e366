"""The HSDS 3.0 API at /api/hsds/ (api.hsds): every endpoint's documents, on the demo data,
validate against the specification's schemas (the copy in directory/hsds/schema, checked
against ../shared/hsds/3.0) with format checking on; paging and query parameters; bad
parameters are 400s, unknown ids 404s; the downloadable package."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.directory import taxonomy
from jobhelp.directory.hsds import validation
from jobhelp.directory.models import Service, ServiceAtLocation, TaxonomyTerm
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "hsds" / "3.0" / "schema"


def valid(kind: str, document: dict) -> bool:
    assert validation.problems(kind, document) == [], (kind, document.get("id"))
    return True


def get(client, path: str, **query):
    response = client.get(f"/api/hsds/{path}", query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the specification's copy is not beside the repo")
def test_the_schemas_used_are_the_specifications_own():
    for kind in validation.KINDS:
        ours = json.loads((validation.SCHEMA_DIR / f"{kind}.json").read_text())
        assert ours == json.loads((SHARED / f"{kind}.json").read_text()), kind


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", "--force", verbosity=0)


def test_every_endpoint_on_the_demo_validates_with_format_checking(client, demo):
    meta = get(client, "")
    assert meta["version"].startswith("3.0")

    checked = 0
    for variant in ({}, {"full": "true"}, {"minimal": "true"}):
        services = get(client, "services", per_page="200", **variant)
        assert services["total_items"] == services["size"] > 5
        checked += sum(valid("service", d) for d in services["contents"])
        places = get(client, "service_at_locations", per_page="200", **variant)
        checked += sum(valid("service_at_location", d) for d in places["contents"])
        organizations = get(client, "organizations", per_page="200", **variant)
        checked += sum(valid("organization", d) for d in organizations["contents"])
    for service in get(client, "services", per_page="200")["contents"]:
        checked += valid("service", get(client, f"services/{service['id']}"))
    for at in get(client, "service_at_locations", per_page="200")["contents"]:
        checked += valid("service_at_location", get(client, f"service_at_locations/{at['id']}"))
    for organization in get(client, "organizations", per_page="200")["contents"]:
        document = get(client, f"organizations/{organization['id']}", full_service="true")
        checked += valid("organization", {k: v for k, v in document.items() if k != "services"})
        checked += sum(valid("service", s) for s in document["services"])
    for kind, path in (("taxonomy", "taxonomies"), ("taxonomy_term", "taxonomy_terms")):
        page = get(client, path, per_page="200")
        for document in page["contents"]:
            checked += valid(kind, document)
            checked += valid(kind, get(client, f"{path}/{document['id']}"))
    assert checked > 100


def test_the_package_downloads_and_its_documents_validate(client, demo):
    response = client.get("/api/hsds/package.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        assert "datapackage.json" in package.namelist()
        services = json.loads(package.read("services.json"))
    assert {s["id"] for s in services} == {
        str(u) for u in Service.objects.values_list("uuid", flat=True)
    }
    assert all(valid("service", s) for s in services)


@pytest.fixture
def services(library):
    resume = ServiceFactory(organization=library, name="Resumé help", needs=["resume"])
    ServiceAtLocationFactory(service=resume)
    ServiceFactory(organization=library, name="Benefits line", needs=["unemployment"])
    ServiceFactory(name="Elsewhere computers", needs=["digital"])
    return resume


def test_paging_and_query_parameters(client, library, services):
    first = get(client, "services", per_page="2")
    second = get(client, "services", per_page="2", page="2")
    resume_term = str(taxonomy.term_uuid("need", "resume"))

    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert (first["first_page"], first["last_page"], second["last_page"]) == (True, False, True)
    assert [s["name"] for s in get(client, "services", search="benefits")["contents"]] == [
        "Benefits line"
    ]
    assert [
        s["name"] for s in get(client, "services", taxonomy_term_id=resume_term)["contents"]
    ] == ["Resumé help"]
    assert sorted(
        s["name"] for s in get(client, "services", organization_id=str(library.uuid))["contents"]
    ) == ["Benefits line", "Resumé help"]
    assert get(client, "services", modified_after="2999-01-01T00:00:00Z")["total_items"] == 0
    assert set(get(client, "services", minimal="true")["contents"][0]) <= {
        "id",
        "name",
        "status",
        "last_modified",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "page must be a whole number"),
        ({"per_page": "1000"}, "per_page must be a whole number"),
        ({"taxonomy_term_id": "resume"}, "taxonomy_term_id must be a UUID"),
        ({"modified_after": "yesterday"}, "modified_after must be a date and time"),
        ({"full": "maybe"}, "full must be true or false"),
    ],
)
def test_bad_parameters_are_400_with_the_reason(client, services, query, message):
    response = client.get("/api/hsds/services", query)

    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "services/not-a-uuid",
        "services/6f1c0c1e-0000-4000-8000-000000000000",
        "organizations/6f1c0c1e-0000-4000-8000-000000000000",
        "service_at_locations/x",
        "taxonomies/6f1c0c1e-0000-4000-8000-000000000000",
        "taxonomy_terms/6f1c0c1e-0000-4000-8000-000000000000",
    ],
)
def test_unknown_ids_are_404(client, services, path):
    response = client.get(f"/api/hsds/{path}")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_ndjson_streams_every_service_one_a_line(client, services):
    response = client.get("/api/hsds/services", {"format": "ndjson"})
    lines = b"".join(response.streaming_content).decode().splitlines()

    assert sorted(json.loads(line)["name"] for line in lines) == [
        "Benefits line",
        "Elsewhere computers",
        "Resumé help",
    ]


def test_a_page_of_services_takes_the_same_queries_for_one_and_three(client, library):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            get(client, "services", full="true")
        return len(queries)

    ServiceAtLocationFactory(service=ServiceFactory(organization=library))
    one = count_queries()
    for _ in range(2):
        ServiceAtLocationFactory(service=ServiceFactory(organization=library))
    assert count_queries() == one
    assert ServiceAtLocation.objects.count() == 3
    assert TaxonomyTerm.objects.count() == 0
