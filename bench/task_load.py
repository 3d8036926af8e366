"""The trivial task that bench.task_throughput enqueues: it does nothing, so what is timed is
the database backend's own work (the row written on enqueue, claimed with SELECT ... FOR UPDATE
SKIP LOCKED by a worker, marked running, then finished). Its module path is what the worker
processes import."""

from django.tasks import task


@task()
def nothing(n: int) -> int:
    return n
