from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language
from jobhelp.materials.enums import (
    Audience,
    Circulation,
    FileKind,
    MaterialKind,
    OrderState,
    ThumbnailState,
    TitleFormat,
)


class Sharing(models.Model):
    """`organization` shares with `partner`: the partner's staff see its reference titles, and
    the partner may send materials to its locations. Both are top-level organizations (a
    library system, a workforce center); a library system's sharing covers its branches and
    affiliates. Sharing back is a second row: each side decides for itself."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="shares_with",
    )
    partner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="shared_with_it",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("sharing with a partner")
        verbose_name_plural = _("sharing with partners")
        constraints = [
            models.UniqueConstraint(fields=["organization", "partner"], name="sharing_once"),
            models.CheckConstraint(
                condition=~Q(organization=F("partner")), name="sharing_with_another"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.partner_id}"


class Material(models.Model):
    """A flyer or marketing material a partner sends to some locations, valid for a period (a
    monthly flyer: its month). The file is checked by content (materials.files) and stored
    under a random name; it is served only through materials.queries."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    # Local calendar days at each target location; a monthly flyer's are its first and last.
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    audience = models.CharField(_("for"), max_length=20, choices=Audience.choices)
    file = models.FileField(_("file"), max_length=200)
    file_kind = models.CharField(_("kind of file"), max_length=3, choices=FileKind.choices)
    file_size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    thumbnail = models.FileField(_("picture of the first page"), max_length=200, blank=True)
    thumbnail_state = models.CharField(
        max_length=12, choices=ThumbnailState.choices, default=ThumbnailState.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(db_default=Now())
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["-valid_from", "title", "pk"]
        indexes = [
            models.Index(fields=["kind", "valid_from"]),
            models.Index(fields=["organization", "valid_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="material_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MaterialKind.MONTHLY_FLYER) | Q(valid_until__isnull=False),
                name="material_flyer_has_a_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MaterialTarget(models.Model):
    """One location a material is sent to, with what that location confirmed: downloaded,
    printed, posted (each with who and when; copies when printed and posted). These rows are
    the evidence that the monthly flyers reached every location."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="targets")
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    printed_copies = models.PositiveIntegerField(_("copies printed"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_copies = models.PositiveIntegerField(_("copies posted"), null=True, blank=True)
    # Set once, by the periodic job that reminds the location's staff (materials.reminders).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("material's location")
        verbose_name_plural = _("materials' locations")
        ordering = ["material", "location__name", "pk"]
        indexes = [models.Index(fields=["location", "material"])]
        constraints = [
            models.UniqueConstraint(fields=["material", "location"], name="material_target_once"),
            models.CheckConstraint(
                condition=Q(posted_at__isnull=True) | Q(posted_copies__gte=1),
                name="material_target_posted_copies",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material_id} @ {self.location_id}"

    @property
    def step(self) -> str | None:
        """The furthest step confirmed (a materials.enums.Step value), or None."""
        for step, at in (
            ("posted", self.posted_at),
            ("printed", self.printed_at),
            ("downloaded", self.downloaded_at),
        ):
            if at is not None:
                return step
        return None


class ReferenceTitle(models.Model):
    """A book or occupational reference a partner holds at one of its locations (or on the
    shelf of partner resources at another partner's location). One location lists a title
    once: `match_key` is its ISBN-13, or its folded title and author (validators.match_key)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("listed by"),
        on_delete=models.CASCADE,
        related_name="reference_titles",
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=TitleFormat.choices, default=TitleFormat.BOOK
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shelf = models.CharField(_("shelf"), max_length=100, blank=True)
    # Kept on the shelf of partner resources at `location` (the job center's library shelf).
    partner_shelf = models.BooleanField(_("on the partner resources shelf"), default=False)
    circulation = models.CharField(
        _("lending"),
        max_length=12,
        choices=Circulation.choices,
        default=Circulation.CIRCULATING,
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    times_asked = models.PositiveIntegerField(_("times asked for"), default=0)
    match_key = models.CharField(max_length=255)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("reference title")
        verbose_name_plural = _("reference titles")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["match_key"]),
            models.Index(fields=["organization", "-times_asked"]),
            models.Index(fields=["location", "partner_shelf"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "location", "match_key"], name="reference_title_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TitleOrder(models.Model):
    """A partner's popular title that `organization` (a library system or center) ordered,
    then received. One per title (match_key) and organization."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("ordered by"),
        on_delete=models.CASCADE,
        related_name="title_orders",
    )
    match_key = models.CharField(max_length=255)
    # The partner's listing it was ordered from; the order stays if the partner drops it.
    source = models.ForeignKey(
        ReferenceTitle, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=OrderState.choices)
    ordered_at = models.DateTimeField(_("ordered"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("title order")
        verbose_name_plural = _("title orders")
        ordering = ["-ordered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "match_key"], name="title_order_once"),
            models.CheckConstraint(
                condition=Q(state=OrderState.ORDERED, received_at__isnull=True)
                | Q(state=OrderState.RECEIVED, received_at__isnull=False),
                name="title_order_received_when_received",
            ),
        ]

    def __str__(self) -> str:
        return self.title
