"""The vocabulary of materials (flyers, brochures and their confirmations) and of the shared
reference titles. No bare status strings elsewhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MaterialKind(models.TextChoices):
    # Valid for one calendar month, confirmed by every location it is sent to, reminded.
    MONTHLY_FLYER = "flyer", _("Monthly workshop flyer")
    # A brochure or poster about a partner's services, valid from a day, until a day or for good.
    MARKETING = "marketing", _("Marketing material")


class Audience(models.TextChoices):
    """Who an item is for, in words; worked out from its target locations when they are set."""

    ALL_BRANCHES = "all_branches", _("Every library location")
    SOME_LOCATIONS = "some_locations", _("Some locations")
    JOB_CENTER = "job_center", _("The job center")


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    PNG = "png", _("PNG image")
    JPEG = "jpg", _("JPEG image")


class ThumbnailState(models.TextChoices):
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    # No picture of the first page could be made (no PDF renderer, or it failed): the lists
    # show a drawing of the kind of file instead.
    PLACEHOLDER = "placeholder", _("Not available")


class Step(models.TextChoices):
    """What a targeted location confirms, in order: each step implies the ones before it."""

    DOWNLOADED = "downloaded", _("Downloaded")
    PRINTED = "printed", _("Printed")
    POSTED = "posted", _("Posted")


STEPS = (Step.DOWNLOADED, Step.PRINTED, Step.POSTED)


class TitleFormat(models.TextChoices):
    BOOK = "book", _("Book")
    EBOOK = "ebook", _("E-book")
    AUDIOBOOK = "audiobook", _("Audiobook")
    VIDEO = "video", _("DVD or video")
    PERIODICAL = "periodical", _("Magazine or newsletter")
    BINDER = "binder", _("Binder or handout")
    ONLINE = "online", _("Online resource or database")
    OTHER = "other", _("Other")


class Circulation(models.TextChoices):
    CIRCULATING = "circulating", _("Circulating (can be borrowed)")
    REFERENCE = "reference", _("Reference (stays on site)")


class OrderState(models.TextChoices):
    ORDERED = "ordered", pgettext_lazy("a title order", "Ordered")
    RECEIVED = "received", pgettext_lazy("a title order", "Received")
