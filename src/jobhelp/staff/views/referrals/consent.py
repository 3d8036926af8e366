"""The patron's consent from the staff side: the sending side records it (spoken and attested,
or asked through the patron's link, which this page shows once to read out or print); either
side withdraws it when the patron says so."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.notifications import sms
from jobhelp.referrals.consent import record_consent, withdraw_consent
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import ConsentForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.referrals.lookups import back, referral_or_404, sender_or_404


@staff_member_required
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, code: str) -> HttpResponse:
    referral = sender_or_404(request.user, code)
    walk_in = referral.request_id is None
    form = ConsentForm(request.POST or None, walk_in=walk_in)
    if walk_in and not sms.is_configured():
        del form.fields["send_to_phone"]
    if request.method == "POST" and form.is_valid():
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
                send_to_phone=data.get("send_to_phone", ""),
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            # The link is shown on this answer only, never stored: no redirect to a page that
            # could show it again.
            return render(
                request,
                "staff/referrals/consent_done.html",
                {"referral": referral, "recorded": recorded, "consent": recorded.consent},
            )
    return render(request, "staff/referrals/consent.html", {"referral": referral, "form": form})


@staff_member_required
@require_POST
def consent_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    referral = referral_or_404(request.user, code)
    consent = referral.consents.filter(pk=pk).first()
    if consent is None:
        raise Http404
    try:
        withdraw_consent(consent, by=request.user)
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The consent is withdrawn: the partner no longer sees the details.")
        )
    return back(request, referral)
