"""A person's data, for staff with a privacy role: find everything held about one patron by a
request's reference code, a phone number or an email address; export it as JSON; erase it
(privacy.domain). Every step is a POST, so nothing that identifies the patron travels in an
address (server logs, history); every answer is sent with Cache-Control: no-store."""

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.core import privacy
from jobhelp.privacy.domain import (
    accesses_for_person,
    collect_person,
    erase_person,
    export_person,
    find_person,
)
from jobhelp.privacy.forms import EraseForm, PersonLookupForm
from jobhelp.privacy.rules import handles_privacy_among
from jobhelp.staff.common.decorators import staff_member_required


def _door(request: HttpRequest) -> None:
    if not handles_privacy_among(request.staff_roles):
        raise PermissionDenied


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def _person_page(request, form, *, erase_form=None, status=200) -> HttpResponse:
    person = find_person(request.user, form.lookup)
    sections = [
        {
            "name": s.name,
            "label": s.label,
            "records": [[(k, _shown(v)) for k, v in r.items()] for r in s.records],
        }
        for s in collect_person(request.user, person)
    ]
    context = {
        "form": form,
        "q": form.cleaned_data["q"],
        "erase_form": erase_form or EraseForm(initial={"q": form.cleaned_data["q"]}),
        "sections": sections,
        "total": sum(len(s["records"]) for s in sections),
        "accesses": accesses_for_person(request.user, person),
    }
    return _no_store(render(request, "staff/privacy/person.html", context, status=status))


@staff_member_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    _door(request)
    form = PersonLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _person_page(request, form)
    return _no_store(render(request, "staff/privacy/search.html", {"form": form}))


@staff_member_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    _door(request)
    form = PersonLookupForm(request.POST)
    if not form.is_valid():
        return _no_store(render(request, "staff/privacy/search.html", {"form": form}, status=400))
    now = timezone.now()
    body = export_person(request.user, find_person(request.user, form.lookup), now=now)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{now:%Y%m%d-%H%M%S}.json"'
    return _no_store(response)


@staff_member_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    _door(request)
    form = EraseForm(request.POST)
    if not form.is_valid():
        if "q" in form.errors:
            return _no_store(
                render(request, "staff/privacy/search.html", {"form": form}, status=400)
            )
        # The confirmation was missing: the person's page again, with the error by the box.
        return _person_page(request, form, erase_form=form, status=400)
    counts = erase_person(request.user, find_person(request.user, form.lookup))
    labelled = [(s.label, counts[s.name.replace(".", "_")]) for s in privacy.registry.all()]
    cancelled = [
        (s.label, counts[f"{s.name.replace('.', '_')}_cancelled"])
        for s in privacy.registry.cancellers()
    ]
    return _no_store(
        render(request, "staff/privacy/erased.html", {"counts": labelled, "cancelled": cancelled})
    )
