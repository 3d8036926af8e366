"""Input of the staff appointment pages: which kind of appointment and which offered time.
Whether a time is really free is the domain's business (scheduling.domain.book_appointment);
these forms only turn what was posted into objects the user may name."""

import re
from datetime import UTC, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.scheduling.queries import helpers_for_request, locations_for_request
from jobhelp.staff.common.forms import KEY_PATTERN, OUT_OF_DATE

# A slot travels in a form as "<helper id>-<location id>-<start in UTC>", the start written
# without separators so the value stays one token: 3-7-20260302T1600Z.
SLOT_TIME_FORMAT = "%Y%m%dT%H%MZ"
SLOT_PATTERN = re.compile(r"^(\d{1,12})-(\d{1,12})-(\d{8}T\d{4}Z)$")
START_PATTERN = re.compile(r"^\d{8}T\d{4}Z$")

NOT_OFFERED = _("Choose one of the times offered.")


def start_value(starts: datetime) -> str:
    return starts.astimezone(UTC).strftime(SLOT_TIME_FORMAT)


def slot_value(helper_id: int, location_id: int, starts: datetime) -> str:
    return f"{helper_id}-{location_id}-{start_value(starts)}"


def parse_start(text: str) -> datetime | None:
    if not START_PATTERN.match(text):
        return None
    try:
        return datetime.strptime(text, SLOT_TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


# The helper choice that shows every helper's free times.
ANYONE = "any"


class FindTimesForm(UswdsFormMixin, forms.Form):
    """The booking page's GET form: the kind of appointment, the helper (scheduling.choosing
    ranks them; "Anyone free" is the last choice) and the day whose times are shown."""

    type = forms.ModelChoiceField(
        label=_("Kind of appointment"),
        queryset=None,
        empty_label=_("Choose one"),
        error_messages={
            "required": _("Choose the kind of appointment."),
            "invalid_choice": _("Choose one of the kinds of appointment listed."),
        },
    )
    helper = forms.ChoiceField(
        label=_("Helper"),
        required=False,
        help_text=_(
            "The assigned helper first, then those who speak the caller’s language and are "
            "qualified for what they need."
        ),
        error_messages={"invalid_choice": _("Choose a helper from the list.")},
    )
    day = forms.DateField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Choose one of the days listed.")},
    )

    def __init__(self, *args, types, choices, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["helper"].choices = [
            (str(c.helper.pk), _label(c, language)) for c in choices
        ] + [(ANYONE, _("Anyone free"))]


def _label(choice, language: str) -> str:
    return _("%(name)s (%(reasons)s)") % {
        "name": choice.helper,
        "reasons": ", ".join(choice.reasons(language)),
    }


class _KeyedForm(UswdsFormMixin, forms.Form):
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE}
    )

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_PATTERN.match(key):
            raise forms.ValidationError(OUT_OF_DATE)
        return key


class BookForm(_KeyedForm):
    """The booking page's POST: the kind of appointment and one of the slots shown. The helper
    and location must be among those the request may be booked with; anything else posted is
    refused here, before the domain sees it."""

    type = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid_choice": OUT_OF_DATE},
    )
    slot = forms.CharField(
        label=_("Time"),
        max_length=60,
        error_messages={"required": _("Choose a time.")},
    )

    def __init__(self, *args, help_request, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_request = help_request
        self.fields["type"].queryset = types

    def clean_slot(self) -> dict:
        match = SLOT_PATTERN.match(self.cleaned_data["slot"])
        starts = parse_start(match.group(3)) if match else None
        if starts is None:
            raise forms.ValidationError(NOT_OFFERED)
        helper = helpers_for_request(self.help_request).filter(pk=int(match.group(1))).first()
        location = locations_for_request(self.help_request).filter(pk=int(match.group(2))).first()
        if helper is None or location is None:
            raise forms.ValidationError(NOT_OFFERED)
        return {"helper": helper, "location": location, "starts": starts}


class RescheduleForm(_KeyedForm):
    starts = forms.CharField(
        label=_("New time"), max_length=20, error_messages={"required": _("Choose a time.")}
    )

    def clean_starts(self) -> datetime:
        starts = parse_start(self.cleaned_data["starts"])
        if starts is None:
            raise forms.ValidationError(NOT_OFFERED)
        return starts


class CancelForm(UswdsFormMixin, forms.Form):
    late = forms.BooleanField(
        label=_("Cancelled late (counts like a missed appointment)"), required=False
    )


class OfferForm(UswdsFormMixin, forms.Form):
    type = forms.ModelChoiceField(
        label=_("Kind of appointment"),
        queryset=None,
        error_messages={
            "required": _("Choose the kind of appointment."),
            "invalid_choice": _("Patrons cannot choose a time for that kind of appointment."),
        },
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
