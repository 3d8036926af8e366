from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    HELPER = "helper", _("Helper")
    CAREER_COACH = "career_coach", _("Career coach")
    LIAISON = "liaison", _("Liaison")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


# Roles that help patrons directly and can be assigned requests.
HELPING_ROLES = frozenset({Role.HELPER, Role.CAREER_COACH, Role.LIAISON, Role.PARTNER_STAFF})
