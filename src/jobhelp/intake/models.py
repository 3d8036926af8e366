from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import Role
from jobhelp.core.crypto import EncryptedTextField
from jobhelp.core.enums import Language, Modality, Need
from jobhelp.core.i18n import localized
from jobhelp.core.references import display_reference
from jobhelp.intake.enums import (
    OPEN_STATES,
    BestTime,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    IntakeChannel,
    RequestState,
    RuleLocationScope,
)


def waiting_rank() -> Case:
    """0 for a new request nobody has yet, 1 for any other: the queue's first sort key.

    The queue's index is built on this very expression; PostgreSQL uses an expression index
    only for a query that repeats it exactly, so both take it from here.
    """
    return Case(
        When(assigned_to__isnull=True, state=RequestState.NEW, then=Value(0)),
        default=Value(1),
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
    note = EncryptedTextField(_("note"), max_length=2000, blank=True)
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
        # Indexed with the state below (help_request_assignee_state), which serves this
        # column's own lookups too.
        db_index=False,
    )
    consent_at = models.DateTimeField(_("privacy notice accepted"))
    created_at = models.DateTimeField(_("received"), db_default=Now(), db_index=True)
    updated_at = models.DateTimeField(db_default=Now())
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An open request with the same phone or email when this one arrived."),
    )
    finished_at = models.DateTimeField(_("resolved or closed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal details erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "state", "created_at"]),
            # The requests an organization received in a period, whatever their state (the
            # reports): without it PostgreSQL combines the organization's whole history with
            # every organization's period, which grows with the years (make bench-scale).
            models.Index(fields=["organization", "created_at"], name="help_request_org_created"),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # Only open requests, a small part of the table once a desk has run for a while.
            # The queue reads its first page in this order and stops after 25 rows instead of
            # sorting every open request of the organization.
            models.Index(
                waiting_rank(),
                F("created_at"),
                F("id"),
                name="help_request_queue_order",
                condition=Q(state__in=sorted(OPEN_STATES)),
            ),
            # Each helper's open requests: their load in the suggestions, and "My requests".
            models.Index(
                fields=["assigned_to"],
                name="help_request_open_assignee",
                condition=Q(state__in=sorted(OPEN_STATES)),
            ),
            # The same on SQLite, which uses a partial index only for a query that writes its
            # states as literals, while Django passes them as parameters: without this it read
            # every request a helper ever had to count their open ones (30 ms a queue page at
            # 100,000 requests). It also serves the foreign key's own lookups.
            models.Index(fields=["assigned_to", "state"], name="help_request_assignee_state"),
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
        return display_reference(self.reference)


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


class ContactAttempt(models.Model):
    """One call or email to the patron, and how it went."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("how"), max_length=10, choices=ContactMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=ContactOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), db_default=Now())

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


class RequestNote(models.Model):
    """A staff note on a request, such as the reason for a reassignment. Erased with the
    request's personal details."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(_("note"), max_length=1000)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class RoutingRule(models.Model):
    """Where requests of a kind should go. Rules are tried in order; the first that matches
    names the target, and a fallback rule applies when none does."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=80)
    # Shown to staff reading in Spanish when filled in (core.i18n.localized).
    name_es = models.CharField(_("name in Spanish"), max_length=80, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    is_fallback = models.BooleanField(
        _("fallback"),
        default=False,
        help_text=_("Used when no other rule matches; its conditions are ignored."),
    )
    needs = models.JSONField(
        _("needs"),
        default=list,
        blank=True,
        help_text=_("Matches a request that asks for any of these. Empty matches any need."),
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    location_scope = models.CharField(
        _("where"), max_length=10, choices=RuleLocationScope.choices, default=RuleLocationScope.ANY
    )
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("library"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField(
        _("received by"), max_length=10, choices=IntakeChannel.choices, blank=True
    )
    target_helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("send to this person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_role = models.CharField(
        _("send to people with this role"), max_length=20, choices=Role.choices, blank=True
    )
    target_location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("send to the team at this library"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    auto_assign = models.BooleanField(
        _("assign automatically"),
        default=False,
        help_text=_("Assign new matching requests to the best suggested person at once."),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organization", "is_fallback", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_helper__isnull=False)
                | ~Q(target_role="")
                | Q(target_location__isnull=False),
                name="routing_rule_has_a_target",
            ),
            models.CheckConstraint(
                condition=~Q(location_scope=RuleLocationScope.LOCATION) | Q(location__isnull=False),
                name="routing_rule_location_scope_names_a_location",
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "name")
