"""The partnership pages' own input: which quarter's report, which month of the log, a move of
an agreement's status, and an attendee added to a meeting. The input the API takes as well
(agreements, parties, obligations, meetings, grants, the log) is checked by
partnerships.forms."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_person_name


class ReportPeriodForm(UswdsFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[
            (1, _("January to March")),
            (2, _("April to June")),
            (3, _("July to September")),
            (4, _("October to December")),
        ],
    )

    @staticmethod
    def current(today: date | None = None) -> dict:
        today = today or timezone.localdate()
        return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}


class LogMonthForm(UswdsFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month, for example 2026-03.")},
    )


class AgreementMoveForm(forms.Form):
    """Sending a draft to the parties, or taking it back to draft."""

    OPEN = "open_negotiation"
    DRAFT = "return_to_draft"
    action = forms.ChoiceField(choices=[(OPEN, OPEN), (DRAFT, DRAFT)])


class AttendeeForm(UswdsFormMixin, forms.Form):
    """A staff member of a partner, or a guest by name from a partner."""

    user = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=None,
        required=False,
        empty_label=_("A guest without an account"),
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )
    name = forms.CharField(
        label=_("Guest's name"),
        max_length=120,
        required=False,
        validators=[validate_person_name],
        help_text=_("Only for a guest without an account."),
    )
    organization = forms.ModelChoiceField(
        label=_("From the partner"),
        queryset=None,
        required=False,
        empty_label=_("The partner they work for"),
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )

    def __init__(self, *args, people, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["organization"].queryset = organizations

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("user") is None:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Choose a staff member, or enter a guest's name."))
            elif data.get("organization") is None:
                self.add_error("organization", _("Choose the partner the guest comes from."))
        elif (data.get("name") or "").strip():
            self.add_error(
                "name", _("Leave the guest's name empty when you choose a staff member.")
            )
        return data


def month_or_current(form: LogMonthForm) -> date:
    """The first day of the month the form names, or of this month."""
    valid = form.is_bound and form.is_valid()
    day = form.cleaned_data["month"] if valid else timezone.localdate()
    return day.replace(day=1)
