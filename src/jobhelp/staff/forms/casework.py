"""Input of the staff help-session pages: recording a session, changing its outcomes, planning a
follow-up, the patron's answers given by phone, and the feedback page's filters.

Input validation only. Whether a session may be recorded at that time, a follow-up date is
acceptable or an outcome date makes sense is casework.domain's business; its CaseworkError is
shown as a form error by the views.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobhelp.casework.domain import Answers, SessionDetails
from jobhelp.casework.enums import Activity, Modality, OutcomeKind
from jobhelp.casework.models import MAX_MINUTES
from jobhelp.core.forms import UswdsFormMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_FORMATS = ["%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
BAD_DATE = _("Enter a date like 2026-03-02.")
# The oldest date any of these forms takes; anything earlier is a typing slip.
EARLIEST = date(2000, 1, 1)


def _date_field(label, *, required: bool, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": BAD_DATE, **kwargs.pop("error_messages", {})},
        **kwargs,
    )


def _check_year(value: date | None) -> date | None:
    if value is not None and not EARLIEST <= value <= date(timezone.localdate().year + 2, 12, 31):
        raise forms.ValidationError(BAD_DATE)
    return value


def local_moment(day: date, clock: time, zone: ZoneInfo) -> datetime | None:
    """`day` at `clock` on the wall clock of `zone`, or None when that time does not exist
    there (the hour skipped when clocks go forward). A time that happens twice (the hour
    repeated when clocks go back) is taken at its first occurrence (fold=0), as availability
    reads wall-clock times (docs/conventions/time-zones.md)."""
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != (
        moment.replace(tzinfo=None)
    ):
        return None
    return moment


class SessionForm(UswdsFormMixin, forms.Form):
    """A help session as the helper records it. The date and time are read on the wall clock of
    the request's library (`zone`): the view passes the request's preferred location's zone, or
    that of its organization's first location."""

    # A fresh key with every drawing of the form: saving it twice records one session.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    appointment = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("That appointment is not one of this request's. Reload the page.")
        },
    )
    day = _date_field(
        _("Date of the session"),
        required=True,
        error_messages={"required": _("Enter the date the help was given.")},
    )
    clock = forms.TimeField(
        label=_("Time it started"),
        input_formats=TIME_FORMATS,
        widget=TIME_INPUT,
        error_messages={
            "required": _("Enter the time the help started."),
            "invalid": _("Enter a time like 14:30."),
        },
    )
    modality = forms.ChoiceField(
        label=_("How was the help given?"),
        choices=Modality.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the help was given."),
            "invalid_choice": _("Choose how the help was given."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        min_value=1,
        max_value=MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter how many minutes you spent.")},
    )
    activities = forms.MultipleChoiceField(
        label=_("What was done"),
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose what was done from the list.")},
    )
    outcomes = forms.MultipleChoiceField(
        label=_("Outcomes so far"),
        help_text=_("You can add outcomes later, when you hear how it went."),
        choices=OutcomeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose outcomes from the list.")},
    )
    private_note = forms.CharField(
        label=_("Private note (optional)"),
        help_text=_(
            "Only your organization's staff see this; it is erased with the request. "
            "It never appears in reports or exports."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_up_on = _date_field(_("Follow up on (optional)"), required=False)
    follow_up_note = forms.CharField(
        label=_("What to follow up"),
        help_text=_("For example: call back to ask about the interview."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, zone: ZoneInfo, appointments, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["appointment"].queryset = appointments
        out_of_range = gettext("Minutes spent must be a whole number between 1 and %(max)d.") % {
            "max": MAX_MINUTES
        }
        for code in ("invalid", "min_value", "max_value"):
            self.fields["minutes"].error_messages[code] = out_of_range
        self.fields["clock"].help_text = _("On the library's clock (%(zone)s).") % {
            "zone": zone.key
        }

    def clean_day(self) -> date:
        return _check_year(self.cleaned_data["day"])

    def clean_follow_up_on(self) -> date | None:
        return _check_year(self.cleaned_data["follow_up_on"])

    def clean(self):
        data = super().clean()
        day, clock = data.get("day"), data.get("clock")
        if day is not None and clock is not None:
            moment = local_moment(day, clock, self.zone)
            if moment is None:
                self.add_error(
                    "clock",
                    _("That time did not exist that day: the clocks went forward. Check it."),
                )
            else:
                data["happened_at"] = moment
        has_note = bool(data.get("follow_up_note", "").strip())
        if has_note and data.get("follow_up_on") is None and "follow_up_on" not in self.errors:
            self.add_error(
                "follow_up_on", _("Give a date for the follow-up, or leave its note empty.")
            )
        if (
            data.get("follow_up_on") is not None
            and not has_note
            and "follow_up_note" not in self.errors
        ):
            self.add_error(
                "follow_up_note",
                _("Say what to follow up, for example “ask about the interview”."),
            )
        return data

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            happened_at=data["happened_at"],
            modality=data["modality"],
            minutes=data["minutes"],
            activities=list(data["activities"]),
            outcomes=list(data["outcomes"]),
            private_note=data["private_note"],
            follow_up_on=data["follow_up_on"],
            follow_up_note=data["follow_up_note"],
        )


class OutcomesForm(UswdsFormMixin, forms.Form):
    """The session's outcomes as they are now: ticked ones are kept or added, others
    withdrawn."""

    outcomes = forms.MultipleChoiceField(
        label=_("Outcomes"),
        choices=OutcomeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose outcomes from the list.")},
    )
    achieved_on = _date_field(
        _("Date of new outcomes"),
        required=False,
        help_text=_("Leave empty for today."),
    )

    def clean_achieved_on(self) -> date | None:
        return _check_year(self.cleaned_data["achieved_on"])


class FollowUpForm(UswdsFormMixin, forms.Form):
    due_on = _date_field(
        _("Follow up on"),
        required=True,
        error_messages={"required": _("Enter the date to follow up.")},
    )
    note = forms.CharField(
        label=_("What to follow up"),
        help_text=_("For example: call back to ask about the interview."),
        max_length=200,
        error_messages={
            "required": _("Say what to follow up, for example “ask about the interview”.")
        },
    )

    def clean_due_on(self) -> date:
        return _check_year(self.cleaned_data["due_on"])


HELPFUL_CHOICES = [
    (5, _("5 – Very helpful")),
    (4, "4"),
    (3, "3"),
    (2, "2"),
    (1, _("1 – Not helpful")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PhoneFeedbackForm(UswdsFormMixin, forms.Form):
    """The survey's three questions, asked on the phone by staff, and the patron's consent."""

    helpful = forms.TypedChoiceField(
        label=_("How helpful did they find the help?"),
        choices=HELPFUL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a number from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )
    would_recommend = forms.ChoiceField(
        label=_("Would they recommend the service to a friend?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    comment = forms.CharField(
        label=_("Their comment (optional)"),
        help_text=_("Write down what they said, without their name or contact details."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the comment under 1,000 characters.")},
    )
    may_quote = forms.BooleanField(
        label=_("They agree that we quote the comment without their name."),
        required=False,
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            helpful=data["helpful"],
            would_recommend=data["would_recommend"] == "yes",
            comment=data["comment"],
            may_quote=data["may_quote"],
        )


class FeedbackFilterForm(UswdsFormMixin, forms.Form):
    """The feedback page's filters; dates are calendar days, both included."""

    since = _date_field(_("From"), required=False)
    until = _date_field(_("Until"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        empty_label=_("All of mine"),
        error_messages={"invalid_choice": _("Choose one of your organizations.")},
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("name", "pk")

    def clean_since(self) -> date | None:
        return _check_year(self.cleaned_data["since"])

    def clean_until(self) -> date | None:
        return _check_year(self.cleaned_data["until"])

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data
