"""A caller registered for a session by staff."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language
from jobhelp.core.forms import PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.tokens import stored_key as hashed_key
from jobhelp.core.validators import validate_person_name
from jobhelp.staff.common.forms import KEY_PATTERN, OUT_OF_DATE
from jobhelp.workshops.domain import Registrant
from jobhelp.workshops.forms import MessagesByCleaning, messages_by_field


def stored_key(user, key: str) -> str:
    """The key as stored with the registration: hashed with the staff member's id, so a key
    copied from someone else's page never finds their registration."""
    return hashed_key("jobhelp.staff.class", user.pk, key)


class RegisterCallerForm(MessagesByCleaning, PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
    """A caller registered by staff: a name, a phone number or an email address, and how they
    want their messages (by email, by text, or none: staff read them the details)."""

    name = forms.CharField(
        label=_("Caller's name"),
        max_length=120,
        validators=[validate_person_name],
        help_text=_("First and last name. The sign-in sheet shows only the last initial."),
        error_messages={"required": _("Enter the caller's name.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
    )
    preferred_contact = messages_by_field(required=True)
    language = forms.ChoiceField(
        label=_("Language for our messages"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_messages_by()
        field = self.fields["preferred_contact"]
        # Asked of every caller, with nothing chosen beforehand: a caller without email is
        # the usual case here.
        field.initial = None
        field.label = _("How should we send them the confirmation and reminders?")
        field.help_text = _(
            "With no messages, read them the date, the time and how to join before you hang up."
        )

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_PATTERN.match(key):
            raise ValidationError(OUT_OF_DATE)
        return key

    def clean(self):
        data = super().clean()
        # Checked first: an error on `phone` below takes it out of the cleaned data.
        no_contact = "phone" in data and "email" in data and not (data["phone"] or data["email"])
        if not self.clean_messages_by(data) and no_contact:
            self.add_error("phone", _("Give a phone number or an email address."))
        return data

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=" ".join(data["name"].split()),
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
            preferred_contact=data["preferred_contact"],
        )
