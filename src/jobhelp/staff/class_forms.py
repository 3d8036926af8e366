"""Input of the staff class pages: a class, its sessions, a caller's registration and the
attendance export's dates. Input validation only, with choices limited to what the person may
name; whether a seat is free, a session may still change, or attendance may be taken is the
workshops domain's decision (workshops.domain, workshops.catalog)."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import PhoneAndEmailCleaning, UswdsFormMixin
from jobhelp.core.tokens import stored_key as hashed_key
from jobhelp.core.validators import (
    validate_person_name,
    validate_single_line,
)
from jobhelp.organizations.models import Location, Organization
from jobhelp.staff.appointment_forms import KEY_PATTERN, OUT_OF_DATE
from jobhelp.workshops import flyers
from jobhelp.workshops.domain import MAX_SESSIONS, Registrant, local_instant
from jobhelp.workshops.enums import Delivery, Recurrence

User = get_user_model()

# What secrets.token_urlsafe writes; anything else did not come from our page.
MAX_SEATS = 1000
# The longest stretch one attendance export covers.
MAX_EXPORT_DAYS = 731


def stored_key(user, key: str) -> str:
    """The key as stored with the registration: hashed with the staff member's id, so a key
    copied from someone else's page never finds their registration."""
    return hashed_key("jobhelp.staff.class", user.pk, key)


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        if obj.name == obj.organization.name:
            return obj.name
        return f"{obj.name} ({obj.organization.name})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def _seats_field(label, **kwargs) -> forms.IntegerField:
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


# --- A class --------------------------------------------------------------------------------------


class ClassForm(UswdsFormMixin, forms.Form):
    """A class as staff enter it. The host is one of the organizations the person works for
    (workshops.rules.can_create_for, which catalog.create_workshop checks again); it is fixed
    once the class exists. Co-hosts are any other partner, chosen by name."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        validators=[validate_single_line],
        help_text=_("For example: Online Interviewing Tips."),
        error_messages={"required": _("Enter a title.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Host organization"),
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your organizations.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What people will learn, in plain words. Shown on the public calendar."),
    )
    audience = forms.CharField(
        label=_("Who it is for"),
        required=False,
        max_length=200,
        validators=[validate_single_line],
        help_text=_("For example: anyone with a job interview coming up."),
    )
    language = forms.ChoiceField(
        label=_("Language of the class"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs it helps with"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose needs from the list.")},
    )
    capacity = _seats_field(
        _("Seats"),
        initial=12,
        help_text=_("Each new session gets this many seats; a session's seats can be changed."),
    )
    delivery = forms.ChoiceField(
        label=_("How it is given"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the class is given."),
            "invalid_choice": _("Choose how the class is given."),
        },
    )
    materials = forms.CharField(
        label=_("What to bring"),
        required=False,
        max_length=300,
        validators=[validate_single_line],
        help_text=_("For example: a résumé, and a phone or computer with a camera."),
    )
    offer_hold_hours = forms.IntegerField(
        label=_("Hours a waitlist offer holds the seat"),
        initial=24,
        min_value=1,
        max_value=168,
        help_text=_(
            "When a seat frees up, the next person waiting is offered it for this long "
            "(never past the start)."
        ),
        error_messages={
            "required": _("Enter how many hours an offer holds the seat."),
            "invalid": _("Enter a whole number of hours, like 24."),
            "min_value": _("An offer must hold the seat for at least one hour."),
            "max_value": _("An offer can hold the seat for at most a week (168 hours)."),
        },
    )
    no_show_frees_later_seats = forms.BooleanField(
        label=_("Someone who does not come gives up their seats in later sessions"),
        required=False,
        help_text=_("Their later seats go to the people waiting."),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosts"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners who run the class with you. Their staff can change it too."),
        error_messages={"invalid_choice": _("Choose partners from the list.")},
    )
    flyer = forms.FileField(
        label=_("Flyer"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB, for branches to print."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        error_messages={"empty": flyers.EMPTY, "invalid": flyers.WRONG_KIND},
    )

    def __init__(
        self,
        *args,
        organizations: QuerySet[Organization],
        workshop=None,
        too_large: frozenset[str] = frozenset(),
        **kwargs,
    ):
        if workshop is not None:
            kwargs.setdefault("initial", _initial(workshop))
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.too_large = too_large
        partners = Organization.objects.order_by("name", "pk")
        if workshop is not None:
            del self.fields["organization"]
            partners = partners.exclude(pk=workshop.organization_id)
        else:
            field = self.fields["organization"]
            field.queryset = organizations.order_by("name", "pk")
            only = list(field.queryset[:2])
            if len(only) == 1:
                field.widget = forms.HiddenInput()
                field.initial = only[0].pk
        self.fields["co_hosts"].queryset = partners
        self.fields["flyer"].widget.attrs["class"] = "usa-file-input"

    @property
    def host(self) -> Organization | None:
        if self.workshop is not None:
            return self.workshop.organization
        return self.cleaned_data.get("organization")

    def clean_flyer(self):
        if "flyer" in self.too_large:
            raise ValidationError(flyers.TOO_LARGE, code="too_large")
        upload = self.cleaned_data.get("flyer")
        if upload:
            flyers.validate_flyer(upload)
        return upload

    def clean(self):
        data = super().clean()
        host = self.host
        if host is not None and any(o.pk == host.pk for o in data.get("co_hosts") or []):
            self.add_error("co_hosts", _("The host organization cannot also be a co-host."))
        return data

    def workshop_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": " ".join(data["title"].split()),
            "description": data["description"].strip(),
            "audience": data["audience"].strip(),
            "language": data["language"],
            "needs": [n for n in Need.values if n in data["needs"]],
            "capacity": data["capacity"],
            "delivery": data["delivery"],
            "materials": data["materials"].strip(),
            "offer_hold_hours": data["offer_hold_hours"],
            "no_show_frees_later_seats": data["no_show_frees_later_seats"],
            "co_hosts": list(data["co_hosts"]),
        }


def _initial(workshop) -> dict:
    return {
        "title": workshop.title,
        "description": workshop.description,
        "audience": workshop.audience,
        "language": workshop.language,
        "needs": list(workshop.needs),
        "capacity": workshop.capacity,
        "delivery": workshop.delivery,
        "materials": workshop.materials,
        "offer_hold_hours": workshop.offer_hold_hours,
        "no_show_frees_later_seats": workshop.no_show_frees_later_seats,
        "co_hosts": [o.pk for o in workshop.co_hosts.all()],
    }


# --- Sessions -----------------------------------------------------------------------------------


def _minutes_field(**kwargs) -> forms.IntegerField:
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


def _date_field(label, **kwargs) -> forms.DateField:
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


def _time_field(label, **kwargs) -> forms.TimeField:
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
    first = _date_field(_("First date"))
    starts = _time_field(_("Start time"), help_text=_("Local time at the location."))
    minutes = _minutes_field(initial=60)
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

    day = _date_field(_("Date"))
    starts = _time_field(_("Start time"), help_text=_("Local time at the location."))
    minutes = _minutes_field()
    capacity = _seats_field(_("Seats"))
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


# --- A caller's registration ----------------------------------------------------------------------


class RegisterCallerForm(PhoneAndEmailCleaning, UswdsFormMixin, forms.Form):
    """A caller registered by staff: a name and a phone number or an email address."""

    name = forms.CharField(
        label=_("Caller's name"),
        max_length=120,
        validators=[validate_person_name],
        help_text=_("First and last name. The sign-in sheet shows only the last initial."),
        error_messages={"required": _("Enter the caller's name.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("With an address they get the confirmation, the join details and reminders."),
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
    )
    language = forms.ChoiceField(
        label=_("Language for our messages"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE}
    )

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_PATTERN.match(key):
            raise ValidationError(OUT_OF_DATE)
        return key

    def clean(self):
        data = super().clean()
        if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
            self.add_error("phone", _("Give a phone number or an email address."))
        return data

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=" ".join(data["name"].split()),
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
        )


# --- The attendance export ----------------------------------------------------------------------


class AttendanceExportForm(UswdsFormMixin, forms.Form):
    """The dates of the attendance CSV (local dates, both included), and optionally one class.
    A class the person does not run is not a wrong choice but somebody else's: the view
    answers 404 for it."""

    workshop = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = _date_field(
            _("From"), required=False, initial=today - timedelta(days=30)
        )
        self.fields["to"] = _date_field(_("To"), required=False, initial=today)
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
