"""What the HSDS API (`/api/hsds/`, api/hsds/views.py) answers, below the interface: its query
parameters, its paging, and its documents, read in a fixed number of queries per page. The
endpoint only parses the request with `parse_params`, calls one of these and returns the dict as
JSON (or `ndjson_services` as a stream), answering 404 for None and 400 for a QueryError.

Everything here is public: HSDS carries organization and service data only (hsds.build).
"""

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jobhelp.directory import taxonomy
from jobhelp.directory.hsds import build
from jobhelp.directory.models import HoursException, Service, ServiceAtLocation, Taxonomy
from jobhelp.directory.models import TaxonomyTerm as TermRow
from jobhelp.organizations.models import Location, Organization

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# Exceptions to the hours published with a location: from yesterday to this far ahead.
EXCEPTIONS_AHEAD = timedelta(days=120)


class QueryError(ValueError):
    """A query parameter the API cannot use; the message says which and why."""


@dataclass(frozen=True)
class ListParams:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str = ""
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    modified_after: datetime | None = None
    minimal: bool = False
    full: bool = False
    full_service: bool = False
    parent_id: UUID | None = None
    top_only: bool = False


def _flag(value: str, name: str) -> bool:
    if value.lower() in ("", "false", "0"):
        return False
    if value.lower() in ("true", "1"):
        return True
    raise QueryError(_("%(name)s must be true or false.") % {"name": name})


def _number(value: str, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise QueryError(
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return number


def _id(value: str, name: str) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise QueryError(_("%(name)s must be a UUID.") % {"name": name}) from None


def parse_params(query: Mapping[str, str]) -> ListParams:
    """The HSDS list parameters from a request's query string; QueryError for a bad one."""
    get = lambda name: (query.get(name) or "").strip()  # noqa: E731
    modified_after = None
    if get("modified_after"):
        modified_after = parse_datetime(get("modified_after"))
        if modified_after is None or modified_after.tzinfo is None:
            raise QueryError(
                _("modified_after must be a date and time with its zone, such as %(example)s.")
                % {"example": "2026-05-04T12:00:00Z"}
            )
    return ListParams(
        page=_number(get("page") or "1", "page", 1, 10**6),
        per_page=_number(get("per_page") or str(DEFAULT_PER_PAGE), "per_page", 1, MAX_PER_PAGE),
        search=get("search")[:200],
        taxonomy_term_id=_id(get("taxonomy_term_id"), "taxonomy_term_id"),
        taxonomy_id=_id(get("taxonomy_id"), "taxonomy_id"),
        organization_id=_id(get("organization_id"), "organization_id"),
        modified_after=modified_after,
        minimal=_flag(get("minimal"), "minimal"),
        full=_flag(get("full"), "full"),
        full_service=_flag(get("full_service"), "full_service"),
        parent_id=_id(get("parent_id"), "parent_id"),
        top_only=_flag(get("top_only"), "top_only"),
    )


def paginate(items: QuerySet | Sequence, *, page: int, per_page: int, build_one: Callable):
    """An HSDS page: total_items, total_pages, page_number, size, first_page, last_page, empty
    and contents (a page past the end is empty, not an error)."""
    total = items.count() if isinstance(items, QuerySet) else len(items)
    start = (page - 1) * per_page
    contents = [build_one(item) for item in items[start : start + per_page]]
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def api_meta(*, profile: str, openapi_url: str) -> dict:
    """`GET /`: the HSDS version and where this API is described."""
    return {"version": build.VERSION, "profile": profile, "openapi_url": openapi_url}


# --- Querysets ----------------------------------------------------------------------------------


def _locations(queryset: QuerySet[Location], *, today) -> QuerySet[Location]:
    return queryset.select_related("organization").prefetch_related(
        "hours",
        Prefetch(
            "hours_exceptions",
            queryset=HoursException.objects.filter(
                on__range=(today - timedelta(days=1), today + EXCEPTIONS_AHEAD)
            ),
            to_attr="exceptions_in_view",
        ),
    )


def published_services(variant: str = build.FULL, *, today=None) -> QuerySet[Service]:
    """Every service (any status: HSDS says which), with what its variant needs prefetched:
    five queries for a full page, whatever its length, one for the others."""
    services = Service.objects.select_related("organization__parent").order_by("name", "pk")
    if variant != build.FULL:
        return services
    places = ServiceAtLocation.objects.filter(location__is_active=True).prefetch_related(
        "hours",
        Prefetch(
            "location",
            queryset=_locations(Location.objects.all(), today=today or timezone.localdate()),
        ),
    )
    return services.prefetch_related(
        Prefetch("places", queryset=places.select_related(None)),
        Prefetch("terms", queryset=TermRow.objects.select_related("taxonomy", "parent")),
    )


def _builtin_term_filter(term: taxonomy.Term) -> Q:
    if not term.value:
        # A group's own term ("need"): services with any term of the group.
        field = {taxonomy.NEED: "needs", taxonomy.ACCESS: "access"}.get(term.group)
        return ~Q(**{field: []}) if field else Q()
    if term.group == taxonomy.NEED:
        return Q(needs__icontains=f'"{term.value}"')
    if term.group == taxonomy.ACCESS:
        return Q(access__icontains=f'"{term.value}"')
    if term.group == taxonomy.TIER:
        return Q(organization__participation_tier=term.value)
    return Q(organization__kind=term.value)


def filter_services(services: QuerySet[Service], params: ListParams) -> QuerySet[Service]:
    """HSDS's filters: search (name or description), taxonomy_term_id (jobhelp's own terms
    too: a need, a way of access, the organization's tier or kind), taxonomy_id,
    organization_id, modified_after (on or after)."""
    if params.search:
        services = services.filter(
            Q(name__icontains=params.search) | Q(description__icontains=params.search)
        )
    if params.taxonomy_term_id:
        term = taxonomy.BY_UUID.get(params.taxonomy_term_id)
        services = services.filter(
            _builtin_term_filter(term) if term else Q(terms__uuid=params.taxonomy_term_id)
        )
    if params.taxonomy_id and params.taxonomy_id != taxonomy.TAXONOMY_ID:
        services = services.filter(terms__taxonomy__uuid=params.taxonomy_id)
    if params.organization_id:
        services = services.filter(organization__uuid=params.organization_id)
    if params.modified_after:
        services = services.filter(updated_at__gte=params.modified_after)
    return services.distinct() if params.taxonomy_term_id or params.taxonomy_id else services


def _variant(params: ListParams) -> str:
    return build.MINIMAL if params.minimal else build.FULL if params.full else build.LIST


# --- Endpoints ----------------------------------------------------------------------------------


def services_page(params: ListParams) -> dict:
    """`GET /services`."""
    variant = _variant(params)
    services = filter_services(published_services(variant), params)
    return paginate(
        services,
        page=params.page,
        per_page=params.per_page,
        build_one=lambda s: build.service_document(s, variant=variant),
    )


def _by_uuid(queryset: QuerySet, value):
    try:
        pk = value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None
    return queryset.filter(uuid=pk).first()


def service_document(service_id) -> dict | None:
    """`GET /services/{id}`: the fully nested service."""
    service = _by_uuid(published_services(), service_id)
    return build.service_document(service) if service else None


def ndjson_services(params: ListParams) -> Iterator[str]:
    """`GET /services?format=ndjson`: every matching service, fully nested, one JSON document
    a line, read in chunks (bounded memory)."""
    services = filter_services(published_services(), params)
    for service in services.iterator(chunk_size=200):
        yield json.dumps(build.service_document(service), ensure_ascii=False) + "\n"


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.select_related("parent").order_by("name", "pk")


def organizations_page(params: ListParams) -> dict:
    """`GET /organizations` (search, full)."""
    organizations = _organizations()
    if params.search:
        organizations = organizations.filter(
            Q(name__icontains=params.search) | Q(description__icontains=params.search)
        )
    return paginate(
        organizations,
        page=params.page,
        per_page=params.per_page,
        build_one=lambda o: build.organization_document(o, full=params.full),
    )


def organization_document(organization_id, *, full_service: bool = False) -> dict | None:
    """`GET /organizations/{id}`: the organization with its locations and its services (their
    one-to-one fields, or fully nested with `full_service`)."""
    organization = _by_uuid(_organizations(), organization_id)
    if organization is None:
        return None
    document = build.organization_document(organization, full=True)
    locations = _locations(
        organization.locations.filter(is_active=True).order_by("name", "pk"),
        today=timezone.localdate(),
    )
    document["locations"] = [build.location_document(location) for location in locations]
    variant = build.FULL if full_service else build.LIST
    document["services"] = [
        build.service_document(s, variant=variant)
        for s in published_services(variant).filter(organization=organization)
    ]
    return document


def _service_at_locations(*, full: bool) -> QuerySet[ServiceAtLocation]:
    places = ServiceAtLocation.objects.filter(location__is_active=True).select_related(
        "service__organization"
    )
    places = places.prefetch_related(
        "hours",
        Prefetch(
            "location",
            queryset=_locations(Location.objects.all(), today=timezone.localdate())
            if full
            else Location.objects.all(),
        ),
    )
    return places.order_by("service__name", "location__name", "pk")


def service_at_locations_page(params: ListParams) -> dict:
    """`GET /service_at_locations` (search, taxonomy_term_id, taxonomy_id, organization_id,
    modified_after of the service; full embeds the location)."""
    services = filter_services(Service.objects.all(), params)
    places = _service_at_locations(full=params.full).filter(service__in=services)
    return paginate(
        places,
        page=params.page,
        per_page=params.per_page,
        build_one=lambda at: build.service_at_location_document(at, full=params.full),
    )


def service_at_location_document(at_id) -> dict | None:
    """`GET /service_at_locations/{id}`, fully nested."""
    at = _by_uuid(_service_at_locations(full=True), at_id)
    return build.service_at_location_document(at, full=True) if at else None


def taxonomies_page(params: ListParams) -> dict:
    """`GET /taxonomies`: jobhelp's own, then the others by name."""
    rows = Taxonomy.objects.order_by("name", "pk")
    if params.search:
        rows = rows.filter(name__icontains=params.search)
    items = [None, *rows] if not params.search or params.search in taxonomy.NAME else list(rows)
    return paginate(
        items,
        page=params.page,
        per_page=params.per_page,
        build_one=lambda t: build.builtin_taxonomy() if t is None else build.taxonomy_document(t),
    )


def taxonomy_document(taxonomy_id) -> dict | None:
    """`GET /taxonomies/{id}`."""
    if str(taxonomy_id) == str(taxonomy.TAXONOMY_ID):
        return build.builtin_taxonomy()
    row = _by_uuid(Taxonomy.objects.all(), taxonomy_id)
    return build.taxonomy_document(row) if row else None


def _terms() -> QuerySet[TermRow]:
    return TermRow.objects.select_related("taxonomy", "parent").order_by("name", "pk")


def taxonomy_terms_page(params: ListParams) -> dict:
    """`GET /taxonomy_terms` (search, taxonomy_id, parent_id, top_only): jobhelp's own terms,
    then the others."""
    builtin = list(taxonomy.TERMS)
    rows = _terms()
    if params.taxonomy_id:
        builtin = builtin if params.taxonomy_id == taxonomy.TAXONOMY_ID else []
        rows = rows.filter(taxonomy__uuid=params.taxonomy_id)
    if params.parent_id:
        builtin = [t for t in builtin if t.parent_uuid == params.parent_id]
        rows = rows.filter(parent__uuid=params.parent_id)
    if params.top_only:
        builtin = [t for t in builtin if t.parent_uuid is None]
        rows = rows.filter(parent__isnull=True)
    if params.search:
        words = params.search.lower()
        builtin = [t for t in builtin if words in build._en(t.name).lower()]
        rows = rows.filter(name__icontains=params.search)
    return paginate(
        [*builtin, *rows],
        page=params.page,
        per_page=params.per_page,
        build_one=lambda t: (
            build.builtin_term(t) if isinstance(t, taxonomy.Term) else build.term_document(t)
        ),
    )


def taxonomy_term_document(term_id) -> dict | None:
    """`GET /taxonomy_terms/{id}`."""
    try:
        pk = UUID(str(term_id))
    except ValueError:
        return None
    if pk in taxonomy.BY_UUID:
        return build.builtin_term(taxonomy.BY_UUID[pk], detail=True)
    row = _terms().filter(uuid=pk).first()
    return build.term_document(row, detail=True) if row else None
