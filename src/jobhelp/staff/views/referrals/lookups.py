"""What the referral pages share: finding a referral or a 404, going back to its page, and
what the reader may see and do on it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from jobhelp.referrals.models import Referral
from jobhelp.referrals.queries import find_referral_for_user
from jobhelp.staff.common.views import next_or


def referral_or_404(user, code: str) -> Referral:
    """The referral with this code, if the user's organizations sent or received it; another
    organization's is a 404, the same as one that does not exist."""
    referral = find_referral_for_user(user, code, now=timezone.now())
    if referral is None:
        raise Http404
    return referral


def sender_or_404(user, code: str) -> Referral:
    """The sending side's pages (slip, consent): for the receiving side they do not exist."""
    referral = referral_or_404(user, code)
    if not referral.is_sender:
        raise Http404
    return referral


def detail_url(referral: Referral, anchor: str = "") -> str:
    url = reverse("staff:referrals:detail", args=[referral.code])
    return f"{url}#{anchor}" if anchor else url


def back(request: HttpRequest, referral: Referral) -> HttpResponse:
    return next_or(request, detail_url(referral))
