"""Who may run classes and their rosters.

A class belongs to its host organization (and its co-hosts): their staff schedule, change and
cancel its sessions and see its rosters; the session's host takes attendance too. Any library
or partner staff member may register a caller for any public session (they promote each
other's classes). Which classes and registrations a person may read is decided by
workshops.queries, so another organization's roster is a 404.
"""

from jobhelp.accounts.tenancy import organizations_for, works_for_an_organization
from jobhelp.organizations.models import Organization


def host_organization_ids(workshop) -> set[int]:
    """The host, its co-hosts, and their branches (a system's class may meet at a branch)."""
    ids = {workshop.organization_id, *workshop.co_hosts.values_list("pk", flat=True)}
    return ids | set(Organization.objects.filter(parent_id__in=ids).values_list("pk", flat=True))


def staff_organization_ids(user) -> set[int]:
    """The organizations `user` acts for (accounts.tenancy.organizations_for)."""
    return set(organizations_for(user).values_list("pk", flat=True))


def can_manage(user, workshop) -> bool:
    """Staff who act for the class's host, a co-host, or a branch of either: a system's class
    is run by the staff of the branch where it meets too."""
    return bool(staff_organization_ids(user) & host_organization_ids(workshop))


def can_take_attendance(user, session) -> bool:
    return (user.is_authenticated and session.host_id == user.pk) or can_manage(
        user, session.workshop
    )


def can_register_others(user) -> bool:
    return works_for_an_organization(user)


def can_create_for(user, organization) -> bool:
    return organization.pk in staff_organization_ids(user)
