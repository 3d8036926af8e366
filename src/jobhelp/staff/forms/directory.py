"""What staff send on the directory's pages: a new entry's organization, a service's weekly
hours at a place, one section of the resource assessment, an HSDS file. Input validation only;
the service, staff-only details, computers and count forms are directory.forms."""

from datetime import time

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
