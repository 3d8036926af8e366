"""A referral's page, for either side, and the moves on it: the receiving side accepts
(perhaps opening a request in its desk), declines with a reason, starts, pauses and completes
it with an outcome; the sending side cancels it. Each move is one POST calling one domain
function; a refusal (someone else was first, a missing reason) is a message on the page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobhelp.referrals import domain
from jobhelp.referrals.enums import WORKING_STATES, ConsentStatus, ReferralState
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import AcceptForm, CompleteForm, DeclineForm, NoteForm
from jobhelp.referrals.queries import consents_of, history
from jobhelp.referrals.sharing import shared_details
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import form_errors
from jobhelp.staff.views.referrals.lookups import back, referral_or_404


def _consents(referral, now) -> list[dict]:
    return [
        {"consent": consent, "status": consent.status_at(now)} for consent in consents_of(referral)
    ]


@staff_member_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    now = timezone.now()
    referral = referral_or_404(request.user, code)
    shared = shared_details(referral, now=now)
    consents = _consents(referral, now) if referral.is_sender else []
    open_consent = next(
        (row for row in consents if row["status"] in (ConsentStatus.GIVEN, ConsentStatus.PENDING)),
        None,
    )
    answering = referral.is_receiver and referral.is_open
    may_open_request = (
        referral.is_receiver
        and referral.receiving_request_id is None
        and shared is not None
        and shared.can_contact
    )
    accept_form = AcceptForm(auto_id="id_accept_%s") if answering else None
    if accept_form is not None and not may_open_request:
        del accept_form.fields["open_request"]
    state = referral.state
    return render(
        request,
        "staff/referrals/detail.html",
        {
            "referral": referral,
            "shared": shared,
            "history": history(referral),
            "consents": consents,
            "open_consent": open_consent,
            "may_open_request": may_open_request and state in WORKING_STATES,
            "accept_form": accept_form if state == ReferralState.REQUESTED else None,
            "decline_form": DeclineForm(auto_id="id_decline_%s")
            if answering and state == ReferralState.REQUESTED
            else None,
            "may_start": answering and state in (ReferralState.ACCEPTED, ReferralState.ON_HOLD),
            "may_hold": answering and state in (ReferralState.ACCEPTED, ReferralState.IN_PROGRESS),
            "note_form": NoteForm(auto_id="id_move_%s"),
            "complete_form": CompleteForm(auto_id="id_complete_%s")
            if answering and state in WORKING_STATES
            else None,
            "may_cancel": referral.is_sender and referral.is_open,
            "cancel_form": NoteForm(auto_id="id_cancel_%s"),
        },
    )


def _act(request: HttpRequest, referral, action, success: str) -> HttpResponse:
    try:
        action()
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return back(request, referral)


def _invalid(request: HttpRequest, referral, form) -> HttpResponse:
    messages.error(request, " ".join(form_errors(form)))
    return back(request, referral)


@staff_member_required
@require_POST
def accept(request: HttpRequest, code: str) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, form)
    data = form.cleaned_data
    return _act(
        request,
        referral,
        lambda: domain.accept_referral(
            referral, by=request.user, open_request=data["open_request"], note=data["note"]
        ),
        _("You accepted referral %(code)s.") % {"code": referral.display_code},
    )


@staff_member_required
@require_POST
def decline(request: HttpRequest, code: str) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, form)
    data = form.cleaned_data
    return _act(
        request,
        referral,
        lambda: domain.decline_referral(
            referral, by=request.user, reason=data["reason"], note=data["note"]
        ),
        _("You declined referral %(code)s; the sender is told.") % {"code": referral.display_code},
    )


def _noted(request: HttpRequest, code: str, move, success: str) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, form)
    return _act(
        request,
        referral,
        lambda: move(referral, by=request.user, note=form.cleaned_data["note"]),
        success % {"code": referral.display_code},
    )


@staff_member_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    return _noted(request, code, domain.start_referral, _("Referral %(code)s is in progress."))


@staff_member_required
@require_POST
def hold(request: HttpRequest, code: str) -> HttpResponse:
    return _noted(request, code, domain.hold_referral, _("Referral %(code)s is on hold."))


@staff_member_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    return _noted(
        request,
        code,
        domain.cancel_referral,
        _("Referral %(code)s is cancelled; the partner is told."),
    )


@staff_member_required
@require_POST
def complete(request: HttpRequest, code: str) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, form)
    data = form.cleaned_data
    return _act(
        request,
        referral,
        lambda: domain.complete_referral(
            referral, by=request.user, outcome=data["outcome"], note=data["note"]
        ),
        _("Referral %(code)s is completed.") % {"code": referral.display_code},
    )


@staff_member_required
@require_POST
def open_request(request: HttpRequest, code: str) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    return _act(
        request,
        referral,
        lambda: domain.open_receiving_request(referral, by=request.user),
        _("A request is open in your desk for referral %(code)s.")
        % {"code": referral.display_code},
    )
