"""The request form, shared by the public page and staff intake. Input validation only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.core.forms import PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.validators import reject_control_characters, validate_person_name
from jobhelp.intake.domain import RequestDetails
from jobhelp.intake.enums import (
    CLOSING_REASONS,
    RESOLVING_REASONS,
    STAFF_CHANNELS,
    BestTime,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
)
from jobhelp.intake.queries import helpers_for_request
from jobhelp.organizations.models import Location, Organization


class HelpRequestForm(PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        validators=[validate_person_name],
        help_text=_("First name is enough."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
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
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you first?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
        help_text=_("Text messages may cost you, depending on your phone plan."),
    )
    best_time = forms.ChoiceField(
        label=_("Best time to call"),
        choices=BestTime.choices,
        initial=BestTime.ANY,
        widget=forms.RadioSelect,
    )
    voicemail_ok = forms.BooleanField(label=_("It is OK to leave a voicemail"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply."),
        error_messages={"required": _("Choose at least one thing you need help with.")},
    )
    language = forms.ChoiceField(
        label=_("Language you want help in"),
        choices=Language.choices,
        initial=Language.ENGLISH,
    )
    preferred_location = forms.ModelChoiceField(
        label=_("Library you prefer"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Any library, or remote help"),
    )
    modality = forms.ChoiceField(
        label=_("How do you want to get help?"),
        choices=Modality.choices,
        widget=forms.RadioSelect,
        initial=Modality.PHONE,
    )
    note = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_control_characters],
        help_text=_("Optional. Please do not include your Social Security number."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the library keeps this "
            "information to help me."
        ),
        error_messages={"required": _("Please agree to the privacy notice so we can help you.")},
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_location"].queryset = locations

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        preferred = data.get("preferred_contact")
        # Checked first: an error on `phone` below takes it out of the cleaned data.
        if preferred == ContactMethod.TEXT and "phone" in data and not phone:
            # Texts need a number even when an email address was given.
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
        if "phone" in data and "email" in data and not phone and not email:
            self.add_error(
                "phone",
                ValidationError(
                    _("Give a phone number or an email address so we can reach you."),
                    code="no_contact",
                ),
            )
        if preferred == ContactMethod.PHONE and "phone" in data and not phone and email:
            self.add_error(
                "preferred_contact",
                _("You chose phone; please add a phone number above, or choose email."),
            )
        if preferred == ContactMethod.EMAIL and "email" in data and not email and phone:
            self.add_error(
                "preferred_contact",
                _("You chose email; please add an email address above, or choose phone."),
            )
        return data

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            name=" ".join(data["name"].split()),
            phone=data["phone"],
            email=data["email"],
            preferred_contact=data["preferred_contact"],
            best_time=data["best_time"],
            voicemail_ok=data["voicemail_ok"],
            needs=list(data["needs"]),
            language=data["language"],
            preferred_location=data["preferred_location"],
            modality=data["modality"],
            note=data["note"].strip(),
        )


class PublicHelpRequestForm(HelpRequestForm):
    # Hidden from people and screen readers; only form-filling robots fill it in.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_homepage(self) -> str:
        if self.cleaned_data["homepage"]:
            raise ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""


class StaffHelpRequestForm(HelpRequestForm):
    channel = forms.ChoiceField(
        label=_("How did this request reach you?"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
        initial=STAFF_CHANNELS[0].value,
    )
    organization = forms.ModelChoiceField(
        label=_("Organization taking the request"),
        queryset=Organization.objects.none(),
    )
    field_order = ["channel", "organization"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0]
            self.fields["organization"].widget = forms.HiddenInput()
        self.fields["name"].label = _("Caller's name")
        self.fields["name"].help_text = _("First name is enough if they prefer.")
        self.fields["consent"].label = _(
            "I read the privacy notice to the patron (or pointed them to it) and they agreed."
        )
        self.fields["needs"].label = _("What do they need help with?")
        self.fields["language"].label = _("Language they want help in")
        self.fields["preferred_location"].label = _("Library they prefer")
        self.fields["modality"].label = _("How do they want to get help?")
        self.fields["preferred_contact"].label = _("How should we contact them first?")
        self.fields["preferred_contact"].help_text = _(
            "Text messages may cost them, depending on their phone plan."
        )
        self.fields["voicemail_ok"].label = _("It is OK to leave them a voicemail")
        self.fields["note"].help_text = _(
            "What they told you, in a sentence or two. No Social Security numbers."
        )


# --- Triage: the input of intake.triage, shared by the staff pages and the API ----------------


class AssignForm(UswdsFormMixin, forms.Form):
    helper = forms.ModelChoiceField(
        label=_("Give this request to"),
        queryset=None,
        empty_label=_("Choose a person"),
        # Shown alone at the top of the page the form came from, so they name what is wrong.
        error_messages={
            "required": _("Choose who should take this request."),
            "invalid_choice": _(
                "That person cannot take requests here. Choose someone from the list."
            ),
        },
    )
    note = forms.CharField(
        label=_("Why? (needed when reassigning)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_control_characters],
    )
    # Who the person saw on the request when the page was drawn; see triage.assign_request.
    expected_assignee = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, help_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers_for_request(help_request)
        self.fields["expected_assignee"].initial = help_request.assigned_to_id


class ContactAttemptForm(UswdsFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("How"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
    )
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=ContactOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        validators=[reject_control_characters],
    )


# Finishing a request with appointments still to come: cancel them (and tell the patron), or
# keep them. The pages offer it only when there are some (scheduling.finishing).
CANCEL_UPCOMING_LABEL = _("Cancel the appointments still to come and tell the patron")


class ResolveForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        initial=ClosingReason.HELPED,
        choices=[(r.value, r.label) for r in ClosingReason if r in RESOLVING_REASONS],
    )
    cancel_upcoming = forms.BooleanField(label=CANCEL_UPCOMING_LABEL, required=False, initial=True)


class CloseForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it closed?"),
        widget=forms.RadioSelect,
        choices=[(r.value, r.label) for r in ClosingReason if r in CLOSING_REASONS],
    )
    cancel_upcoming = forms.BooleanField(label=CANCEL_UPCOMING_LABEL, required=False, initial=True)
