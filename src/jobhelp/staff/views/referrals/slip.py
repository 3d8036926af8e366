"""The referral slip, printed from the sending side's page or sent to the patron by text or
email, in the patron's language."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobhelp.notifications import sms
from jobhelp.notifications.outbox import message_language
from jobhelp.referrals.domain import send_slip
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import SlipForm
from jobhelp.referrals.messages import patron_channel
from jobhelp.referrals.slips import slip_for
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import form_errors
from jobhelp.staff.views.referrals.lookups import back, sender_or_404


@staff_member_required
@require_GET
def slip(request: HttpRequest, code: str) -> HttpResponse:
    referral = sender_or_404(request.user, code)
    form = SlipForm(auto_id="id_slip_%s")
    if not sms.is_configured():
        form = None
    return render(
        request,
        "staff/referrals/slip.html",
        {
            "referral": referral,
            "slip": slip_for(referral),
            "slip_language": message_language(referral.language),
            "send_form": form,
            "channel": patron_channel(referral),
        },
    )


@staff_member_required
@require_POST
def slip_send(request: HttpRequest, code: str) -> HttpResponse:
    referral = sender_or_404(request.user, code)
    form = SlipForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
        return back(request, referral)
    try:
        send_slip(referral, by=request.user, phone=form.cleaned_data["phone"])
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The slip is on its way to the patron."))
    return back(request, referral)
