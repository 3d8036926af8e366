"""Deny by default: every URL the project serves is either on the public list below, or answers
an anonymous visitor with a redirect to a login page (the API: 401). A new route that is in
neither group fails here, so nobody adds a page or an endpoint without deciding who may use it.
The role x view matrix (tests/test_role_matrix.py) then says what each kind of person gets."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Routes anyone may open, as the resolver spells them. Secret-link pages are public: the link
# is the key (core.links), and unknown links are 404 and rate-limited.
PUBLIC = {
    "",
    "help/",
    "help/received/",
    "help/<slug:slug>/",
    "privacy/",
    "health/",
    "i18n/setlang/",
    "survey/<str:token>/",
    "appointments/",
    "appointments/<str:token>/",
    "appointments/<str:token>/cancel/",
    "appointments/<str:token>/reschedule/",
    "appointments/<str:token>/book/",
    "classes/",
    "classes/calendar.ics",
    "classes/<int:pk>/",
    "classes/<slug:organization>/calendar.ics",
    "classes/registration/<str:token>/",
    "classes/registration/<str:token>/accept/",
    "classes/registration/<str:token>/leave/",
    "classes/registration/<str:token>/calendar.ics",
    # The patron's consent to share details with a partner (referrals.consent).
    "referrals/consent/<str:token>/",
    "referrals/consent/<str:token>/confirm/",
    "referrals/consent/<str:token>/withdraw/",
    # The directory, the public computers page and a kiosk's page (its secret is the key).
    "directory/",
    "directory/<uuid:service_id>/",
    "computers/",
    "computers/<uuid:location_id>/kiosk/<str:token>/",
    # The HSDS API: the published directory, read by anyone.
    "api/hsds/",
    "api/hsds/services",
    "api/hsds/services/<str:service_id>",
    "api/hsds/organizations",
    "api/hsds/organizations/<str:organization_id>",
    "api/hsds/service_at_locations",
    "api/hsds/service_at_locations/<str:at_id>",
    "api/hsds/taxonomies",
    "api/hsds/taxonomies/<str:taxonomy_id>",
    "api/hsds/taxonomy_terms",
    "api/hsds/taxonomy_terms/<str:term_id>",
    "api/hsds/package.zip",
    "staff/login/",
    "staff/logout/",
    # A helper's calendar feed, read by calendar programs: the secret address is the key.
    "staff/calendar/feed/<str:token>.ics",
    "admin/login/",
    "admin/logout/",
    # The API's description, and the public class calendar and sign-up (auth=None).
    "api/v1/",
    "api/v1/openapi.json",
    "api/v1/classes/sessions",
    "api/v1/classes/sessions/<session_id>/registrations",
}

SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def concrete(route: str) -> str:
    """A path the route matches, with a sample value for each part (a regex route as it is)."""
    if route.startswith("^"):
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)


def _is_login_redirect(response, route: str) -> bool:
    if response.status_code != 302:
        return False
    target = response["Location"]
    login = "/admin/login/" if route.startswith("admin/") else "/staff/login/"
    return target.startswith(login)


def test_every_route_is_public_or_needs_a_login(client):
    wrong = []
    for route in all_routes():
        if route in PUBLIC:
            continue
        path = concrete(route)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if route.startswith("api/"):
                ok = response.status_code in (401, 405)
            else:
                ok = _is_login_redirect(response, route)
            if not ok:
                wrong.append((route, method, response.status_code))
    assert wrong == []


def test_the_public_list_names_only_routes_that_exist():
    assert PUBLIC - set(all_routes()) == set()


def test_the_walk_finds_the_whole_site():
    routes = all_routes()
    # Sanity: the walk reaches into the staff pages, the API and the admin.
    assert {"staff/queue/", "api/v1/requests", "admin/"} <= set(routes)
