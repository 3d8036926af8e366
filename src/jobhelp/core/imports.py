"""Imports that run in the task worker and show their progress (docs/conventions/tasks.md,
"Imports with progress"): a domain app starts an ImportJob when the person confirms, its task
reports through `record` as it goes, and the staff progress page reads the row.

`record` is the one function that changes a job: a job moves queued → running → done or failed,
never back, and a finished job is not changed again (a task run twice finds it finished and
leaves it). Starting and finishing are audited; the progress between is not (it is a counter)."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jobhelp.core import audit
from jobhelp.core.models import ImportJob

State = ImportJob.State


def start(kind: str, *, organization, by, total: int | None) -> ImportJob:
    """A queued job for `by`'s import into `organization` of `total` rows (or documents)."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, organization=organization, started_by=by, total=total
        )
        audit.record(
            "jobhelp.import_job.queued",
            actor=by,
            organization=organization,
            obj=job,
            data={"kind": kind, "total": total or 0},
        )
    return job


def record(
    job_id: int,
    *,
    state: str = State.RUNNING,
    stage: str = "",
    done: int | None = None,
    total: int | None = None,
    result: dict[str, int] | None = None,
    error: str = "",
    claim: bool = False,
) -> bool:
    """Write a job's progress, or its end (`state` done with `result` counts, or failed with
    `error`). Returns whether the job changed: a finished job is left as it is. With `claim`,
    only a queued job changes: the task run that claims it is the one that does the work."""
    changes: dict = {"state": state, "updated_at": timezone.now()}
    if stage:
        changes["stage"] = stage
    if done is not None:
        changes["done"] = done
    if total is not None:
        changes["total"] = total
    if result is not None:
        changes["result"] = {name: int(count) for name, count in result.items()}
    if error:
        changes["error"] = error
    unfinished = Q(state=State.QUEUED) if claim else ~Q(state__in=[State.DONE, State.FAILED])
    with transaction.atomic():
        changed = ImportJob.objects.filter(unfinished, pk=job_id).update(**changes) == 1
        if changed and state in (State.DONE, State.FAILED):
            job = ImportJob.objects.select_related("organization", "started_by").get(pk=job_id)
            audit.record(
                f"jobhelp.import_job.{state}",
                actor=job.started_by,
                organization=job.organization,
                obj=job,
                data={"kind": job.kind, **job.result},
            )
    return changed


def visible_to(user, *, acting_for: QuerySet, managing: QuerySet) -> QuerySet[ImportJob]:
    """The jobs `user` may see: their own, in an organization they act for, and every job of an
    organization they manage (the querysets come from accounts.tenancy)."""
    return ImportJob.objects.filter(
        Q(started_by=user, organization__in=acting_for) | Q(organization__in=managing)
    )
