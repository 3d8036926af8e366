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
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


# Roles that help patrons directly and can be assigned requests.
HELPING_ROLES = frozenset({Role.HELPER, Role.CAREER_COACH, Role.LIAISON, Role.PARTNER_STAFF})
# Roles that may assign and reassign requests, and act on any request of their organizations.
ASSIGNING_ROLES = frozenset({Role.FRONT_DESK, Role.MANAGER, Role.ADMIN})
# Roles that manage an organization's set-up (routing rules), read its reports and curate
# its feedback.
MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
# Roles that find, export and erase everything held about one patron, and see who opened a
# request's personal details (docs/privacy.md).
PRIVACY_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.ADMIN})
