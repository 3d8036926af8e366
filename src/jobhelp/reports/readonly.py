"""The read-only path every report runs on.

Reports are plain SELECTs: no select_for_update, no writes, no locks a writer could wait for.
`read_only()` makes that a guarantee rather than a habit, and gives all the queries of one
report a single snapshot, so its tables agree with each other:

- PostgreSQL: a transaction `ISOLATION LEVEL REPEATABLE READ, READ ONLY`. Readers never block
  writers there, and a write inside it fails. Inside a transaction someone else opened (a test,
  or a caller's atomic block), a savepoint with `SET TRANSACTION READ ONLY`, rolled back at the
  end, which also undoes the setting, so the caller's transaction may write again afterwards.
- SQLite: not `transaction.atomic()`, since this installation's SQLite transactions are
  IMMEDIATE (settings.py) and would take the write lock. Instead a DEFERRED transaction, which
  in WAL mode reads a snapshot and neither waits for nor blocks the one writer, with
  `PRAGMA query_only` so that a write fails. Inside a transaction already open, a savepoint
  with the pragma, rolled back at the end.

With a replica configured (DATABASE_REPLICA_URL), the block reads from it (reports.replica).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

from jobhelp.reports.replica import reads_from, report_database


@contextmanager
def read_only(using: str | None = None) -> Iterator[None]:
    using = using or report_database()
    connection = connections[using]
    with reads_from(using):
        if connection.vendor == "postgresql":
            with _postgresql(connection, using):
                yield
        elif connection.vendor == "sqlite":
            with _sqlite(connection, using):
                yield
        else:
            yield


@contextmanager
def _postgresql(connection, using: str) -> Iterator[None]:
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                if outermost
                else "SET TRANSACTION READ ONLY"
            )
        try:
            yield
        finally:
            # Nothing was written; rolling back also ends READ ONLY in a caller's transaction.
            transaction.set_rollback(True, using=using)


@contextmanager
def _sqlite(connection, using: str) -> Iterator[None]:
    if connection.in_atomic_block:
        # A savepoint, not a transaction of IMMEDIATE mode, since one is open already.
        with transaction.atomic(using=using):
            try:
                with _query_only(connection):
                    yield
            finally:
                transaction.set_rollback(True, using=using)
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        with _query_only(connection):
            yield
    finally:
        # An error may have ended the transaction already.
        if connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")


@contextmanager
def _query_only(connection) -> Iterator[None]:
    # On the driver's connection: after a failed query inside atomic(), Django refuses to run
    # anything more, and the pragma must be switched off all the same.
    connection.connection.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        connection.connection.execute("PRAGMA query_only = OFF")
