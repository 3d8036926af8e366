"""Who may do what with help requests. Which requests a person may read is decided by the
scoped queries in intake.queries, so another organization's request is a 404, not a 403."""

from datetime import date

import rules
from django.db.models import Q
from django.utils import timezone

from jobhelp.accounts.enums import HELPING_ROLES, Role
from jobhelp.accounts.queries import roles_of

ASSIGNING_ROLES = frozenset({Role.FRONT_DESK, Role.MANAGER, Role.ADMIN})
MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def holds_role_for(user, organization, roles) -> bool:
    """Does the user hold one of `roles` in the organization or in the system above it?"""
    if not user.is_authenticated or not user.is_active:
        return False
    org_ids = [organization.pk] + ([organization.parent_id] if organization.parent_id else [])
    return user.memberships.filter(organization_id__in=org_ids, role__in=roles).exists()


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.memberships.exists())


def can_assign(user, help_request) -> bool:
    return holds_role_for(user, help_request.organization, ASSIGNING_ROLES)


def can_be_assigned(user, help_request) -> bool:
    return holds_role_for(user, help_request.organization, HELPING_ROLES)


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
    return holds_role_for(user, organization, MANAGING_ROLES)


def may_enter_staff_area(user, roles) -> bool:
    """has_perm("intake.take_request") from roles already read (accounts.queries.roles_of): a
    member of some organization, or a superuser, who sees nothing without a membership."""
    return bool(roles) or user.is_superuser


def is_manager_among(roles) -> bool:
    """Do these roles (accounts.queries.roles_of) include a manager's somewhere?"""
    return bool(MANAGING_ROLES & roles)


@rules.predicate
def manages_somewhere(user) -> bool:
    return is_manager_among(roles_of(user))


rules.add_perm("intake.take_request", is_staff_member)
# Shows the "Routing rules" link (staff.context_processors.menu, with is_manager_among); each
# rule is still checked with can_manage_rules.
rules.add_perm("intake.manage_routing", manages_somewhere)
