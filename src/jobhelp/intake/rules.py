"""Who may do what with help requests, built on accounts.tenancy. Which requests a person may
read is decided by the scoped queries in intake.queries, so another organization's request is a
404, not a 403."""

from datetime import date

import rules
from django.db.models import Q
from django.utils import timezone

from jobhelp.accounts.enums import ASSIGNING_ROLES, HELPING_ROLES, MANAGING_ROLES
from jobhelp.accounts.tenancy import holds_role, is_manager_among, roles_of


def can_assign(user, help_request) -> bool:
    return holds_role(user, help_request.organization, ASSIGNING_ROLES)


def can_be_assigned(user, help_request) -> bool:
    return holds_role(user, help_request.organization, HELPING_ROLES)


def is_qualified(user, needs: list[str], *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return user.qualifications.filter(
        Q(qualified_from__isnull=True) | Q(qualified_from__lte=today), need__in=needs
    ).exists()


def can_claim(user, help_request) -> bool:
    needs = [n.need for n in help_request.needs.all()]
    return can_be_assigned(user, help_request) and is_qualified(user, needs)


def can_work_on(user, help_request) -> bool:
    return help_request.assigned_to_id == user.pk or can_assign(user, help_request)


def can_manage_rules(user, organization) -> bool:
    return holds_role(user, organization, MANAGING_ROLES)


@rules.predicate
def manages_somewhere(user) -> bool:
    return is_manager_among(roles_of(user))


# Shows the "Routing rules" link (staff menu, with accounts.tenancy.is_manager_among); each rule
# is still checked with can_manage_rules.
rules.add_perm("intake.manage_routing", manages_somewhere)
