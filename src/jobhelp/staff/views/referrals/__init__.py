"""Referrals from the staff side, by page: the receiving organization's queue, its CSV and the
sent list (lists), sending from a request or for a walk-in (send), a referral's page and the
moves on it (detail), the patron's consent (consent), the slip (slip), the receiving
organization's settings (receiving), and the request page's section (section).

The rules live in referrals.domain and referrals.consent, which check referrals.rules
themselves; these views offer only what the person may do, turn forms into calls and a
ReferralError into a message. Another organization's referral is a 404. What the receiving side
reads of the person comes from referrals.sharing alone.
"""

from jobhelp.staff.views.referrals.section import request_section

__all__ = ["request_section"]
