from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import Role
from jobhelp.core.enums import Need
from jobhelp.core.models import AttachedFile
from jobhelp.crosstraining.enums import LoanState, TrainingKind


class Training(models.Model):
    """A training given by one organization's staff to the staff of others (or its own): a tour
    of the job center, an orientation on its online resources, the library's e-resources."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="trainings_given",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        related_name="trainings_given",
    )
    audience = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("for the staff of"),
        related_name="trainings_for",
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    # The location whose time zone the time is shown in (and where it is held, if in person).
    location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("room or place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)
    # When attendance was first taken: the training was held.
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organization", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="training_place_or_link"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="training_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self):
        return self.location.zone


class TrainingRecord(models.Model):
    """One person's completed training: from a training's attendance here, or entered for a
    training taken elsewhere with who attested it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    training = models.ForeignKey(
        Training,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="records",
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    completed_on = models.DateField(_("completed on"))
    given_by = models.CharField(_("given by"), max_length=200)
    # For a training taken elsewhere: the manager who vouched for it.
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "pk"]
        indexes = [models.Index(fields=["person", "kind", "completed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "training"],
                condition=Q(training__isnull=False),
                name="training_record_once_per_training",
            ),
            models.CheckConstraint(
                condition=Q(training__isnull=False) | Q(attested_by__isnull=False),
                name="training_record_attested_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on})"


class Requirement(models.Model):
    """A training required of everyone holding a role in an organization: within `within_days`
    of starting, then again every `refresh_months` months (never again when empty). Completing
    it may qualify a helper for a need, for as long as it is current."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="training_requirements",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    # Only trainings with this title count, when given (case is ignored).
    title = models.CharField(_("training title"), max_length=200, blank=True)
    within_days = models.PositiveSmallIntegerField(_("within days of starting"))
    refresh_months = models.PositiveSmallIntegerField(
        _("refreshed every (months)"), null=True, blank=True
    )
    qualifies_for = models.CharField(
        _("qualifies for the need"), max_length=20, choices=Need.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        ordering = ["organization", "role", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(within_days__gt=0), name="requirement_within_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(refresh_months__isnull=True) | Q(refresh_months__gt=0),
                name="requirement_refresh_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Card(models.Model):
    """A temporary library card of a library's pool, lent to partner staff. The number is kept
    encrypted (core.crypto, by crosstraining.lending); only its last four digits are ever
    shown. What a card is used for is never stored anywhere."""

    library = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("library"),
        on_delete=models.PROTECT,
        related_name="temporary_cards",
    )
    branch = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("issuing branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number_encrypted = models.TextField(editable=False)
    # core.crypto.fingerprint of the number: the same card cannot be added twice, without
    # decrypting every row.
    number_digest = models.CharField(max_length=64, unique=True, editable=False)
    last_four = models.CharField(_("last four digits"), max_length=4, editable=False)
    # A lost card leaves the pool for good.
    is_retired = models.BooleanField(_("retired"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("temporary library card")
        verbose_name_plural = _("temporary library cards")
        ordering = ["library", "last_four", "pk"]

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        return f"•••• {self.last_four}"


class CardLoan(models.Model):
    """A card lent to one person, from issue to its return, loss or revocation; each step says
    who did it. One card is held by one person at a time: a partial unique index."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="loans")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="card_loans",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=LoanState.choices, default=LoanState.LENT
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("card loan")
        verbose_name_plural = _("card loans")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["card"],
                condition=Q(state=LoanState.LENT),
                name="card_lent_to_one_person",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="card_loan_expiry_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(state=LoanState.LENT, ended_at__isnull=True)
                | (~Q(state=LoanState.LENT) & Q(ended_at__isnull=False)),
                name="card_loan_ended_when_over",
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.card} → {self.holder}"


class TrainingMaterial(AttachedFile):
    """A file for a training's attendees (handouts, slides saved as PDF, pictures), checked by
    content (core.files.validate_evidence) and stored under a random name outside any public
    folder by core.attachments, served only through crosstraining.queries.material_file_for_user.
    It holds no personal data."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("what it is"), max_length=200, blank=True)
    file = models.FileField(upload_to="training/%Y/")

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["training", "uploaded_at", "pk"]
