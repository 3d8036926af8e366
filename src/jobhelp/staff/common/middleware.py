"""What every staff and admin page, and the API, share before and after the view
(docs/security.md):

- a signed-in session ends after SESSION_IDLE_SECONDS without a staff page and
  SESSION_ABSOLUTE_SECONDS after signing in (times kept in the session, in seconds);
- a session that has passed the password but not yet the second factor (the step the login
  page left in it) reaches only that step's page, and signing out; a session that becomes an
  administrator's gets that step at once on the admin (staff pages ask in the decorator);
- every answer of the staff area, the admin and the API is sent `Cache-Control: no-store`
  (unless the view chose its own, as a flyer image's five minutes in one browser): they show
  patrons' details, which no browser or proxy may keep.

Nothing here reads the database (the user is read by Django's own middleware, the rest is in
the session), except once, for an administrator's admin page in a session that has not passed
the second factor: whether the person has an authenticator, to ask for the right step.
"""

import time
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jobhelp.accounts.twofactor import has_two_factor

LOGIN_AT = "jobhelp.login_at"
SEEN_AT = "jobhelp.seen_at"
# "verify" (the person has an authenticator) or "enrol" (they must set one up); absent once
# passed, or when no second factor is asked.
STEP = "jobhelp.two_factor_step"
NEXT = "jobhelp.two_factor_next"
VERIFY, ENROL = "verify", "enrol"
# The last-seen time is written at most this often, so reading pages does not write the
# session on every request.
SEEN_RESOLUTION_SECONDS = 60


@cache
def _paths(script_prefix: str) -> dict[str, str]:
    return {
        "staff": reverse("staff:home"),
        "admin": reverse("admin:index"),
        "api": reverse("api-v1:openapi-json").rsplit("/", 1)[0] + "/",
        "login": reverse("staff:login"),
        "logout": reverse("staff:logout"),
        VERIFY: reverse("staff:account:verify"),
        ENROL: reverse("staff:account:enrol"),
    }


def stamp_login(sender, request, user, **kwargs) -> None:
    """On `user_logged_in` (connected in StaffConfig.ready): the session's clock starts, in the
    same write as the login itself."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT] = session[SEEN_AT] = int(time.time())


def start_session(session, *, step: str | None, next_url: str) -> None:
    """Called by the login page once the password is right."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    if step:
        session[STEP] = step
        session[NEXT] = next_url


def ask_second_factor(request, *, enrolled: bool):
    """A signed-in session that now needs the second factor and has not passed it (a role
    gained since signing in): the step is left in the session, as the login page does, and the
    person is sent to it, keeping where they were going."""
    step = VERIFY if enrolled else ENROL
    next_url = request.get_full_path()
    request.session[STEP] = step
    request.session[NEXT] = next_url
    paths = _paths(get_script_prefix())
    return redirect(f"{paths[step]}?{urlencode({'next': next_url})}")


def pass_step(session) -> str:
    """The second factor is done: forget the step, and return where the person was going."""
    session.pop(STEP, None)
    return session.pop(NEXT, "")


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        paths = _paths(get_script_prefix())
        path = request.path
        guarded = path.startswith((paths["staff"], paths["admin"]))
        response = self._guard(request, path, paths) if guarded else None
        if response is None:
            response = self.get_response(request)
        # A view that chose its own caching keeps it (a class's flyer image, for five minutes in
        # the one browser); every other answer is no-store.
        if (guarded or path.startswith(paths["api"])) and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _guard(self, request, path: str, paths: dict[str, str]):
        if path in (paths["login"], paths["logout"]) or not request.user.is_authenticated:
            return None
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT, login_at)
        if login_at is None:
            # A session from before these limits: its clock starts now.
            session[LOGIN_AT] = session[SEEN_AT] = now
        elif (
            now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            or now - seen_at > settings.SESSION_IDLE_SECONDS
        ):
            logout(request)
            messages.info(request, _("You were signed out after a while. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        elif now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        step = session.get(STEP)
        if step in (VERIFY, ENROL) and path != paths[step]:
            return redirect(f"{paths[step]}?{urlencode({'next': request.get_full_path()})}")
        if (
            step is None
            and settings.TWO_FACTOR_REQUIRED
            and path.startswith(paths["admin"])
            and (request.user.is_staff or request.user.is_superuser)
            and not request.user.is_verified()
        ):
            # Made an administrator during the session: the admin asks for the second factor
            # at once (staff pages ask in `staff_member_required`, which reads the roles).
            return ask_second_factor(request, enrolled=has_two_factor(request.user))
        return None
