"""How many sends the public forms (a request for help, a class registration) take. See
README, "Limits on the public forms".

A branch's public computers share one network address, so the limit per address is set high
enough for a room of real patrons (JOBHELP_FORM_RATE_LIMIT, 60 an hour); one browser may send
JOBHELP_FORM_BROWSER_RATE_LIMIT (5 an hour). Only a send that made something counts, so a
patron who corrects a few mistakes is never refused for them, and the same form sent again
(answered with the earlier confirmation: the request's duplicate check, a class's one
registration per person) costs nothing; robots that fill in the hidden field never get through.

The view asks may_send before it sends and count_send after: two sends racing at the limit may
both pass, which is no matter for a limit against floods."""

from django.conf import settings
from django.http import HttpRequest

from jobhelp.core.clientip import client_ip
from jobhelp.core.ratelimit import browser_hit, browser_used_up, hit, used_up


def may_send(request: HttpRequest, scope: str) -> bool:
    """Whether this browser and this address may still send the form `scope` in this window;
    counts nothing."""
    window = settings.FORM_RATE_WINDOW_SECONDS
    return not (
        browser_used_up(
            request.session, scope, limit=settings.FORM_BROWSER_RATE_LIMIT, window_seconds=window
        )
        or used_up(scope, client_ip(request), limit=settings.FORM_RATE_LIMIT, window_seconds=window)
    )


def count_send(request: HttpRequest, scope: str) -> None:
    """Count one send that made something, for this browser and this address."""
    window = settings.FORM_RATE_WINDOW_SECONDS
    hit(scope, client_ip(request), limit=settings.FORM_RATE_LIMIT, window_seconds=window)
    browser_hit(request.session, scope, window_seconds=window)
