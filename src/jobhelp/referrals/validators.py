"""Checks of single values: the notes that travel with a referral hold no contact details."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.validators import reject_control_characters

# An email address anywhere in the text.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Seven digits or more, with the spaces, dots, dashes and brackets people type between them: a
# phone number (or a card, account or Social Security number, which do not belong here either).
_NUMBER = re.compile(r"(?:\d[\s().+-]{0,3}){7,}")


def reject_contact_details(value: str) -> None:
    """A note for the receiving partner, or on a change of state, is read by the other side
    whatever the patron agreed to: an email address or a phone number (or any long number) in
    it is refused, so contact details travel only with a consent."""
    reject_control_characters(value)
    if _EMAIL.search(value) or _NUMBER.search(value):
        raise ValidationError(
            _(
                "Leave phone numbers, email addresses and other numbers out of the note: the "
                "partner reads it whatever the patron agreed to. Record the patron's consent "
                "to share contact details instead."
            ),
            code="contact_details",
        )
