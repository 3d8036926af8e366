"""Who may do what with help requests. Reads are additionally scoped by intake.queries."""

import rules

from jobhelp.organizations.queries import organizations_for_user


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.memberships.exists())


@rules.predicate
def works_for_request_organization(user, help_request) -> bool:
    if help_request is None:
        return False
    return organizations_for_user(user).filter(pk=help_request.organization_id).exists()


rules.add_perm("intake.take_request", is_staff_member)
rules.add_perm("intake.view_request", is_staff_member & works_for_request_organization)
