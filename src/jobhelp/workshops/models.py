from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language
from jobhelp.core.i18n import localized
from jobhelp.core.models import SecretLinkBase
from jobhelp.workshops.enums import (
    ACTIVE,
    Delivery,
    MessagesBy,
    RegistrationState,
    SessionState,
)


class Workshop(models.Model):
    """A class, given as one or more sessions ("Online Interviewing Tips", every first
    Tuesday). Hosted by one partner, optionally with others."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("host organization"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    co_hosts = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("co-hosts"),
        blank=True,
        related_name="co_hosted_workshops",
    )
    title = models.CharField(_("title"), max_length=120)
    # Shown to Spanish readers instead of the English when filled in (core.i18n.localized).
    title_es = models.CharField(_("title in Spanish"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    audience = models.CharField(_("who it is for"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    needs = models.JSONField(_("needs it addresses"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=12)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    materials = models.CharField(_("what to bring"), max_length=300, blank=True)
    offer_hold_hours = models.PositiveSmallIntegerField(
        _("hours a waitlist offer holds the seat"), default=24
    )
    # A PDF or image for branches to print; checked by content and size when uploaded
    # (workshops.flyers), served by a view, never from a public media directory.
    flyer = models.FileField(_("flyer"), upload_to="flyers/%Y/", blank=True)
    no_show_frees_later_seats = models.BooleanField(
        _("a no-show gives up their seats in later sessions"), default=False
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_has_seats"),
            models.CheckConstraint(
                condition=Q(offer_hold_hours__gte=1), name="workshop_offer_holds_an_hour"
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def online(self) -> bool:
        return self.delivery != Delivery.IN_PERSON


class WorkshopSession(models.Model):
    """One date and time of a class, at a location (whose zone it is in), or online with the
    host location's zone. Join details are shown only to registrants."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("seats"))
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    join_url = models.URLField(_("video link"), blank=True)
    conference_phone = models.CharField(_("conference line"), max_length=40, blank=True)
    conference_code = models.CharField(_("conference access code"), max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.SCHEDULED
    )
    # Raised on each change of time or place, for the calendar files sent to registrants.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["starts", "pk"]
        indexes = [
            models.Index(fields=["state", "starts"]),
            models.Index(fields=["workshop", "starts"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="workshop_session_starts_before_ends"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_session_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} {self.starts:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """One person's place in a session, or in its waitlist. Who they are is kept only as long
    as the session needs it (see workshops.domain.erase_past_registrations)."""

    session = models.ForeignKey(
        WorkshopSession, on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    # The one way messages reach them, as they chose: email, texts to `phone`, or none (they
    # keep their page's link, or staff tell them). See workshops.messages.registrant_address.
    preferred_contact = models.CharField(
        _("messages by"), max_length=5, choices=MessagesBy.choices, default=MessagesBy.EMAIL
    )
    # The normalised phone (E.164) or lower-cased email that makes one person one registration.
    person_key = models.CharField(max_length=254)
    state = models.CharField(_("state"), max_length=12, choices=RegistrationState.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "state", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person_key"],
                condition=Q(state__in=sorted(ACTIVE)),
                name="one_active_registration_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | Q(erased_at__isnull=False),
                name="registration_has_a_contact",
            ),
            models.CheckConstraint(
                condition=~Q(state=RegistrationState.OFFERED) | Q(offer_expires_at__isnull=False),
                name="offer_has_an_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(preferred_contact=MessagesBy.TEXT)
                | ~Q(phone="")
                | Q(erased_at__isnull=False),
                name="texts_need_a_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.get_state_display()}"

    @property
    def sign_in_name(self) -> str:
        """First name and last initial, for a sign-in sheet others can read."""
        parts = self.name.split()
        if not parts:
            return ""
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0]}."


class RegistrationLink(SecretLinkBase):
    """A secret link to one registration (see, accept an offer, leave); every message carries
    a fresh one (core.links). It works as long as the registration's details are kept."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="links")

    class Meta:
        verbose_name = _("registration link")
        verbose_name_plural = _("registration links")

    def __str__(self) -> str:
        return f"link {self.pk}"
