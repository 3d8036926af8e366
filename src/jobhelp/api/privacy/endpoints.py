"""A person's data through the API, for token holders with a privacy role only, with the rules
and audit of the staff privacy pages (privacy.domain, docs/privacy.md): find everything held
about one patron by a request's reference code, a phone number or an email address; export it
as JSON (audited); erase it (audited, after `confirm`). Every call is a POST, so nothing that
identifies the patron travels in an address; every answer is sent with Cache-Control: no-store
(the middleware). Someone without a privacy role gets a 403; a lookup that is not a code, a
phone or an email, or an erasure without `confirm`, a 422 with nothing written; another
organization's records are never found."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from jobhelp.accounts.tenancy import roles_of
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut
from jobhelp.api.privacy.schemas import ErasedOut, EraseIn, PersonIn, PersonOut
from jobhelp.core import privacy
from jobhelp.privacy.domain import collect_person, erase_person, export_person, find_person
from jobhelp.privacy.forms import EraseForm, PersonLookupForm
from jobhelp.privacy.rules import handles_privacy_among

router = Router(tags=["privacy"])


def _refused(request) -> Status | None:
    if not handles_privacy_among(roles_of(request.user)):
        return Status(403, {"detail": _("Only staff with a privacy role can do this.")})
    return None


def _lookup(body: PersonIn) -> PersonLookupForm:
    return PersonLookupForm({"q": body.q})


@router.post("/privacy/find", response={200: PersonOut, 403: ErrorOut, 422: ErrorOut})
def find(request, body: PersonIn):
    """Everything held about the person, provider by provider, as the staff page shows it.
    Reading it is not audited (the staff page's search is not either); exporting is."""
    if refused := _refused(request):
        return refused
    form = _lookup(body)
    if not form.is_valid():
        return invalid(form)
    person = find_person(request.user, form.lookup)
    return {
        "identifiers": {"phones": sorted(person.phones), "emails": sorted(person.emails)},
        "sections": [
            {"name": s.name, "label": str(s.label), "records": s.records}
            for s in collect_person(request.user, person)
        ],
    }


@router.post("/privacy/export", response={200: dict, 403: ErrorOut, 422: ErrorOut})
def export(request, body: PersonIn):
    """The JSON document of the staff page's download, as the body. Audited
    ``jobhelp.person.exported`` with the number of records of each kind."""
    if refused := _refused(request):
        return refused
    form = _lookup(body)
    if not form.is_valid():
        return invalid(form)
    now = timezone.now()
    document = export_person(request.user, find_person(request.user, form.lookup), now=now)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{now:%Y%m%d-%H%M%S}.json"'
    return response


@router.post("/privacy/erase", response={200: ErasedOut, 403: ErrorOut, 422: ErrorOut})
def erase(request, body: EraseIn):
    """Cancel what is still to come for the person, then erase every personal detail, as the
    staff page does (privacy.domain.erase_person); audited ``jobhelp.person.erased`` with the
    counts. Without `confirm` nothing is erased (422)."""
    if refused := _refused(request):
        return refused
    form = EraseForm({"q": body.q, "confirm": "on" if body.confirm else ""})
    if not form.is_valid():
        return invalid(form)
    counts = erase_person(request.user, find_person(request.user, form.lookup))
    names = [p.name.replace(".", "_") for p in privacy.registry.all()]
    cancelled = [p.name.replace(".", "_") for p in privacy.registry.cancellers()]
    return {
        "erased": {name: counts[name] for name in names},
        "cancelled": {name: counts[f"{name}_cancelled"] for name in cancelled},
    }
