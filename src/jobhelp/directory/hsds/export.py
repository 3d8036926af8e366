"""The downloadable HSDS package: a ZIP file with a `datapackage.json` descriptor and one JSON
resource per kind of object, each an array of HSDS 3.0 documents, in the order an import reads
them (taxonomies, taxonomy_terms, organizations, locations, services; services fully nested).
Written as it is read, a chunk of services at a time, so its size does not bound memory.

Organization and service data only: never staff-only details, people, counts or assessments.
"""

import json
import zipfile
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from jobhelp.directory import taxonomy
from jobhelp.directory.hsds import api, build
from jobhelp.directory.models import Taxonomy
from jobhelp.organizations.models import Location, Organization

RESOURCES = (
    ("taxonomy", "taxonomies.json", "taxonomy.json"),
    ("taxonomy_term", "taxonomy_terms.json", "taxonomy_term.json"),
    ("organization", "organizations.json", "organization.json"),
    ("location", "locations.json", "location.json"),
    ("service", "services.json", "service.json"),
)
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def descriptor(*, now: datetime, title: str) -> dict:
    """`datapackage.json`: a Frictionless data package of JSON resources, each validated
    against the named HSDS 3.0 schema."""
    return {
        "name": "jobhelp-directory",
        "title": title,
        "profile": "data-package",
        "version": build.VERSION,
        "created": build.timestamp(now),
        "homepage": "https://openreferral.org/",
        "resources": [
            {
                "name": name,
                "path": path,
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": SCHEMA_BASE + schema,
                "description": f"An array of HSDS {build.VERSION} {name} documents.",
            }
            for name, path, schema in RESOURCES
        ],
    }


def documents(*, today=None) -> dict[str, Iterable[dict]]:
    """The package's documents by resource, as lazy iterables."""
    today = today or timezone.localdate()
    locations = api._locations(
        Location.objects.filter(is_active=True).order_by("name", "pk"), today=today
    )
    return {
        "taxonomy": [
            build.builtin_taxonomy(),
            *(build.taxonomy_document(t) for t in Taxonomy.objects.order_by("name", "pk")),
        ],
        "taxonomy_term": (
            *(build.builtin_term(t) for t in taxonomy.TERMS),
            *(build.term_document(t) for t in api._terms()),
        ),
        "organization": (
            build.organization_document(o, full=True)
            for o in Organization.objects.select_related("parent").order_by(
                "parent_id", "name", "pk"
            )
        ),
        "location": (build.location_document(loc) for loc in locations.iterator(chunk_size=200)),
        "service": (
            build.service_document(s)
            for s in api.published_services(today=today).iterator(chunk_size=200)
        ),
    }


def write_package(target, *, now: datetime | None = None, title: str = "Job-help directory"):
    """Write the package to `target` (a path or a binary file). Returns how many documents of
    each kind it holds."""
    now = now or timezone.now()
    counts = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("datapackage.json", json.dumps(descriptor(now=now, title=title), indent=2))
        parts = documents(today=timezone.localdate(now))
        for name, path, _schema in RESOURCES:
            n = 0
            with package.open(path, "w") as raw:
                raw.write(b"[")
                for document in parts[name]:
                    raw.write(b",\n" if n else b"\n")
                    raw.write(json.dumps(document, ensure_ascii=False).encode())
                    n += 1
                raw.write(b"\n]\n")
            counts[name] = n
    return counts
