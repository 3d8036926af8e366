from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from jobhelp.accounts.tenancy import may_enter_staff_area, roles_of


def staff_member_required(view):
    """Anonymous visitors go to the login page; logged-in people without a membership in any
    organization get a 403, since there is nothing here they may see (the
    "accounts.enter_staff_area" permission). The roles are read afresh on every request, in
    one query, and kept as request.staff_roles for the page's menu."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.staff_roles = roles_of(request.user)
        if not may_enter_staff_area(request.user, request.staff_roles):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
