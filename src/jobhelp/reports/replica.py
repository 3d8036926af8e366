"""Reports read from a replica of the database when there is one.

With DATABASE_REPLICA_URL set, settings.py adds a `replica` database and this router. Every
report already runs its reads inside `reports.readonly.read_only()`; that block reads from the
replica, and nothing else does:

- Only reads inside a report's read-only block go there. Who the user is, what they may see
  (the report's scope) and every page that shows what someone just did read the primary.
- Not inside a transaction already open on the primary (a domain function, a test): what it
  wrote is not on the replica yet, so the report reads the primary there too.
- Every write goes to the primary, whichever database an object was read from.

A replica is a few seconds behind at most; a monthly or quarterly report does not notice.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_from: ContextVar[str | None] = ContextVar("jobhelp_report_reads", default=None)


def report_database() -> str:
    """The database a report reads from now."""
    if REPLICA in settings.DATABASES and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextmanager
def reads_from(alias: str) -> Iterator[None]:
    token = _reading_from.set(alias)
    try:
        yield
    finally:
        _reading_from.reset(token)


class ReplicaRouter:
    """Reads inside `reads_from(...)` go to that database; all else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return _reading_from.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The same rows either way: a replica is a copy of the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> None:
        # Migrations run on the primary and reach the replica by replication; a test database
        # standing in for the replica is migrated like any other.
        return None
