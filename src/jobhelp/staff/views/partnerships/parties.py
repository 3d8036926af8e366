"""An agreement's parties: adding and removing one, recording its signature (its own
managers), and its contributions to the costs."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.partnerships import queries, rules
from jobhelp.partnerships.agreements import (
    add_cost_share,
    add_party,
    record_signature,
    remove_cost_share,
    remove_party,
)
from jobhelp.partnerships.enums import EDITABLE_STATES, AgreementStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import CostShareForm, PartyForm, SignatureForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.partnerships.agreements import only_managers
from jobhelp.staff.views.partnerships.lookups import (
    agreement_or_404,
    cost_share_or_404,
    party_or_404,
    refused,
)


def _parties_change_refused(request, agreement):
    back = ("staff:partnerships:agreement", agreement.pk)
    if not rules.can_edit_agreement(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status not in EDITABLE_STATES:
        return refused(
            request,
            _(
                "Parties change while the agreement is drafted or negotiated. Record a major "
                "amendment first."
            ),
            *back,
        )
    return None


@staff_member_required
@require_http_methods(["GET", "POST"])
def party_new(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    if answer := _parties_change_refused(request, agreement):
        return answer
    form = PartyForm(
        request.POST or None,
        organizations=queries.partner_organizations(agreement.partnership, with_branches=True),
        agreement=agreement,
    )
    if request.method == "POST" and form.is_valid():
        try:
            party = add_party(agreement, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is now a party.") % {"name": party.organization})
            return redirect("staff:partnerships:agreement", agreement.pk)
    return render(
        request,
        "staff/partnerships/party_form.html",
        {"partnership": agreement.partnership, "agreement": agreement, "form": form},
    )


@staff_member_required
@require_POST
def party_remove(request: HttpRequest, pk: int) -> HttpResponse:
    party = party_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", party.agreement_id)
    try:
        remove_party(party, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("%(name)s is no longer a party.") % {"name": party.organization})
    return redirect(*back)


@staff_member_required
@require_http_methods(["GET", "POST"])
def party_sign(request: HttpRequest, pk: int) -> HttpResponse:
    party = party_or_404(request.user, pk)
    agreement = party.agreement
    back = ("staff:partnerships:agreement", agreement.pk)
    if not rules.can_sign(request.user, party):
        return refused(request, _("Only the party's own managers can record its signature."), *back)
    if agreement.status != AgreementStatus.IN_NEGOTIATION:
        return refused(
            request, _("Signatures are recorded while the agreement is in negotiation."), *back
        )
    if party.signed:
        return refused(request, _("This party's signature is already recorded."), *back)
    initial = {"signatory_name": party.signatory_name, "signatory_title": party.signatory_title}
    form = SignatureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_signature(party, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            agreement.refresh_from_db()
            if agreement.status == AgreementStatus.EXECUTED:
                messages.success(request, _("Every party has signed: the agreement is executed."))
            else:
                messages.success(
                    request,
                    _("The signature of %(name)s is recorded.") % {"name": party.organization},
                )
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/sign.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "party": party,
            "form": form,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def cost_share_new(request: HttpRequest, pk: int) -> HttpResponse:
    party = party_or_404(request.user, pk)
    agreement = party.agreement
    back = ("staff:partnerships:agreement", agreement.pk)
    if not rules.can_edit_agreement(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status not in EDITABLE_STATES:
        return refused(request, _("An executed agreement changes through an amendment."), *back)
    form = CostShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_cost_share(party, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contribution is recorded."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/cost_share_form.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "party": party,
            "form": form,
        },
    )


@staff_member_required
@require_POST
def cost_share_remove(request: HttpRequest, pk: int) -> HttpResponse:
    share = cost_share_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", share.party.agreement_id)
    try:
        remove_cost_share(share, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("The contribution is removed."))
    return redirect(*back)
