"""Referrals between partners, their append-only history, the patron's consents to share
personal details with the receiving partner, the links that let the patron confirm or withdraw
a consent, each receiving organization's settings and webhook, and the webhook's deliveries.
See docs/referrals.md.

A referral itself holds no personal data the receiving partner could read: its code, the
service, why and how urgently, the need and a note checked for contact details. What a consent
lets travel is copied onto the consent when it is given, read only while it is live
(referrals.sharing), emptied when it is withdrawn, and erased with the rest after the retention
period (referrals.retention).
"""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.crypto import EncryptedTextField
from jobhelp.core.enums import Language, Need
from jobhelp.core.models import SecretLinkBase
from jobhelp.core.references import display_reference
from jobhelp.referrals.enums import (
    DEFAULT_EXPIRE_AFTER_DAYS,
    FHIR_TASK_STATUS,
    OPEN_STATES,
    ConsentField,
    ConsentMethod,
    ConsentStatus,
    DeclineReason,
    DeliveryState,
    EventKind,
    Outcome,
    Reason,
    ReferralState,
    Urgency,
    WebhookEvent,
    WithdrawnVia,
)


class Receiver(models.Model):
    """A receiving organization's settings: how long its referrals wait for an answer before
    they expire, and the web address of its other system, told of new referrals and changes."""

    organization = models.OneToOneField(
        "organizations.Organization",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="referral_settings",
    )
    expire_after_days = models.PositiveSmallIntegerField(
        _("business days to answer before a referral expires"), default=DEFAULT_EXPIRE_AFTER_DAYS
    )
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True)
    # The key of the HMAC signature, shown to the manager once; kept as it is, since signing
    # needs it (like the SMTP password in the settings).
    webhook_secret = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_after_days__gte=1, expire_after_days__lte=60),
                name="receiver_expire_after_1_to_60_days",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization_id)


class Referral(models.Model):
    """A person sent by one partner to a service of another, from a help request or for a
    walk-in with no record."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    from_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # The sender's request; none for a walk-in.
    request = models.ForeignKey(
        "intake.HelpRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    # The request the receiving partner opened in its own desk when accepting.
    receiving_request = models.OneToOneField(
        "intake.HelpRequest",
        verbose_name=_("request at the receiving partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referral_received",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReferralState.choices, default=ReferralState.REQUESTED
    )
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    need = models.CharField(_("what they need"), max_length=20, choices=Need.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    note = EncryptedTextField(_("note for the partner"), max_length=1000, blank=True)
    # The patron's language, for their slip and messages; the receiving partner sees it only
    # with a consent that shares it. Emptied with the other details.
    language = models.CharField(_("patron's language"), max_length=5, blank=True)
    # The patron chose to hear of changes (by the channel of their request).
    notify_patron = models.BooleanField(_("tell the patron of changes"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), db_default=Now(), db_index=True)
    # The receiving organization's response target, flagged as overdue in its queue.
    respond_by = models.DateTimeField(_("answer expected by"))
    # Still unanswered at this moment, it expires (referrals.periodic).
    expires_at = models.DateTimeField(_("expires if not answered by"))
    first_response_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.CharField(
        _("why it was declined"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(db_default=Now())
    details_erased_at = models.DateTimeField(_("details erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organization", "state", "sent_at"]),
            models.Index(fields=["from_organization", "sent_at"]),
            models.Index(
                fields=["expires_at"],
                name="referral_unanswered_expiry",
                condition=Q(state=ReferralState.REQUESTED),
            ),
            models.Index(
                fields=["closed_at"],
                name="referral_closed_to_erase",
                condition=Q(details_erased_at__isnull=True, closed_at__isnull=False),
            ),
        ]
        constraints = [
            # A decline names its reason; nothing else has one.
            models.CheckConstraint(
                condition=(Q(state=ReferralState.DECLINED) & ~Q(decline_reason=""))
                | (~Q(state=ReferralState.DECLINED) & Q(decline_reason="")),
                name="referral_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(state=ReferralState.COMPLETED) & ~Q(outcome=""))
                | (~Q(state=ReferralState.COMPLETED) & Q(outcome="")),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(state__in=sorted(OPEN_STATES), closed_at__isnull=True)
                | (~Q(state__in=sorted(OPEN_STATES)) & Q(closed_at__isnull=False)),
                name="referral_closed_when_finished",
            ),
            models.CheckConstraint(
                condition=~Q(from_organization=models.F("to_organization")),
                name="referral_between_two_organizations",
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return display_reference(self.code)

    @property
    def fhir_status(self) -> str:
        return FHIR_TASK_STATUS[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReferralEvent(models.Model):
    """One line of a referral's history: who, when, from which state to which, and the note.
    Append-only: a saved line is never changed (save() refuses) nor deleted by the domain; only
    the retention eraser empties its note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), db_default=Now())
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The side that acted; none for the patron or the system.
    organization = models.ForeignKey(
        "organizations.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=12, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ReferralState.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("referral history line")
        verbose_name_plural = _("referral history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"])]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind} {self.from_state}>{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("a referral's history is append-only")
        super().save(*args, **kwargs)


class Consent(models.Model):
    """The patron's consent to share some of their details with the receiving partner, for a
    purpose, until a moment; given aloud to a staff member who attests it, or confirmed by the
    patron through a link. Only a consent that is confirmed, not withdrawn and not past its end
    lets details travel (referrals.sharing)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    shared_with = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Codes of enums.ConsentField.
    fields = models.JSONField(_("details shared"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), db_default=Now())
    expires_at = models.DateTimeField(_("until"))
    # When the patron agreed: the moment staff recorded a spoken consent, or the patron
    # confirmed through their link. None: asked, not confirmed yet.
    confirmed_at = models.DateTimeField(_("given"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_via = models.CharField(max_length=10, choices=WithdrawnVia.choices, blank=True)
    # The details, as they were when the consent was recorded; only the chosen ones are filled.
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    patron_language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, blank=True
    )
    needs = models.JSONField(_("needs"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), max_length=2000, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["referral", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(fields=[]), name="consent_names_at_least_one_detail"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {', '.join(self.fields)}"

    @property
    def field_labels(self) -> list[str]:
        return [str(ConsentField(f).label) for f in self.fields if f in ConsentField.values]

    @property
    def last_day(self):
        """The last day it lasts, on the current time zone's calendar."""
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()

    def status_at(self, now) -> ConsentStatus:
        if self.withdrawn_at is not None:
            return ConsentStatus.WITHDRAWN
        if self.expires_at <= now:
            return ConsentStatus.EXPIRED
        if self.confirmed_at is None:
            return ConsentStatus.PENDING
        return ConsentStatus.GIVEN


class ConsentLink(SecretLinkBase):
    """The patron's secret link to a consent (core.links): to confirm it, see it, or withdraw
    it. It ends with the consent's own end."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="links")

    class Meta:
        verbose_name = _("consent link")
        verbose_name_plural = _("consent links")

    def __str__(self) -> str:
        return str(self.consent_id)


class WebhookDelivery(models.Model):
    """One event to tell a receiving organization's system. The body is built when it is sent,
    from the referral as it is then, so a consent withdrawn in between is respected."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    occurred_at = models.DateTimeField(db_default=Now())
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_default=Now())
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The HTTP status, or the error's class name; never the other system's reply.
    last_error = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(state__in=[DeliveryState.QUEUED, DeliveryState.SENDING]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.referral_id} {self.state}"
