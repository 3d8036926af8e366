"""The home page, the privacy notice and the health check."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobhelp.organizations.queries import public_organization


def home(request: HttpRequest) -> HttpResponse:
    organization = public_organization(settings.PUBLIC_ORGANIZATION_SLUG)
    return render(request, "public/home/index.html", {"organization": organization})


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
