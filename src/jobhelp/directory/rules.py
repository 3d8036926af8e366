"""Who may change the directory, built on accounts.tenancy (docs/conventions/permissions.md).

- A service, its places and hours, and its staff-only details are edited by the staff of the
  organization that offers it (and of its library system): any role there.
- A location's directory details, exceptions to its hours, public computers, counts and kiosks
  belong to the organization of the location, in the same way.
- A resource assessment is filled in by any staff of the location's organization and approved
  (or sent back) by its managers; an HSDS import by staff is a manager's too.
- Staff-only details are read by the staff of any partner (that is what they are for: informed
  referrals), never by the public.
"""

import rules

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import (
    acts_for,
    holds_role,
    is_manager_among,
    roles_of,
    works_for_an_organization,
)


def can_edit_for(user, organization) -> bool:
    return acts_for(user, organization)


def can_edit_service(user, service) -> bool:
    return acts_for(user, service.organization)


def can_edit_location(user, location) -> bool:
    return acts_for(user, location.organization)


def can_approve_assessment(user, location) -> bool:
    return holds_role(user, location.organization, MANAGING_ROLES)


def can_import_for(user, organization) -> bool:
    return holds_role(user, organization, MANAGING_ROLES)


def sees_staff_details(user) -> bool:
    return works_for_an_organization(user)


def can_manage_places(user) -> bool:
    """The towns and ZIP codes of the area: any manager's reference data."""
    return is_manager_among(roles_of(user))


# For templates: whether to show the staff-only part of a service's page.
rules.add_perm("directory.see_staff_details", rules.predicate(sees_staff_details))
