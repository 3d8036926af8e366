"""Who may do what with a referral, built only on accounts.tenancy: a referral names both
sides, and each side is checked with the same functions as everything else (it never widens
what anyone sees).

- **The sending side** (staff acting for the referring organization, any role) sends it, prints
  and texts the slip, records the patron's consent and cancels it.
- **The receiving side** (staff acting for the receiving organization, any role) accepts,
  declines, moves it along and completes it, and may open a request for it in its own desk.
- **Either side** withdraws a consent when the patron asks, and reads the referral; only the
  sending side and a live consent show the patron's details (referrals.sharing).
- **Managers of the receiving organization** set how long its referrals wait for an answer, and
  its webhook.

The domain functions call these themselves; the interfaces call them only to decide what to
offer. Which referrals someone may read at all is decided by referrals.queries (a 404).
"""

import rules

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import acts_for, holds_role, is_manager_among, roles_of


def can_send_for(user, organization) -> bool:
    return acts_for(user, organization)


def acts_for_sender(user, referral) -> bool:
    return acts_for(user, referral.from_organization)


def acts_for_receiver(user, referral) -> bool:
    return acts_for(user, referral.to_organization)


can_cancel = acts_for_sender
can_record_consent = acts_for_sender
can_send_slip = acts_for_sender
can_answer = acts_for_receiver


def can_withdraw_consent(user, referral) -> bool:
    """The patron may tell either side they no longer agree."""
    return acts_for_sender(user, referral) or acts_for_receiver(user, referral)


def can_manage_receiving(user, organization) -> bool:
    return holds_role(user, organization, MANAGING_ROLES)


@rules.predicate
def manages_somewhere(user) -> bool:
    return is_manager_among(roles_of(user))


# The "Referral settings" link; each organization is still checked with can_manage_receiving.
rules.add_perm("referrals.manage_receiving", manages_somewhere)
