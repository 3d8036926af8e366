import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

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


def normalize_recovery_code(code: str) -> str:
    """A recovery code as it is hashed: without spaces or hyphens, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def hash_recovery_code(code: str, *, salt: str | None = None) -> str:
    """`salt$digest`: HMAC-SHA256 of the normalized code under a random salt of its own. New
    codes carry 80 random bits, so a fast hash is no shortcut for someone holding the table."""
    salt = salt or secrets.token_hex(16)
    digest = hmac.new(salt.encode(), normalize_recovery_code(code).encode(), hashlib.sha256)
    return f"{salt}${digest.hexdigest()}"


def recovery_code_matches(code: str, stored: str) -> bool:
    """Compared in constant time."""
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(hash_recovery_code(code, salt=salt), stored)


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A person's one-time recovery codes, as a django-otp device (docs/security.md). Only
    salted hashes are stored (`RecoveryCode`); the codes themselves are shown once, when made
    (accounts.twofactor). django-otp's own static tokens are kept in clear, so they are not
    used."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """Does `token` match one of the codes left? The matching code is deleted (it works
        once, also when two sign-ins race for it); every code left is compared, in constant
        time, whether or not one matched before."""
        if not self.verify_is_allowed()[0]:
            return False
        token = str(token)
        match = None
        for pk, stored in self.codes.values_list("pk", "digest"):
            if recovery_code_matches(token, stored) and match is None:
                match = pk
        with transaction.atomic():
            used = match is not None and RecoveryCode.objects.filter(pk=match).delete()[0] == 1
            if used:
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
            else:
                self.throttle_increment()
        return used


class RecoveryCode(models.Model):
    """One recovery code, as `hash_recovery_code` keeps it; deleted once used."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return str(_("recovery code"))
