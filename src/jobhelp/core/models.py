from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who did what to which object, for which organization, when.

    Holds codes and ids only. Personal free text (names, notes, addresses) never goes here, so
    the log can be kept longer than the personal data it describes.
    """

    action = models.CharField(_("action"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_default=Now(), db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}:{self.object_id}"


class SecretLinkBase(models.Model):
    """The columns every secret link shares (a patron's appointment, class or survey link, a
    helper's calendar feed, an API token); each app keeps its own table for its own foreign
    keys. Only the token's SHA-256 is stored. Issued, found and revoked by core.links alone.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(db_default=Now())
    # None for secrets that last until revoked (calendar feeds, API tokens).
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class AttachedFile(models.Model):
    """The columns every file attached to a record shares (a training's materials, an
    agreement's PDFs); each app keeps its own table with its own foreign key to the record, its
    own `file` field (the folder it is stored in) and its own `title`. Checked, stored under a
    random name, recorded and removed by core.attachments alone; served through the app's
    scoped query with core.files.stored_file."""

    # Overridden by each table with its own folder; the name in storage is always random.
    file = models.FileField(upload_to="attachments/%Y/")
    # The uploaded name, cleaned, for people to recognise it; never a path in storage.
    display_name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(db_default=Now())

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return getattr(self, "title", "") or self.display_name


class RateLimitBucket(models.Model):
    """A fixed-window hit counter kept in the database, so rate limits work on plain SQLite
    with several worker processes and need no cache server."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="ratelimit_bucket_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} {self.hits}"


class Version(models.Model):
    """How many times some cached public or advisory data has changed (core.versions).

    One row per kind of data and scope (usually a library system or a workforce center). The
    domain function that changes the data raises the number in its own transaction, so the new
    number is seen exactly when the change is."""

    name = models.CharField(max_length=40)
    scope = models.BigIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "scope"], name="version_unique_name_scope")
        ]

    def __str__(self) -> str:
        return f"{self.name}:{self.scope} = {self.value}"


class PeriodicJob(models.Model):
    """The state of one periodic job of the registry (core.periodic): when it is due next,
    whether a runner holds it, and how its last run went. Counts and error codes only."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    # A runner holds the job until this time; a runner that died loses it when it passes.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_counts = models.JSONField(_("last counts"), default=dict, blank=True)
    # The exception's class name when the last run failed, never its message.
    last_error = models.CharField(_("last error"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One import run by the task worker after the person confirmed it (core.imports): how far
    it has got, and its counts or what went wrong. Written only through core.imports.record."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # What is imported: "materials.titles" or "directory.hsds".
    kind = models.CharField(_("kind"), max_length=40)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    # What the running import is doing: "checking" the rows, then "writing" them.
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    # Counts by name when done ({"new": 3, ...}); never names or personal data.
    result = models.JSONField(_("result"), default=dict, blank=True)
    # Why it failed, in the language of the person who started it.
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
