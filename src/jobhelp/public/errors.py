"""Friendly error pages in the visitor's language. The 500 page renders without context
processors or the database, since either may be what failed."""

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


def server_error(request):
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())


def service_unavailable() -> HttpResponse:
    """The 503 page: plain HTML in both languages, rendered without the database."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """A page whose database connection failed (the server restarting, the network gone) gets
    the 503 page instead of the 500: the transaction was rolled back, so nothing was
    half-written, and trying again shortly works."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return service_unavailable()
        return None


def csrf_failure(request, reason=""):
    return HttpResponse(
        loader.render_to_string("errors/403_csrf.html", request=request), status=403
    )
