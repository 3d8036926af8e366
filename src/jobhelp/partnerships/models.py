"""A partnership between organizations (a one-stop job center and a library system with its
branches and affiliates), the agreements (MOU) that bind them, the obligations those list and
each occurrence of them, the managers' meetings with their action items, grant coordination,
and the liaison's log. See docs/partnerships.md.

Every change goes through the domain modules beside this one (partners, agreements,
obligations, meetings, grants, log); every read through partnerships.queries.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.core.models import AttachedFile
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships.enums import (
    MAX_REVIEW_CYCLE_MONTHS,
    ActionItemStatus,
    Activity,
    AgreementStatus,
    AmendmentKind,
    ContributionKind,
    CostCategory,
    Frequency,
    GrantStatus,
    ObligationKind,
    PartyRole,
)

# The seed's liaison gives "about two hours per month" to the partnership.
DEFAULT_EXPECTED_MINUTES = 120


class Partnership(models.Model):
    """The organizations working together, whatever agreements come and go: its meetings,
    grants and the liaison's log belong here, its agreements one after another."""

    name = models.CharField(_("name"), max_length=200)
    # The organization that convenes the partnership (the local board or its one-stop center).
    convener = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designated liaison"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expected_liaison_minutes = models.PositiveSmallIntegerField(
        _("liaison's expected time (minutes a month)"), default=DEFAULT_EXPECTED_MINUTES
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """One organization's participation in a partnership: its tier and what it offers."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="partner_in",
    )
    tier = models.CharField(
        _("participation"),
        max_length=10,
        choices=ParticipationTier.choices,
        default=ParticipationTier.FULL,
    )
    offers = models.TextField(_("what it offers the other partners"), blank=True)
    # For a reduced tier, what "reduced" means: the services it takes part in.
    services = models.TextField(_("services it takes part in"), blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["partnership", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="partner_unique_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_tier_display()})"


class PartnerContact(models.Model):
    """Someone to call at a partner, with a staff account or without one."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A memorandum of understanding. Its fields follow the MOU contents of 20 CFR 678.500
    (partnerships.checklist lists what is missing)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    effective_from = models.DateField(_("in effect from"), null=True, blank=True)
    renewal_on = models.DateField(_("renewal date"), null=True, blank=True)
    review_cycle_months = models.PositiveSmallIntegerField(
        _("reviewed every (months)"),
        null=True,
        blank=True,
        help_text=_("At most 36 months (20 CFR 678.500(b)(6))."),
    )
    services_coordination = models.TextField(
        _("how services are coordinated and delivered"), blank=True
    )
    referral_methods = models.TextField(
        _("methods of referring people between partners"), blank=True
    )
    needs_disability = models.TextField(
        _("how the needs of people with disabilities are met"), blank=True
    )
    needs_language = models.TextField(
        _("how the needs of people who speak other languages are met"), blank=True
    )
    needs_technology = models.TextField(_("access to technology and materials"), blank=True)
    cost_allocation_method = models.TextField(_("how costs are allocated"), blank=True)
    data_sharing = models.TextField(_("data-sharing terms"), blank=True)
    dispute_resolution = models.TextField(_("how disputes are resolved"), blank=True)
    amendment_procedure = models.TextField(_("how the agreement is amended"), blank=True)
    chief_elected_official = models.CharField(
        _("chief elected official (name and title)"), max_length=200, blank=True
    )
    chief_elected_official_agreed_on = models.DateField(
        _("chief elected official agreed on"), null=True, blank=True
    )
    # The agreement this one renews; it becomes superseded when this one is executed.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-effective_from", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_known_status"
            ),
            models.CheckConstraint(
                condition=Q(renewal_on__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(renewal_on__gt=F("effective_from")),
                name="agreement_renewal_after_effective",
            ),
            models.CheckConstraint(
                condition=Q(review_cycle_months__isnull=True)
                | Q(review_cycle_months__gte=1, review_cycle_months__lte=MAX_REVIEW_CYCLE_MONTHS),
                name="agreement_review_cycle_at_most_36_months",
            ),
        ]
        indexes = [models.Index(fields=["status", "renewal_on"])]

    def __str__(self) -> str:
        return self.title


class Party(models.Model):
    """An organization that is party to an agreement, and its signature."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    tier = models.CharField(
        _("participation"),
        max_length=10,
        choices=ParticipationTier.choices,
        default=ParticipationTier.FULL,
    )
    services = models.TextField(_("services it provides"), blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="party_unique_organization"
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | (~Q(signatory_name="") & ~Q(signatory_title="")),
                name="party_signature_names_signatory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}"

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


class CostShare(models.Model):
    """One party's contribution to the infrastructure or shared costs of the one-stop system."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="cost_shares")
    category = models.CharField(_("costs"), max_length=20, choices=CostCategory.choices)
    contribution = models.CharField(
        _("contribution"), max_length=10, choices=ContributionKind.choices
    )
    description = models.TextField(_("what is contributed"))
    annual_amount = models.DecimalField(
        _("value a year (dollars)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        ordering = ["party", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_amount__isnull=True) | Q(annual_amount__gte=0),
                name="cost_share_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.get_contribution_display()}"


class Amendment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=AmendmentKind.choices)
    summary = models.TextField(_("what changes"))
    effective_on = models.DateField(_("in effect from"))
    # The names of the agreement's fields it changed.
    fields = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.number}"


class Attachment(AttachedFile):
    """A PDF of an agreement (the signed copy, a budget, an infrastructure funding agreement).
    Checked and stored under a random name by core.attachments, served only through
    partnerships.queries.attachment_file_for_user."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(upload_to="agreements/%Y/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["agreement", "uploaded_at", "pk"]


class Obligation(models.Model):
    """Something a party does again and again under an agreement (a tour each quarter, the
    monthly flyers), with one Occurrence per due date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ObligationKind.choices, default=ObligationKind.OTHER
    )
    owner_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("done by (organization)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    first_due_on = models.DateField(_("first due on"))
    # No occurrence after this day; empty: until the agreement's renewal date.
    ends_on = models.DateField(_("last due on"), null=True, blank=True)
    # Partners at a reduced level (affiliates) see and take part in only the obligations
    # marked so, besides their own.
    reduced_tier_takes_part = models.BooleanField(
        _("partners at a reduced level take part"), default=False
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["agreement", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("first_due_on")),
                name="obligation_ends_after_first_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Occurrence(models.Model):
    """One due date of an obligation, and how it was kept: a note, a file, or a link to the
    record that fulfilled it (a meeting here; a training, a flyer's confirmations or the cards
    lent, from the apps that keep those, registered in partnerships.evidence)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="occurrences")
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(upload_to="evidence/%Y/", blank=True)
    evidence_file_name = models.CharField(_("file name"), max_length=150, blank=True)
    # A generic link, so that apps above this one (trainings, materials, referrals) can point
    # an occurrence at their records without this app importing them.
    evidence_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_id = models.PositiveBigIntegerField(null=True, blank=True)
    evidence = GenericForeignKey("evidence_type", "evidence_id")

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "due_on"], name="occurrence_unique_due"),
            models.CheckConstraint(
                condition=Q(evidence_type__isnull=True, evidence_id__isnull=True)
                | Q(evidence_type__isnull=False, evidence_id__isnull=False),
                name="occurrence_evidence_type_and_id",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on", "done_at"]),
            models.Index(fields=["evidence_type", "evidence_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} — {self.due_on:%Y-%m-%d}"

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Meeting(models.Model):
    """A management meeting of the partnership, at a partner's location (whose zone its times
    are shown in)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("meeting place"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes of the meeting"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    # Rises with each change of time or place, for calendar programs (RFC 5545).
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class MeetingAttendee(models.Model):
    """Someone from a partner at a meeting: a staff member, or a guest by name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    # None until the minutes say whether they came.
    attended = models.BooleanField(_("came"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "organization__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meeting_attendee_unique_user",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="meeting_attendee_named"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.name


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("what is to be done"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """A grant opportunity the partners coordinate on."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="grants")
    funder = models.CharField(_("funder"), max_length=200)
    opportunity = models.CharField(_("opportunity"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lead_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("lead partner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_sought = models.DecimalField(
        _("amount sought (dollars)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    match_commitment = models.TextField(_("match commitments"), blank=True)
    in_kind_commitment = models.TextField(_("in-kind commitments"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.EXPLORING
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # The meeting where it was last discussed.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("discussed at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants",
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_sought__isnull=True) | Q(amount_sought__gte=0),
                name="grant_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.opportunity}"


class LogEntry(models.Model):
    """Time the liaison gave the partnership: what, when, with whom, how long."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="log_entries"
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The partner the liaison acted for.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("day"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    with_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("with whom"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.TextField(_("who took part"), blank=True)
    attendee_count = models.PositiveSmallIntegerField(
        _("how many took part"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("liaison's log")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=24 * 60), name="log_entry_minutes_in_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "occurred_on"]),
            models.Index(fields=["liaison", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.occurred_on:%Y-%m-%d}"
