"""Secret links: how a patron reaches their appointment, class registration or survey without an
account, how a helper's calendar program reads their feed, and how an API client shows whose
key it holds. One mechanism for all of them (decisions/0013):

- `issue` makes 256 random bits (core.tokens.new_token), shown once in a message or on a page;
  only their SHA-256 is stored, so a copy of the database opens nothing;
- `find` is the one place that decides whether a token opens a row: empty, too long, never
  issued, altered or revoked is LinkUnknown; past its `expires_at`, LinkExpired;
- `revoke` turns links off;
- `guarded_lookup`, for views, refuses an address that has tried too many unknown links
  (TooManyGuesses), and `secret_page` keeps a page's address out of caches, search engines and
  Referer headers.

Each app keeps its own table, built on core.models.SecretLinkBase, for its own foreign keys,
and its own rules on top (an offer becomes the link to what it booked, a survey is answered
once). The LinkProblem a lookup raises carries `reason` and `status`, so each interface says
what went wrong on a page of its own, in the visitor's language.

Reading a link never changes anything, because mail scanners and link previews open links:
every change behind a link is a POST made by a person. Only a bad guess is written down, as a
count against a keyed hash of the address (core.ratelimit).
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from jobhelp.core import ratelimit, security
from jobhelp.core.clientip import client_ip
from jobhelp.core.models import SecretLinkBase
from jobhelp.core.tokens import hash_token, new_token

# Every token issued is 43 characters (46 for an API key); hashing a longer one is work for
# nothing.
MAX_TOKEN_LENGTH = 100

# Guessing 256 random bits is hopeless, so the limit only stops a script from hammering the
# lookups, and is generous: a branch's public computers share one address, and patrons
# mistyping links from a printout must not lock the next patron out.
GUESS_LIMIT = 60
GUESS_WINDOW_SECONDS = 60 * 60
# The scope of the patrons' links; calendar feeds count apart (see staff.views.calendar).
PATRON_LINKS = "secret_link"

# Not "no-referrer": under it browsers send `Origin: null` with every POST, even to the same
# site, and Django's CSRF check then refuses the page's own forms (cancel, move, the language
# switcher). "strict-origin" sends at most the site's origin, never the path with the token.
REFERRER_POLICY = "strict-origin"


class LinkProblem(Exception):
    """The link cannot be used. `reason` names why for the page that says so; `status` is the
    HTTP status that page is sent with."""

    reason = "unknown"
    status = 404


class LinkUnknown(LinkProblem):
    """Never issued, altered, revoked, or too long to be ours."""


class LinkExpired(LinkProblem):
    """A real link past its date; `link` is its row, for an app that says more about it."""

    reason = "expired"
    status = 410

    def __init__(self, link: SecretLinkBase):
        self.link = link
        super().__init__(link.pk)


class TooManyGuesses(LinkProblem):
    """This address tried too many unknown links lately; nothing was looked up."""

    reason = "too_many"
    status = 429
    # What the page tells the visitor: within this long, the address may try again.
    minutes = GUESS_WINDOW_SECONDS // 60


def issue[L: SecretLinkBase](
    model: type[L], *, expires_at: datetime | None, **fields
) -> tuple[L, str]:
    """A new row of `model` with `fields` and a fresh token; returns the row and the token,
    which is not stored. `expires_at=None` makes a link that lasts until revoked."""
    token = new_token()
    link = model.objects.create(token_hash=hash_token(token), expires_at=expires_at, **fields)
    return link, token


def lookup_hash(token: str) -> str:
    """The hash a link is stored under, for looking `token` up. Raises LinkUnknown for an empty
    or overlong token, which no link has."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknown
    return hash_token(token)


def check_live(link, *, revoked_at, expires_at, now: datetime | None = None) -> None:
    """Raise LinkUnknown for a link revoked (or not found: `link` None) and LinkExpired for one
    past its `expires_at`; the one check of every lookup."""
    if link is None or revoked_at is not None:
        raise LinkUnknown
    if expires_at is not None and expires_at <= (now or timezone.now()):
        raise LinkExpired(link)


def find[L: SecretLinkBase](links: QuerySet[L], token: str, *, now: datetime | None = None) -> L:
    """The row of `links` that `token` opens. Raises LinkUnknown for an empty or overlong token,
    one never issued (or altered), one outside `links` or revoked, and LinkExpired for one past
    its `expires_at`."""
    link = links.filter(token_hash=lookup_hash(token)).first()
    check_live(
        link,
        revoked_at=getattr(link, "revoked_at", None),
        expires_at=getattr(link, "expires_at", None),
        now=now,
    )
    return link


def revoke(links: QuerySet, *, now: datetime | None = None) -> int:
    """Turn off the links of `links` still on; returns how many there were."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())


# --- For views ----------------------------------------------------------------------------------


def guarded_lookup[T](
    request: HttpRequest, lookup: Callable[[], T], *, scope: str = PATRON_LINKS
) -> T:
    """Run `lookup` (an app's function that opens a link with `find`) for the visitor.

    Raises TooManyGuesses, without looking, once the visitor's address has had GUESS_LIMIT
    unknown links in the current hour. An unknown link counts one against the address; a good,
    expired or used one counts nothing, so a patron reloading their own page is never refused.
    """
    address = client_ip(request)
    limits = {"limit": GUESS_LIMIT, "window_seconds": GUESS_WINDOW_SECONDS}
    if ratelimit.used_up(scope, address, **limits):
        security.event("rate_limit.hit", request=request, scope=scope)
        raise TooManyGuesses
    try:
        return lookup()
    except LinkUnknown:
        ratelimit.hit(scope, address, **limits)
        raise


def secret_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page's address holds the key to someone's appointment, registration or survey: keep
    it out of Referer headers (ours and other sites'), out of caches and out of search engines."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = REFERRER_POLICY
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped
