"""Who may book, cancel and mark appointments.

Staff act on a request's appointments when they may work on the request: the person it is
assigned to, and anyone intake.rules.can_assign allows (front desk, managers, admins). A patron's
own self-service path has no user (``by=None``) and may book or move only appointment types that
patrons may book themselves; cancelling through their own link is always allowed (the domain's
cancel_appointment does not ask these rules then).
"""

from jobhelp.accounts.enums import ASSIGNING_ROLES
from jobhelp.accounts.tenancy import holds_role
from jobhelp.intake import rules as intake_rules


def can_book(user, help_request) -> bool:
    """May `user` book (or cancel, reschedule, mark) an appointment for `help_request`?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return help_request.assigned_to_id == user.pk or intake_rules.can_assign(user, help_request)


def can_book_without_request(user, organization) -> bool:
    """An appointment not tied to a request: front desk staff, managers and admins only."""
    return holds_role(user, organization, ASSIGNING_ROLES)


def may_act(user, *, help_request, organization, appointment_type) -> bool:
    """The one check every booking path makes; `user` is None on the patron's own path."""
    if user is None:
        return appointment_type.self_service
    if help_request is None:
        return can_book_without_request(user, organization)
    return can_book(user, help_request)
