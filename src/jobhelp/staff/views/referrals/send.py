"""Sending a referral: from a request's page, or for a walk-in with no record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.directory.models import Service
from jobhelp.intake.patrons import patron_address
from jobhelp.referrals.domain import send_referral
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import SendReferralForm
from jobhelp.referrals.queries import services_to_refer_to
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import request_or_404
from jobhelp.staff.views.referrals.lookups import detail_url


def _sent(request: HttpRequest, referral) -> HttpResponse:
    messages.success(
        request,
        _("Referral %(code)s sent to %(partner)s. Give the patron their slip.")
        % {"code": referral.display_code, "partner": referral.to_organization},
    )
    return redirect(detail_url(referral))


@staff_member_required
@require_http_methods(["GET", "POST"])
def refer_request(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = request_or_404(request.user, reference)
    services = services_to_refer_to(help_request.organization)
    form = SendReferralForm(request.POST or None, services=services, help_request=help_request)
    if patron_address(help_request) is None:
        form.fields.pop("notify_patron", None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = send_referral(
                service=form.cleaned_data["service"],
                by=request.user,
                help_request=help_request,
                details=form.details(),
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            return _sent(request, referral)
    return render(request, "staff/referrals/new.html", {"form": form, "req": help_request})


@staff_member_required
@require_http_methods(["GET", "POST"])
def new_walk_in(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for(request.user).order_by("name", "pk")
    if not organizations:
        raise PermissionDenied
    # Every partner service of any of the person's organizations; the domain checks the one
    # chosen against the referring organization's agreements.
    services = Service.objects.none()
    for organization in organizations:
        services |= services_to_refer_to(organization)
    form = SendReferralForm(
        request.POST or None,
        services=services.distinct().select_related("organization"),
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = send_referral(
                service=form.cleaned_data["service"],
                by=request.user,
                from_organization=form.cleaned_data["organization"],
                details=form.details(),
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            return _sent(request, referral)
    return render(request, "staff/referrals/new.html", {"form": form, "req": None})
