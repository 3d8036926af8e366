"""The partners' shared directory: services offered by an organization at locations, their hours,
the staff-only details behind them, taxonomy terms, public computers and their counts, the
places a visitor may name, and the resource assessment. See docs/directory.md.

Every published object has a stable `uuid`, its id in HSDS 3.0 (decision 0009); primary keys
stay internal. Locations, their opening hours and the organizations are organizations' own
models; the directory adds what only it needs.
"""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.models import SecretLinkBase
from jobhelp.directory.enums import (
    OPEN_ASSESSMENT_STATES,
    AssessmentState,
    CountSource,
    ServiceStatus,
)
from jobhelp.organizations.enums import Weekday


def _uuid_field():
    return models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)


class Taxonomy(models.Model):
    """A taxonomy other than jobhelp's own (whose terms are code: directory.taxonomy), made by
    staff or brought in by an HSDS import."""

    uuid = _uuid_field()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("address"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A category a service may be filed under, besides the needs and ways of access that
    jobhelp's own taxonomy has (directory.taxonomy)."""

    uuid = _uuid_field()
    taxonomy = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="terms",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """Something an organization offers job seekers: resumé help, computer access, WIOA career
    services, an online resource. Offered at locations (ServiceAtLocation) or only online or
    by phone. Its public fields are published; ServiceStaffDetails never are."""

    uuid = _uuid_field()
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="directory_services",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    email = models.EmailField(
        _("public email"), blank=True, help_text=_("The service's own address, not a person's.")
    )
    phone = models.CharField(_("public phone"), max_length=20, blank=True)
    # Codes of core.enums.Need, directory.enums.AccessMethod and core.enums.Language.
    needs = models.JSONField(_("needs it meets"), default=list, blank=True)
    access = models.JSONField(_("how to get it"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("other categories"), blank=True, related_name="services"
    )
    application_process = models.TextField(_("how to get it, in words"), blank=True)
    eligibility = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.TextField(_("cost"), blank=True)
    # One line each, such as "A photo ID" or "Your resumé, if you have one".
    required_documents = models.JSONField(_("what to bring"), default=list, blank=True)
    alert = models.CharField(_("notice"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    # When the owner was reminded that the entry is due for review; cleared by a review, so
    # each due entry is reminded once (directory.domain.send_review_reminders).
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    # What made the entry, when it was not a person: "assessment:<location uuid>:<topic>" for
    # entries an approved resource assessment keeps up to date.
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(db_default=Now())
    # Changed by every domain function that changes the service or what it publishes with it
    # (its places and hours): HSDS's last_modified.
    updated_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source_key"],
                condition=~Q(source_key=""),
                name="service_unique_source_key",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="service_ages_in_order",
            ),
        ]
        indexes = [models.Index(fields=["organization", "reviewed_on"])]

    def __str__(self) -> str:
        return self.name


class ServiceStaffDetails(models.Model):
    """What partners' staff need to refer someone well, and the public must not see: direct
    lines, who to ask, notes for referrers. Read only by directory.queries.internal_service;
    never published in HSDS."""

    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="staff_details"
    )
    direct_line = models.CharField(_("direct line for staff"), max_length=20, blank=True)
    referral_contact = models.CharField(_("who takes referrals"), max_length=200, blank=True)
    referral_email = models.EmailField(_("email for referrals"), blank=True)
    notes_for_referrers = models.TextField(_("notes for referrers"), blank=True)

    class Meta:
        verbose_name = _("staff-only details")
        verbose_name_plural = _("staff-only details")

    def __str__(self) -> str:
        return str(self.service)


class ServiceAtLocation(models.Model):
    """A service offered at one location. With no hours of its own it follows the location's
    opening hours."""

    uuid = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="places")
    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="directory_services"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        ordering = ["location__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class ServiceHours(models.Model):
    """One weekly interval when a service is offered at a location, on the location's wall
    clock (as organizations.OpeningHours)."""

    at = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("from"))
    closes = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="service_hours_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class HoursException(models.Model):
    """A day a location keeps other hours than its weekly ones, on its wall clock: closed all
    day (no times), or open only from `opens` to `closes`. Applies to every service there."""

    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="hours_exceptions"
    )
    on = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exception to the hours")
        verbose_name_plural = _("exceptions to the hours")
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["location", "on"], name="hours_exception_one_a_day"),
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
                name="hours_exception_closed_or_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.on}"


class PublicComputers(models.Model):
    """A location's public computers: how many, what they have, printing and scanning."""

    location = models.OneToOneField(
        "organizations.Location",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="public_computers",
    )
    count = models.PositiveSmallIntegerField(_("public computers"))
    software = models.JSONField(_("software"), default=list, blank=True)
    printing = models.BooleanField(_("printing"), default=False)
    scanning = models.BooleanField(_("scanning"), default=False)
    wifi = models.BooleanField(_("Wi-Fi"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("public computers")
        verbose_name_plural = _("public computers")

    def __str__(self) -> str:
        return f"{self.location}: {self.count}"


class ComputerCount(models.Model):
    """One count of a location's public computers in use and people waiting. Only counts: no
    names, no sessions. Reduced to hourly aggregates after a day (ComputerUsageHour)."""

    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="computer_counts"
    )
    recorded_at = models.DateTimeField()
    in_use = models.PositiveSmallIntegerField()
    waiting = models.PositiveSmallIntegerField()
    # How many public computers there were when counted.
    computers = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=CountSource.choices)

    class Meta:
        indexes = [
            models.Index(fields=["location", "recorded_at"]),
            models.Index(fields=["recorded_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_use__lte=F("computers")), name="computer_count_in_use_at_most_all"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.location_id} {self.recorded_at:%Y-%m-%d %H:%M} {self.in_use}/{self.computers}"
        )


class ComputerUsageHour(models.Model):
    """The counts of one location in one clock hour (UTC), summed: what stays of raw counts
    after a day, for the reports."""

    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="computer_hours"
    )
    hour = models.DateTimeField()
    samples = models.PositiveIntegerField()
    in_use_sum = models.PositiveIntegerField()
    in_use_max = models.PositiveSmallIntegerField()
    waiting_sum = models.PositiveIntegerField()
    waiting_max = models.PositiveSmallIntegerField()
    computers = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "hour"], name="computer_hour_unique")
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.hour:%Y-%m-%d %H:00}"


def counts_summed() -> dict:
    """Raw counts (ComputerCount rows) summed as an hour of ComputerUsageHour is: for the
    periodic reduction, the week of use and the reports, which add the last day's raw counts to
    the hours kept."""
    return {
        "samples": models.Count("pk"),
        "in_use_sum": models.Sum("in_use"),
        "in_use_max": models.Max("in_use"),
        "waiting_sum": models.Sum("waiting"),
        "waiting_max": models.Max("waiting"),
        "computers": models.Max("computers"),
    }


class KioskToken(SecretLinkBase):
    """The secret of a kiosk that updates one location's counts (core.links); it lasts until
    revoked."""

    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="kiosk_tokens"
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A town and ZIP code of the area, with the coordinates of its center, so a visitor can
    name where they are without any outside map service."""

    name = models.CharField(_("town"), max_length=100)
    postal_code = models.CharField(_("ZIP code"), max_length=10, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name", "postal_code"]
        constraints = [
            models.UniqueConstraint(fields=["name", "postal_code"], name="place_unique"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.postal_code}"


class Assessment(models.Model):
    """The resource assessment of one location: a guided checklist (directory.checklist) saved
    as it is filled in, submitted, and approved by a manager, whose approval writes the
    location's directory entries and computers (directory.assessment)."""

    location = models.ForeignKey(
        "organizations.Location", on_delete=models.CASCADE, related_name="assessments"
    )
    state = models.CharField(
        max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("resource assessment")
        verbose_name_plural = _("resource assessments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["location"],
                condition=Q(state__in=sorted(OPEN_ASSESSMENT_STATES)),
                name="assessment_one_open_per_location",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.get_state_display()})"
