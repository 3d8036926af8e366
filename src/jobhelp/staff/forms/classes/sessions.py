"""Scheduling a class's sessions, and changing one of them."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_single_line
from jobhelp.core.wallclock import local_instant
from jobhelp.organizations.models import Location
from jobhelp.staff.common.forms import LocationChoiceField
from jobhelp.staff.forms.classes.fields import (
    PersonChoiceField,
    date_field,
    minutes_field,
    seats_field,
    time_field,
)
from jobhelp.workshops.enums import Delivery, Recurrence
from jobhelp.workshops.sessions import MAX_SESSIONS

User = get_user_model()


class ScheduleForm(UswdsFormMixin, forms.Form):
    """Sessions of a class: where (a location of the host or a co-host, whose clock the time
    is on), from which date, at what local time, how often. The video link or the phone line
    is asked for according to the class's delivery."""

    location = LocationChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        empty_label=_("Choose a location"),
        help_text=_("For an online class: the library whose clock the time is on."),
        error_messages={
            "required": _("Choose a location."),
            "invalid_choice": _("Choose a location of the host organization."),
        },
    )
    first = date_field(_("First date"))
    starts = time_field(_("Start time"), help_text=_("Local time at the location."))
    minutes = minutes_field(initial=60)
    recurrence = forms.ChoiceField(
        label=_("How often"),
        choices=Recurrence.choices,
        initial=Recurrence.ONCE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how often the class meets.")},
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        initial=1,
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_("For weekly or monthly classes. A month without the weekday is skipped."),
        error_messages={
            "required": _("Enter how many sessions to make."),
            "invalid": _("Enter the number of sessions as a whole number."),
            "min_value": _("Make at least one session."),
            "max_value": _("Make at most %(limit_value)s sessions at a time."),
        },
    )
    host = PersonChoiceField(
        label=_("Host"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one yet"),
        help_text=_("The staff member who runs the session and takes attendance."),
        error_messages={"invalid_choice": _("Choose a staff member from the list.")},
    )
    join_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Only people with a seat see it. You can add it later."),
        error_messages={"invalid": _("Enter a web address, like https://meet.example.org/abc.")},
    )
    conference_phone = forms.CharField(
        label=_("Conference line"),
        max_length=40,
        validators=[validate_single_line],
        help_text=_("The number people call. Only people with a seat see it."),
        error_messages={"required": _("Enter the phone number people call.")},
    )
    conference_code = forms.CharField(
        label=_("Access code"),
        required=False,
        max_length=20,
        validators=[validate_single_line],
    )

    def __init__(self, *args, workshop, host_organization_ids, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.now = now or timezone.now()
        self.fields["location"].queryset = (
            Location.objects.filter(organization_id__in=host_organization_ids, is_active=True)
            .select_related("organization")
            .order_by("name", "pk")
        )
        self.fields["host"].queryset = (
            User.objects.filter(is_active=True, memberships__organization__in=host_organization_ids)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if workshop.delivery != Delivery.VIDEO:
            del self.fields["join_url"]
        if workshop.delivery != Delivery.PHONE:
            del self.fields["conference_phone"]
            del self.fields["conference_code"]

    def clean(self):
        data = super().clean()
        location, first = data.get("location"), data.get("first")
        if location is not None and first is not None:
            today = timezone.localdate(self.now, timezone=location.zone)
            if first < today:
                self.add_error("first", _("The first date is in the past. Choose a later date."))
        if data.get("recurrence") == Recurrence.ONCE and "count" in data:
            data["count"] = 1
        return data

    def schedule_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "location": data["location"],
            "first": data["first"],
            "starts": data["starts"],
            "minutes": data["minutes"],
            "recurrence": data["recurrence"],
            "count": data["count"],
            "host": data["host"],
            "join_url": data.get("join_url", ""),
            "conference_phone": data.get("conference_phone", "").strip(),
            "conference_code": data.get("conference_code", "").strip(),
        }


class ChangeSessionForm(UswdsFormMixin, forms.Form):
    """A new time, length, number of seats or video link for one session; the time is on the
    location's clock."""

    day = date_field(_("Date"))
    starts = time_field(_("Start time"), help_text=_("Local time at the location."))
    minutes = minutes_field()
    capacity = seats_field(_("Seats"))
    join_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://meet.example.org/abc.")},
    )

    def __init__(self, *args, session, now=None, **kwargs):
        zone = session.location.zone
        local = session.starts.astimezone(zone)
        kwargs.setdefault(
            "initial",
            {
                "day": local.date(),
                "starts": local.time().replace(second=0, microsecond=0),
                "minutes": int((session.ends - session.starts).total_seconds() // 60),
                "capacity": session.capacity,
                "join_url": session.join_url,
            },
        )
        super().__init__(*args, **kwargs)
        self.session = session
        self.zone = zone
        self.now = now or timezone.now()
        if session.workshop.delivery != Delivery.VIDEO:
            del self.fields["join_url"]

    def clean(self):
        data = super().clean()
        if data.get("day") is not None and data.get("starts") is not None:
            starts = local_instant(data["day"], data["starts"], self.zone)
            if starts != self.session.starts and starts <= self.now:
                self.add_error("day", _("That time has passed. Choose a time in the future."))
            data["starts_at"] = starts
        return data

    def changes(self) -> dict:
        """Only what differs from the session as it is, as change_session takes it."""
        data = self.cleaned_data
        session = self.session
        changes = {}
        if data["starts_at"] != session.starts:
            changes["starts"] = data["starts_at"]
        if data["minutes"] != int((session.ends - session.starts).total_seconds() // 60):
            changes["minutes"] = data["minutes"]
        if data["capacity"] != session.capacity:
            changes["capacity"] = data["capacity"]
        if "join_url" in data and data["join_url"] != session.join_url:
            changes["join_url"] = data["join_url"]
        return changes
