from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.casework.enums import Activity, FeedbackVia, Modality, OutcomeKind
from jobhelp.core.crypto import EncryptedTextField
from jobhelp.core.models import SecretLinkBase

MAX_MINUTES = 8 * 60


class HelpSession(models.Model):
    """One episode of help (an appointment, a phone call, an email exchange) as the helper
    recorded it. What was done and what came of it are counted in reports; the private note is
    for the helper's organization only, never exported, and erased with the request."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="help_sessions",
    )
    request = models.ForeignKey(
        "intake.HelpRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="help_sessions",
    )
    appointment = models.OneToOneField(
        "scheduling.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_session",
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.PROTECT,
        related_name="help_sessions",
    )
    happened_at = models.DateTimeField(_("when"))
    modality = models.CharField(_("how"), max_length=10, choices=Modality.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes spent"))
    private_note = EncryptedTextField(_("private note"), blank=True)
    # One per form drawing: the same form saved twice records one session.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        ordering = ["-happened_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "happened_at"]),
            models.Index(fields=["helper", "happened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_MINUTES),
                name="help_session_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.happened_at:%Y-%m-%d}"


class SessionActivity(models.Model):
    session = models.ForeignKey(HelpSession, on_delete=models.CASCADE, related_name="activities")
    activity = models.CharField(_("what was done"), max_length=20, choices=Activity.choices)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["session", "activity"], name="session_activity_once")
        ]

    def __str__(self) -> str:
        return self.get_activity_display()


class Outcome(models.Model):
    """Something that came of a session. Outcomes are added (and withdrawn) as the helper learns
    more, so `achieved_on` may be long after the session."""

    session = models.ForeignKey(HelpSession, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    achieved_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["achieved_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="outcome_once_per_session")
        ]
        indexes = [models.Index(fields=["kind", "achieved_on"])]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    """A reminder to the helper ("call back in two weeks about the interview"); it shows in
    their list from its date until it is done."""

    session = models.ForeignKey(HelpSession, on_delete=models.CASCADE, related_name="follow_ups")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("follow up on"))
    note = models.CharField(_("what to follow up"), max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["helper", "due_on"],
                condition=Q(done_at__isnull=True),
                name="follow_up_open_by_helper",
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.note}"


class FeedbackInvitation(SecretLinkBase):
    """The patron's one-time survey link for a session (core.links)."""

    session = models.OneToOneField(
        HelpSession, on_delete=models.CASCADE, related_name="feedback_invitation"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class FeedbackResponse(models.Model):
    """The patron's answers. Nothing here says who they are; a comment is quoted only with
    their consent, and only after a manager marks it as a testimonial."""

    session = models.OneToOneField(HelpSession, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.PositiveSmallIntegerField(_("how helpful (1 to 5)"))
    would_recommend = models.BooleanField(_("would recommend it"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    may_quote = models.BooleanField(_("may be quoted without a name"), default=False)
    testimonial = models.BooleanField(_("testimonial"), default=False)
    via = models.CharField(max_length=10, choices=FeedbackVia.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(helpful__gte=1, helpful__lte=5), name="feedback_helpful_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(testimonial=False) | Q(may_quote=True),
                name="feedback_testimonial_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helpful}/5"
