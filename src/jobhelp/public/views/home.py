"""The home page, the privacy notice and the health check."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobhelp.organizations.queries import front_doors, public_organization


def home(request: HttpRequest) -> HttpResponse:
    organization = public_organization(settings.PUBLIC_ORGANIZATION_SLUG)
    doors = front_doors()
    return render(
        request,
        "public/home/index.html",
        # Each partner is itself: when the library and a job center both take requests here,
        # the home page links each one's own form, under its own name.
        {"organization": organization, "doors": doors if len(doors) > 1 else []},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home/privacy.html")


def health(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(_("Database unavailable"), status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")
