from django.db import models
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Modality

__all__ = ["Activity", "FeedbackVia", "Modality", "OutcomeKind"]


class Activity(models.TextChoices):
    """What a helper did in a session."""

    RESUME_DRAFTED = "resume_drafted", _("Resumé drafted")
    RESUME_REVIEWED = "resume_reviewed", _("Resumé reviewed")
    APPLICATIONS = "applications", _("Job applications submitted")
    INTERVIEW_PRACTICE = "interview_practice", _("Interview practice")
    ADULT_EDUCATION = "adult_ed", _("Help enrolling in adult education")
    BENEFITS = "benefits", _("Help with a benefits claim")
    DIGITAL_SKILLS = "digital", _("Computer and digital skills help")
    REFERRAL = "referral", _("Referral made")


class OutcomeKind(models.TextChoices):
    """What came of the help, as far as the helper knows; updated as they learn more."""

    RESUME_COMPLETED = "resume_completed", _("Resumé completed")
    APPLIED = "applied", _("Applied for a job")
    INTERVIEW = "interview", _("Got an interview")
    HIRED = "hired", _("Hired")
    ENROLLED = "enrolled", _("Enrolled in a class or program")
    REFERRED = "referred", _("Referred to a partner")


class FeedbackVia(models.TextChoices):
    LINK = "link", _("Survey link")
    PHONE = "phone", _("By phone, recorded by staff")
