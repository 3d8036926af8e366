"""Vocabulary shared by several apps: what people need, the languages we serve in, channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    RESUME = "resume", _("Resumé")
    JOB_APPLICATIONS = "applications", _("Job applications")
    CAREER_COACHING = "coaching", _("Career coaching")
    INTERVIEW_PRACTICE = "interview", _("Interview practice")
    ADULT_EDUCATION = "adult_ed", _("Adult education / GED")
    DIGITAL_SKILLS = "digital", _("Computer and digital skills")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefits")
    OTHER = "other", _("Something else")


class Language(models.TextChoices):
    """Languages a patron may ask to be helped in; the site itself ships in English and Spanish."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    SOMALI = "so", _("Somali")
    HMONG = "hmn", _("Hmong")
    VIETNAMESE = "vi", _("Vietnamese")
    OTHER = "other", _("Another language")


class Modality(models.TextChoices):
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By email")
    VIDEO = "video", _("By video call")
    IN_PERSON = "in_person", _("In person at a library")
