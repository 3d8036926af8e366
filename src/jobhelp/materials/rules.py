"""Who may do what with materials and reference titles, built on accounts.tenancy.

Materials cross organizations on purpose: the workforce center sends its flyers to the
library's branches, a library sends its brochures to the center. They do it through records
that name both sides, and each side is checked with tenancy's functions on its own:

- the **sender** side: a material belongs to the organization that sent it; staff who act for
  that organization (accounts.tenancy.acts_for) send, change and withdraw it;
- the **receiving** side: each target location is confirmed (downloaded, printed, posted) by
  staff who act for the location's organization, and those staff see the material whoever
  sent it (materials.queries);
- a sender may target locations of its own library system or center, and those of the
  organizations that **share** with it (a `Sharing` row, made by a manager of the organization
  that shares, materials.domain.start_sharing).

Reference titles are edited by staff who act for the organization that lists them; they are read
by the whole of that organization's tree and by the organizations it shares with. Nothing here
widens tenancy: a role still never reaches up or sideways.
"""

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import acts_for, holds_role


def can_send_for(user, organization) -> bool:
    """Send a material on behalf of `organization`."""
    return acts_for(user, organization)


def can_manage_material(user, material) -> bool:
    """Change, retarget or withdraw a material: staff of the organization that sent it."""
    return acts_for(user, material.organization)


def can_confirm(user, location) -> bool:
    """Confirm a material at `location`: staff who act for the location's organization."""
    return acts_for(user, location.organization)


def can_edit_titles(user, organization) -> bool:
    """List, change, import and remove `organization`'s reference titles."""
    return acts_for(user, organization)


def can_order_for(user, organization) -> bool:
    """Mark a partner's title ordered or received for `organization`."""
    return acts_for(user, organization)


def can_manage_sharing(user, organization) -> bool:
    """Start or stop sharing with a partner: a manager of the organization that shares."""
    return holds_role(user, organization, MANAGING_ROLES)


def may_send_to(location, *, roots: set[int]) -> bool:
    """May a sender whose allowed trees are `roots` (its own root and those of the
    organizations sharing with it: queries.sending_roots) target `location`?"""
    return location.is_active and location.organization.root_id in roots
