from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from jobhelp.accounts.tenancy import is_manager_among, roles_of
from jobhelp.casework.rules import sees_feedback_among

MENU = (
    "home",
    "request_new",
    "queue",
    "mine",
    "calendar",
    "classes",
    "requests",
    "feedback",
    "routing",
    "reports",
    "api_tokens",
    "logout",
)


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a dozen reverse() calls on every staff page
    # cost as much as one of its queries.
    return {name: reverse(f"staff:{name}") for name in MENU}


def menu(request):
    """Which of the staff menu's links a person sees, from the roles staff_member_required
    read for the page (or read here, once, on a page without it)."""

    def links():
        roles = getattr(request, "staff_roles", None)
        if roles is None:
            roles = roles_of(request.user)
        return {
            "feedback": sees_feedback_among(roles),
            "manager": is_manager_among(roles),
            "urls": _urls(get_script_prefix()),
        }

    return {"staff_menu": SimpleLazyObject(links)}
