"""What staff send on the directory's pages: a new entry's organization, a service's weekly
hours at a place, one section of the resource assessment, an HSDS file, a location's
coordinates and accessibility, an exception to its hours, a category, an entry's categories, a
town and ZIP code. Input validation only;
the service, staff-only details, computers and count forms are directory.forms."""

from datetime import time
from decimal import Decimal

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.directory import checklist

# An HSDS upload larger than this is for the command line (manage.py import_hsds).
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class OrganizationChoiceForm(UswdsFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Offered by"), queryset=None, empty_label=None)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class WeeklyHoursForm(UswdsFormMixin, forms.Form):
    """One interval a day, on the location's clock; a day left empty has none. All empty: the
    service follows the location's opening hours."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, name in WEEKDAYS.items():
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": name},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": name},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def days(self):
        return [(self[f"opens_{d}"], self[f"closes_{d}"]) for d in WEEKDAYS]

    def clean(self):
        data = super().clean()
        for day in WEEKDAYS:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None):
                self.add_error(f"opens_{day}", _("Give both times, or neither."))
            elif opens is not None and not opens < closes:
                self.add_error(f"opens_{day}", _("The service must start before it ends."))
        return data

    def intervals(self) -> list[tuple[int, time, time]]:
        data = self.cleaned_data
        return [
            (day, data[f"opens_{day}"], data[f"closes_{day}"])
            for day in WEEKDAYS
            if data.get(f"opens_{day}") is not None
        ]

    @staticmethod
    def initial_for(intervals) -> dict:
        initial = {}
        for day, opens, closes in intervals:
            initial.setdefault(f"opens_{day}", opens)
            initial.setdefault(f"closes_{day}", closes)
        return initial


YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class AssessmentSectionForm(UswdsFormMixin, forms.Form):
    """One section of the checklist (directory.checklist), its questions as fields. `answers()`
    gives them as the checklist stores them; a question left empty clears its answer."""

    def __init__(self, *args, section: str, answers: dict, **kwargs):
        self.questions = [q for q in checklist.QUESTIONS if q.section == section]
        initial = {}
        for question in self.questions:
            value = answers.get(question.code)
            if question.kind == checklist.YES_NO and value is not None:
                initial[question.code] = "yes" if value else "no"
            elif question.kind == checklist.HOURS:
                initial.update(
                    WeeklyHoursForm.initial_for(
                        (d, time.fromisoformat(o), time.fromisoformat(c)) for d, o, c in value or []
                    )
                )
            elif value is not None:
                initial[question.code] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.hours = None
        for question in self.questions:
            if question.kind == checklist.YES_NO:
                field = forms.ChoiceField(
                    choices=YES_NO_CHOICES, widget=forms.RadioSelect, required=False
                )
            elif question.kind == checklist.NUMBER:
                field = forms.IntegerField(min_value=0, max_value=1000, required=False)
            elif question.kind == checklist.TEXT:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
                )
            elif question.kind == checklist.CHOICES:
                field = forms.MultipleChoiceField(
                    choices=question.choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                self.hours = WeeklyHoursForm(*args, initial=initial, **kwargs)
                continue
            field.label = question.label
            if question.required:
                field.help_text = _("Needed before the assessment is sent for review.")
            self.fields[question.code] = field
        # The mixin styled the fields it saw; these were added after.
        for field in self.fields.values():
            css = (
                "usa-radio__input"
                if isinstance(field.widget, forms.RadioSelect)
                and not isinstance(field.widget, forms.CheckboxSelectMultiple)
                else "usa-checkbox__input"
                if isinstance(field.widget, forms.CheckboxSelectMultiple)
                else "usa-textarea"
                if isinstance(field.widget, forms.Textarea)
                else "usa-input"
            )
            field.widget.attrs.setdefault("class", css)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return (self.hours.is_valid() if self.hours is not None else True) and valid

    def answers(self) -> dict:
        answers = {}
        for question in self.questions:
            if question.kind == checklist.HOURS:
                intervals = self.hours.intervals()
                answers[question.code] = [
                    [d, o.isoformat("minutes"), c.isoformat("minutes")] for d, o, c in intervals
                ] or None
                continue
            value = self.cleaned_data.get(question.code)
            if question.kind == checklist.YES_NO:
                value = {"yes": True, "no": False}.get(value)
            elif question.kind == checklist.TEXT:
                value = value or None
            elif question.kind == checklist.CHOICES:
                value = list(value)
            answers[question.code] = value
        return answers


class ImportForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "An HSDS 3.0 data package (.zip) or API JSON: a page, a list of services, one "
            "service, or one service a line."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("This file is too large for the page; ask the administrator to import it.")
            )
        return upload


def _coordinate(label, limit: int):
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-limit),
        max_value=Decimal(limit),
        help_text=_("Decimal degrees, for example %(example)s.")
        % {"example": "45.012345" if limit == 90 else "-93.012345"},
    )


class LocationDetailsForm(UswdsFormMixin, forms.Form):
    """Where the building is (for the nearest free computer) and how to get in."""

    latitude = _coordinate(_("Latitude"), 90)
    longitude = _coordinate(_("Longitude"), 180)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        help_text=_("Entrances, parking, elevators, accessible computers, hearing loops."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False

    def clean(self):
        data = super().clean()
        has_latitude = data.get("latitude") is not None or bool(self.data.get("latitude"))
        has_longitude = data.get("longitude") is not None or bool(self.data.get("longitude"))
        if has_latitude != has_longitude:
            self.add_error(
                "longitude" if has_latitude else "latitude",
                _("Enter both the latitude and the longitude, or neither."),
            )
        return data


class HoursExceptionForm(UswdsFormMixin, forms.Form):
    """A date the location is closed (no times) or keeps other hours, on its own clock."""

    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    opens = forms.TimeField(
        label=_("Opens at"),
        required=False,
        help_text=_("Leave both times empty if it is closed all day."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    note = forms.CharField(
        label=_("Note for the public"),
        help_text=_("For example: Thanksgiving."),
        max_length=200,
        required=False,
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if "opens" in data and "closes" in data:
            if (opens is None) != (closes is None):
                self.add_error("closes", _("Give both times, or neither for closed all day."))
            elif opens is not None and not opens < closes:
                self.add_error("closes", _("It must open before it closes."))
        return data


class RemoveExceptionForm(forms.Form):
    on = forms.DateField()


class TermForm(UswdsFormMixin, forms.Form):
    """A category of the installation's own."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Broader category"), queryset=None, required=False, empty_label=_("None")
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = terms


class ServiceTermsForm(UswdsFormMixin, forms.Form):
    """An entry's categories besides its needs and ways of access."""

    terms = forms.ModelMultipleChoiceField(
        label=_("Other categories"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].queryset = terms


class PlaceForm(UswdsFormMixin, forms.Form):
    """A town and ZIP code of the area with the coordinates of its center; the same town and
    ZIP code again moves it."""

    name = forms.CharField(label=_("Town"), max_length=100)
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^[0-9]{5}$",
        max_length=5,
        error_messages={"invalid": _("Enter a five-digit ZIP code.")},
    )
    latitude = _coordinate(_("Latitude"), 90)
    longitude = _coordinate(_("Longitude"), 180)


class ImportOwnerForm(UswdsFormMixin, forms.Form):
    """Which of the manager's organizations the import is for: its managers see the job. Only
    organizations the person manages are choices; the only one is chosen already."""

    organization = forms.ModelChoiceField(
        label=_("Import for"),
        queryset=None,
        error_messages={
            "invalid_choice": _("Choose one of the organizations you manage."),
            "required": _("Choose one of the organizations you manage."),
        },
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        only = list(organizations[:2])
        if len(only) == 1:
            field.empty_label = None
            field.initial = only[0].pk
        else:
            field.empty_label = _("- Choose an organization -")
