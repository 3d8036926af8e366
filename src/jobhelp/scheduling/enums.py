from django.db import models
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Modality

__all__ = ["ACTIVE_STATES", "AppointmentState", "ExceptionKind", "Modality"]


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    CANCELLED_LATE = "cancelled_late", _("Cancelled late")


# States that hold the helper's time. The PostgreSQL exclusion constraint (migration 0001)
# repeats this as `state = 'booked'`; change both together.
ACTIVE_STATES = frozenset({AppointmentState.BOOKED})


class ExceptionKind(models.TextChoices):
    EXTRA = "extra", _("Extra hours")
    TIME_OFF = "time_off", _("Time off")
