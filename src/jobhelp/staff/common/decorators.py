from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from jobhelp.accounts.tenancy import may_enter_staff_area, roles_of
from jobhelp.accounts.twofactor import has_two_factor, two_factor_required
from jobhelp.staff.common.middleware import ask_second_factor


def staff_member_required(view):
    """Anonymous visitors go to the login page; logged-in people without a membership in any
    organization get a 403, since there is nothing here they may see (the
    "accounts.enter_staff_area" permission). The roles are read afresh on every request, in
    one query, and kept as request.staff_roles for the page's menu.

    A session that has not passed the second factor is asked for it at once when the person now
    needs one (a manager or admin role, or an API token, gained since signing in: one more
    query, and only for such sessions)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.staff_roles = roles_of(request.user)
        if not may_enter_staff_area(request.user, request.staff_roles):
            raise PermissionDenied
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED
            and not user.is_verified()
            and two_factor_required(user, roles=request.staff_roles)
        ):
            return ask_second_factor(request, enrolled=has_two_factor(user))
        return view(request, *args, **kwargs)

    return wrapper
