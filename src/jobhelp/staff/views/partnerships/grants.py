"""Grants the partners coordinate: the list, adding one, its page, changing its details and
moving its status (a decision needs its outcome)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.partnerships import queries, rules
from jobhelp.partnerships.enums import GRANT_TRANSITIONS, GrantStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import GrantForm, GrantStatusForm
from jobhelp.partnerships.grants import add_grant, set_grant_status, update_grant
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.partnerships.lookups import grant_or_404, partnership_or_404, refused
from jobhelp.staff.views.partnerships.meetings import only_partnership_managers


@staff_member_required
@require_GET
def grant_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    return render(
        request,
        "staff/partnerships/grants.html",
        {
            "partnership": partnership,
            "grants": list(queries.grant_list(request.user, partnership)),
            "may_manage": rules.can_manage_partnership(request.user, partnership),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def grant_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    if not rules.can_manage_partnership(request.user, partnership):
        return refused(
            request, only_partnership_managers(), "staff:partnerships:grants", partnership.pk
        )
    form = GrantForm(request.POST or None, organizations=queries.partner_organizations(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            grant = add_grant(partnership, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Grant “%(name)s” added.") % {"name": grant})
            return redirect("staff:partnerships:grant", grant.pk)
    return render(
        request,
        "staff/partnerships/grant_form.html",
        {"partnership": partnership, "grant": None, "form": form},
    )


@staff_member_required
@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = grant_or_404(request.user, pk)
    may_manage = rules.can_manage_partnership(request.user, grant.partnership)
    next_states = GRANT_TRANSITIONS[GrantStatus(grant.status)]
    form = GrantStatusForm(initial={"outcome": grant.outcome})
    form.fields["status"].choices = [c for c in GrantStatus.choices if c[0] in next_states]
    return render(
        request,
        "staff/partnerships/grant.html",
        {
            "partnership": grant.partnership,
            "grant": grant,
            "may_manage": may_manage,
            "status_form": form if may_manage and next_states else None,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = grant_or_404(request.user, pk)
    back = ("staff:partnerships:grant", grant.pk)
    if not rules.can_manage_partnership(request.user, grant.partnership):
        return refused(request, only_partnership_managers(), *back)
    initial = {name: getattr(grant, name) for name in GrantForm.base_fields}
    form = GrantForm(
        request.POST or None,
        organizations=queries.partner_organizations(grant.partnership),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_grant(grant, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The grant is saved."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/grant_form.html",
        {"partnership": grant.partnership, "grant": grant, "form": form},
    )


@staff_member_required
@require_POST
def grant_status(request: HttpRequest, pk: int) -> HttpResponse:
    grant = grant_or_404(request.user, pk)
    back = ("staff:partnerships:grant", grant.pk)
    form = GrantStatusForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose a status from the list."), *back)
    try:
        grant = set_grant_status(grant, by=request.user, **form.cleaned_data)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(
        request, _("The grant is now: %(status)s.") % {"status": grant.get_status_display()}
    )
    return redirect(*back)
