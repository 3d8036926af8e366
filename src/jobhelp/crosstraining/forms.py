"""Input about trainings, records, requirements and cards, shared by the staff pages and the API:
input validation only. Who may make a change is the domain's decision. Choices (organizations,
locations, people, cards) are given by the caller from crosstraining.queries, already scoped."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import Role
from jobhelp.core import files
from jobhelp.core.enums import Need
from jobhelp.core.forms import AttachedFileForm, UswdsFormMixin
from jobhelp.core.validators import validate_single_line
from jobhelp.crosstraining.enums import TrainingKind
from jobhelp.crosstraining.validators import clean_card_number

CHOOSE = {"invalid_choice": _("Choose one of the options in the list.")}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _line(label, *, required=True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=200, validators=[validate_single_line]
    )


class _Form(UswdsFormMixin, forms.Form):
    pass


class ModelChoice(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", None)
        kwargs.setdefault("error_messages", CHOOSE)
        super().__init__(*args, **kwargs)


class TrainingForm(_Form):
    title = _line(_("Title"))
    title_es = _line(_("Title in Spanish"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices, error_messages=CHOOSE)
    organization = ModelChoice(label=_("Given by"))
    trainer = ModelChoice(label=_("Trainer"))
    audience = forms.ModelMultipleChoiceField(
        label=_("For the staff of"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose whose staff the training is for."),
            "invalid_choice": _("Choose organizations from the list."),
        },
    )
    location = ModelChoice(
        label=_("Location"), help_text=_("The time is in this location's time zone.")
    )
    day = forms.DateField(label=_("Day"), widget=_date_input())
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=60
    )
    place = _line(_("Room or place"), required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500, required=False)

    def __init__(self, *args, organizations, trainers, audiences, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["trainer"].queryset = trainers
        self.fields["audience"].queryset = audiences
        self.fields["location"].queryset = locations

    def clean(self):
        data = super().clean()
        if not (data.get("place") or data.get("online_link")):
            raise ValidationError(_("Give a room or place, or an online link."))
        location, day, starts = data.get("location"), data.get("day"), data.get("starts")
        if location and day and starts:
            data["starts_at"] = datetime.combine(day, starts, tzinfo=location.zone)
        return data


class AttendanceForm(_Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Mark only people on the roster.")},
    )

    def __init__(self, *args, roster=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(p.pk, str(p)) for p in roster]


class MaterialForm(AttachedFileForm):
    """A file for a training's attendees: a PDF, PNG or JPEG."""

    validate = staticmethod(files.validate_evidence)

    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF (save slides as a PDF), PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class RecordElsewhereForm(_Form):
    person = ModelChoice(label=_("Staff member"))
    title = _line(_("Training"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices, error_messages=CHOOSE)
    completed_on = forms.DateField(label=_("Completed on"), widget=_date_input())
    given_by = _line(_("Given by"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class RequirementForm(_Form):
    organization = ModelChoice(label=_("Organization"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, error_messages=CHOOSE)
    kind = forms.ChoiceField(
        label=_("Training kind"), choices=TrainingKind.choices, error_messages=CHOOSE
    )
    title = _line(_("Only trainings titled"), required=False)
    within_days = forms.IntegerField(
        label=_("Within days of starting"), min_value=1, max_value=730, initial=60
    )
    refresh_months = forms.IntegerField(
        label=_("Refreshed every (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Leave empty if it is done once."),
    )
    qualifies_for = forms.ChoiceField(
        label=_("Completing it qualifies for"),
        choices=[("", _("No need")), *Need.choices],
        required=False,
        error_messages=CHOOSE,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class CardForm(_Form):
    number = forms.CharField(
        label=_("Card number"),
        max_length=40,
        help_text=_("The 14-digit barcode. After saving, only its last four digits are shown."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    branch = ModelChoice(label=_("Issuing branch"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches

    def clean_number(self) -> str:
        return clean_card_number(self.cleaned_data["number"])


class IssueForm(_Form):
    holder = ModelChoice(label=_("Lend to"))
    issued_on = forms.DateField(label=_("Issued on"), widget=_date_input())
    expires_on = forms.DateField(label=_("Expires on"), widget=_date_input())

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires <= issued:
            self.add_error("expires_on", _("The expiry date must be after the issue date."))
        return data
