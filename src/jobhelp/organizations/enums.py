from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    LIBRARY_SYSTEM = "library_system", _("Library system")
    BRANCH = "branch", _("Library branch")
    AFFILIATE = "affiliate", _("Affiliate library")
    WORKFORCE_CENTER = "workforce_center", _("Workforce center (one-stop)")


class ParticipationTier(models.TextChoices):
    FULL = "full", _("Full participation")
    REDUCED = "reduced", _("Reduced participation")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
