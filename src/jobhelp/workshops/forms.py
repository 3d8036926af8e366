"""Input about classes shared by the pages and the API: a registration (the public page and
the public API) and attendance (the staff page and the staff API). Input validation only:
whether a seat is free, the person is already registered, or attendance may be taken yet is
workshops.domain's decision."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language
from jobhelp.core.forms import PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.tokens import hash_token
from jobhelp.core.validators import validate_person_name
from jobhelp.notifications import sms
from jobhelp.workshops.domain import Registrant, person_key
from jobhelp.workshops.enums import MessagesBy, RegistrationState

# A fresh key is drawn for every registration form shown (secrets.token_urlsafe(24)); API
# callers choose their own, in the same alphabet. The page and the API share one rate limit
# per address (RATE_SCOPE).
RATE_SCOPE = "class_registration"
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Someone else's registration is never revealed, on the page or in the API: the answer to a
# phone number or email already registered is workshops.messages.already_registered.
STALE_FORM = _("This form is out of date. Please reload the page and try again.")

# The people whose attendance is marked: those holding a seat when the session began, and
# those already marked (marking again corrects it).
ON_ROSTER = (RegistrationState.REGISTERED, RegistrationState.ATTENDED, RegistrationState.NO_SHOW)


class AttendanceForm(UswdsFormMixin, forms.Form):
    """Who came, as registration ids; everyone else on the roster did not come. `roster` is
    the session's registrations (workshops.queries.roster), already read by the caller."""

    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone who came. Everyone not ticked is marked as not come."),
        error_messages={"invalid_choice": _("Mark only people registered for this session.")},
    )

    def __init__(self, *args, roster, **kwargs):
        people = [r for r in roster if r.state in ON_ROSTER]
        kwargs.setdefault(
            "initial",
            {"attended": [r.pk for r in people if r.state == RegistrationState.ATTENDED]},
        )
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name or _("(name erased)")) for r in people]


def messages_by_field(*, required: bool) -> forms.ChoiceField:
    """How a registrant wants their messages; the choices are set by MessagesByCleaning, since
    texts are offered only while texting is on."""
    return forms.ChoiceField(
        label=_("How should we send the confirmation and reminders?"),
        choices=MessagesBy.choices,
        required=required,
        initial=MessagesBy.EMAIL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how we should send your messages."),
            "invalid_choice": _("Choose one of the ways listed."),
        },
    )


class MessagesByCleaning:
    """`preferred_contact` beside `phone` and `email`: texts need a phone number and email an
    address; left out (an API caller), it is email when an address was given, else none."""

    def offer_messages_by(self) -> None:
        texting = sms.is_configured()
        field = self.fields["preferred_contact"]
        field.choices = [
            (value, label)
            for value, label in MessagesBy.choices
            if texting or value != MessagesBy.TEXT
        ]
        if texting:
            field.help_text = _(
                "The confirmation has the link to join. Text messages may cost you, depending "
                "on your phone plan."
            )
        else:
            field.help_text = _("The confirmation has the link to join.")

    def clean_messages_by(self, data: dict) -> bool:
        """Check the way chosen against the phone and email given; True when it added an
        error."""
        if "preferred_contact" not in data or "phone" not in data or "email" not in data:
            return False
        chosen = data["preferred_contact"]
        if not chosen:
            data["preferred_contact"] = MessagesBy.EMAIL if data["email"] else MessagesBy.NONE
        elif chosen == MessagesBy.TEXT and not data["phone"]:
            self.add_error(
                "preferred_contact",
                ValidationError(
                    _(
                        "You chose text messages; please add a mobile phone number above, "
                        "or choose another way."
                    ),
                    code="text_without_phone",
                ),
            )
            return True
        elif chosen == MessagesBy.EMAIL and not data["email"] and data["phone"]:
            self.add_error(
                "preferred_contact",
                ValidationError(
                    _("You chose email; please add an email address above, or choose another way."),
                    code="email_without_address",
                ),
            )
            return True
        return False


class ClassRegistrationForm(MessagesByCleaning, PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
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
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Required on the page, which always sends it; an API caller may leave it out.
    preferred_contact = messages_by_field(required=False)
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
        # The page always sends a key and a way for messages; an API caller may leave them out.
        self.key_required = key_required
        self.fields["preferred_contact"].required = key_required
        self.offer_messages_by()

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
        # Checked first: an error on `phone` below takes it out of the cleaned data. Texts
        # chosen without a number say so, rather than the general message below.
        no_contact = "phone" in data and "email" in data and not (data["phone"] or data["email"])
        if not self.clean_messages_by(data) and no_contact:
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
            preferred_contact=data["preferred_contact"],
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
        return hash_token(f"jobhelp.classes:{interface}:{session.pk}:{who}:{key}")
