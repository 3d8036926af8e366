"""What a visitor sends about classes: the calendar's filters, and a registration. Input
validation only: whether a seat is free, or the person is already registered, is the
workshops domain's decision. The API feeds its JSON into the same registration form."""

import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_person_name
from jobhelp.intake.forms import PhoneAndEmailCleaning
from jobhelp.organizations.models import Location
from jobhelp.workshops.domain import Registrant, person_key

# A fresh key is drawn for every registration form shown (secrets.token_urlsafe(24)); API
# callers choose their own, in the same alphabet. The page and the API share one rate limit
# per address (RATE_SCOPE).
RATE_SCOPE = "class_registration"
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Someone else's registration is never revealed, on the page or in the API.
ALREADY_REGISTERED = _(
    "This phone number or email is already registered for this session. Check the message we "
    "sent you, or call us."
)
STALE_FORM = _("This form is out of date. Please reload the page and try again.")


class ClassFilterForm(UswdsFormMixin, forms.Form):
    """The calendar's filters, read from the address (a GET form, so it works without
    JavaScript and a filtered list can be bookmarked). A value that is not offered is ignored
    rather than refused: the list is then simply not narrowed by it."""

    location = forms.ModelChoiceField(
        label=_("Library or place"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Anywhere"),
    )
    need = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("Any topic")), *Need.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the class"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )
    online = forms.BooleanField(label=_("Online classes only"), required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations

    def filters(self) -> dict:
        """The valid filters as keyword arguments for workshops.queries.public_sessions."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "location": data.get("location"),
            "need": data.get("need") or "",
            "language": data.get("language") or "",
            "online": bool(data.get("online")),
        }


class ClassRegistrationForm(PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        validators=[validate_person_name],
        help_text=_("First name and last name, as the host will see them on the list."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("We send the confirmation, the link to join and reminders by email."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our messages to you"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    # A fresh key with every form shown: the same form sent twice registers once.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)
    # Hidden from people and screen readers; only form-filling robots fill it in.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, key_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The page always sends a key; an API caller may leave it out.
        self.key_required = key_required

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if (key or self.key_required) and not _KEY.match(key):
            raise ValidationError(STALE_FORM, code="stale_form")
        return key

    def clean_homepage(self) -> str:
        if self.cleaned_data["homepage"]:
            raise ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def clean(self):
        data = super().clean()
        if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
            self.add_error(
                "phone",
                ValidationError(
                    _("Give a phone number or an email address so we can reach you."),
                    code="no_contact",
                ),
            )
        return data

    def add_error(self, field, error):
        # The key is hidden: its problem is the form's, shown at the top.
        super().add_error(None if field == "idempotency_key" else field, error)

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=" ".join(data["name"].split()),
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
        )

    def stored_key(self, session, *, interface: str) -> str | None:
        """The key the domain stores for this form: a hash of the interface, the session, the
        person's phone or email and the key sent, so that two people (or two API callers who
        chose the same key) never meet on one key."""
        key = self.cleaned_data["idempotency_key"]
        if not key:
            return None
        data = self.cleaned_data
        who = person_key(phone=data["phone"], email=data["email"])
        return hashlib.sha256(
            f"jobhelp.classes:{interface}:{session.pk}:{who}:{key}".encode()
        ).hexdigest()


class LeaveForm(UswdsFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to give up my place"),
        error_messages={"required": _("Tick the box to confirm that you want to leave.")},
    )
