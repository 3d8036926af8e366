"""Who may record help sessions, change their outcomes and curate feedback.

Which sessions a person may read at all is decided by casework.queries (another organization's
session is a 404). Recording follows the request: the helper it is assigned to, and front desk
staff and managers (intake.rules.can_work_on), since a coach may ask the desk to enter it.
"""

import rules

from jobhelp.accounts.enums import HELPING_ROLES, MANAGING_ROLES
from jobhelp.accounts.tenancy import holds_role, roles_of
from jobhelp.intake import rules as intake_rules


def can_record(user, help_request) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return intake_rules.can_work_on(user, help_request) or (
        holds_role(user, help_request.organization, HELPING_ROLES)
        and help_request.help_sessions.filter(helper=user).exists()
    )


def can_change(user, session) -> bool:
    """Outcomes, follow-ups and the phone answer to the survey: the session's helper, or
    anyone who may record a session for its request."""
    if not user.is_authenticated or not user.is_active:
        return False
    return session.helper_id == user.pk or intake_rules.can_work_on(user, session.request)


def can_curate_feedback(user, organization) -> bool:
    """Marking a consented comment as a testimonial is a manager's call."""
    return holds_role(user, organization, MANAGING_ROLES)


def sees_feedback_among(roles) -> bool:
    """Do these roles (accounts.tenancy.roles_of) show the "Feedback" link?"""
    return bool((HELPING_ROLES | MANAGING_ROLES) & roles)


@rules.predicate
def helps_or_manages_somewhere(user) -> bool:
    """Shows the "Feedback" link; the page itself shows each organization's own answers."""
    return sees_feedback_among(roles_of(user))


rules.add_perm("casework.view_feedback", helps_or_manages_somewhere)
