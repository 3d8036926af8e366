"""The fields the class forms share, with their messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_SEATS = 1000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def seats_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_SEATS,
        error_messages={
            "required": _("Enter the number of seats."),
            "invalid": _("Enter the number of seats as a whole number, like 12."),
            "min_value": _("A class needs at least one seat."),
            "max_value": _("Enter at most %(limit_value)s seats."),
        },
        **kwargs,
    )


def minutes_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Length in minutes"),
        min_value=5,
        max_value=8 * 60,
        error_messages={
            "required": _("Enter how long the session lasts, in minutes."),
            "invalid": _("Enter the length as a whole number of minutes, like 60."),
            "min_value": _("A session lasts at least 5 minutes."),
            "max_value": _("A session lasts at most 8 hours (480 minutes)."),
        },
        **kwargs,
    )


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter a date."),
            "invalid": _("Enter a date like 2026-03-03."),
        },
        **kwargs,
    )


def time_field(label, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter a start time."),
            "invalid": _("Enter a time like 18:30."),
        },
        **kwargs,
    )
