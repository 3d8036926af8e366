"""Who may change the directory, built on accounts.tenancy (docs/conventions/permissions.md).

- A service, its places and hours, and its staff-only details are edited by the staff of the
  organization that offers it (and of its library system): any role there.
- A location's directory details, exceptions to its hours, public computers, counts and kiosks
  belong to the organization of the location, in the same way.
- A resource assessment is filled in by any staff of the location's organization and approved
  (or sent back) by its managers; an HSDS import by staff is a manager's too.
- Staff-only details of an organization's services (direct lines, who takes referrals, notes
  for referrers) are read by its partners: its own staff (and its library system's), and the
  staff of the organizations with which it has a running agreement, an MOU in negotiation or
  executed (partnerships.queries.agreement_partners, the same relation referrals use, on both
  sides of the tree). Staff of an unrelated organization see the public page only; the public
  never sees them.

Why the directory imports partnerships: "partners of an organization" is a fact of the
agreements, which the partnerships app owns; accounts.tenancy (below organizations' agreements
in the layers) answers only whom a person acts for, and is used here for that. Nothing in
partnerships (nor below it) needs the directory, so the directory sits above partnerships in the
import layers (pyproject.toml), and this rule is tenancy plus one read of the agreements.
"""

import rules

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import (
    acts_for,
    holds_role,
    is_manager_among,
    organizations_for,
    roles_of,
)
from jobhelp.partnerships.queries import agreement_partners


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


def sees_staff_details(user, organization) -> bool:
    """May `user` read the staff-only details of `organization`'s services? Its own staff (and
    its library system's), or staff acting for an organization it has a running agreement with.
    Two queries at most; False for anyone who acts for no organization."""
    if acts_for(user, organization):
        return True
    return organizations_for(user).filter(pk__in=agreement_partners(organization)).exists()


def can_manage_places(user) -> bool:
    """The towns and ZIP codes of the area: any manager's reference data."""
    return is_manager_among(roles_of(user))


# For templates: whether to show the staff-only part of a service's page.
rules.add_perm("directory.see_staff_details", rules.predicate(sees_staff_details))
