"""Friendly error pages in the visitor's language. The 500 and 503 pages render without
context processors or the database, since either may be what failed."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from jobhelp.core import security


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # A signed-in person asked for something their scoped query did not find: another
        # organization's object, or a guess.
        security.event("not_found.scoped", request=request)
    return render(request, "errors/404.html", status=404)


# Seconds a browser or a client of the API is asked to wait before trying again.
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """Django calls this inside its handling of the exception, wherever it was raised (a view,
    a middleware, a template). The database being away (restarted, failed over, out of
    connections) is a 503 the client may retry, not a bug: the page says so, and the next
    request opens a fresh connection (CONN_HEALTH_CHECKS), so service comes back by itself."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return service_unavailable(request)
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())


def service_unavailable(request):
    template = loader.get_template("errors/503.html")
    response = HttpResponse(template.render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason=""):
    return HttpResponse(
        loader.render_to_string("errors/403_csrf.html", request=request), status=403
    )
