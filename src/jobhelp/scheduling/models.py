import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.i18n import localized
from jobhelp.core.models import SecretLinkBase
from jobhelp.core.references import display_reference, new_reference
from jobhelp.organizations.enums import Weekday
from jobhelp.scheduling.enums import AppointmentState, ExceptionKind, Modality


class WeeklyHours(models.Model):
    """One interval a helper works at a location every week, in the location's own time zone
    (wall-clock time: 9:00 stays 9:00 on both sides of a clock change). A day may have several."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.CASCADE,
        related_name="weekly_hours",
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["helper", "location", "weekday", "starts"]
        indexes = [models.Index(fields=["helper", "location", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="weekly_hours_starts_before_ends"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_hours_weekday_0_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(models.Model):
    """Extra hours or time off on one date, in the location's zone. Empty times mean the whole
    day; time off without a location applies at every location."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.CASCADE,
        related_name="availability_exceptions",
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("until"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)

    class Meta:
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")
        ordering = ["helper", "date", "starts"]
        indexes = [models.Index(fields=["helper", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__isnull=True, ends__isnull=True)
                | Q(starts__isnull=False, ends__isnull=False, starts__lt=F("ends")),
                name="availability_exception_whole_day_or_interval",
            ),
            models.CheckConstraint(
                condition=Q(kind=ExceptionKind.TIME_OFF) | Q(location__isnull=False),
                name="availability_exception_extra_has_location",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Closure(models.Model):
    """A location closed for everyone (a holiday, a snow day), as two instants."""

    class Reason(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WEATHER = "weather", _("Weather")
        BUILDING = "building", _("Building problem")
        STAFF_TRAINING = "training", _("Staff training")
        OTHER = "other", _("Other")

    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="closures",
    )
    starts = models.DateTimeField(_("from"))
    ends = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["location", "starts"]
        indexes = [models.Index(fields=["location", "starts"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="closure_starts_before_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.starts:%Y-%m-%d}"


def default_reminders() -> list[int]:
    return [24 * 60, 2 * 60]


class AppointmentType(models.Model):
    """A kind of appointment an organization offers; all times in minutes except the window."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="appointment_types",
    )
    name = models.CharField(_("name"), max_length=80)
    # Shown to Spanish readers instead of the English when filled in (core.i18n.localized).
    name_es = models.CharField(_("name in Spanish"), max_length=80, blank=True)
    duration = models.PositiveSmallIntegerField(_("length (minutes)"))
    modality = models.CharField(_("how"), max_length=10, choices=Modality.choices)
    padding_before = models.PositiveSmallIntegerField(_("free time before (minutes)"), default=0)
    padding_after = models.PositiveSmallIntegerField(_("free time after (minutes)"), default=0)
    min_notice = models.PositiveIntegerField(_("minimum notice (minutes)"), default=0)
    booking_window = models.PositiveSmallIntegerField(
        _("bookable how far ahead (days)"), default=28
    )
    self_service = models.BooleanField(_("patrons may book it themselves"), default=False)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    # Minutes before the start; a whole number of days is counted on the location's calendar
    # (a 24-hour reminder for 10:00 goes out at 10:00 the day before, even across a clock change).
    reminders = models.JSONField(
        _("reminders (minutes before)"), default=default_reminders, blank=True
    )
    follow_up_no_shows = models.BooleanField(
        _("follow up when a patron does not come"),
        default=True,
        help_text=_(
            "The request goes back to its helper to call, and the patron is invited to book again."
        ),
    )

    class Meta:
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        ordering = ["organization", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=0), name="appointment_type_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class Appointment(models.Model):
    """A helper's time booked for a patron. `blocked_from`/`blocked_until` are the times plus
    the type's padding as it was when booked; on PostgreSQL an exclusion constraint (added in
    migration 0001, not in Meta, because SQLite cannot) keeps one helper's booked ranges apart."""

    request = models.ForeignKey(
        "intake.HelpRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment_type = models.ForeignKey(
        AppointmentType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    blocked_from = models.DateTimeField()
    blocked_until = models.DateTimeField()
    state = models.CharField(
        _("state"),
        max_length=15,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The booking as the patron knows it: a reschedule makes a new row with the same uid and
    # reference and the next sequence, so calendar programs update the event they already have.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    reference = models.CharField(_("reference code"), max_length=8, default=new_reference)
    rescheduled_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rescheduled_to",
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts", "pk"]
        indexes = [
            models.Index(fields=["helper", "blocked_from"]),
            models.Index(fields=["location", "starts"]),
            models.Index(fields=["reference"]),
            models.Index(fields=["uid"]),
            models.Index(fields=["state", "starts"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="appointment_starts_before_ends"
            ),
            models.CheckConstraint(
                condition=Q(blocked_from__lte=F("starts"), blocked_until__gte=F("ends")),
                name="appointment_blocked_covers_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.starts:%Y-%m-%d %H:%M}"

    @property
    def display_reference(self) -> str:
        return display_reference(self.reference)


class PatronLink(SecretLinkBase):
    """A secret link for a patron without an account: either to their own appointment (see,
    move or cancel it), or an offer to choose a time for their request (core.links). A
    reschedule moves the link to the new row, and booking from an offer binds the offer to the
    appointment it made."""

    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="patron_links"
    )
    request = models.ForeignKey(
        "intake.HelpRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="patron_links",
    )
    appointment_type = models.ForeignKey(
        AppointmentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Every patron link ends: a week after its appointment, or when an offer lapses.
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("patron link")
        verbose_name_plural = _("patron links")
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False)
                | Q(request__isnull=False, appointment_type__isnull=False),
                name="patron_link_to_appointment_or_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"link {self.pk}"


class CalendarFeed(SecretLinkBase):
    """A helper's personal calendar feed, read by calendar programs at a secret address
    (core.links); it lasts until revoked, which turns the address off."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed {self.pk} of {self.helper_id}"
