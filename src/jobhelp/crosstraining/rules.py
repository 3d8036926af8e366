"""Who may do what with trainings, records, requirements and cards, built only on
accounts.tenancy.

- A training is seen by the staff of the organization giving it and of its audience; it is
  scheduled, and its attendance taken, by managers and liaisons of the giving organization (and
  by its trainer).
- A person sees their own training record and the cards they hold; managers see their
  organizations' matrix and enter training taken elsewhere, and set requirements.
- A library's card pool (and so who holds its cards) is seen and changed only by its staff who
  lend cards: its front desk, liaisons and managers. Nobody else sees card holders.
"""

from jobhelp.accounts.enums import ASSIGNING_ROLES, MANAGING_ROLES, Role
from jobhelp.accounts.tenancy import holds_role, organizations_for
from jobhelp.organizations.enums import OrganizationKind

TRAINER_ROLES = frozenset(MANAGING_ROLES | {Role.LIAISON})
LENDING_ROLES = frozenset(ASSIGNING_ROLES | {Role.LIAISON})


def can_schedule(user, organization) -> bool:
    return holds_role(user, organization, TRAINER_ROLES)


def can_take_attendance(user, training) -> bool:
    return training.trainer_id == user.pk or can_schedule(user, training.organization)


def can_edit_training(user, training) -> bool:
    """Who may change a training's materials: its trainer, and the giving organization's
    managers and liaisons (those who take its attendance)."""
    return can_take_attendance(user, training)


def can_manage_records(user, organization) -> bool:
    """Managers keep their organization's training records and requirements."""
    return holds_role(user, organization, MANAGING_ROLES)


def can_lend_cards(user, library) -> bool:
    """Only libraries keep a pool of cards."""
    return library.kind != OrganizationKind.WORKFORCE_CENTER and holds_role(
        user, library, LENDING_ROLES
    )


def lending_organizations(user):
    """The libraries whose pools the user lends from."""
    return organizations_for(user, roles=LENDING_ROLES).exclude(
        kind=OrganizationKind.WORKFORCE_CENTER
    )


def schedules_anywhere(user) -> bool:
    return organizations_for(user, roles=TRAINER_ROLES).exists()


def manages_anywhere(user) -> bool:
    return organizations_for(user, roles=MANAGING_ROLES).exists()


def lends_anywhere(user) -> bool:
    return lending_organizations(user).exists()
