"""The calendar's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin


class CalendarForm(UswdsFormMixin, forms.Form):
    """The calendar's filters. A helper or location outside the user's organizations is not
    "a wrong choice" but somebody else's: the view answers 404 for those."""

    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("week", _("Week")), ("day", _("Day"))],
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2026-03-02.")},
    )
    helper = forms.ModelChoiceField(
        label=_("Helper"), required=False, queryset=None, empty_label=_("Anyone")
    )
    location = forms.ModelChoiceField(
        label=_("Location"), required=False, queryset=None, empty_label=_("Any location")
    )

    def __init__(self, *args, helpers, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers.order_by("first_name", "last_name", "pk")
        self.fields["location"].queryset = locations.order_by("name", "pk")
