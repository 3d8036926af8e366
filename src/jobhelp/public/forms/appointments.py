"""What a patron sends from their appointment pages: a time chosen from a list, a confirmed
cancellation, and the reference code and phone number that find their appointment. Input
validation only: whether a time is free is the booking domain's decision."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.phones import normalize_phone
from jobhelp.core.references import REFERENCE_ALPHABET, REFERENCE_LENGTH, normalize_reference
from jobhelp.core.validators import reject_control_characters

# A choice names its time in UTC, and for an offer also the helper and location it is with:
# "12.3.20270202T1600Z". Anything else is not a choice the page offered.
_STARTS_FORMAT = "%Y%m%dT%H%MZ"
_SLOT = re.compile(
    r"^(?:(?P<helper>[0-9]{1,18})\.(?P<location>[0-9]{1,18})\.)?(?P<starts>[0-9]{8}T[0-9]{4}Z)$"
)
_YEARS = (2000, 2999)
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class ChosenSlot:
    helper_id: int | None
    location_id: int | None
    starts: datetime


def slot_value(starts: datetime, *, helper=None, location=None) -> str:
    """The radio button value for a time (UTC), with its helper and location on an offer."""
    text = starts.astimezone(UTC).strftime(_STARTS_FORMAT)
    if helper is None:
        return text
    return f"{helper.pk}.{location.pk}.{text}"


class TimeChoiceForm(UswdsFormMixin, forms.Form):
    """One of the listed times. The page renders the radio buttons itself, grouped by day, so
    the choice is read as text and parsed here; a value the page never offered is an error."""

    slot = forms.CharField(
        label=_("Choose a time"),
        max_length=64,
        error_messages={"required": _("Choose one of the times.")},
    )
    # A fresh key with every page shown: the same form sent twice books once.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, with_helper: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_helper = with_helper

    def clean_slot(self) -> ChosenSlot:
        match = _SLOT.match(self.cleaned_data["slot"].strip())
        if match is None or (match["helper"] is not None) != self.with_helper:
            raise ValidationError(_("Choose one of the times offered."), code="invalid_slot")
        try:
            starts = datetime.strptime(match["starts"], _STARTS_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            starts = None
        # Years far from ours are never offered, and at the ends of the calendar converting
        # to a location's clock would overflow.
        if starts is None or not _YEARS[0] <= starts.year <= _YEARS[1]:
            raise ValidationError(_("Choose one of the times offered."), code="invalid_slot")
        return ChosenSlot(
            helper_id=int(match["helper"]) if match["helper"] else None,
            location_id=int(match["location"]) if match["location"] else None,
            starts=starts,
        )

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not _KEY.match(key):
            # Only a page from before this form existed, or a hand-made request, lacks it.
            raise ValidationError(
                _("This form is out of date. Please reload the page and try again."),
                code="stale_form",
            )
        return key

    def add_error(self, field, error):
        # The key is hidden: its problem is the form's, shown above the times.
        super().add_error(None if field == "idempotency_key" else field, error)


class CancelForm(UswdsFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to cancel this appointment"),
        error_messages={"required": _("Tick the box to confirm that you want to cancel.")},
    )


class AppointmentLookupForm(UswdsFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference code"),
        max_length=20,
        help_text=_(
            "The code of your appointment, or the one you were given when you asked for help: "
            "six letters and numbers, for example ABC-DEF."
        ),
        error_messages={"required": _("Enter your reference code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        help_text=_("The number you gave us, with area code."),
        error_messages={"required": _("Enter the phone number you gave us.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_reference(self) -> str:
        reference = normalize_reference(self.cleaned_data["reference"])
        if len(reference) != REFERENCE_LENGTH:
            raise ValidationError(
                _("A reference code has six letters and numbers, for example ABC-DEF."),
                code="invalid_reference",
            )
        if set(reference) - set(REFERENCE_ALPHABET):
            # The codes leave out the characters people mix up when reading them aloud.
            raise ValidationError(
                _(
                    "Reference codes never use 0, 1, I, L or O, so one of these was mistyped. "
                    "Check the code in your message, or the one you wrote down."
                ),
                code="mistyped_reference",
            )
        return reference

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        reject_control_characters(raw)
        return normalize_phone(raw)


# The helper choice that shows every helper's free times.
ANYONE = "any"


class DayChoiceForm(UswdsFormMixin, forms.Form):
    """Which day's times a page shows (?day=). A day that is not a date is an error shown on
    the page, which then shows the first day with times."""

    day = forms.DateField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Choose one of the days listed.")},
    )


class OfferViewForm(DayChoiceForm):
    """What an offer's page shows (a GET form): whose times, and which day. A person the page
    did not offer is an error shown on the page, which then shows the first helper's times."""

    helper = forms.ChoiceField(
        label=_("Who would you like to help you?"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the people listed.")},
    )
    field_order = ["helper", "day"]

    def __init__(self, *args, choices, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].choices = [
            (str(c.helper.pk), _patron_label(c, language)) for c in choices
        ] + [(ANYONE, _("Anyone who is free"))]


def _patron_label(choice, language: str) -> str:
    """The helper as a patron sees them: first name, and why they are offered."""
    name = choice.helper.first_name or _("a member of our staff")
    if choice.assigned:
        return _("%(name)s, who is helping you") % {"name": name}
    if choice.speaks_language:
        return _("%(name)s (%(reason)s)") % {"name": name, "reason": choice.reasons(language)[0]}
    return str(name)
