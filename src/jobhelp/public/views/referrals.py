"""The patron's consent page, behind the secret link they got by email, text or on paper
(referrals.consent): what is shared, with which partner, for what and until when; a button to
say yes when they were asked through the link, and one to stop sharing at any time.

Opening the link changes nothing (mail scanners open links); saying yes and stopping are POSTs.
An unknown link is a 404, a consent whose end has passed a 410 (nothing is shared any more),
too many unknown links from one address a 429 (core.links.guarded_lookup). The pages are kept
out of caches, search engines and Referer headers (core.links.secret_page).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from jobhelp.core.links import LinkProblem, guarded_lookup, secret_page
from jobhelp.referrals.consent import confirm_consent, open_consent, withdraw_by_link
from jobhelp.referrals.errors import ReferralError


def _unavailable(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request, "public/referrals/unavailable.html", {"problem": problem}, status=problem.status
    )


def _page(
    request: HttpRequest, consent, token: str, *, done: str = "", error: str = "", status=200
):
    now = timezone.now()
    return render(
        request,
        "public/referrals/consent.html",
        {
            "consent": consent,
            "referral": consent.referral,
            "status": consent.status_at(now),
            "token": token,
            "done": done,
            "error": error,
        },
        status=status,
    )


@secret_page
@require_safe
def consent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = guarded_lookup(request, lambda: open_consent(token))
    except LinkProblem as problem:
        return _unavailable(request, problem)
    return _page(request, found, token)


def _act(request: HttpRequest, token: str, action, done: str) -> HttpResponse:
    try:
        found = guarded_lookup(request, lambda: open_consent(token))
    except LinkProblem as problem:
        return _unavailable(request, problem)
    try:
        changed = action(token)
    except LinkProblem as problem:
        return _unavailable(request, problem)
    except ReferralError as error:
        found.refresh_from_db()
        return _page(request, found, token, error=str(error), status=409)
    return _page(request, changed, token, done=done)


@secret_page
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, confirm_consent, "confirmed")


@secret_page
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, withdraw_by_link, "withdrawn")
