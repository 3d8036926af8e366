"""The printable report's choice of period. The other filters are the report's own
(reports.forms.ReportFilterForm), shared with the API."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.reports.filters import EARLIEST, month_of, previous, quarter_of
from jobhelp.reports.forms import ReportFilterForm

PERIODS = {"month": month_of, "quarter": quarter_of}


class MonthInput(forms.TextInput):
    input_type = "month"


class PrintReportForm(ReportFilterForm):
    """A calendar month or quarter instead of two dates; with no month given, the last one
    that has ended. `cleaned_data["previous"]` is the period before, for the comparison."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("month", _("Month")), ("quarter", _("Quarter"))],
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=MonthInput(),
        help_text=_(
            "For example 2026-03. For a quarter, any month of it. Empty: the last one that "
            "has ended."
        ),
    )

    field_order = ["period", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["start"], self.fields["end"]

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Enter a month as year and month, for example 2026-03."))
        month = date(int(match[1]), int(match[2]), 1)
        if not EARLIEST <= month <= date(self.today.year + 1, 12, 1):
            raise forms.ValidationError(
                _("Choose a month from January 2000 to December %(year)d.")
                % {"year": self.today.year + 1}
            )
        return month

    def clean(self):
        data = self.cleaned_data
        if self.has_error("month"):
            return data
        kind = data.get("period") or "month"
        month = data.get("month")
        if month is None:
            chosen = previous(PERIODS[kind](self.today), kind)
        else:
            chosen = PERIODS[kind](month)
        data["period"] = kind
        data["start"], data["end"] = chosen
        data["previous"] = previous(chosen, kind)
        return super().clean()
