"""Input of the referral functions, shared by the staff pages and the API: input validation
only; the rules are in referrals.domain and referrals.consent."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.phones import normalize_phone
from jobhelp.core.validators import reject_control_characters, validate_person_name
from jobhelp.referrals.consent import Person
from jobhelp.referrals.domain import ReferralDetails
from jobhelp.referrals.enums import (
    CHOSEN_DECLINE_REASONS,
    DEFAULT_CONSENT_DAYS,
    MAX_CONSENT_DAYS,
    WALK_IN_FIELDS,
    ConsentField,
    ConsentMethod,
    DeclineReason,
    Outcome,
    Reason,
    Urgency,
)
from jobhelp.referrals.validators import reject_contact_details


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, service) -> str:
        return f"{service.name} — {service.organization.name}"


def _note(label, *, max_length=1000, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_contact_details],
        help_text=help_text,
    )


class SendReferralForm(UswdsFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Referring organization"), queryset=None, empty_label=None, required=False
    )
    service = ServiceChoiceField(
        label=_("Refer them to"),
        queryset=None,
        empty_label=_("Choose a partner's service"),
        help_text=_("Services of the partners you have an agreement with."),
        error_messages={
            "required": _("Choose the service you refer them to."),
            "invalid_choice": _("Choose a service from the list of your partners' services."),
        },
    )
    need = forms.ChoiceField(label=_("What do they need?"), choices=Need.choices)
    reason = forms.ChoiceField(
        label=_("Why do you refer them?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    note = _note(
        _("Note for the partner (optional)"),
        help_text=_(
            "The partner reads this whatever the patron agrees to share: no names, phone "
            "numbers or email addresses."
        ),
    )
    language = forms.ChoiceField(
        label=_("The patron's language, for their slip"),
        choices=Language.choices,
        initial=Language.ENGLISH,
    )
    notify_patron = forms.BooleanField(
        label=_("Tell the patron when the partner answers and when it is done"), required=False
    )

    def __init__(self, *args, services, organizations=None, help_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if help_request is not None or organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            self.fields["organization"].required = True
            if len(organizations) == 1:
                self.fields["organization"].initial = organizations[0]
                self.fields["organization"].widget = forms.HiddenInput()
        if help_request is None:
            # A walk-in has no request whose channel could carry the news.
            del self.fields["notify_patron"]
        else:
            needs = [n.need for n in help_request.needs.all()]
            self.fields["need"].initial = needs[0] if needs else Need.OTHER
            self.fields["language"].initial = help_request.language

    def details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            reason=data["reason"],
            need=data["need"],
            urgency=data["urgency"],
            note=data["note"],
            language=data["language"],
            notify_patron=data.get("notify_patron", False),
        )


class ConsentForm(PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
    fields_shared = forms.MultipleChoiceField(
        label=_("What the patron agrees to share"),
        choices=ConsentField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one detail the patron agrees to share.")},
    )
    purpose = forms.CharField(
        label=_("For what purpose"),
        max_length=300,
        validators=[reject_contact_details],
        initial=_("So the partner can contact them about this referral."),
    )
    until = forms.DateField(
        label=_("Until (the consent ends after this day)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(
        label=_("How the patron gives it"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.SPOKEN,
        widget=forms.RadioSelect,
    )
    attest = forms.BooleanField(
        label=_(
            "I told the patron what would be shared, with whom and until when, and they said "
            "yes. They can withdraw at any time."
        ),
        required=False,
    )
    name = forms.CharField(
        label=_("Their name"), required=False, max_length=120, validators=[validate_person_name]
    )
    phone = forms.CharField(
        label=_("Their phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Their email address"), required=False, max_length=254)
    patron_language = forms.ChoiceField(
        label=_("Their language"), choices=[("", "—"), *Language.choices], required=False
    )
    send_to_phone = forms.CharField(
        label=_("Text the patron their link at (optional)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        help_text=_("The number is used for this one text and not kept on the referral."),
    )

    def __init__(self, *args, walk_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.walk_in = walk_in
        self.fields["until"].initial = timezone.localdate() + timedelta(days=DEFAULT_CONSENT_DAYS)
        if walk_in:
            self.fields["fields_shared"].choices = [
                (value, label) for value, label in ConsentField.choices if value in WALK_IN_FIELDS
            ]
        else:
            for name in ("name", "phone", "email", "patron_language", "send_to_phone"):
                del self.fields[name]

    def clean_send_to_phone(self) -> str:
        raw = self.cleaned_data["send_to_phone"]
        if not raw.strip():
            return ""
        reject_control_characters(raw)
        return normalize_phone(raw)

    def clean_until(self):
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if until > today + timedelta(days=MAX_CONSENT_DAYS):
            raise forms.ValidationError(
                _("A consent lasts at most %(days)d days.") % {"days": MAX_CONSENT_DAYS}
            )
        return until

    def clean(self):
        data = super().clean()
        if data.get("method") == ConsentMethod.SPOKEN and not data.get("attest"):
            self.add_error(
                "attest", _("Confirm that the patron agreed, or send them the link instead.")
            )
        return data

    def person(self) -> Person | None:
        if not self.walk_in:
            return None
        data = self.cleaned_data
        return Person(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            language=data.get("patron_language", ""),
        )


class AcceptForm(UswdsFormMixin, forms.Form):
    open_request = forms.BooleanField(
        label=_("Also open a request for them in our desk, with what they agreed to share"),
        required=False,
    )
    note = _note(_("Note (optional)"), max_length=500)


class DeclineForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline it?"),
        choices=CHOSEN_DECLINE_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say why you decline the referral.")},
    )
    note = _note(_("Note (needed for another reason)"), max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("reason") == DeclineReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say in the note why you decline the referral."))
        return data


class CompleteForm(UswdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came of it?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what came of the referral.")},
    )
    note = _note(_("Note (optional)"), max_length=500)


class NoteForm(UswdsFormMixin, forms.Form):
    """Starting, pausing or cancelling: only a note."""

    note = _note(_("Note (optional)"), max_length=500)


class SlipForm(UswdsFormMixin, forms.Form):
    phone = forms.CharField(
        label=_("Text the slip to (leave empty to use the request's email or phone)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        help_text=_("The number is used for this one text and not kept on the referral."),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        if not raw.strip():
            return ""
        reject_control_characters(raw)
        return normalize_phone(raw)


class ReceiverSettingsForm(UswdsFormMixin, forms.Form):
    expire_after_days = forms.IntegerField(
        label=_("Business days to answer a referral before it expires"),
        min_value=1,
        max_value=60,
    )
    webhook_url = forms.URLField(
        label=_("Webhook address of your own system (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "jobhelp posts each new referral and each change there, signed. Leave it empty "
            "to turn the webhook off."
        ),
    )
    new_secret = forms.BooleanField(label=_("Make a new signing secret"), required=False)
