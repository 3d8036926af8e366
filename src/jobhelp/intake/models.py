from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import (
    BestTime,
    ClosingReason,
    ContactMethod,
    IntakeChannel,
    RequestState,
)


class HelpRequest(models.Model):
    """A job seeker's request for help, from the public form or taken by staff."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    reference = models.CharField(_("reference code"), max_length=8, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.NEW
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Stored in international (E.164) form.")
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_contact = models.CharField(
        _("preferred way to reach"), max_length=10, choices=ContactMethod.choices
    )
    best_time = models.CharField(
        _("best time to call"), max_length=10, choices=BestTime.choices, default=BestTime.ANY
    )
    voicemail_ok = models.BooleanField(_("voicemail is OK"), default=False)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    preferred_location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("preferred library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty means any library or remote help."),
    )
    modality = models.CharField(_("how they want help"), max_length=10, choices=Modality.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    channel = models.CharField(_("received by"), max_length=10, choices=IntakeChannel.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    consent_at = models.DateTimeField(_("privacy notice accepted"))
    created_at = models.DateTimeField(_("received"), db_default=Now(), db_index=True)
    updated_at = models.DateTimeField(db_default=Now())
    finished_at = models.DateTimeField(_("resolved or closed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal details erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "state", "created_at"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | Q(erased_at__isnull=False),
                name="help_request_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[RequestState.RESOLVED, RequestState.CLOSED])
                | Q(closing_reason=""),
                name="help_request_reason_only_when_finished",
            ),
        ]

    def __str__(self) -> str:
        return self.display_reference

    @property
    def display_reference(self) -> str:
        """Split in two so it is easy to read aloud: 4K7-M9Q."""
        return f"{self.reference[:3]}-{self.reference[3:]}"


class RequestNeed(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=20, choices=Need.choices)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(fields=["request", "need"], name="request_need_unique"),
        ]
        indexes = [models.Index(fields=["need", "request"])]

    def __str__(self) -> str:
        return self.get_need_display()
