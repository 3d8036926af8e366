"""Who may do what with help requests. Which requests a person may read is decided by the
scoped queries in intake.queries, so another organization's request is a 404, not a 403."""

import rules


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.memberships.exists())


rules.add_perm("intake.take_request", is_staff_member)
