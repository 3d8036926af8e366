from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import Role
from jobhelp.core.enums import Language, Need
from jobhelp.core.models import SecretLinkBase


class User(AbstractUser):
    """A staff member. Patrons have no accounts."""

    preferred_language = models.CharField(
        _("language for messages"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    # Raised by "sign out everywhere" (accounts.domain.sign_out_everywhere): it is part of the
    # hash every session keeps, so every session made before the change ends at its next request.
    session_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password (a new password ends the other sessions), with the
        session version mixed in."""
        return salted_hmac(
            "jobhelp.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A role a staff member holds in one organization; one person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    home_location = models.ForeignKey(
        "organizations.Location",
        verbose_name=_("usual location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organization}"


class Qualification(models.Model):
    """A need this staff member may help with, optionally only once a training is done."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications")
    need = models.CharField(_("need"), max_length=20, choices=Need.choices)
    qualified_from = models.DateField(
        _("qualified from"),
        null=True,
        blank=True,
        help_text=_("Leave empty if already qualified."),
    )
    # Set when a training earned it (crosstraining): it lapses with the training after this day,
    # and the suggestions say which training and when.
    valid_until = models.DateField(_("qualified until"), null=True, blank=True)
    earned_through = models.CharField(_("earned through the training"), max_length=200, blank=True)
    earned_through_es = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "need"], name="qualification_unique_need"),
        ]

    def __str__(self) -> str:
        return self.get_need_display()


class SpokenLanguage(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="spoken_language_unique"),
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class ApiToken(SecretLinkBase):
    """A staff member's API key, shown once at creation, found and revoked through core.links;
    it lasts until revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
