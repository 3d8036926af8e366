"""Input about partnerships, shared by the staff pages and the API: input validation only.
Whether a person may make the change, and whether the agreement's status allows it, is the
domain modules' decision (they check again, so a form is never the only guard).

Choices (organizations, places, people) are given by the caller from partnerships.queries,
already scoped to a partnership the user sees.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core import files
from jobhelp.core.forms import AttachedFileForm, PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.validators import validate_person_name, validate_single_line
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships import evidence
from jobhelp.partnerships.enums import (
    MAX_REVIEW_CYCLE_MONTHS,
    ActionItemStatus,
    Activity,
    AmendmentKind,
    ContributionKind,
    CostCategory,
    Frequency,
    GrantStatus,
    ObligationKind,
    PartyRole,
)

REVIEW_CYCLE_TOO_LONG = _(
    "An agreement must be reviewed at least every 36 months (20 CFR 678.500(b)(6)). "
    "Enter 36 months or fewer."
)
RENEWAL_BEFORE_EFFECTIVE = _(
    "The renewal date must come after the date the agreement takes effect."
)
NOT_IN_FUTURE = _("This date cannot be in the future.")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _text(label, *, required=False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _line(label, *, required=True, max_length=200, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[validate_single_line],
        help_text=help_text,
    )


class _Form(UswdsFormMixin, forms.Form):
    pass


class ModelChoice(forms.ModelChoiceField):
    """A choice of objects, shown by their names, from a queryset the caller scoped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", None)
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose one of the options in the list.")}
        )
        super().__init__(*args, **kwargs)


# --- Partnerships and partners ------------------------------------------------------------------


class PartnershipForm(_Form):
    name = _line(_("Name of the partnership"))
    expected_liaison_minutes = forms.IntegerField(
        label=_("Liaison's expected time (minutes a month)"),
        min_value=0,
        max_value=24 * 60,
        initial=120,
        help_text=_("About two hours a month is 120."),
    )


class PartnerForm(_Form):
    """A partner to add: `organizations` are the ones to offer, `partnership` (when adding)
    lets the form say at once that one is already a partner."""

    organization = ModelChoice(label=_("Organization"))
    tier = forms.ChoiceField(label=_("Participation"), choices=ParticipationTier.choices)
    offers = _text(_("What it offers the other partners"))
    services = _text(
        _("Services it takes part in"),
        help_text=_("For a partner at a reduced level, say what it takes part in."),
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=_date_input())

    def __init__(self, *args, organizations, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.partnership = partnership

    def clean_organization(self):
        organization = self.cleaned_data["organization"]
        if (
            self.partnership is not None
            and self.partnership.partners.filter(organization=organization).exists()
        ):
            raise ValidationError(
                _("%(name)s is already a partner.") % {"name": organization}, code="twice"
            )
        return organization


class PartnerDetailsForm(_Form):
    """What a partner's own managers keep up to date."""

    offers = _text(_("What it offers the other partners"))
    services = _text(_("Services it takes part in"))
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=_date_input())


class ContactForm(PhoneAndEmailCleaning, _Form):
    name = forms.CharField(label=_("Name"), max_length=120, validators=[validate_person_name])
    title = _line(_("Job title"), required=False, max_length=120)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)


# --- Agreements ---------------------------------------------------------------------------------


class AgreementForm(_Form):
    """The terms of an agreement, laid out as the MOU contents of 20 CFR 678.500."""

    title = _line(_("Title"))
    effective_from = forms.DateField(
        label=_("In effect from"), required=False, widget=_date_input()
    )
    renewal_on = forms.DateField(
        label=_("Renewal date"),
        required=False,
        widget=_date_input(),
        help_text=_("The fixed date on which the agreement is renewed."),
    )
    review_cycle_months = forms.IntegerField(
        label=_("Reviewed every (months)"),
        required=False,
        validators=[
            MinValueValidator(1, message=_("Enter at least 1 month.")),
            MaxValueValidator(MAX_REVIEW_CYCLE_MONTHS, message=REVIEW_CYCLE_TOO_LONG),
        ],
        help_text=_("At most 36 months (20 CFR 678.500(b)(6))."),
    )
    services_coordination = _text(_("How services are coordinated and delivered"))
    referral_methods = _text(_("Methods of referring people between partners"))
    needs_disability = _text(_("How the needs of people with disabilities are met"))
    needs_language = _text(_("How the needs of people who speak other languages are met"))
    needs_technology = _text(_("Access to technology and materials"))
    cost_allocation_method = _text(_("How costs are allocated"))
    data_sharing = _text(_("Data-sharing terms"))
    dispute_resolution = _text(_("How disputes are resolved"))
    amendment_procedure = _text(_("How the agreement is amended"))
    chief_elected_official = _line(_("Chief elected official (name and title)"), required=False)
    chief_elected_official_agreed_on = forms.DateField(
        label=_("Chief elected official agreed on"), required=False, widget=_date_input()
    )

    def clean(self):
        data = super().clean()
        effective, renewal = data.get("effective_from"), data.get("renewal_on")
        if effective and renewal and renewal <= effective:
            self.add_error("renewal_on", ValidationError(RENEWAL_BEFORE_EFFECTIVE, code="order"))
        return data


class PartyForm(_Form):
    """A party to add to `agreement`: the same organization twice is an error here, before the
    database's unique constraint would refuse it."""

    organization = ModelChoice(label=_("Organization"))
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    tier = forms.ChoiceField(label=_("Participation"), choices=ParticipationTier.choices)
    services = _text(_("Services it provides"))

    def __init__(self, *args, organizations, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.agreement = agreement

    def clean_organization(self):
        organization = self.cleaned_data["organization"]
        if (
            self.agreement is not None
            and self.agreement.parties.filter(organization=organization).exists()
        ):
            raise ValidationError(
                _("%(name)s is already a party to this agreement.") % {"name": organization},
                code="twice",
            )
        return organization


class SignatureForm(_Form):
    signatory_name = forms.CharField(
        label=_("Signatory's name"), max_length=120, validators=[validate_person_name]
    )
    signatory_title = _line(_("Signatory's title"), max_length=120)
    signed_on = forms.DateField(label=_("Signed on"), widget=_date_input())

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE, code="future")
        return signed_on


class CostShareForm(_Form):
    category = forms.ChoiceField(label=_("Costs"), choices=CostCategory.choices)
    contribution = forms.ChoiceField(label=_("Contribution"), choices=ContributionKind.choices)
    description = _text(_("What is contributed"), required=True)
    annual_amount = forms.DecimalField(
        label=_("Value a year (dollars)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )


class AmendmentForm(_Form):
    """An amendment; the terms it changes come in an AgreementForm beside it."""

    kind = forms.ChoiceField(
        label=_("Kind of amendment"),
        choices=AmendmentKind.choices,
        widget=forms.RadioSelect,
        help_text=_("A major amendment needs every party's signature again."),
    )
    summary = _text(_("What changes"), required=True)
    effective_on = forms.DateField(label=_("In effect from"), widget=_date_input())


class AttachmentForm(AttachedFileForm):
    """A PDF for the agreement."""

    validate = staticmethod(files.validate_pdf)

    title = _line(_("What it is"), required=False, help_text=_("For example: the signed copy."))
    file = forms.FileField(label=_("PDF file"))


# --- Obligations --------------------------------------------------------------------------------


class ObligationForm(_Form):
    title = _line(_("What is to be done"))
    description = _text(_("Details"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ObligationKind.choices)
    owner_organization = ModelChoice(label=_("Done by (organization)"))
    owner = ModelChoice(label=_("Done by (person)"), required=False)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    first_due_on = forms.DateField(label=_("First due on"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("Last due on"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty to keep it until the agreement's renewal date."),
    )
    reduced_tier_takes_part = forms.BooleanField(
        label=_("Partners at a reduced level take part"), required=False
    )

    def __init__(self, *args, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = organizations
        self.fields["owner"].queryset = people

    def clean(self):
        data = super().clean()
        first, ends = data.get("first_due_on"), data.get("ends_on")
        if first and ends and ends < first:
            self.add_error(
                "ends_on",
                ValidationError(_("The last due date cannot come before the first."), code="order"),
            )
        return data


class OccurrenceDoneForm(_Form):
    """How an occurrence was kept: a note, a file, or a record that fulfilled it, chosen from
    `records` (partnerships.evidence.choice_value of each, e.g. the partnership's meetings)."""

    note = _text(_("What was done"))
    file = forms.FileField(
        label=_("File (PDF, PNG or JPEG)"), required=False, help_text=_("A list, a photo, a scan.")
    )
    record = forms.ChoiceField(label=_("Record that shows it"), required=False)

    def __init__(self, *args, user, records=(), too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.too_large = set(too_large)
        self.fields["record"].choices = [("", _("No record")), *records]

    def clean_file(self):
        if "file" in self.too_large:
            raise files.too_large_error()
        upload = self.cleaned_data.get("file")
        if upload:
            self.display_name = files.display_name(upload.name)
            files.validate_evidence(upload)
        return upload

    def clean_record(self):
        value = self.cleaned_data.get("record")
        if not value:
            return None
        found = evidence.find(self.user, value)
        if found is None:
            raise ValidationError(
                _("Choose one of the options in the list."), code="invalid_choice"
            )
        return found

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            (data.get("note") or "").strip() or data.get("file") or data.get("record")
        ):
            raise ValidationError(
                _(
                    "Say how it was kept: write a note, attach a file "
                    "or link the record that shows it."
                ),
                code="no_evidence",
            )
        return data


# --- Meetings, action items, grants -------------------------------------------------------------


class MeetingForm(_Form):
    title = _line(_("Title"))
    location = ModelChoice(label=_("Meeting place"))
    day = forms.DateField(label=_("Day"), widget=_date_input())
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    agenda = _text(_("Agenda"))
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose people from the list.")},
    )

    def __init__(self, *args, locations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["attendees"].queryset = people


class MinutesForm(_Form):
    minutes = _text(_("Minutes of the meeting"), required=True)
    decisions = _text(_("Decisions"))
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Mark only people listed for this meeting.")},
    )

    def __init__(self, *args, attendees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(a.pk, str(a)) for a in attendees]


class ActionItemForm(_Form):
    title = _line(_("What is to be done"))
    owner = ModelChoice(label=_("Owner"))
    due_on = forms.DateField(label=_("Due on"), widget=_date_input())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionItemStatusForm(_Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)


class GrantForm(_Form):
    funder = _line(_("Funder"))
    opportunity = _line(_("Opportunity"))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=_date_input())
    lead_organization = ModelChoice(label=_("Lead partner"))
    amount_sought = forms.DecimalField(
        label=_("Amount sought (dollars)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    match_commitment = _text(_("Match commitments"))
    in_kind_commitment = _text(_("In-kind commitments"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organization"].queryset = organizations


class GrantStatusForm(_Form):
    status = forms.ChoiceField(label=_("Status"), choices=GrantStatus.choices)
    outcome = _text(_("Outcome"))


# --- The liaison's log --------------------------------------------------------------------------


class LogEntryForm(_Form):
    occurred_on = forms.DateField(label=_("Day"), widget=_date_input())
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    minutes = forms.IntegerField(
        label=_("Time (minutes)"),
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "min_value": _("Enter the time in minutes, between 1 and 1440."),
            "max_value": _("Enter the time in minutes, between 1 and 1440."),
        },
    )
    with_organization = ModelChoice(label=_("With whom (partner or branch)"), required=False)
    attendees = _text(_("Who took part"))
    attendee_count = forms.IntegerField(
        label=_("How many took part"), required=False, min_value=0, max_value=1000
    )
    note = _text(_("Note"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_organization"].queryset = organizations

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Log time once it has been given, not ahead."), code="future")
        return day
