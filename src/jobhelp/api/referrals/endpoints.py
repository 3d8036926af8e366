"""Referrals: the receiving organization's queue and what its organizations sent, sending one,
answering it, moving it along, and the patron's consent. Staff token required.

Every input goes through the staff pages' forms (referrals.forms) and every change through the
same domain function (referrals.domain, referrals.consent), which checks referrals.rules: a
referral of another organization is a 404, a move the domain refuses (someone else was first,
a partner outside the agreements) a 409, input the forms refuse a 422. What the answer shows
of the person is referrals.sharing's alone.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.lookups import request_or_404
from jobhelp.api.common.schemas import ErrorOut
from jobhelp.api.referrals.schemas import (
    AcceptIn,
    ConsentIn,
    ConsentRecordedOut,
    DeclineIn,
    ReferralFilters,
    ReferralIn,
    ReferralOut,
    TransitionIn,
)
from jobhelp.directory.models import Service
from jobhelp.referrals import domain
from jobhelp.referrals.consent import record_consent, withdraw_consent
from jobhelp.referrals.documents import referral_document
from jobhelp.referrals.enums import ConsentStatus
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import (
    AcceptForm,
    CompleteForm,
    ConsentForm,
    DeclineForm,
    NoteForm,
    SendReferralForm,
)
from jobhelp.referrals.models import Referral
from jobhelp.referrals.queries import (
    filter_received,
    find_referral_for_user,
    received_for_user,
    sent_for_user,
    services_to_refer_to,
)
from jobhelp.referrals.sharing import prefetch_live_consents, shared_details

router = Router(tags=["referrals"])

REFUSED = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _out(referral: Referral, *, now, is_sender: bool, is_receiver: bool) -> dict:
    side = "both" if is_sender and is_receiver else "sender" if is_sender else "receiver"
    return {
        **referral_document(referral, shared=shared_details(referral, now=now)),
        "side": side,
        "request_reference": referral.request.reference
        if is_sender and referral.request_id
        else None,
    }


def _found(request, code: str) -> Referral:
    referral = find_referral_for_user(request.user, code)
    if referral is None:
        raise Http404
    return referral


def _found_out(request, code: str) -> dict:
    referral = _found(request, code)
    return _out(
        referral,
        now=timezone.now(),
        is_sender=referral.is_sender,
        is_receiver=referral.is_receiver,
    )


def _refused(error: ReferralError) -> Status:
    return Status(409, {"detail": str(error)})


class ReferralPagination(PageNumberPagination):
    """Pages of 50; each referral's live consents are read for the whole page at once."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        now = timezone.now()
        sender_ids = set(organizations_for(request.user).values_list("pk", flat=True))
        items = [
            _out(
                r,
                now=now,
                is_sender=r.from_organization_id in sender_ids,
                is_receiver=r.to_organization_id in sender_ids,
            )
            for r in page["items"]
        ]
        return {**page, "items": items}


@router.get("/referrals", response=list[ReferralOut])
@paginate(ReferralPagination, page_size=50)
def list_referrals(request, filters: Query[ReferralFilters]):
    """Referrals your organizations received (the queue: unanswered first, then oldest), or
    those they sent (`direction=sent`, newest first)."""
    now = timezone.now()
    if filters.direction == "sent":
        referrals = sent_for_user(request.user, now=now).prefetch_related(
            prefetch_live_consents(now)
        )
    else:
        referrals = received_for_user(request.user, now=now)
    service = None
    if filters.service_id:
        service = Service.objects.filter(uuid=filters.service_id).values_list("pk", flat=True)
        service = next(iter(service), -1)
    return filter_received(
        referrals,
        now=now,
        service=service,
        state=filters.state or "",
        text=filters.q if filters.direction == "received" else "",
    ).select_related("request", "service", "from_organization", "to_organization")


@router.get("/referrals/{code}", response={200: ReferralOut, 404: ErrorOut})
def get_referral(request, code: str):
    return _found_out(request, code)


@router.post("/referrals", response={201: ReferralOut, **REFUSED})
def send(request, payload: ReferralIn):
    """Refer a person to a partner's service, from a request of yours or for a walk-in. The
    service must be a partner's under an agreement (409 otherwise)."""
    help_request = None
    organizations = organizations_for(request.user).order_by("name", "pk")
    if payload.request_reference:
        help_request = request_or_404(request.user, payload.request_reference)
        services = services_to_refer_to(help_request.organization)
    else:
        services = Service.objects.none()
        for organization in organizations:
            services |= services_to_refer_to(organization)
    service = Service.objects.filter(uuid=payload.service_id).values_list("pk", flat=True)
    data = {
        "service": next(iter(service), ""),
        "reason": payload.reason,
        "need": payload.need,
        "urgency": payload.urgency,
        "note": payload.note,
        "language": payload.language or (help_request.language if help_request else "en"),
        **({"notify_patron": "on"} if payload.notify_patron else {}),
    }
    if help_request is None:
        only = organizations[0].pk if len(organizations) == 1 else ""
        data["organization"] = payload.organization_id or only
    form = SendReferralForm(
        data,
        services=services.distinct(),
        organizations=None if help_request else organizations,
        help_request=help_request,
    )
    if not form.is_valid():
        return invalid(form)
    try:
        referral = domain.send_referral(
            service=form.cleaned_data["service"],
            by=request.user,
            help_request=help_request,
            from_organization=form.cleaned_data.get("organization"),
            details=form.details(),
        )
    except ReferralError as error:
        return _refused(error)
    return Status(201, _found_out(request, referral.code))


@router.post("/referrals/{code}/accept", response={200: ReferralOut, **REFUSED})
def accept(request, code: str, payload: AcceptIn):
    """Accept a referral to your organization; with `open_request`, open a request for the
    person in your desk with what their consent shares (409 without a consent to share a
    phone or an email)."""
    referral = _found(request, code)
    form = AcceptForm(
        {"note": payload.note, **({"open_request": "on"} if payload.open_request else {})}
    )
    if not form.is_valid():
        return invalid(form)
    try:
        domain.accept_referral(
            referral, by=request.user, open_request=payload.open_request, note=payload.note
        )
    except ReferralError as error:
        return _refused(error)
    return _found_out(request, code)


@router.post("/referrals/{code}/decline", response={200: ReferralOut, **REFUSED})
def decline(request, code: str, payload: DeclineIn):
    """Decline it, with a reason (422 without one; `other` needs a note)."""
    referral = _found(request, code)
    form = DeclineForm({"reason": payload.reason or "", "note": payload.note})
    if not form.is_valid():
        return invalid(form)
    try:
        domain.decline_referral(
            referral, by=request.user, reason=form.cleaned_data["reason"], note=payload.note
        )
    except ReferralError as error:
        return _refused(error)
    return _found_out(request, code)


@router.post("/referrals/{code}/transition", response={200: ReferralOut, **REFUSED})
def transition(request, code: str, payload: TransitionIn):
    """`start` (or resume), `hold`, `complete` with an `outcome` (the receiving side), or
    `cancel` (the sending side)."""
    referral = _found(request, code)
    if payload.action == "complete":
        form = CompleteForm({"outcome": payload.outcome or "", "note": payload.note})
    else:
        form = NoteForm({"note": payload.note})
    if not form.is_valid():
        return invalid(form)
    note = form.cleaned_data["note"]
    try:
        if payload.action == "start":
            domain.start_referral(referral, by=request.user, note=note)
        elif payload.action == "hold":
            domain.hold_referral(referral, by=request.user, note=note)
        elif payload.action == "cancel":
            domain.cancel_referral(referral, by=request.user, note=note)
        else:
            domain.complete_referral(
                referral, by=request.user, outcome=form.cleaned_data["outcome"], note=note
            )
    except ReferralError as error:
        return _refused(error)
    return _found_out(request, code)


@router.post("/referrals/{code}/consent", response={201: ConsentRecordedOut, **REFUSED})
def consent(request, code: str, payload: ConsentIn):
    """Record the patron's consent (the sending side): spoken and attested, or asked
    through the patron's link, which this answer gives once."""
    referral = _found(request, code)
    if not referral.is_sender:
        raise Http404
    walk_in = referral.request_id is None
    form = ConsentForm(
        {
            "fields_shared": list(payload.fields),
            "purpose": payload.purpose,
            "until": payload.until.isoformat(),
            "method": payload.method,
            **({"attest": "on"} if payload.attest else {}),
            "name": payload.name,
            "phone": payload.phone,
            "email": payload.email,
            "patron_language": payload.language or "",
        },
        walk_in=walk_in,
    )
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        recorded = record_consent(
            referral,
            by=request.user,
            fields=data["fields_shared"],
            purpose=data["purpose"],
            until=data["until"],
            method=data["method"],
            person=form.person(),
        )
    except ReferralError as error:
        return _refused(error)
    return Status(201, {"referral": _found_out(request, code), "link": recorded.url})


@router.post("/referrals/{code}/consent/withdraw", response={200: ReferralOut, **REFUSED})
def consent_withdraw(request, code: str):
    """Withdraw the referral's consent, given or asked, when the patron says so (either
    side); the receiving side sees none of the details from the next call on."""
    referral = _found(request, code)
    now = timezone.now()
    current = next(
        (
            c
            for c in referral.consents.order_by("-created_at", "-pk")
            if c.status_at(now) in (ConsentStatus.GIVEN, ConsentStatus.PENDING)
        ),
        None,
    )
    if current is None:
        return Status(409, {"detail": _("This referral has no consent to withdraw.")})
    try:
        withdraw_consent(current, by=request.user)
    except ReferralError as error:
        return _refused(error)
    return _found_out(request, code)
