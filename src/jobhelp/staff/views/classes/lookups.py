"""Finding a class, a session or a registration the person may work on; the address of a
session's page."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from jobhelp.workshops.models import Registration, Workshop, WorkshopSession
from jobhelp.workshops.queries import session_for_user, workshops_for_user


def workshop_or_404(user, pk: int) -> Workshop:
    return get_object_or_404(workshops_for_user(user), pk=pk)


def session_or_404(user, pk: int) -> WorkshopSession:
    session = session_for_user(user, pk)
    if session is None:
        raise Http404
    return session


def registration_or_404(session: WorkshopSession, registration_pk: int) -> Registration:
    return get_object_or_404(Registration.objects.filter(session=session), pk=registration_pk)


def roster_url(session, anchor: str = "") -> str:
    url = reverse("staff:classes:session", args=[session.pk])
    return f"{url}#{anchor}" if anchor else url
