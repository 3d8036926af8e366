"""Knowing, with one cheap query, whether anything a cached page shows may have changed.

Every statement that writes one of the tables in CACHED_TABLES (requests, people, places,
routing and scheduling) raises the ``data`` ChangeStamp once its transaction commits. The
check sits under the ORM, in an execute wrapper installed on every connection, so queryset
updates, bulk operations and raw SQL through Django are all seen, not only model saves; a
change made outside Django (psql) is picked up when the cached entries expire (CACHE_SECONDS).

Readers key their cache entries with `current()`. The number moves after the commit, never
before, so a page computed from data older than a change can only be stored under a number
that the change then retires. Inside a transaction that has written such a table the cache
is bypassed (`usable()`), so nobody reads a cached page that misses their own change, and
nothing computed from uncommitted rows is stored.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created

STAMP = "data"
CACHE_ALIAS = "fragments"
CACHE_SECONDS = 60
CACHED_TABLES = ('"intake_', '"accounts_', '"organizations_', '"scheduling_')
# Recording when a token was last used (at most once a minute) changes nothing a page shows.
IGNORED_WRITES = ('UPDATE "accounts_apitoken" SET "last_used_at" = ',)
_WRITES = ("INSERT INTO ", "UPDATE ", "DELETE FROM ")


def _writes_cached_table(sql: str) -> bool:
    head = sql.lstrip()[:80]
    for verb in _WRITES:
        if head.startswith(verb):
            table = head[len(verb) :]
            return table.startswith(CACHED_TABLES) and not head.startswith(IGNORED_WRITES)
    return False


def bump() -> None:
    """Raise the stamp (in its own statement, after the change it reports has committed).

    One upsert, not a get_or_create: in autocommit it runs while the statement that wrote may
    still be open (an INSERT ... RETURNING not yet read), where SQLite cannot commit a block."""
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "core_changestamp" ("name", "value") VALUES (%s, 1) '
            'ON CONFLICT ("name") DO UPDATE SET "value" = "core_changestamp"."value" + 1',
            [STAMP],
        )


def _pending(conn) -> bool:
    return any(entry[1] is bump for entry in conn.run_on_commit)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes_cached_table(sql):
        conn = context["connection"]
        if not conn.in_atomic_block:
            bump()
        elif not _pending(conn):
            # Once per transaction; a rolled-back savepoint drops the callback with it, and
            # the next write registers it again.
            transaction.on_commit(bump, using=conn.alias)
    return result


def _install(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    connection_created.connect(_install, dispatch_uid="jobhelp.core.freshness")
    for conn in connections.all(initialized_only=True):
        _install(None, conn)


def current() -> int:
    # Read on every cached page: plain SQL, without the ORM's query building.
    with connection.cursor() as cursor:
        cursor.execute('SELECT "value" FROM "core_changestamp" WHERE "name" = %s', [STAMP])
        row = cursor.fetchone()
    return row[0] if row else 0


def current_for(request) -> int:
    """current(), read once for a request however many cached things it uses."""
    stamp = getattr(request, "_freshness_stamp", None)
    if stamp is None:
        stamp = request._freshness_stamp = current()
    return stamp


def usable() -> bool:
    """False inside a transaction that has changed cached data and not yet committed."""
    return not (connection.in_atomic_block and _pending(connection))


def cached(key: tuple, compute: Callable[[], object], *, stamp: int | None = None):
    """`compute()`, kept for CACHE_SECONDS under `key` and the current stamp."""
    if not usable():
        return compute()
    stamp = current() if stamp is None else stamp
    cache = caches[CACHE_ALIAS]
    full_key = hashlib.sha256(repr((stamp, *key)).encode()).hexdigest()
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value
