"""Finding a person: one box for a request's reference code, a phone number or an email
address."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.phones import normalize_phone
from jobhelp.core.references import REFERENCE_ALPHABET, REFERENCE_LENGTH, normalize_reference
from jobhelp.privacy.domain import Lookup


def parse_lookup(text: str) -> Lookup:
    text = text.strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("Enter an email address like name@example.com."), code="invalid"
            ) from None
        return Lookup(email=text.lower())
    reference = normalize_reference(text)
    # Codes are drawn from REFERENCE_ALPHABET, but older or imported codes may not be: six
    # letters and digits with a letter among them is a code, since no phone number is.
    if len(reference) == REFERENCE_LENGTH and (
        set(reference) <= set(REFERENCE_ALPHABET) or any(ch.isalpha() for ch in reference)
    ):
        return Lookup(reference=reference)
    try:
        return Lookup(phone=normalize_phone(text))
    except ValidationError:
        raise ValidationError(
            _(
                "Enter a request's reference code (6 letters and digits), a phone number with "
                "area code, or an email address."
            ),
            code="invalid",
        ) from None


class PersonLookupForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Reference code, phone number or email address"),
        max_length=254,
        help_text=_("For example K7M2QX, 763-555-0142 or name@example.com."),
    )

    def clean_q(self) -> str:
        self.lookup = parse_lookup(self.cleaned_data["q"])
        return self.cleaned_data["q"]


class EraseForm(PersonLookupForm):
    confirm = forms.BooleanField(
        label=_(
            "I have checked that these records are this person's, and they asked to be erased."
        ),
        required=True,
        error_messages={"required": _("Check the box to confirm the erasure.")},
    )
