"""State changes of help requests. Each function validates, writes, audits and notifies."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jobhelp.accounts.tenancy import tree
from jobhelp.core import audit
from jobhelp.core.enums import Need
from jobhelp.core.references import (  # noqa: F401 - kept importable from here
    REFERENCE_ALPHABET,
    new_reference,
    normalize_reference,
)
from jobhelp.intake.enums import OPEN_STATES, IntakeChannel
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNeed, RequestNote
from jobhelp.intake.patrons import message_patron
from jobhelp.intake.triage import auto_route
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.organizations.models import Location, Organization


@dataclass(frozen=True, kw_only=True)
class RequestDetails:
    name: str
    phone: str
    email: str
    preferred_contact: str
    best_time: str
    voicemail_ok: bool
    needs: list[str]
    language: str
    preferred_location: Location | None
    modality: str
    note: str


def submit_request(
    *,
    organization: Organization,
    details: RequestDetails,
    channel: IntakeChannel,
    taken_by=None,
) -> HelpRequest:
    """Record a new help request.

    A request that names a library goes to the organization that runs it; otherwise to
    `organization`. An open request from the same phone or email is pointed to, not merged.
    Side effects: audit entries ``jobhelp.request.created`` (and
    ``jobhelp.request.duplicate_flagged``); a confirmation with the reference code by email, or
    by text for a patron who chose texts and gave no email (see patron_address); assignment at
    once when a routing rule says so.
    """
    if details.preferred_location is not None:
        organization = details.preferred_location.organization
    needs = sorted(set(details.needs))
    with transaction.atomic():
        help_request = _create_with_fresh_reference(
            organization=organization,
            possible_duplicate_of=_open_request_from_same_person(organization, details),
            name=details.name,
            phone=details.phone,
            email=details.email,
            preferred_contact=details.preferred_contact,
            best_time=details.best_time,
            voicemail_ok=details.voicemail_ok,
            language=details.language,
            preferred_location=details.preferred_location,
            modality=details.modality,
            note=details.note,
            channel=channel,
            taken_by=taken_by,
            consent_at=timezone.now(),
        )
        RequestNeed.objects.bulk_create(RequestNeed(request=help_request, need=n) for n in needs)
        audit.record(
            "jobhelp.request.created",
            actor=taken_by,
            organization=organization,
            obj=help_request,
            data={"channel": channel, "needs": needs, "language": details.language},
        )
        if help_request.possible_duplicate_of_id:
            audit.record(
                "jobhelp.request.duplicate_flagged",
                organization=organization,
                obj=help_request,
                data={"of": help_request.possible_duplicate_of_id},
            )
        message_patron(
            help_request,
            template="request_received",
            context={"request": help_request, "needs": [Need(n).label for n in needs]},
            organization=organization,
        )
        help_request = auto_route(help_request) or help_request
    return help_request


def _open_request_from_same_person(organization, details: RequestDetails) -> HelpRequest | None:
    """An open request with the same phone or email in the same library system or center.
    It is only pointed out to staff, never merged: two people may share a phone."""
    same_person = Q()
    if details.phone:
        same_person |= Q(phone=details.phone)
    if details.email:
        same_person |= Q(email=details.email)
    return (
        HelpRequest.objects.filter(same_person, state__in=OPEN_STATES)
        .filter(tree(organization.root_id, via="organization"))
        .order_by("created_at", "pk")
        .first()
    )


def _create_with_fresh_reference(**fields) -> HelpRequest:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return HelpRequest.objects.create(reference=new_reference(), **fields)
        except IntegrityError:
            # A reference collision (about one in a billion per pair): draw another.
            continue
    raise RuntimeError("could not draw a free reference code")


def erase_expired_requests(*, now=None) -> int:
    """Erase the personal details of requests finished longer ago than RETENTION["requests"]
    (the periodic job intake.request_eraser, daily).

    Codes and counts stay for reports; names, contact details, the patron's note, staff notes
    and notes on calls go, and so do the addresses and subjects of the messages about the
    request (notifications.outbox.erase_messages_about). Side effects: one audit entry
    ``jobhelp.request.erased`` per request. Returns how many requests were erased.
    """
    now = now or timezone.now()
    cutoff = now - settings.RETENTION["requests"]
    erased = 0
    expired = HelpRequest.objects.filter(finished_at__lt=cutoff, erased_at__isnull=True)
    for help_request in expired.select_related("organization").iterator(chunk_size=500):
        with transaction.atomic():
            updated = HelpRequest.objects.filter(pk=help_request.pk, erased_at__isnull=True).update(
                name="", phone="", email="", note="", erased_at=now
            )
            if not updated:
                continue
            erase_messages_about(HelpRequest, [help_request.pk])
            RequestNote.objects.filter(request=help_request).update(text="")
            ContactAttempt.objects.filter(request=help_request).update(note="")
            audit.record(
                "jobhelp.request.erased", organization=help_request.organization, obj=help_request
            )
            erased += 1
    return erased
