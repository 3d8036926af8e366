"""Agreements (MOU): the list of a partnership's, an agreement's page with the 20 CFR 678.500
checklist, starting one, changing its terms, sending it to the parties or back to draft, and
recording an amendment. Parties, signatures and cost shares are in parties.py, attachments in
attachments.py."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for, tenancy_of
from jobhelp.partnerships import checklist, queries
from jobhelp.partnerships.agreements import (
    amend_agreement,
    create_agreement,
    open_negotiation,
    return_to_draft,
    update_agreement,
)
from jobhelp.partnerships.enums import (
    AMENDABLE_STATES,
    EDITABLE_STATES,
    AgreementStatus,
    AmendmentKind,
)
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import AgreementForm, AmendmentForm, PartyForm
from jobhelp.partnerships.models import Agreement
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.partnerships import AgreementMoveForm
from jobhelp.staff.views.partnerships.lookups import (
    agreement_or_404,
    partnership_or_404,
    refused,
)

# The terms as the agreement's page lists them, in the order of the MOU contents.
TERMS = (
    "services_coordination",
    "referral_methods",
    "needs_disability",
    "needs_language",
    "needs_technology",
    "cost_allocation_method",
    "data_sharing",
    "dispute_resolution",
    "amendment_procedure",
)


def only_managers() -> str:
    return _("Only managers of a party can change this agreement.")


def terms_of(agreement: Agreement) -> dict:
    """The agreement's terms as AgreementForm takes them."""
    return {name: getattr(agreement, name) for name in AgreementForm.base_fields}


def _may_edit(user, agreement: Agreement, tenancy=None) -> bool:
    tenancy = tenancy or tenancy_of(user)
    return any(tenancy.holds(p.organization_id, MANAGING_ROLES) for p in agreement.parties.all())


@staff_member_required
@require_GET
def agreement_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    managed = queries.partner_organizations(partnership).filter(
        pk__in=organizations_for(request.user, roles=MANAGING_ROLES)
    )
    return render(
        request,
        "staff/partnerships/agreements.html",
        {
            "partnership": partnership,
            "agreements": list(queries.agreement_list(request.user, partnership)),
            "may_start": managed.exists(),
        },
    )


@staff_member_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    tenancy = tenancy_of(request.user)
    may_edit = _may_edit(request.user, agreement, tenancy)
    negotiating = agreement.status == AgreementStatus.IN_NEGOTIATION
    parties = [
        {
            "party": party,
            "may_sign": negotiating
            and not party.signed
            and tenancy.holds(party.organization_id, MANAGING_ROLES),
        }
        for party in agreement.parties.all()
    ]
    cost_shares = [share for party in agreement.parties.all() for share in party.cost_shares.all()]
    return render(
        request,
        "staff/partnerships/agreement.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "parties": parties,
            "cost_shares": cost_shares,
            "terms": [
                (capfirst(Agreement._meta.get_field(name).verbose_name), getattr(agreement, name))
                for name in TERMS
            ],
            "missing": checklist.missing_contents(agreement),
            "may_edit": may_edit,
            "editable": may_edit and agreement.status in EDITABLE_STATES,
            "amendable": may_edit and agreement.status in AMENDABLE_STATES,
            "may_attach": may_edit and agreement.status != AgreementStatus.SUPERSEDED,
            "statuses": AgreementStatus,
            "move": AgreementMoveForm,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    managed = queries.partner_organizations(partnership).filter(
        pk__in=organizations_for(request.user, roles=MANAGING_ROLES)
    )
    if not managed.exists():
        return refused(
            request,
            _("Only managers of a partner can start an agreement."),
            "staff:partnerships:agreements",
            partnership.pk,
        )
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data)
    party_form = PartyForm(data, organizations=managed, prefix="party")
    if request.method == "POST" and form.is_valid() and party_form.is_valid():
        terms = dict(form.cleaned_data)
        party = party_form.cleaned_data
        try:
            agreement = create_agreement(
                partnership,
                by=request.user,
                title=terms.pop("title"),
                organization=party["organization"],
                role=party["role"],
                tier=party["tier"],
                services=party["services"],
                **terms,
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Agreement “%(title)s” started as a draft. Add the other parties next.")
                % {"title": agreement.title},
            )
            return redirect("staff:partnerships:agreement", agreement.pk)
    return render(
        request,
        "staff/partnerships/agreement_form.html",
        {"partnership": partnership, "agreement": None, "form": form, "party_form": party_form},
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", agreement.pk)
    if not _may_edit(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status not in EDITABLE_STATES:
        return refused(request, _("An executed agreement changes through an amendment."), *back)
    form = AgreementForm(request.POST or None, initial=terms_of(agreement))
    if request.method == "POST" and form.is_valid():
        try:
            update_agreement(agreement, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement's terms are saved."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/agreement_form.html",
        {"partnership": agreement.partnership, "agreement": agreement, "form": form},
    )


@staff_member_required
@require_POST
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", agreement.pk)
    form = AgreementMoveForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose what to do with the agreement."), *back)
    try:
        if form.cleaned_data["action"] == AgreementMoveForm.OPEN:
            open_negotiation(agreement, by=request.user)
            messages.success(
                request, _("The agreement is in negotiation: each party may now sign.")
            )
        else:
            return_to_draft(agreement, by=request.user)
            messages.success(request, _("The agreement is a draft again."))
    except PartnershipError as error:
        return refused(request, error, *back)
    return redirect(*back)


@staff_member_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", agreement.pk)
    if not _may_edit(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status not in AMENDABLE_STATES:
        return refused(
            request, _("Only an agreement in negotiation or executed can be amended."), *back
        )
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data)
    terms_form = AgreementForm(data, initial=terms_of(agreement), prefix="terms")
    if request.method == "POST" and form.is_valid() and terms_form.is_valid():
        try:
            amendment = amend_agreement(
                agreement,
                by=request.user,
                kind=form.cleaned_data["kind"],
                summary=form.cleaned_data["summary"],
                effective_on=form.cleaned_data["effective_on"],
                changes=terms_form.cleaned_data,
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            if amendment.kind == AmendmentKind.MAJOR:
                messages.success(
                    request,
                    _(
                        "Amendment %(number)d recorded. It is a major amendment: the agreement "
                        "is in negotiation until every party has signed again."
                    )
                    % {"number": amendment.number},
                )
            else:
                messages.success(
                    request, _("Amendment %(number)d recorded.") % {"number": amendment.number}
                )
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/amend.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "form": form,
            "terms_form": terms_form,
        },
    )
