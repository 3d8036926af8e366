from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceStatus(models.TextChoices):
    """HSDS 3.0's service statuses, with its values (one has a space)."""

    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("No longer offered")


# Shown in the public directory and its search; the others only to staff and in HSDS.
LISTED_STATUSES = frozenset({ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED})


class AccessMethod(models.TextChoices):
    """How a person gets the service."""

    WALK_IN = "walk_in", _("Walk in")
    APPOINTMENT = "appointment", _("By appointment")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")


class CountSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    KIOSK = "kiosk", _("Kiosk")
    API = "api", _("Reservation system")


class WaitStatus(models.TextChoices):
    """What the public computers page says about a location (directory.waits)."""

    FREE = "free", _("A computer is free")
    WAIT = "wait", _("Expect a wait")
    NOT_KNOWN = "not_known", _("Wait not known")
    CLOSED = "closed", _("Closed now")


class Software(models.TextChoices):
    OFFICE = "office", _("Word processing and spreadsheets")
    RESUME_TEMPLATES = "resume_templates", _("Resumé templates")
    STATE_JOB_SITE = "state_job_site", _("The state's job-search site")
    JOB_CENTER_RESOURCES = "job_center_resources", _("The job center's online resources")
    TYPING_TUTOR = "typing_tutor", _("Typing tutor")
    SCREEN_READER = "screen_reader", _("Screen reader and magnifier")
    VIDEO_CALLS = "video_calls", _("Camera and headset for video calls")


class Collection(models.TextChoices):
    RESUME_BOOKS = "resume_books", _("Resumé and cover letter books")
    TEST_PREP = "test_prep", _("Test preparation (GED, civil service, licensing)")
    OCCUPATIONAL = "occupational", _("Occupational references")
    CAREER_EXPLORATION = "career_exploration", _("Career exploration")
    JOB_CENTER_SHELF = "job_center_shelf", _("The job center's shelf of resources")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Waiting for a manager's review")
    APPROVED = "approved", _("Approved")


# At most one of these per location at a time (a database constraint).
OPEN_ASSESSMENT_STATES = frozenset({AssessmentState.DRAFT, AssessmentState.SUBMITTED})
