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


def _days(kind: str) -> int:
    return settings.RETENTION[kind].days


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, with the periods this installation keeps each kind of data for, read
    from settings.RETENTION so that the notice says what the periodic erasers do."""
    periods = [
        (_("Your name, contact details and note, after your request is finished"), "requests"),
        (_("Staff's private notes and follow-up notes, and your survey comment"), "notes"),
        (_("Your class registration's name and contact details, after the class"), "registrations"),
        (_("The private link to your class registration, after the class"), "links"),
        (_("Who our messages went to and their subject, after they were sent"), "messages"),
        (
            _("Details you agreed to share with a partner, after the referral is closed"),
            "referrals",
        ),
    ]
    return render(
        request,
        "public/home/privacy.html",
        {"periods": [(label, _days(kind)) for label, kind in periods]},
    )


def health(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(_("Database unavailable"), status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")
