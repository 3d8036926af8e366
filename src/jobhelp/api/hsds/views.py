"""The HSDS 3.0 API at /api/hsds/ (Open Referral's Human Services Data API): the directory
published for partners' systems and anyone else, read-only and without a token. Each view
parses the query string (`hsds.api.parse_params`), calls one function of directory.hsds and
returns its dict as JSON: 400 with the message for a parameter it cannot use, 404 for an
unknown id. Only organization and service data are published (directory.hsds.build).

`/services?format=ndjson` streams every matching service, one a line; `/package.zip` is the
downloadable HSDS data package (directory.hsds.export).
"""

import json
import tempfile
from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from jobhelp.directory.hsds import api
from jobhelp.directory.hsds.export import write_package

PROFILE = "https://docs.openreferral.org/en/v3.0/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
NDJSON = "application/x-ndjson"


def _json(document, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False),
        content_type="application/json",
        status=status,
    )
    # Public data, read by partners' systems from their own sites.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(message: str, status: int) -> HttpResponse:
    return _json({"detail": message}, status=status)


def _page(request: HttpRequest, build: Callable[[api.ListParams], dict]) -> HttpResponse:
    try:
        params = api.parse_params(request.GET)
    except api.QueryError as problem:
        return _problem(str(problem), 400)
    return _json(build(params))


def _one(document: dict | None) -> HttpResponse:
    if document is None:
        return _problem(_("Not found."), 404)
    return _json(document)


@require_safe
def meta(request: HttpRequest) -> HttpResponse:
    return _json(api.api_meta(profile=PROFILE, openapi_url=OPENAPI_URL))


@require_safe
def services(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") != "ndjson":
        return _page(request, api.services_page)
    try:
        params = api.parse_params(request.GET)
    except api.QueryError as problem:
        return _problem(str(problem), 400)
    response = StreamingHttpResponse(api.ndjson_services(params), content_type=NDJSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def service(request: HttpRequest, service_id) -> HttpResponse:
    return _one(api.service_document(service_id))


@require_safe
def organizations(request: HttpRequest) -> HttpResponse:
    return _page(request, api.organizations_page)


@require_safe
def organization(request: HttpRequest, organization_id) -> HttpResponse:
    try:
        params = api.parse_params(request.GET)
    except api.QueryError as problem:
        return _problem(str(problem), 400)
    return _one(api.organization_document(organization_id, full_service=params.full_service))


@require_safe
def service_at_locations(request: HttpRequest) -> HttpResponse:
    return _page(request, api.service_at_locations_page)


@require_safe
def service_at_location(request: HttpRequest, at_id) -> HttpResponse:
    return _one(api.service_at_location_document(at_id))


@require_safe
def taxonomies(request: HttpRequest) -> HttpResponse:
    return _page(request, api.taxonomies_page)


@require_safe
def taxonomy(request: HttpRequest, taxonomy_id) -> HttpResponse:
    return _one(api.taxonomy_document(taxonomy_id))


@require_safe
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    return _page(request, api.taxonomy_terms_page)


@require_safe
def taxonomy_term(request: HttpRequest, term_id) -> HttpResponse:
    return _one(api.taxonomy_term_document(term_id))


@require_safe
def package(request: HttpRequest) -> HttpResponse:
    """The HSDS data package as a ZIP, written to a temporary file as the documents are read
    (bounded memory), then sent."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_package(target)
    target.seek(0)
    day = timezone.localdate().isoformat()
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"hsds-directory-{day}.zip",
        content_type="application/zip",
    )
