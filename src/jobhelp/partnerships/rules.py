"""Who may see and change what in a partnership, built only on accounts.tenancy.

- **Seeing.** Staff who act for a partner (accounts.tenancy.organizations_for: their own
  organization and, for a library system's staff, its branches and affiliates) see the
  partnership's meetings, grants and log. They see an agreement only when an organization they
  act for is a party to it, and its obligations by tier: acting for a party at full
  participation shows them all; acting only for parties at a reduced level (an affiliate's
  staff) shows only those marked for the reduced tier and their own organization's.
  Everything else is simply not found (partnerships.queries), a 404.
- **Changing.** Managers of a party edit the agreement; each party's managers record its own
  signature. Managers of a partner at full participation run the partnership (partners,
  liaison, meetings, action items, grants). Managers and liaisons of a party, and an
  obligation's own person, record that an occurrence was kept. Liaisons of a partner keep the
  log, each their own entries. An action item's owner may close it.

The domain modules call these functions themselves, so the pages and the API cannot check
differently; the interfaces call them only to decide what to offer.
"""

import rules
from django.db.models import Exists, F, OuterRef, Q

from jobhelp.accounts.enums import MANAGING_ROLES, Role
from jobhelp.accounts.tenancy import holds_role, organizations_for
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships.models import Obligation, Partner, Party

# Who may record that an obligation's occurrence was kept.
EVIDENCE_ROLES = frozenset(MANAGING_ROLES | {Role.LIAISON})
# Who keeps the liaison's log.
LOG_ROLES = frozenset({Role.LIAISON})


def _acting(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- Partnerships and partners ------------------------------------------------------------------


def sees_partnership(user, partnership) -> bool:
    return partnership.partners.filter(organization__in=organizations_for(user)).exists()


def manages(user, organization) -> bool:
    """Starting a partnership convened by an organization, or an agreement with it as the
    first party, is for its managers."""
    return holds_role(user, organization, MANAGING_ROLES)


can_create_partnership = manages


def can_manage_partnership(user, partnership) -> bool:
    """Managers of a partner at full participation: partners, liaison, meetings, grants."""
    return partnership.partners.filter(
        organization__in=organizations_for(user, roles=MANAGING_ROLES),
        tier=ParticipationTier.FULL,
    ).exists()


def can_edit_partner(user, partner) -> bool:
    """A partner's own managers keep what it offers and its contacts up to date."""
    return holds_role(user, partner.organization, MANAGING_ROLES) or can_manage_partnership(
        user, partner.partnership
    )


# --- Agreements ---------------------------------------------------------------------------------


def sees_agreement(user, agreement) -> bool:
    return agreement.parties.filter(organization__in=organizations_for(user)).exists()


def can_edit_agreement(user, agreement) -> bool:
    """Managers of any party (or of the library system above a party)."""
    return agreement.parties.filter(
        organization__in=organizations_for(user, roles=MANAGING_ROLES)
    ).exists()


def can_sign(user, party) -> bool:
    """A party's signature is recorded by its own managers."""
    return holds_role(user, party.organization, MANAGING_ROLES)


# --- Obligations --------------------------------------------------------------------------------


def obligation_visibility(user, *, via: str = "") -> Q:
    """The condition on obligations (or, with `via`, on objects pointing at one, such as
    "obligation__" for occurrences) that `user` may see, by the tier of the parties they act
    for."""
    organizations = organizations_for(user)
    parties = Party.objects.filter(
        agreement=OuterRef(f"{via}agreement"), organization__in=organizations
    )
    return Q(Exists(parties.filter(tier=ParticipationTier.FULL))) | (
        Q(Exists(parties))
        & (
            Q(**{f"{via}reduced_tier_takes_part": True})
            | Q(**{f"{via}owner_organization__in": organizations})
        )
    )


def sees_obligation(user, obligation) -> bool:
    return Obligation.objects.filter(obligation_visibility(user), pk=obligation.pk).exists()


def can_record_evidence(user, obligation) -> bool:
    """Seeing the obligation, and either its own person or a manager or liaison of a party."""
    if not _acting(user):
        return False
    recording = Party.objects.filter(
        agreement=OuterRef("agreement"),
        organization__in=organizations_for(user, roles=EVIDENCE_ROLES),
    )
    return (
        Obligation.objects.filter(obligation_visibility(user), pk=obligation.pk)
        .filter(Q(owner_id=user.pk) | Q(Exists(recording)))
        .exists()
    )


# --- Meetings and the log -----------------------------------------------------------------------


def can_close_action_item(user, item) -> bool:
    return (_acting(user) and item.owner_id == user.pk) or can_manage_partnership(
        user, item.meeting.partnership
    )


def liaison_organization(user, partnership):
    """The partner organization `user` acts for as a liaison in `partnership`, or None: the
    organization their log entries are recorded for."""
    partner = (
        partnership.partners.filter(organization__in=organizations_for(user, roles=LOG_ROLES))
        .select_related("organization")
        .order_by(F("organization__parent_id").asc(nulls_first=True), "organization__name", "pk")
        .first()
    )
    return partner.organization if partner else None


def acting_partner(user, partnership):
    """The partner organization `user` acts for in `partnership` (their own before one below
    it), or None: the organization an attendee or an action item's owner is counted for."""
    partner = (
        partnership.partners.filter(organization__in=organizations_for(user))
        .select_related("organization")
        .order_by(F("organization__parent_id").asc(nulls_first=True), "organization__name", "pk")
        .first()
    )
    return partner.organization if partner else None


def can_keep_log(user, partnership) -> bool:
    return partnership.partners.filter(
        organization__in=organizations_for(user, roles=LOG_ROLES)
    ).exists()


def can_change_log_entry(user, entry) -> bool:
    return _acting(user) and entry.liaison_id == user.pk and can_keep_log(user, entry.partnership)


# --- For menus and templates --------------------------------------------------------------------


@rules.predicate
def in_a_partnership(user) -> bool:
    """Shows the "Partnerships" link; every page still reads through the scoped queries."""
    return Partner.objects.filter(organization__in=organizations_for(user)).exists()


@rules.predicate
def keeps_a_log(user) -> bool:
    return Partner.objects.filter(
        organization__in=organizations_for(user, roles=LOG_ROLES)
    ).exists()


rules.add_perm("partnerships.view_partnerships", in_a_partnership)
rules.add_perm("partnerships.keep_log", keeps_a_log)
