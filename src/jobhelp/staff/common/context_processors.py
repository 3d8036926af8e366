from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from jobhelp.accounts.tenancy import is_manager_among, member_of, roles_of
from jobhelp.casework.rules import sees_feedback_among
from jobhelp.partnerships.rules import in_a_partnership
from jobhelp.privacy.rules import handles_privacy_among

# The menu's links (staff/base_staff.html reads them by these keys) and the pages they open.
MENU = {
    "home": "staff:home",
    "request_new": "staff:requests:new",
    "queue": "staff:triage:queue",
    "mine": "staff:triage:mine",
    "calendar": "staff:calendar:index",
    "classes": "staff:classes:list",
    "partnerships": "staff:partnerships:index",
    "referrals": "staff:referrals:list",
    "training": "staff:crosstraining:trainings",
    "materials": "staff:materials:library",
    "directory": "staff:directory:index",
    "requests": "staff:requests:list",
    "feedback": "staff:casework:feedback",
    "routing": "staff:routing:list",
    "reports": "staff:reports:index",
    "api_tokens": "staff:tokens:list",
    "privacy": "staff:privacy:search",
    "account": "staff:account:index",
    "logout": "staff:logout",
}


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a dozen reverse() calls on every staff page
    # cost as much as one of its queries.
    return {key: reverse(name) for key, name in MENU.items()}


def _member_of(user) -> dict:
    found = member_of(user)
    return {"where": ", ".join(found.names), "organization": found.top}


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
            "privacy": handles_privacy_among(roles),
            # Only people who act for a partner of some partnership see the link.
            "partnerships": bool(roles) and in_a_partnership(request.user),
            "urls": _urls(get_script_prefix()),
            **_member_of(request.user),
        }

    return {"staff_menu": SimpleLazyObject(links)}
