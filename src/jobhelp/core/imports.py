"""Imports that run in the task worker and show their progress (docs/conventions/tasks.md,
"Imports with progress"): a domain app starts an ImportJob when the person confirms, its task
reports through `record` as it goes, and the staff progress page reads the row.

`record` is the one function that changes a job: a job moves queued → running → done or failed,
never back, and a finished job is not changed again (a task run twice finds it finished and
leaves it). Starting and finishing are audited; the progress between is not (it is a counter)."""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
    aside: bool = False,
) -> bool:
    """Write a job's progress, or its end (`state` done with `result` counts, or failed with
    `error`). Returns whether the job changed: a finished job is left as it is. With `claim`,
    only a queued job changes: the task run that claims it is the one that does the work. With
    `aside` (progress reported from inside the import's own transaction), the progress is
    written on a connection of its own on PostgreSQL (`_write_aside`)."""
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
    if aside and state == State.RUNNING and transaction.get_connection().vendor == "postgresql":
        _write_aside(job_id, changes)
        return True
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


def _write_aside(job_id: int, changes: dict) -> None:
    """Progress reported from inside the import's own transaction (its writing stage), written
    on a connection of its own so that the progress page sees it before the import commits. On
    PostgreSQL only: SQLite has one writer at a time, so there the row is written in the
    import's transaction and seen when it commits."""
    table = ImportJob._meta.db_table
    columns = [
        name for name in ("state", "stage", "done", "total", "updated_at") if name in changes
    ]
    aside = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{name} = %s' for name in columns)} "  # noqa: S608
                "WHERE id = %s AND state NOT IN (%s, %s)",
                [*(changes[name] for name in columns), job_id, State.DONE, State.FAILED],
            )
    finally:
        aside.close()


def visible_to(user, *, acting_for: QuerySet, managing: QuerySet) -> QuerySet[ImportJob]:
    """The jobs `user` may see: their own, in an organization they act for, and every job of an
    organization they manage (the querysets come from accounts.tenancy)."""
    return ImportJob.objects.filter(
        Q(started_by=user, organization__in=acting_for) | Q(organization__in=managing)
    )
