from jobhelp.accounts.models import Membership


def roles_of(user) -> frozenset[str]:
    """Every role the user holds anywhere (empty for someone who is not staff), in one query.

    Staff pages read it once per request (request.staff_roles, set by
    staff.decorators.staff_member_required) for the page's own check and its menu."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        Membership.objects.filter(user_id=user.pk).order_by().values_list("role", flat=True)
    )
