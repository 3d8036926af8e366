from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class RequestAccess(models.Model):
    """Someone opened a request's personal details (its staff page): who and when. Written by
    privacy.domain.record_access, read by privacy staff on the request's page and the person's.
    Names no patron detail itself, so it outlives the request's erasure."""

    request = models.ForeignKey(
        "intake.HelpRequest", on_delete=models.CASCADE, related_name="accesses"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("opened"), db_default=Now())

    class Meta:
        verbose_name = _("request access")
        verbose_name_plural = _("request accesses")
        indexes = [models.Index(fields=["request", "-at"])]

    def __str__(self) -> str:
        return f"{self.by_id} {self.at:%Y-%m-%d %H:%M}"
