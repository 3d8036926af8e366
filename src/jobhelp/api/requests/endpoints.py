"""Help requests: listing, reading and taking them. Triage is in api/triage."""

from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.lookups import request_or_404
from jobhelp.api.common.schemas import ErrorOut, RequestOut
from jobhelp.api.requests.schemas import RequestFilters, RequestIn
from jobhelp.intake.domain import submit_request
from jobhelp.intake.forms import StaffHelpRequestForm
from jobhelp.intake.queries import requests_for_user
from jobhelp.organizations.models import Location
from jobhelp.privacy.domain import record_access

router = Router(tags=["requests"])


@router.get("/requests", response=list[RequestOut])
@paginate(PageNumberPagination, page_size=50)
def list_requests(request, filters: Query[RequestFilters]):
    """Requests addressed to your organizations, newest first."""
    requests = requests_for_user(request.user).order_by("-created_at", "-pk")
    if filters.state:
        requests = requests.filter(state=filters.state)
    if filters.need:
        requests = requests.filter(needs__need=filters.need)
    if filters.language:
        requests = requests.filter(language=filters.language)
    if filters.channel:
        requests = requests.filter(channel=filters.channel)
    if filters.organization_id:
        requests = requests.filter(organization_id=filters.organization_id)
    return requests


@router.get("/requests/{reference}", response={200: RequestOut, 404: ErrorOut})
def get_request(request, reference: str):
    """One request with the patron's details; who read it, and when, is recorded (docs/privacy.md,
    "Who looked")."""
    help_request = request_or_404(request.user, reference)
    record_access(help_request, by=request.user)
    return help_request


@router.post("/requests", response={201: RequestOut, 422: ErrorOut})
def create_request(request, payload: RequestIn):
    """Take a request for a caller. Validated by the same rules as the staff form."""
    organizations = organizations_for(request.user).order_by("name")
    locations = Location.objects.filter(organization__in=organizations, is_active=True)
    data = payload.dict()
    if data["organization_id"] is None and len(organizations) == 1:
        data["organization_id"] = organizations[0].pk
    form = StaffHelpRequestForm(
        {
            **{
                k: v
                for k, v in data.items()
                if k
                not in {
                    "organization_id",
                    "preferred_location_id",
                    "needs",
                    "voicemail_ok",
                    "consent",
                }
            },
            "organization": data["organization_id"] or "",
            "preferred_location": data["preferred_location_id"] or "",
            "needs": [str(n) for n in data["needs"]],
            **({"voicemail_ok": "on"} if data["voicemail_ok"] else {}),
            **({"consent": "on"} if data["consent"] else {}),
        },
        organizations=organizations,
        locations=locations,
    )
    if not form.is_valid():
        return invalid(form)
    help_request = submit_request(
        organization=form.cleaned_data["organization"],
        details=form.details(),
        channel=form.cleaned_data["channel"],
        taken_by=request.user,
    )
    return Status(201, requests_for_user(request.user).get(pk=help_request.pk))
