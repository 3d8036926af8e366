"""The request page's "Referrals" section: the referrals sent from the request, with their
state as the partner moves them, and the referral a partner's request came from."""

from django.http import HttpRequest
from django.utils import timezone

from jobhelp.referrals.queries import referrals_for_request


def request_section(request: HttpRequest, help_request) -> dict:
    """staff/referrals/includes/request_section.html's context, in a fixed number of queries
    however many referrals there are. Anyone who sees the request may refer it."""
    now = timezone.now()
    found = referrals_for_request(request.user, help_request, now=now)
    return {
        "referrals_sent": found.sent,
        "referral_received": found.received_from,
        "may_refer": help_request.erased_at is None,
    }
