"""Who may find, export and erase a patron's data and see who opened their requests: people
with a privacy role (accounts.enums.PRIVACY_ROLES) in the request's organization or above it."""

from jobhelp.accounts.enums import PRIVACY_ROLES
from jobhelp.accounts.tenancy import holds_role, organizations_for


def privacy_organizations(user):
    """The organizations whose patrons `user` may look up and erase (a lazy query)."""
    return organizations_for(user, roles=PRIVACY_ROLES)


def handles_privacy_among(roles) -> bool:
    """From roles already read (accounts.tenancy.roles_of): does the person hold a privacy role
    anywhere? For the menu and the door of the privacy pages."""
    return bool(PRIVACY_ROLES & roles)


def sees_accesses(user, help_request) -> bool:
    return holds_role(user, help_request.organization, PRIVACY_ROLES)
