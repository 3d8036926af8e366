"""Knowing, with one cheap query, whether anything a cached page shows may have changed.

Every statement that writes a table of the apps in CACHED_APPS (requests, people, places,
routing and scheduling) raises the ``data`` ChangeStamp once its transaction commits. The
check sits under the ORM, in an execute wrapper installed on every connection, so queryset
updates, bulk operations and raw SQL through Django are all seen, not only model saves; a
change made outside Django (psql) is picked up when the cached entries expire (CACHE_SECONDS).
While `migrate` runs, the stamp is raised once, at the end.

Readers key their cache entries with `current()`. The number moves after the commit, never
before, so a page computed from data older than a change can only be stored under a number
that the change then retires. Inside a transaction that has written such a table the cache
is bypassed (`usable()`), so nobody reads a cached page that misses their own change, and
nothing computed from uncommitted rows is stored.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable

from django.core.cache import caches
from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate

log = logging.getLogger(__name__)

STAMP = "data"
CACHE_ALIAS = "fragments"
CACHE_SECONDS = 60
# The apps whose tables cached pages are made of. A statement that changes rows (INSERT,
# UPDATE, DELETE, REPLACE, MERGE, TRUNCATE, in any case, after comments, or any statement
# starting WITH) and names a table of theirs anywhere, quoted or not, raises the stamp: erring
# towards raising it once too often costs one recomputation. Schema changes (CREATE, ALTER,
# DROP, as migrations run before the stamp's own table exists) change no rows.
CACHED_APPS = ("intake", "accounts", "organizations", "scheduling")
_CACHED_TABLE = re.compile(rf"\b(?:{'|'.join(CACHED_APPS)})_\w", re.IGNORECASE)
_CHANGES_ROWS = re.compile(
    r"\s*(?:(?:/\*.*?\*/|--[^\n]*\n)\s*)*"
    r"(?:INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|WITH)\b",
    re.IGNORECASE | re.DOTALL,
)
# Recording when a token was last used (at most once a minute) changes nothing a page shows;
# only this exact statement is let through, so a revocation in the same UPDATE still counts.
_TOKEN_USE = re.compile(
    r'\s*UPDATE "accounts_apitoken" SET "last_used_at" = %s '
    r'WHERE "accounts_apitoken"\."id" = %s\s*'
)
# Raised by this process, which then reads the stamp again (recent).
_raised_here = 0
# While `migrate` runs, tables are made and rebuilt (SQLite copies rows into a new table),
# perhaps before the stamp's own table exists: the stamp is raised once, when it is done.
_migrating = False


def writes_cached_table(sql: str) -> bool:
    return (
        _CHANGES_ROWS.match(sql) is not None
        and _CACHED_TABLE.search(sql) is not None
        and _TOKEN_USE.fullmatch(sql) is None
    )


def bump(alias: str = "default") -> None:
    """Raise the stamp (in its own statement, after the change it reports has committed).

    One upsert, not a get_or_create: in autocommit it runs while the statement that wrote may
    still be open (an INSERT ... RETURNING not yet read), where SQLite cannot commit a block.
    A new row starts at the time in microseconds, so a stamp deleted and made again never
    repeats a number that cached entries were stored under."""
    global _raised_here
    _raised_here += 1
    with connections[alias].cursor() as cursor:
        cursor.execute(
            'INSERT INTO "core_changestamp" ("name", "value") VALUES (%s, %s) '
            'ON CONFLICT ("name") DO UPDATE SET "value" = "core_changestamp"."value" + 1',
            [STAMP, time.time_ns() // 1000],
        )


def _bump_safely(alias: str) -> None:
    # The change itself has committed: failing to report it must not turn into an error for
    # the person who made it. Cached entries expire after CACHE_SECONDS all the same.
    try:
        bump(alias)
    except DatabaseError:
        log.exception("could not raise the change stamp; cached pages may lag %ss", CACHE_SECONDS)


_after_commit: dict[str, Callable[[], None]] = {}


def _callback(alias: str) -> Callable[[], None]:
    if alias not in _after_commit:
        _after_commit[alias] = lambda: _bump_safely(alias)
    return _after_commit[alias]


def _pending(conn) -> bool:
    callback = _callback(conn.alias)
    return any(entry[1] is callback for entry in conn.run_on_commit)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and writes_cached_table(sql):
        conn = context["connection"]
        if not conn.in_atomic_block:
            _bump_safely(conn.alias)
        elif not _pending(conn):
            # Once per transaction; a rolled-back savepoint drops the callback with it, and
            # the next write registers it again. Robust: if it fails, the callbacks after it
            # (the outbox's) still run. A callback before it that raises stops it, and the
            # entries expire after CACHE_SECONDS.
            transaction.on_commit(_callback(conn.alias), using=conn.alias, robust=True)
    return result


def _install(sender, connection, **kwargs) -> None:
    # First, so that a caller's own `with connection.execute_wrapper(...)` pops its own.
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _migration_starts(sender, using="default", **kwargs) -> None:
    global _migrating
    _migrating = True


def _migration_ends(sender, using="default", **kwargs) -> None:
    # Sent once for every app: the first raises the stamp.
    global _migrating
    if _migrating:
        _migrating = False
        _bump_safely(using)


def install() -> None:
    connection_created.connect(_install, dispatch_uid="jobhelp.core.freshness")
    pre_migrate.connect(_migration_starts, dispatch_uid="jobhelp.core.freshness.pre")
    post_migrate.connect(_migration_ends, dispatch_uid="jobhelp.core.freshness.post")
    for conn in connections.all(initialized_only=True):
        _install(None, conn)


def current() -> int:
    # Read on every cached page: plain SQL, without the ORM's query building.
    with connection.cursor() as cursor:
        cursor.execute('SELECT "value" FROM "core_changestamp" WHERE "name" = %s', [STAMP])
        row = cursor.fetchone()
    return row[0] if row else 0


# How long a process may go on using the number it read last, unless it has raised the
# number itself since: another process's change shows within this time. Under load it spares
# most requests the query (a busy worker reads it a few times a second, not on every request).
REUSE_SECONDS = 0.25
_last_read: tuple[int, float, int] | None = None  # (_raised_here, monotonic time, number)


def recent() -> int:
    """current(), at most REUSE_SECONDS old, and read again as soon as this process has changed
    something itself."""
    global _last_read
    if not usable():
        # Nothing is read from or stored in the cache now (see cached): no number is needed.
        return 0
    last, now = _last_read, time.monotonic()
    if last is None or last[0] != _raised_here or now - last[1] >= REUSE_SECONDS:
        last = _last_read = (_raised_here, now, current())
    return last[2]


def forget_reads() -> None:
    """Read the number afresh next time (tests, whose rolled-back data takes it back)."""
    global _last_read
    _last_read = None


def usable() -> bool:
    """False inside a transaction that has changed cached data and not yet committed."""
    return not (connection.in_atomic_block and _pending(connection))


def cached(key: tuple, compute: Callable[[], object]):
    """`compute()`, kept for CACHE_SECONDS under `key` and the recent stamp."""
    if not usable():
        return compute()
    cache = caches[CACHE_ALIAS]
    full_key = hashlib.sha256(repr((recent(), *key)).encode()).hexdigest()
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value
