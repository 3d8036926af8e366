"""Importing HSDS 3.0: a package (the ZIP hsds.export writes: datapackage.json with JSON
resources) or API JSON (a page of services, an array of services, one service, or NDJSON, one
service a line). docs/directory.md, "Importing", has the rules:

- **Everything is checked before anything is written**: every document against its HSDS schema
  with format checking on, then what jobhelp needs (known organizations, locations and terms,
  times it can read, who may change what). Every error is reported with its JSON path; with
  any error nothing is written.
- **By id**: an object whose id jobhelp has is updated, any other is created with that id;
  objects nested in a service (phones, schedules, languages, attributes, required documents,
  cost options, addresses, accessibility) replace the owner's. Running it again changes
  nothing.
- **Nothing is deleted**: a service of an organization in the import that the import does not
  name is reported as missing, and kept.
- **Bounded memory**: documents are read one at a time from the stream (twice: to check, then
  to write); only ids are kept, not documents.
- **A dry run** does the whole import in a transaction and rolls it back, reporting what would
  be created and updated, by id.

`by` is the manager importing for their organizations (they may only change those; new
organizations need the installation), or None for the installation itself (manage.py
import_hsds, run by an administrator).
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.core.enums import Language
from jobhelp.directory import rules, taxonomy
from jobhelp.directory.domain import (
    create_service,
    create_term,
    remove_hours_exception,
    set_hours_exception,
    set_service_hours,
    set_service_locations,
    update_service,
)
from jobhelp.directory.hsds import build
from jobhelp.directory.hsds.export import RESOURCES
from jobhelp.directory.hsds.validation import Problem, problems
from jobhelp.directory.models import Service, Taxonomy, TaxonomyTerm
from jobhelp.organizations import domain as places
from jobhelp.organizations.enums import OrganizationKind, ParticipationTier
from jobhelp.organizations.models import Location, Organization

CHUNK = 1 << 16
NONE = "00000000-0000-0000-0000-000000000000"
# One document larger than this is not a directory entry.
MAX_DOCUMENT = 16 << 20
_CODES = {code: ours for ours, code in build.LANGUAGE_CODES.items()}
_DAYS = {day: n for n, day in enumerate(build.DAYS)}

Progress = Callable[[str, int], None]


class SourceError(ValueError):
    """The file is not JSON, NDJSON or a package we can read."""


# --- Reading ------------------------------------------------------------------------------------


def _values(stream, *, array: bool) -> Iterator[object]:
    """JSON values one at a time from a text stream: the elements of a top-level array, or
    top-level values one after another (NDJSON). Holds one value and a chunk at a time."""
    decoder = json.JSONDecoder()
    buffer, offset, eof = "", 0, False

    def fill() -> bool:
        nonlocal buffer, offset, eof
        chunk = stream.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buffer = buffer[offset:] + chunk
        offset = 0
        return True

    def skip(chars: str) -> str:
        nonlocal offset
        while True:
            while offset < len(buffer) and buffer[offset] in chars:
                offset += 1
            if offset < len(buffer) or not fill():
                return buffer[offset] if offset < len(buffer) else ""

    if array:
        if skip(" \t\r\n\ufeff") != "[":
            raise SourceError(_("The file does not hold a JSON array."))
        offset += 1
    while True:
        head = skip(" \t\r\n\ufeff," if array else " \t\r\n\ufeff")
        if head == "" or (array and head == "]"):
            return
        while True:
            try:
                value, end = decoder.raw_decode(buffer, offset)
                # A number or literal cut at the chunk's end would decode short.
                if end == len(buffer) and not eof and fill():
                    continue
                break
            except json.JSONDecodeError as error:
                if len(buffer) - offset > MAX_DOCUMENT or (eof or not fill()):
                    raise SourceError(
                        _("The file is not valid JSON (%(error)s).") % {"error": error.msg}
                    ) from None
        offset = end
        yield value


@dataclass(frozen=True)
class Source:
    """Something to import: a path (a file on this machine, for the command line), a file in
    the `default` storage by its name (`stored`: an upload waiting between the dry run and the
    import, which the task worker on another machine reads too) or bytes. Read twice, so not a
    one-time stream."""

    path: Path | None = None
    data: bytes | None = None
    stored: str | None = None

    def _binary(self):
        if self.stored:
            return default_storage.open(self.stored, "rb")
        return open(self.path, "rb") if self.path else io.BytesIO(self.data)

    def documents(self) -> Iterator[tuple[str, str, dict]]:
        """(kind, JSON path, document), in the order to import them."""
        with self._binary() as raw:
            if zipfile.is_zipfile(raw):
                raw.seek(0)
                yield from self._package(zipfile.ZipFile(raw))
                return
            raw.seek(0)
            yield from self._json(io.TextIOWrapper(raw, encoding="utf-8-sig"))

    def _package(self, package: zipfile.ZipFile):
        try:
            descriptor = json.loads(package.read("datapackage.json"))
            paths = {r["name"]: r["path"] for r in descriptor["resources"]}
        except (KeyError, TypeError, ValueError):
            raise SourceError(_("The package has no readable datapackage.json.")) from None
        for kind, _path, _schema in RESOURCES:
            if kind not in paths:
                continue
            with package.open(paths[kind]) as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig")
                for n, document in enumerate(_values(text, array=True)):
                    yield kind, f"$['{paths[kind]}'][{n}]", document

    def _json(self, text):
        head = text.read(1)
        while head and head in " \t\r\n":
            head = text.read(1)
        rest = io.StringIO(head + text.read(0))
        stream = _Chain(rest, text)
        if head == "[":
            for n, document in enumerate(_values(stream, array=True)):
                yield "service", f"$[{n}]", document
            return
        values = _values(stream, array=False)
        for n, document in enumerate(values):
            if n == 0 and isinstance(document, dict) and "contents" in document:
                for m, item in enumerate(document.get("contents") or []):
                    yield "service", f"$.contents[{m}]", item
                continue
            yield "service", f"$[{n}]" if n else "$", document


class _Chain:
    def __init__(self, first, second):
        self.parts = [first, second]

    def read(self, size: int) -> str:
        while self.parts:
            chunk = self.parts[0].read(size)
            if chunk:
                return chunk
            self.parts.pop(0)
        return ""


# --- The report ---------------------------------------------------------------------------------


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    # By kind: the ids created and updated; how many were already as imported.
    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    # Services of the organizations imported that the import does not name: kept, not deleted.
    missing: list[str] = field(default_factory=list)
    dry_run: bool = False
    read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, outcome: str, pk: str) -> None:
        if outcome == "unchanged":
            self.unchanged[kind] = self.unchanged.get(kind, 0) + 1
        else:
            getattr(self, outcome).setdefault(kind, []).append(pk)


# --- Checking -----------------------------------------------------------------------------------


def _time(value) -> time | None:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _embedded(kind: str, document: dict, path: str):
    """The objects a document carries, as (kind, path, document), itself first."""
    yield kind, path, document
    if kind == "service":
        if isinstance(document.get("organization"), dict):
            yield "organization", f"{path}.organization", document["organization"]
        for n, at in enumerate(document.get("service_at_locations") or []):
            if isinstance(at, dict) and isinstance(at.get("location"), dict):
                yield "location", f"{path}.service_at_locations[{n}].location", at["location"]


class _Checker:
    def __init__(self, *, by):
        self.by = by
        self.report = Report()
        self.ids: dict[str, set[str]] = {
            k: set() for k in ("organization", "location", "service", "taxonomy_term", "taxonomy")
        }
        self.references: list[tuple[str, str, str]] = []  # (kind, id, path)

    def error(self, path: str, message: str) -> None:
        self.report.errors.append(Problem(path, message))

    def check(self, kind: str, path: str, document) -> None:
        found = problems(kind, document, path=path)
        self.report.errors.extend(found)
        if found or not isinstance(document, dict):
            return
        for inner_kind, inner_path, inner in _embedded(kind, document, path):
            if inner_kind in self.ids:
                if inner is document and inner["id"] in self.ids[inner_kind]:
                    self.error(f"{path}.id", _("This id appears twice."))
                self.ids[inner_kind].add(inner["id"])
            getattr(self, f"_{inner_kind}", lambda *a: None)(inner_path, inner)

    def _schedules(self, path: str, schedules) -> None:
        for n, schedule in enumerate(schedules or []):
            for name in ("opens_at", "closes_at"):
                if name in schedule and _time(schedule[name]) is None:
                    self.error(f"{path}[{n}].{name}", _("Not a time such as 09:00:00."))
            opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
            if opens and closes and not opens < closes:
                self.error(f"{path}[{n}]", _("It must open before it closes."))
            days = [d for d in (schedule.get("byday") or "").split(",") if d]
            if schedule.get("freq") == "WEEKLY" and (
                not days or not set(days) <= set(_DAYS) or not (opens and closes)
            ):
                self.error(
                    f"{path}[{n}]", _("A weekly schedule needs days (byday) and both times.")
                )
            for name in ("valid_from", "valid_to"):
                if name in schedule:
                    try:
                        date.fromisoformat(schedule[name])
                    except ValueError:
                        self.error(f"{path}[{n}].{name}", _("Not a date such as 2026-05-04."))

    def _attributes(self, path: str, attributes) -> None:
        for n, attribute in enumerate(attributes or []):
            term = attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get(
                "id"
            )
            if not term:
                self.error(f"{path}[{n}]", _("An attribute needs a taxonomy term."))
                continue
            if isinstance(attribute.get("taxonomy_term"), dict):
                self.ids["taxonomy_term"].add(term)
            elif UUID(term) not in taxonomy.BY_UUID:
                self.references.append(("taxonomy_term", term, f"{path}[{n}].taxonomy_term_id"))

    def _organization(self, path: str, document: dict) -> None:
        self._attributes(f"{path}.attributes", document.get("attributes"))
        if document.get("parent_organization_id"):
            self.references.append(
                (
                    "organization",
                    document["parent_organization_id"],
                    f"{path}.parent_organization_id",
                )
            )
        existing = Organization.objects.filter(uuid=document["id"]).first()
        if self.by is not None and (
            existing is None or not rules.can_import_for(self.by, existing)
        ):
            self.error(
                path,
                _(
                    "You can only import for organizations you manage; ask an administrator "
                    "to import others."
                ),
            )

    def _location(self, path: str, document: dict) -> None:
        if document.get("organization_id"):
            self.references.append(
                ("organization", document["organization_id"], f"{path}.organization_id")
            )
        addresses = [a for a in document.get("addresses") or [] if a["address_type"] == "physical"]
        if not Location.objects.filter(uuid=document["id"]).exists():
            if not document.get("organization_id"):
                self.error(f"{path}.organization_id", _("A new location needs its organization."))
            if not addresses:
                self.error(f"{path}.addresses", _("A new location needs a physical address."))
        if ("latitude" in document) != ("longitude" in document):
            self.error(path, _("Give both the latitude and the longitude, or neither."))
        self._schedules(f"{path}.schedules", document.get("schedules"))

    def _service(self, path: str, document: dict) -> None:
        organization = document.get("organization_id") or (document.get("organization") or {}).get(
            "id"
        )
        if not organization:
            self.error(f"{path}.organization_id", _("A service needs its organization."))
        else:
            self.references.append(("organization", organization, f"{path}.organization_id"))
        self._attributes(f"{path}.attributes", document.get("attributes"))
        for n, at in enumerate(document.get("service_at_locations") or []):
            location = at.get("location_id") or (at.get("location") or {}).get("id")
            if not location:
                self.error(f"{path}.service_at_locations[{n}]", _("Which location?"))
            elif not isinstance(at.get("location"), dict):
                self.references.append(
                    ("location", location, f"{path}.service_at_locations[{n}].location_id")
                )
            self._schedules(f"{path}.service_at_locations[{n}].schedules", at.get("schedules"))
        if document.get("minimum_age", 0) > document.get("maximum_age", 1000):
            self.error(f"{path}.minimum_age", _("The minimum age is above the maximum age."))

    def finish(self) -> None:
        models = {"organization": Organization, "location": Location, "taxonomy_term": TaxonomyTerm}
        for kind, pk, path in self.references:
            if pk in self.ids[kind]:
                continue
            if not models[kind].objects.filter(uuid=pk).exists():
                self.error(path, _("Nothing with this id is in the import or in jobhelp."))


# --- Writing ------------------------------------------------------------------------------------


def _attribute_terms(attributes) -> list[UUID]:
    return [UUID(a.get("taxonomy_term_id") or a["taxonomy_term"]["id"]) for a in attributes or []]


class _Writer:
    def __init__(self, *, by, report: Report, time_zone: str):
        self.by, self.report, self.time_zone = by, report, time_zone
        self.seen: dict[str, set[str]] = {}
        self.parents: list[tuple[str, str]] = []
        self.term_parents: list[tuple[str, str]] = []
        self.organizations: set[int] = set()
        self.services: set[str] = set()

    def once(self, kind: str, pk: str) -> bool:
        seen = self.seen.setdefault(kind, set())
        if pk in seen:
            return False
        seen.add(pk)
        return True

    def write(self, kind: str, document: dict) -> None:
        for inner_kind, _path, inner in reversed(list(_embedded(kind, document, "$"))):
            if self.once(inner_kind, inner["id"]):
                getattr(self, f"_{inner_kind}")(inner)

    def _taxonomy(self, document: dict) -> None:
        if UUID(document["id"]) == taxonomy.TAXONOMY_ID:
            return
        fields = {
            "name": document["name"],
            "description": document.get("description", ""),
            "uri": document.get("uri", ""),
            "version": document.get("version", ""),
        }
        row, created = Taxonomy.objects.get_or_create(uuid=document["id"], defaults=fields)
        changed = [k for k, v in fields.items() if getattr(row, k) != v]
        if changed:
            Taxonomy.objects.filter(pk=row.pk).update(**fields)
        self.report.count(
            "taxonomy",
            "created" if created else "updated" if changed else "unchanged",
            str(row.uuid),
        )

    def _term(self, document: dict) -> TaxonomyTerm | None:
        if UUID(document["id"]) in taxonomy.BY_UUID:
            return None
        row = TaxonomyTerm.objects.filter(uuid=document["id"]).first()
        detail = document.get("taxonomy_detail")
        if detail and self.once("taxonomy", detail["id"]):
            self._taxonomy(detail)
        tax = Taxonomy.objects.filter(
            uuid=document.get("taxonomy_id")
            or (detail or {}).get("id")
            or "00000000-0000-0000-0000-000000000000"
        ).first()
        fields = {
            "name": document["name"],
            "description": document.get("description", ""),
            "code": document.get("code", "")[:100],
            "language": document.get("language", "")[:10],
            "taxonomy": tax,
        }
        if document.get("parent_id"):
            self.term_parents.append((document["id"], document["parent_id"]))
        if row is None:
            row = create_term(
                by=None,
                name=fields["name"],
                description=fields["description"],
                code=fields["code"],
                taxonomy=tax,
            )
            TaxonomyTerm.objects.filter(pk=row.pk).update(
                uuid=document["id"], language=fields["language"]
            )
            self.report.count("taxonomy_term", "created", document["id"])
            return row
        changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if changed:
            TaxonomyTerm.objects.filter(pk=row.pk).update(**changed)
        self.report.count("taxonomy_term", "updated" if changed else "unchanged", document["id"])
        return row

    _taxonomy_term = _term

    def _organization(self, document: dict) -> None:
        terms = [taxonomy.BY_UUID.get(t) for t in _attribute_terms(document.get("attributes"))]
        kind = next((t.value for t in terms if t and t.group == taxonomy.KIND), None)
        tier = next((t.value for t in terms if t and t.group == taxonomy.TIER), None)
        fields = {
            "name": document["name"],
            "description": document.get("description", ""),
            "website": document.get("website", ""),
            "phone": ((document.get("phones") or [{}])[0].get("number") or "")[:20],
        }
        if tier:
            fields["participation_tier"] = tier
        if document.get("parent_organization_id"):
            self.parents.append((document["id"], document["parent_organization_id"]))
        row = Organization.objects.filter(uuid=document["id"]).first()
        if row is None:
            fields["kind"] = kind or (
                OrganizationKind.BRANCH
                if document.get("parent_organization_id")
                else OrganizationKind.LIBRARY_SYSTEM
            )
            fields.setdefault("participation_tier", ParticipationTier.FULL)
            parent = Organization.objects.filter(
                uuid=document.get("parent_organization_id")
                or "00000000-0000-0000-0000-000000000000"
            ).first()
            row = places.create_organization(
                by=self.by, uuid=document["id"], parent=parent, **fields
            )
            outcome = "created"
        else:
            if kind:
                fields["kind"] = kind
            outcome = (
                "updated"
                if places.update_organization(row, by=self.by, **fields)
                else ("unchanged")
            )
        self.organizations.add(row.pk)
        self.report.count("organization", outcome, document["id"])

    def _location(self, document: dict) -> None:
        address = next(
            (a for a in document.get("addresses") or [] if a["address_type"] == "physical"), None
        )
        fields = {"name": document.get("name") or (address or {}).get("address_1", "")}
        if address:
            fields |= {
                "street": address["address_1"][:200],
                "city": address["city"][:80],
                "state": address["state_province"][:2],
                "postal_code": address["postal_code"][:10],
            }
        if document.get("phones"):
            fields["phone"] = document["phones"][0]["number"][:20]
        if "latitude" in document:
            fields["latitude"] = Decimal(str(document["latitude"])).quantize(Decimal("0.000001"))
            fields["longitude"] = Decimal(str(document["longitude"])).quantize(Decimal("0.000001"))
        fields["accessibility"] = "\n".join(
            a.get("description", "") for a in document.get("accessibility") or []
        )
        row = Location.objects.filter(uuid=document["id"]).select_related("organization").first()
        if row is None:
            organization = Organization.objects.get(uuid=document["organization_id"])
            row = places.create_location(
                organization, by=self.by, uuid=document["id"], time_zone=self.time_zone, **fields
            )
            changed = True
            outcome = "created"
        else:
            changed = bool(places.update_location(row, by=self.by, **fields))
            outcome = None
        schedules = document.get("schedules") or []
        weekly = [
            (_DAYS[day], _time(s["opens_at"]), _time(s["closes_at"]))
            for s in schedules
            if s.get("freq") == "WEEKLY"
            for day in s["byday"].split(",")
        ]
        changed |= places.set_opening_hours(row, by=self.by, hours=weekly)
        wanted = {}
        for s in schedules:
            if (
                s.get("freq") != "WEEKLY"
                and s.get("valid_from")
                and s.get("valid_to") == s["valid_from"]
            ):
                wanted[date.fromisoformat(s["valid_from"])] = (
                    _time(s.get("opens_at")),
                    _time(s.get("closes_at")),
                    s.get("notes", ""),
                )
        current = {e.on: (e.opens, e.closes, e.note) for e in row.hours_exceptions.all()}
        for on in sorted(set(current) - set(wanted)):
            changed |= remove_hours_exception(row, by=self.by, on=on)
        for on, (opens, closes, note) in sorted(wanted.items()):
            if current.get(on) != (opens, closes, note):
                set_hours_exception(row, by=self.by, on=on, opens=opens, closes=closes, note=note)
                changed = True
        self.report.count(
            "location", outcome or ("updated" if changed else "unchanged"), document["id"]
        )

    def _service(self, document: dict) -> None:
        organization = Organization.objects.get(
            uuid=document.get("organization_id") or document["organization"]["id"]
        )
        needs, access, others = [], [], []
        for term_id in _attribute_terms(document.get("attributes")):
            term = taxonomy.BY_UUID.get(term_id)
            if term and term.group == taxonomy.NEED and term.value:
                needs.append(term.value)
            elif term and term.group == taxonomy.ACCESS and term.value:
                access.append(term.value)
            elif term is None:
                others.append(term_id)
        for n, attribute in enumerate(document.get("attributes") or []):
            if isinstance(attribute.get("taxonomy_term"), dict) and self.once(
                "taxonomy_term", attribute["taxonomy_term"]["id"]
            ):
                self._term(attribute["taxonomy_term"])
            del n
        languages = []
        for language in document.get("languages") or []:
            code = _CODES.get(language.get("code", ""))
            languages.append(code or Language.OTHER)
        fields = {
            "name": document["name"],
            "alternate_name": document.get("alternate_name", "")[:200],
            "description": document.get("description", ""),
            "status": document["status"],
            "url": document.get("url", ""),
            "email": document.get("email", ""),
            "phone": ((document.get("phones") or [{}])[0].get("number") or "")[:20],
            "needs": needs,
            "access": access,
            "languages": languages,
            "terms": list(TaxonomyTerm.objects.filter(uuid__in=others)),
            "application_process": document.get("application_process", ""),
            "eligibility": document.get("eligibility_description", ""),
            "minimum_age": document.get("minimum_age"),
            "maximum_age": document.get("maximum_age"),
            "is_free": any(c.get("amount") == 0 for c in document.get("cost_options") or []),
            "fees_description": document.get("fees_description", ""),
            "required_documents": [
                d["document"] for d in document.get("required_documents") or [] if d.get("document")
            ],
            "alert": document.get("alert", "")[:300],
            "reviewed_on": date.fromisoformat(document["assured_date"])
            if document.get("assured_date")
            else None,
        }
        row = Service.objects.filter(uuid=document["id"]).first()
        if row is None:
            row = create_service(organization, by=self.by, **fields)
            Service.objects.filter(pk=row.pk).update(uuid=document["id"])
            row.uuid = UUID(document["id"])
            outcome = "created"
        else:
            outcome = "updated" if update_service(row, by=self.by, **fields)[1] else "unchanged"
        self.organizations.add(organization.pk)
        self.services.add(str(row.uuid))
        ats = document.get("service_at_locations") or []
        locations = {}
        for at in ats:
            location = Location.objects.get(uuid=at.get("location_id") or at["location"]["id"])
            locations[location.pk] = (location, at)
        added, removed = set_service_locations(
            row,
            by=self.by,
            locations=[loc for loc, _at in locations.values()],
            ids={pk: at["id"] for pk, (_loc, at) in locations.items()},
        )
        changed = bool(added or removed)
        for place in row.places.all():
            weekly = [
                (_DAYS[day], _time(s["opens_at"]), _time(s["closes_at"]))
                for s in locations[place.location_id][1].get("schedules") or []
                if s.get("freq") == "WEEKLY"
                for day in s["byday"].split(",")
            ]
            changed |= set_service_hours(place, by=self.by, hours=weekly)
        if outcome == "unchanged" and changed:
            outcome = "updated"
        self.report.count("service", outcome, document["id"])

    def finish(self) -> None:
        for child, parent in self.parents:
            row = Organization.objects.get(uuid=child)
            wanted = Organization.objects.get(uuid=parent)
            if row.parent_id != wanted.pk:
                places.update_organization(row, by=self.by, parent=wanted)
        for child, parent in self.term_parents:
            parent_row = TaxonomyTerm.objects.filter(uuid=parent).first()
            TaxonomyTerm.objects.filter(uuid=child).update(parent=parent_row)
        self.report.missing = sorted(
            str(pk)
            for pk in Service.objects.filter(organization_id__in=self.organizations)
            .exclude(uuid__in=list(self.services))
            .values_list("uuid", flat=True)
        )


class _Rollback(Exception):
    pass


def import_hsds(
    source: Source,
    *,
    by=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    time_zone: str | None = None,
) -> Report:
    """Check `source`, then import it, or with `dry_run` report what it would change. Returns
    the Report: its `errors` (then nothing was written), what was created and updated by id,
    and the services of the organizations imported that the import does not name (`missing`,
    kept). `progress(stage, documents)` is called as documents are checked and written;
    `time_zone` is given to new locations (HSDS 3.0 has none; default JOBHELP_TIME_ZONE).

    Side effects: those of the domain functions it calls for each change
    (organizations.domain, directory.domain: each audited, each raising its versions).
    """
    checker = _Checker(by=by)
    for n, (kind, path, document) in enumerate(source.documents(), start=1):
        checker.check(kind, path, document)
        checker.report.read = n
        if progress and n % 100 == 0:
            progress("checking", n)
    checker.finish()
    report = checker.report
    report.dry_run = dry_run
    if report.errors:
        return report
    writer = _Writer(by=by, report=report, time_zone=time_zone or settings.TIME_ZONE)
    try:
        with transaction.atomic():
            for n, (kind, _path, document) in enumerate(source.documents(), start=1):
                writer.write(kind, document)
                if progress and n % 100 == 0:
                    progress("writing", n)
            writer.finish()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if progress:
        progress("done", report.read)
    return report
