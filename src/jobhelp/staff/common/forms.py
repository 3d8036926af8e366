"""What the forms of several staff areas share: the key that makes a form sent twice act
once, and the choice of a library."""

import re
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.tokens import stored_key as hashed_key
from jobhelp.organizations.models import Location

# What secrets.token_urlsafe writes; anything else did not come from our page.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
OUT_OF_DATE = _("This form is out of date. Please reload the page and try again.")


def new_form_key() -> str:
    """A fresh key for each drawing of a form that makes something (an appointment, a help
    session, a registration), so that a double submit makes it once."""
    return secrets.token_urlsafe(24)


def stored_key(user, key: str) -> str:
    """The key as stored with what the form made: hashed with the user's id, so a key copied
    from someone else's page never finds their booking (the API does the same)."""
    return hashed_key("jobhelp.staff", user.pk, key)


class LocationChoiceField(forms.ModelChoiceField):
    """A library, named with its organization when the two names differ."""

    def label_from_instance(self, obj: Location) -> str:
        if obj.name == obj.organization.name:
            return obj.name
        return f"{obj.name} ({obj.organization.name})"
