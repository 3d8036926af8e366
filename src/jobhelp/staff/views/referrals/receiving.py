"""A receiving organization's referral settings, for its managers: how many business days a
referral may wait for an answer before it expires, and the webhook of its own system, whose
signing secret is shown once."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jobhelp.referrals.enums import DEFAULT_EXPIRE_AFTER_DAYS
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import ReceiverSettingsForm
from jobhelp.referrals.queries import managed_receivers
from jobhelp.referrals.webhooks import save_receiving_settings
from jobhelp.staff.common.decorators import staff_member_required


@staff_member_required
@require_http_methods(["GET", "POST"])
def receiving_settings(request: HttpRequest) -> HttpResponse:
    managed = managed_receivers(request.user)
    if not managed:
        raise PermissionDenied
    raw = request.GET.get("organization", "")
    if raw:
        if not raw.isdigit() or len(raw) > 12:
            raise Http404
        chosen = next(((o, r) for o, r in managed if o.pk == int(raw)), None)
        if chosen is None:
            raise Http404
    else:
        chosen = managed[0]
    organization, receiver = chosen
    initial = {
        "expire_after_days": receiver.expire_after_days if receiver else DEFAULT_EXPIRE_AFTER_DAYS,
        "webhook_url": receiver.webhook_url if receiver else "",
    }
    form = ReceiverSettingsForm(request.POST or None, initial=initial)
    secret = None
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            secret = save_receiving_settings(
                organization,
                by=request.user,
                expire_after_days=data["expire_after_days"],
                webhook_url=data["webhook_url"],
                new_secret=data["new_secret"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            saved = True
    return render(
        request,
        "staff/referrals/settings.html",
        {
            "managed": [o for o, _r in managed],
            "organization": organization,
            "form": form,
            "secret": secret,
            "saved": saved,
        },
    )
