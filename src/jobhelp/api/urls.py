from ninja import NinjaAPI

from jobhelp.api import requests, triage
from jobhelp.api.auth import StaffToken
from jobhelp.api.schemas import person
from jobhelp.intake.triage import AlreadyTaken, TriageError

api = NinjaAPI(
    title="jobhelp API",
    version="1",
    description="Help requests of the organizations the token's owner works for.",
    auth=StaffToken(),
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("", requests.router)
api.add_router("", triage.router)


@api.exception_handler(TriageError)
def triage_refused(request, error: TriageError):
    """A move the domain refused, with its message; nothing was changed. When someone else
    changed the assignment first, the answer also says who has the request now."""
    body = {"detail": str(error)}
    if isinstance(error, AlreadyTaken):
        body["assigned_to"] = person(error.assigned_to)
    return api.create_response(request, body, status=409)
