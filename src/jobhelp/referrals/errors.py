"""What the referral functions raise when they refuse: a message for the person who acted,
shown on the page they came from and answered by the API with 409 (or 422 for bad input).
Nothing was changed."""

from django.utils.translation import gettext as _


class ReferralError(Exception):
    """A change that is not allowed, or input that cannot be used."""


class NotAPartner(ReferralError):
    """The service's organization is outside the referring organization's agreements."""


class AlreadyMoved(ReferralError):
    """Someone else changed the referral first; `referral` is as it is now."""

    def __init__(self, referral, by=None):
        self.referral = referral
        self.by = by
        if by is not None:
            message = _("Someone else just changed this referral: %(name)s made it “%(state)s”.")
        else:
            message = _("Someone else just changed this referral: it is now “%(state)s”.")
        super().__init__(message % {"name": by, "state": referral.get_state_display()})
