"""Whole public pages kept in the cache, for the pages read most often whose data anyone may see
(decision 0012: public or advisory data only, never a staff page or anything about a person).

    @public_page(numbers=waits.overview_numbers)
    def computers(request): ...

A page is kept under its path, the visitor's language, the minute and `numbers()`: the versions
of what it shows (core.versions), which the domain functions that change that data raise in
their own transactions, so a change shows on the very next load on every worker, and the clock
moves it at least every minute (a count turning stale, a place opening).

Only a plain visit is served from the cache: a GET or HEAD with no query string, no session
(no one signed in, no message waiting) and no htmx. Everything else is rendered as usual and
not kept. Two things in a page are the visitor's own, and are kept as placeholders and filled
in on every serve: the Content-Security-Policy nonce of the page's scripts (this response's
own, which the CSP middleware then names in the header) and the CSRF token of the language
switcher's form (this visitor's, from `get_token`, which also sets their cookie as a rendered
page would).
"""

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from jobhelp.core import versions

# Stand-ins that cannot occur in a page Django rendered (templates escape neither NUL nor
# these names, and no template writes a NUL).
NONCE = "\x00csp-nonce\x00"
CSRF = "\x00csrf-token\x00"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def is_plain_visit(request: HttpRequest) -> bool:
    """A visit whose page is the same for everyone speaking its language."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _as_template(content: str, nonce: str | None) -> str:
    if nonce:
        content = content.replace(f'nonce="{nonce}"', f'nonce="{NONCE}"')
    return _CSRF_FIELD.sub(rf"\g<1>{CSRF}\g<2>", content)


def _filled(template: str, request: HttpRequest) -> str:
    if NONCE in template:
        template = template.replace(NONCE, str(get_nonce(request)))
    if CSRF in template:
        template = template.replace(CSRF, get_token(request))
    return template


class _NotKept(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def public_page(*, numbers: Callable[[], tuple]):
    """Serve the view's page from the cache on a plain visit (see the module's docstring),
    under `numbers()` (one query), the path, the language and the minute."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_plain_visit(request):
                return view(request, *args, **kwargs)

            def render() -> str:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    raise _NotKept(response)
                nonce = get_nonce(request)
                return _as_template(response.content.decode(), str(nonce) if nonce else None)

            minute = timezone.now().replace(second=0, microsecond=0)
            try:
                template = versions.cached_under(
                    ("page", request.path, get_language(), minute.isoformat()),
                    versions=["page"],
                    numbers=numbers(),
                    compute=render,
                )
            except _NotKept as kept:
                return kept.response
            return HttpResponse(_filled(template, request))

        return wrapper

    return decorator
