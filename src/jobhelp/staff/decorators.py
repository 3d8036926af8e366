from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_member_required(view):
    """Anonymous visitors go to the login page; logged-in people without a membership in any
    organization get a 403, since there is nothing here they may see."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("intake.take_request"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
