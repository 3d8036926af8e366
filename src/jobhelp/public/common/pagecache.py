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
page would). A page that printed either some other way, or whose view set a header or cookie of
its own, is served as rendered and not kept. A page served again says `Vary: Cookie,
Accept-Language` and `Cache-Control: private, no-cache`, so no shared cache keeps it; the key
also holds the static files' manifest hash, so a release never serves an older page.
"""

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
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
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def is_plain_visit(request: HttpRequest) -> bool:
    """A visit whose page is the same for everyone speaking its language."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _as_template(content: str, nonce: str | None, token: str | None) -> str | None:
    """The page with the visitor's own values replaced by placeholders; None when one of them
    is still in it (printed some other way than the two known forms), so it is not kept."""
    if nonce:
        content = content.replace(f'nonce="{nonce}"', f'nonce="{NONCE}"')
    content = _CSRF_FIELD.sub(rf"\g<1>{CSRF}\g<3>", content)
    if (nonce and nonce in content) or (token and token in content):
        return None
    return content


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
                # Only a page that is its content alone: a header or cookie of the view's
                # own would be lost when the page is served again.
                if (
                    response.status_code != 200
                    or response.streaming
                    or response.cookies
                    or set(response.headers) - {"Content-Type"}
                ):
                    raise _NotKept(response)
                content = response.content.decode()
                field = _CSRF_FIELD.search(content)
                if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and field is None:
                    # The page took a CSRF token and printed it some other way.
                    raise _NotKept(response)
                nonce = get_nonce(request)
                template = _as_template(
                    content, str(nonce) if nonce else None, field.group(2) if field else None
                )
                if template is None:
                    raise _NotKept(response)
                return template

            minute = timezone.now().replace(second=0, microsecond=0)
            try:
                template = versions.cached_under(
                    (
                        "page",
                        request.path,
                        get_language(),
                        minute.isoformat(),
                        # A release changes the pages (templates, static files' names).
                        getattr(staticfiles_storage, "manifest_hash", ""),
                    ),
                    versions=["page"],
                    numbers=numbers(),
                    compute=render,
                )
            except _NotKept as kept:
                return kept.response
            response = HttpResponse(_filled(template, request))
            # The page depends on the language cookie and carries this visitor's token and
            # nonce: no shared cache may keep it, and a browser asks again.
            response.headers["Vary"] = "Cookie, Accept-Language"
            response.headers["Cache-Control"] = "private, no-cache"
            return response

        return wrapper

    return decorator
