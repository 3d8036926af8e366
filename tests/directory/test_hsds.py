"""HSDS 3.0 documents (directory.hsds): every kind validates against the specification's schemas
with format checking on, uses only fields the schemas define, carries no staff-only detail or
person; the API's paging and filters; a fixed number of queries per page; the package."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.directory import taxonomy
from jobhelp.directory.domain import create_term, set_hours_exception, set_staff_details
from jobhelp.directory.hsds import api, build, validation
from jobhelp.directory.hsds.export import write_package
from jobhelp.directory.models import ServiceHours, Taxonomy
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory, open_every_day
from tests.factories.organizations import BranchFactory, LocationFactory

SOON = timezone.localdate() + timedelta(days=10)
LATER = timezone.localdate() + timedelta(days=20)
SECRETS = ("763-555-0199", "Dana Referrals", "dana@example.org", "Call ahead on Mondays")


def check(kind: str, document: dict) -> None:
    """Valid, and nothing published under a name the schema does not define (but an
    organization's `services`, which HSDS's compiled organization adds)."""
    assert validation.problems(kind, document) == []
    allowed = validation.field_names()[kind] | ({"services"} if kind == "organization" else set())
    assert set(document) <= allowed, set(document) - allowed
    for service in document.get("services", []) if kind == "organization" else []:
        check("service", service)


@pytest.fixture
def county(library, manager, helper):
    library.description = "The county's libraries."
    library.website = "https://library.example.org/"
    library.save()
    branch = BranchFactory(
        parent=library, name="Affiliate", kind="affiliate", participation_tier="reduced"
    )
    central = open_every_day(
        LocationFactory(
            organization=library,
            name="Central Library",
            latitude="45.100000",
            longitude="-93.300000",
            accessibility="Step-free entrance.",
        )
    )
    set_hours_exception(central, by=helper, on=SOON, note="Staff training")
    set_hours_exception(central, by=helper, on=LATER, opens=time(9), closes=time(12))
    other = Taxonomy.objects.create(name="Partner categories", uri="https://example.org/tax")
    term = create_term(by=manager, name="Veterans", taxonomy=other, code="vet")
    service = ServiceFactory(
        organization=library,
        name="Resumé help",
        url="https://library.example.org/resume",
        email="jobs@library.example.org",
        phone="763-555-0111",
        needs=["resume", "applications"],
        access=["walk_in", "online"],
        languages=["en", "es", "other"],
        required_documents=["A photo ID"],
        eligibility="Anyone looking for work.",
        minimum_age=16,
        reviewed_on=date(2026, 1, 5),
        fees_description="Printing is 10 cents a page.",
    )
    service.terms.add(term)
    at = ServiceAtLocationFactory(service=service, location=central)
    ServiceHours.objects.create(at=at, weekday=1, opens=time(10), closes=time(12))
    set_staff_details(
        service,
        by=helper,
        direct_line=SECRETS[0],
        referral_contact=SECRETS[1],
        referral_email=SECRETS[2],
        notes_for_referrers=SECRETS[3],
    )
    ServiceFactory(
        organization=branch,
        name="Online resources",
        access=["online"],
        needs=["digital"],
        is_free=False,
    )
    return {"service": service, "at": at, "central": central, "term": term, "other": other}


def everything(county) -> list[tuple[str, dict]]:
    params = api.ListParams(full=True)
    documents = [
        ("service", api.service_document(county["service"].uuid)),
        ("service_at_location", api.service_at_location_document(county["at"].uuid)),
        ("organization", api.organization_document(county["service"].organization.uuid)),
        (
            "organization",
            api.organization_document(county["service"].organization.uuid, full_service=True),
        ),
        ("taxonomy", api.taxonomy_document(taxonomy.TAXONOMY_ID)),
        ("taxonomy", api.taxonomy_document(county["other"].uuid)),
        ("taxonomy_term", api.taxonomy_term_document(county["term"].uuid)),
        ("taxonomy_term", api.taxonomy_term_document(taxonomy.TERMS[1].uuid)),
    ]
    for variant in (api.ListParams(), params, api.ListParams(minimal=True)):
        documents += [("service", d) for d in api.services_page(variant)["contents"]]
        documents += [
            ("service_at_location", d) for d in api.service_at_locations_page(variant)["contents"]
        ]
        documents += [("organization", d) for d in api.organizations_page(variant)["contents"]]
    documents += [("taxonomy", d) for d in api.taxonomies_page(params)["contents"]]
    documents += [("taxonomy_term", d) for d in api.taxonomy_terms_page(params)["contents"]]
    return documents


def test_every_document_of_every_kind_validates_with_format_checking(county):
    documents = everything(county)

    assert {kind for kind, _d in documents} == {
        "service",
        "service_at_location",
        "organization",
        "taxonomy",
        "taxonomy_term",
    }
    for kind, document in documents:
        check(kind, document)
    full = api.service_document(county["service"].uuid)
    nested = [
        ("location", full["service_at_locations"][0]["location"]),
        ("schedule", full["service_at_locations"][0]["schedules"][0]),
        *(("schedule", s) for s in full["service_at_locations"][0]["location"]["schedules"]),
        ("address", full["service_at_locations"][0]["location"]["addresses"][0]),
        ("accessibility", full["service_at_locations"][0]["location"]["accessibility"][0]),
        ("phone", full["phones"][0]),
        ("language", full["languages"][0]),
        ("required_document", full["required_documents"][0]),
        ("cost_option", full["cost_options"][0]),
        ("attribute", full["attributes"][0]),
        ("organization", full["organization"]),
    ]
    for kind, document in nested:
        check(kind, document)


def test_format_checking_is_really_on():
    assert [
        p.message
        for p in validation.problems("service", {"id": "1", "name": "x", "status": "active"})
    ] == ["'1' is not a 'uuid'"]
    bad = {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "name": "x",
        "status": "active",
        "email": "nobody",
        "url": "not a uri",
        "last_modified": "yesterday",
    }
    assert sorted(p.path for p in validation.problems("service", bad)) == [
        "$.email",
        "$.last_modified",
        "$.url",
    ]


def test_the_full_service_maps_the_model(county):
    document = api.service_document(county["service"].uuid)
    location = document["service_at_locations"][0]["location"]

    assert (
        document["assured_date"],
        [lang.get("code") for lang in document["languages"]],
        [a["taxonomy_term"]["code"] for a in document["attributes"]],
        document["service_at_locations"][0]["schedules"][0]["byday"],
        [
            (s.get("byday"), s.get("valid_from"), s.get("description"))
            for s in location["schedules"]
        ],
        (location["latitude"], location["longitude"]),
        [a["taxonomy_term"]["code"] for a in document["organization"]["attributes"]],
    ) == (
        "2026-01-05",
        ["en", "es", None],
        ["need.resume", "need.applications", "access.walk_in", "access.online", "vet"],
        "TU",
        [
            ("MO,TU,WE,TH,FR,SA,SU", None, None),
            (None, SOON.isoformat(), "Closed"),
            (None, LATER.isoformat(), None),
        ],
        (45.1, -93.3),
        ["partnership_tier.full", "organization_kind.library_system"],
    )


def test_no_staff_only_detail_or_person_is_ever_published(county, helper, manager):
    published = json.dumps(everything(county))
    buffer = io.BytesIO()
    write_package(buffer)
    with zipfile.ZipFile(buffer) as package:
        published += "".join(package.read(name).decode() for name in package.namelist())

    for secret in (*SECRETS, helper.email, manager.email, helper.last_name):
        assert secret not in published
    assert '"contacts"' not in published


def test_paging_and_filters(county):
    service = county["service"]
    first = api.services_page(api.ListParams(per_page=1))
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 2,
        "total_pages": 2,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    past = api.services_page(api.ListParams(page=3, per_page=1))
    assert (past["empty"], past["last_page"], past["contents"]) == (True, True, [])

    def ids(**params):
        return [d["name"] for d in api.services_page(api.ListParams(**params))["contents"]]

    resume_term = taxonomy.term_uuid(taxonomy.NEED, "resume")
    reduced = taxonomy.term_uuid(taxonomy.TIER, "reduced")
    assert ids(search="Resumé h") == ["Resumé help"]
    assert ids(taxonomy_term_id=resume_term) == ["Resumé help"]
    assert ids(taxonomy_term_id=reduced) == ["Online resources"]
    assert ids(taxonomy_term_id=county["term"].uuid) == ["Resumé help"]
    assert ids(taxonomy_id=county["other"].uuid) == ["Resumé help"]
    assert ids(organization_id=service.organization.uuid) == ["Resumé help"]
    assert ids(modified_after=datetime(2999, 1, 1, tzinfo=UTC)) == []
    assert api.services_page(api.ListParams(minimal=True))["contents"][0].keys() == {
        "id",
        "name",
        "status",
        "last_modified",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "page must be a whole number"),
        ({"per_page": "1000"}, "per_page must be a whole number from 1 to 200"),
        ({"taxonomy_term_id": "resume"}, "taxonomy_term_id must be a UUID"),
        ({"modified_after": "yesterday"}, "modified_after must be a date and time"),
        ({"full": "perhaps"}, "full must be true or false"),
    ],
)
def test_bad_parameters_are_clear_errors(query, message):
    with pytest.raises(api.QueryError, match=message):
        api.parse_params(query)


def test_parameters_are_parsed():
    assert api.parse_params(
        {"page": "2", "per_page": "10", "full": "true", "modified_after": "2026-05-04T12:00:00Z"}
    ) == api.ListParams(
        page=2, per_page=10, full=True, modified_after=datetime(2026, 5, 4, 12, tzinfo=UTC)
    )


@pytest.mark.parametrize("services", [1, 3])
def test_a_full_page_takes_the_same_queries_for_one_or_three_services(library, services):
    for n in range(services):
        location = open_every_day(LocationFactory(organization=library, name=f"Branch {n}"))
        ServiceAtLocationFactory(service__organization=library, location=location)

    with CaptureQueriesContext(connection) as queries:
        page = api.services_page(api.ListParams(full=True))

    # The count, the services with their organizations, their places, the places' hours,
    # their locations, the locations' hours and exceptions, the services' other terms.
    assert (page["size"], len(queries)) == (services, 8)


def test_unknown_ids_are_none(county):
    assert api.service_document("not-a-uuid") is None
    assert api.service_document("3fa85f64-5717-4562-b3fc-2c963f66afa6") is None
    assert api.taxonomy_term_document("nope") is None


def test_the_package_has_a_descriptor_and_valid_resources(county):
    buffer = io.BytesIO()

    counts = write_package(buffer, now=datetime(2026, 5, 4, 12, tzinfo=UTC))

    assert counts == {
        "taxonomy": 2,
        "taxonomy_term": len(taxonomy.TERMS) + 1,
        "organization": 2,
        "location": 1,
        "service": 2,
    }
    with zipfile.ZipFile(buffer) as package:
        descriptor = json.loads(package.read("datapackage.json"))
        assert [r["path"] for r in descriptor["resources"]] == [
            "taxonomies.json",
            "taxonomy_terms.json",
            "organizations.json",
            "locations.json",
            "services.json",
        ]
        for resource in descriptor["resources"]:
            for document in json.loads(package.read(resource["path"])):
                check(resource["name"], document)
    assert build.VERSION == descriptor["version"] == "3.0"
