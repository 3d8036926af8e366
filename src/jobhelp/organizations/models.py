import zoneinfo
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobhelp.organizations.enums import OrganizationKind, ParticipationTier, Weekday
from jobhelp.organizations.validators import validate_time_zone


class Organization(models.Model):
    """A partner: a library system, one of its branches or affiliates, or a workforce center.

    Branches and affiliates point at their library system through `parent`; staff of a parent
    see the work of its children.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    participation_tier = models.CharField(
        _("participation"),
        max_length=10,
        choices=ParticipationTier.choices,
        default=ParticipationTier.FULL,
    )
    accepts_public_requests = models.BooleanField(
        _("accepts requests from the public form"), default=False
    )
    response_target_days = models.PositiveSmallIntegerField(
        _("response target (business days)"), default=2
    )
    max_contact_attempts = models.PositiveSmallIntegerField(
        _("failed contact attempts before closing as no response"), default=3
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the organization does, for the directory.")
    )
    # A stable public identifier: the organization's id in the HSDS directory (decision 0009),
    # where ids are UUIDs; the primary key stays internal.
    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True)
                | Q(kind__in=[OrganizationKind.BRANCH, OrganizationKind.AFFILIATE]),
                name="organization_only_branches_have_parents",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def root_id(self) -> int:
        """The organization at the top of this one's tree: its library system, or itself."""
        return self.parent_id or self.pk


class Location(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=80)
    state = models.CharField(_("state"), max_length=2)
    postal_code = models.CharField(_("ZIP code"), max_length=10)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, for example America/Chicago."),
    )
    is_active = models.BooleanField(_("open to the public"), default=True)
    # Where the building is, for "the nearest library with a free computer": decimal degrees
    # (WGS 84), entered by staff; nothing is looked up from an outside service.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Entrances, parking, elevators, accessible computers, hearing loops."),
    )
    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_both_and_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class OpeningHours(models.Model):
    """One opening interval on a weekday, in the location's own time zone (wall-clock time)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="opening_hours_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
