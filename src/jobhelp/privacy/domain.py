"""A person's data across the apps (core.privacy's registry): finding it, exporting it and
erasing it, for staff with a privacy role; and recording who opened a request's details."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobhelp.core import audit, privacy
from jobhelp.core.privacy import Person, Record
from jobhelp.intake.models import HelpRequest
from jobhelp.privacy.models import RequestAccess
from jobhelp.privacy.rules import privacy_organizations, sees_accesses


class PrivacyRefused(Exception):
    """The person holds no privacy role: the pages answer 403."""


@dataclass(frozen=True, kw_only=True)
class Lookup:
    """What staff typed, parsed: one of a request's reference code, a phone (E.164) or an email
    address (lower case)."""

    reference: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    records: list[Record]


def _scope(user):
    organizations = privacy_organizations(user)
    if not organizations.exists():
        raise PrivacyRefused
    return organizations


def find_person(user, lookup: Lookup) -> Person:
    """Who `lookup` points at, among the requests of the organizations `user` handles privacy
    for: the phones and emails typed or found on the request with that code, and every request
    with one of them (one step: the contact details of those requests are added, so a request
    found by phone brings its email along). Raises PrivacyRefused without a privacy role."""
    organizations = _scope(user)
    phones = {lookup.phone} - {""}
    emails = {lookup.email} - {""}
    scoped = HelpRequest.objects.filter(organization__in=organizations)
    seeds = []
    if lookup.reference:
        seeds = list(scoped.filter(reference=lookup.reference).values("pk", "phone", "email"))
    else:
        seeds = list(
            scoped.filter(
                Person(phones=frozenset(phones), emails=frozenset(emails)).contact_q()
            ).values("pk", "phone", "email")
        )
    phones |= {s["phone"] for s in seeds if s["phone"]}
    emails |= {s["email"].lower() for s in seeds if s["email"]}
    person = Person(phones=frozenset(phones), emails=frozenset(emails))
    ids = {s["pk"] for s in seeds} | set(
        scoped.filter(person.contact_q()).values_list("pk", flat=True)
    )
    return Person(phones=person.phones, emails=person.emails, request_ids=frozenset(ids))


def collect_person(user, person: Person) -> list[Section]:
    """Everything each app holds about `person` in the user's organizations, app by app (empty
    sections included, so the page says where nothing was found)."""
    organizations = _scope(user)
    return [
        Section(p.name, str(p.label), p.collect(person, organizations=organizations))
        for p in privacy.registry.all()
    ]


def export_person(user, person: Person, *, now: datetime | None = None) -> bytes:
    """The JSON document of everything held about `person`, for the person who asked.
    Side effect: audit ``jobhelp.person.exported`` with the number of records of each kind
    (nothing that identifies the person)."""
    now = now or timezone.now()
    sections = collect_person(user, person)
    document = {
        "exported_at": privacy.value(now),
        "identifiers": {"phones": sorted(person.phones), "emails": sorted(person.emails)},
        "records": {s.name: s.records for s in sections},
    }
    with transaction.atomic():
        audit.record(
            "jobhelp.person.exported",
            actor=user,
            data={s.name.replace(".", "_"): len(s.records) for s in sections},
        )
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def erase_person(user, person: Person, *, now: datetime | None = None) -> dict[str, int]:
    """Erase every personal detail held about `person` in the organizations `user` handles
    privacy for, in one transaction. First, providers with a `cancel` step end what is still
    open (future appointments, class registrations, referrals waiting for an answer, messages
    not sent), each through its app's domain function and audited as `user`, with no message
    to the person. Then each registered provider empties its own tables (requests'
    names, contact details and notes; private and follow-up notes; survey comments; class
    registrations; referrals' consented details and notes; the outbox's addresses, texts and
    calendar attachments) and turns off the secret links; the rows stay, so reports still
    count them. Side effect: audit ``jobhelp.person.erased`` with the number of records of each
    kind. Returns those numbers (records found and emptied, by kind). Running it again changes
    nothing more."""
    now = now or timezone.now()
    organizations = _scope(user)
    with transaction.atomic():
        # First what is still going on ends, through each app's domain functions, without a
        # word to the person: future appointments (their time freed), class seats, referrals
        # waiting for an answer, then (the outbox last) every message not sent yet.
        cancelled = {
            f"{p.name.replace('.', '_')}_cancelled": p.cancel(
                person, organizations=organizations, by=user, now=now
            )
            for p in privacy.registry.cancellers()
        }
        # The last registered first: the outbox still finds the messages by their addresses
        # before the requests' erasure empties the messages about them.
        counts = {
            p.name.replace(".", "_"): p.erase(person, organizations=organizations, now=now)
            for p in reversed(privacy.registry.all())
        }
        counts |= cancelled
        audit.record("jobhelp.person.erased", actor=user, data=counts)
    return counts


def record_access(help_request: HelpRequest, *, by) -> RequestAccess:
    """`by` opened the personal details of `help_request` (its staff page). Writes one
    RequestAccess row; no audit entry, since the row is itself the record."""
    return RequestAccess.objects.create(
        request=help_request, organization_id=help_request.organization_id, by=by
    )


def accesses_for(user, help_request: HelpRequest, *, limit: int = 50):
    """Who opened `help_request`, newest first, for privacy staff of its organization; None for
    anyone else (the page then shows nothing)."""
    if not sees_accesses(user, help_request):
        return None
    return list(
        RequestAccess.objects.filter(request=help_request)
        .select_related("by")
        .order_by("-at", "-pk")[:limit]
    )


def accesses_for_person(user, person: Person, *, limit: int = 200):
    """Who opened any of `person`'s requests, newest first (the person's page)."""
    organizations = _scope(user)
    return list(
        RequestAccess.objects.filter(
            Q(request_id__in=sorted(person.request_ids)), organization__in=organizations
        )
        .select_related("by", "request")
        .order_by("-at", "-pk")[:limit]
    )
