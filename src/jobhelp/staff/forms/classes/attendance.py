"""The dates of the attendance export."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.staff.forms.classes.fields import date_field

# The longest stretch one attendance export covers.
MAX_EXPORT_DAYS = 731


class AttendanceExportForm(UswdsFormMixin, forms.Form):
    """The dates of the attendance CSV (local dates, both included), and optionally one class.
    A class the person does not run is not a wrong choice but somebody else's: the view
    answers 404 for it."""

    workshop = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = date_field(
            _("From"), required=False, initial=today - timedelta(days=30)
        )
        self.fields["to"] = date_field(_("To"), required=False, initial=today)
        self.fields["from"].widget.attrs["class"] = "usa-input"
        self.fields["to"].widget.attrs["class"] = "usa-input"

    def clean(self):
        data = super().clean()
        if "from" in self.errors or "to" in self.errors:
            return data
        # Left out, a date is the one the form shows at first.
        first = data["from"] = data.get("from") or self.fields["from"].initial
        last = data["to"] = data.get("to") or self.fields["to"].initial
        if last < first:
            self.add_error("to", _("The last date comes before the first date."))
        elif (last - first).days > MAX_EXPORT_DAYS:
            self.add_error("to", _("Choose at most two years at a time."))
        return data
