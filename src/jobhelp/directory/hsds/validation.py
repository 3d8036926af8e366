"""Validating HSDS 3.0 documents against the specification's own schemas (copied unchanged into
`schema/`, with their licence), as Draft 2020-12 with every file registered under its name so
the relative `$ref`s resolve, and with format checking ON: ids must be UUIDs, emails emails,
URIs URIs, date-times RFC 3339 (decision 0009). Unknown properties are allowed by HSDS, so the
tests also check every field name we publish against the schemas' own properties
(`field_names`; the specification's schema_simple.csv misspells some plurals).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

# jsonschema is imported when a document is first checked, not with this module: it weighs
# about 10 MB and a quarter of a second in every worker, and few requests check a document.

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# Every entity there is; the documents we build and read are of these kinds.
KINDS = tuple(sorted(p.stem for p in SCHEMA_DIR.glob("*.json")))


@dataclass(frozen=True)
class Problem:
    """One error, at a JSON path such as ``$.service_at_locations[0].location.latitude``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@cache
def _registry() -> "Registry":
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for kind in KINDS:
        contents = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
        resources.append((f"{kind}.json", Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> "Draft202012Validator":
    from jsonschema import Draft202012Validator

    schema = _registry().contents(f"{kind}.json")
    return Draft202012Validator(
        schema,
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def json_path(base: str, parts) -> str:
    path = base
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def problems(kind: str, document, *, path: str = "$") -> list[Problem]:
    """Every way `document` breaks the HSDS schema of `kind`, at its JSON path, in document
    order; empty when it is valid."""
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [Problem(json_path(path, error.absolute_path), error.message) for error in errors]


@cache
def field_names() -> dict[str, frozenset[str]]:
    """The properties each entity's schema defines."""
    return {kind: frozenset(_registry().contents(f"{kind}.json")["properties"]) for kind in KINDS}
