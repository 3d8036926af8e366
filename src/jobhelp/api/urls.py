from django.utils.translation import gettext as _
from ninja import NinjaAPI

import jobhelp.api.classes as classes
import jobhelp.api.classes_staff as classes_staff
import jobhelp.api.reports as reports
from jobhelp.api import requests, scheduling, triage
from jobhelp.api.auth import StaffToken
from jobhelp.api.schemas import person
from jobhelp.intake.triage import AlreadyTaken, TriageError
from jobhelp.scheduling.domain import BookingError

api = NinjaAPI(
    title="jobhelp API",
    version="1",
    description="Help requests of the organizations the token's owner works for, and their "
    "appointments.",
    auth=StaffToken(),
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("", requests.router)
api.add_router("", triage.router)
api.add_router("", scheduling.router)
api.add_router("", classes.router)
api.add_router("", classes_staff.router)
api.add_router("", reports.router)


@api.exception_handler(TriageError)
def triage_refused(request, error: TriageError):
    """A move the domain refused, with its message; nothing was changed. When someone else
    changed the assignment first, the answer also says who has the request now."""
    body = {"detail": str(error)}
    if isinstance(error, AlreadyTaken):
        body["assigned_to"] = person(error.assigned_to)
    return api.create_response(request, body, status=409)


@api.exception_handler(BookingError)
def booking_refused(request, error: BookingError):
    """A booking, cancellation or mark the domain refused, with its message; nothing was
    changed. (A time just taken is answered in api/scheduling.py, with the next free times.)"""
    return api.create_response(request, {"detail": str(error)}, status=409)


@api.exception_handler(scheduling.InvalidInput)
def invalid_input(request, error: scheduling.InvalidInput):
    """Well-formed input that cannot be used, with a message per field; nothing was changed."""
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": error.errors}, status=422
    )
