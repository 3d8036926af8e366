"""HSDS 3.0 documents built from the directory's models (docs/directory.md has the mapping).

Published: organizations, locations, services, services at locations, schedules, phones,
languages, addresses, accessibility, required documents, cost options, attributes, taxonomies
and their terms. Never published: staff-only details, people (HSDS `contacts`), kiosks,
counts, assessments. Objects with no row of their own here (a phone, a schedule, an attribute)
get ids derived from their owner's id and what they say (uuid5), so they stay the same from
one export to the next. Text from code (term names, language names) is written in English.

The builders read only what the caller prefetched (see hsds.api's querysets).
"""

from collections import defaultdict
from datetime import UTC, datetime, time
from uuid import UUID, uuid5

from django.utils import translation

from jobhelp.core.enums import Language
from jobhelp.directory import taxonomy
from jobhelp.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from jobhelp.organizations.models import Location, Organization

VERSION = "3.0"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# ISO 639 codes of core.enums.Language ("other" has none).
LANGUAGE_CODES = {"en": "en", "es": "es", "ht": "ht", "so": "so", "hmn": "hmn", "vi": "vi"}


def _en(text) -> str:
    with translation.override("en"):
        return str(text)


def derived_id(owner: UUID, what: str) -> str:
    return str(uuid5(owner, what))


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clock(value: time) -> str:
    return value.isoformat("seconds")


def _compact(document: dict) -> dict:
    """Leave out what we do not have rather than publishing empty values."""
    return {k: v for k, v in document.items() if v not in (None, "", [])}


# --- Taxonomies ---------------------------------------------------------------------------------


def builtin_taxonomy() -> dict:
    return {
        "id": str(taxonomy.TAXONOMY_ID),
        "name": taxonomy.NAME,
        "description": _en(taxonomy.DESCRIPTION),
        "version": "1",
    }


def taxonomy_document(row: Taxonomy) -> dict:
    return _compact(
        {
            "id": str(row.uuid),
            "name": row.name,
            "description": row.description,
            "uri": row.uri,
            "version": row.version,
        }
    ) | {"description": row.description}


def builtin_term(term: taxonomy.Term, *, detail: bool = False) -> dict:
    document = {
        "id": str(term.uuid),
        "code": term.code,
        "name": _en(term.name),
        "description": _en(term.description),
        "taxonomy": taxonomy.NAME,
        "taxonomy_id": str(taxonomy.TAXONOMY_ID),
        "language": "en",
    }
    if term.parent_uuid:
        document["parent_id"] = str(term.parent_uuid)
    if detail:
        document["taxonomy_detail"] = builtin_taxonomy()
    return document


def term_document(row: TaxonomyTerm, *, detail: bool = False) -> dict:
    document = _compact(
        {
            "id": str(row.uuid),
            "code": row.code,
            "name": row.name,
            "parent_id": str(row.parent.uuid) if row.parent_id else None,
            "taxonomy": row.taxonomy.name if row.taxonomy_id else None,
            "taxonomy_id": str(row.taxonomy.uuid) if row.taxonomy_id else None,
            "language": row.language,
        }
    ) | {"description": row.description}
    if detail and row.taxonomy_id:
        document["taxonomy_detail"] = taxonomy_document(row.taxonomy)
    return document


def _attribute(owner: UUID, entity: str, term: dict, *, full: bool) -> dict:
    document = {
        "id": derived_id(owner, f"attribute:{term['id']}"),
        "link_id": str(owner),
        "link_type": "category",
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
    }
    if full:
        document["taxonomy_term"] = term
    return document


def service_terms(service: Service, *, detail: bool = False) -> list[dict]:
    terms = [
        builtin_term(taxonomy.BY_UUID[taxonomy.term_uuid(taxonomy.NEED, need)], detail=detail)
        for need in service.needs
    ]
    terms += [
        builtin_term(taxonomy.BY_UUID[taxonomy.term_uuid(taxonomy.ACCESS, way)], detail=detail)
        for way in service.access
    ]
    terms += [term_document(t, detail=detail) for t in service.terms.all()]
    return terms


def organization_terms(organization: Organization, *, detail: bool = False) -> list[dict]:
    return [
        builtin_term(
            taxonomy.BY_UUID[taxonomy.term_uuid(taxonomy.TIER, organization.participation_tier)],
            detail=detail,
        ),
        builtin_term(
            taxonomy.BY_UUID[taxonomy.term_uuid(taxonomy.KIND, organization.kind)], detail=detail
        ),
    ]


# --- Small objects ------------------------------------------------------------------------------


def _phone(owner: UUID, number: str, link: str) -> dict:
    return {
        "id": derived_id(owner, f"phone:{number}"),
        link: str(owner),
        "number": number,
        "type": "voice",
    }


def weekly_schedules(owner: UUID, link: str, weekly) -> list[dict]:
    """One WEEKLY schedule per (opens, closes), with the days it applies to (`byday`); the
    times are on the location's clock (HSDS 3.0's `timezone` is a fixed UTC offset, which a
    zone with daylight time does not have, so it is left out)."""
    days = defaultdict(list)
    for weekday, opens, closes in sorted(weekly):
        days[(opens, closes)].append(DAYS[weekday])
    return [
        {
            "id": derived_id(owner, f"schedule:{','.join(byday)}:{opens}:{closes}"),
            link: str(owner),
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(byday),
            "opens_at": _clock(opens),
            "closes_at": _clock(closes),
        }
        for (opens, closes), byday in sorted(days.items())
    ]


def exception_schedules(owner: UUID, exceptions) -> list[dict]:
    """Each exception as a schedule valid on its date only: with opening times, the day's
    hours; without, `description` "Closed"."""
    documents = []
    for exception in exceptions:
        document = {
            "id": derived_id(owner, f"exception:{exception.on.isoformat()}"),
            "location_id": str(owner),
            "valid_from": exception.on.isoformat(),
            "valid_to": exception.on.isoformat(),
            "dtstart": exception.on.isoformat(),
            "notes": exception.note,
        }
        if exception.opens is None:
            document["description"] = "Closed"
        else:
            document |= {"opens_at": _clock(exception.opens), "closes_at": _clock(exception.closes)}
        documents.append(_compact(document))
    return documents


def language_documents(service: Service) -> list[dict]:
    return [
        _compact(
            {
                "id": derived_id(service.uuid, f"language:{code}"),
                "service_id": str(service.uuid),
                "name": _en(Language(code).label),
                "code": LANGUAGE_CODES.get(code),
            }
        )
        for code in service.languages
    ]


# --- Entities -----------------------------------------------------------------------------------


def organization_document(organization: Organization, *, full: bool = False) -> dict:
    """One-to-one fields (HSDS organization_list); `full` adds phones and attributes (the
    partnership tier and kind, from jobhelp's taxonomy)."""
    document = _compact(
        {
            "id": str(organization.uuid),
            "name": organization.name,
            "website": organization.website,
            "parent_organization_id": str(organization.parent.uuid)
            if organization.parent_id
            else None,
        }
    ) | {"description": organization.description}
    if full:
        if organization.phone:
            document["phones"] = [_phone(organization.uuid, organization.phone, "organization_id")]
        document["attributes"] = [
            _attribute(organization.uuid, "organization", term, full=True)
            for term in organization_terms(organization)
        ]
    return document


def location_document(location: Location) -> dict:
    """A physical location with its address, phone, opening hours and exceptions (prefetched
    as `hours` and `exceptions_in_view`), and accessibility notes."""
    document = _compact(
        {
            "id": str(location.uuid),
            "location_type": "physical",
            "organization_id": str(location.organization.uuid),
            "name": location.name,
            "latitude": float(location.latitude) if location.latitude is not None else None,
            "longitude": float(location.longitude) if location.longitude is not None else None,
        }
    )
    document["addresses"] = [
        {
            "id": derived_id(location.uuid, "address:physical"),
            "location_id": str(location.uuid),
            "address_1": location.street,
            "city": location.city,
            "state_province": location.state,
            "postal_code": location.postal_code,
            "country": "US",
            "address_type": "physical",
        }
    ]
    if location.phone:
        document["phones"] = [_phone(location.uuid, location.phone, "location_id")]
    weekly = [(h.weekday, h.opens, h.closes) for h in location.hours.all()]
    schedules = weekly_schedules(location.uuid, "location_id", weekly)
    schedules += exception_schedules(location.uuid, getattr(location, "exceptions_in_view", []))
    if schedules:
        document["schedules"] = schedules
    if location.accessibility:
        document["accessibility"] = [
            {
                "id": derived_id(location.uuid, "accessibility"),
                "location_id": str(location.uuid),
                "description": location.accessibility,
            }
        ]
    return document


def service_at_location_document(at: ServiceAtLocation, *, full: bool = False) -> dict:
    """The service's own hours there (none: the location's hours apply); `full` embeds the
    location."""
    document = _compact(
        {
            "id": str(at.uuid),
            "service_id": str(at.service.uuid),
            "location_id": str(at.location.uuid),
            "description": at.description,
        }
    )
    schedules = weekly_schedules(
        at.uuid, "service_at_location_id", [(h.weekday, h.opens, h.closes) for h in at.hours.all()]
    )
    if schedules:
        document["schedules"] = schedules
    if full:
        document["location"] = location_document(at.location)
    return document


MINIMAL, LIST, FULL = "minimal", "list", "full"


def service_document(service: Service, *, variant: str = FULL) -> dict:
    """`minimal`: id, name, status and last_modified (what the HSDS list schema requires, and
    the date); `list`: the one-to-one fields; `full`: everything, nested (HSDS's compiled
    service): organization, languages, phones, required documents, cost, attributes and the
    services at locations with their locations."""
    base = {
        "id": str(service.uuid),
        "name": service.name,
        "status": service.status,
        "last_modified": timestamp(service.updated_at),
    }
    if variant == MINIMAL:
        return base
    document = base | _compact(
        {
            "organization_id": str(service.organization.uuid),
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "application_process": service.application_process,
            "eligibility_description": service.eligibility,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "fees_description": service.fees_description,
            "alert": service.alert,
            "assured_date": service.reviewed_on.isoformat() if service.reviewed_on else None,
        }
    )
    if variant == LIST:
        return document
    document["organization"] = organization_document(service.organization, full=True)
    extra = {
        "languages": language_documents(service),
        "phones": [_phone(service.uuid, service.phone, "service_id")] if service.phone else [],
        "required_documents": [
            {
                "id": derived_id(service.uuid, f"document:{text}"),
                "service_id": str(service.uuid),
                "document": text,
            }
            for text in service.required_documents
        ],
        "cost_options": [
            {
                "id": derived_id(service.uuid, "cost:free"),
                "service_id": str(service.uuid),
                "option": "Free",
                "amount": 0,
                "currency": "USD",
            }
        ]
        if service.is_free
        else [],
        "attributes": [
            _attribute(service.uuid, "service", term, full=True)
            for term in service_terms(service, detail=True)
        ],
        "service_at_locations": [
            service_at_location_document(at, full=True) for at in service.places.all()
        ],
    }
    return document | _compact(extra)
