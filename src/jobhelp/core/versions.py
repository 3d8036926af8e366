"""Versions for cached public or advisory data, raised by the code that changes the data.

Staff pages and authorization are never cached (docs/decisions/0012). Data that anyone may read,
or that only advises (free appointment times, public class and directory pages, computer waits),
may be kept in Django's cache under the versions of everything it was made from:

    bump(SCHEDULE, system_id)   # in the domain function, inside its transaction, after writing
    cached(key, versions=[(SCHEDULE, system_id)], compute=...)   # in the reader

`bump` raises a number in the database in the same transaction as the change, so the new number
becomes visible at the very moment the change does, on every worker, and a change that rolls
back takes its number back with it. `cached` reads the numbers first (one query), then looks
for an entry stored under them: an entry is never stale, only unused, whatever cache backend
holds it. Nothing watches SQL or signals; a change that does not call `bump` is not seen, so
every domain function that changes cached data calls it (docs/architecture.md lists them).

Take the number last in a transaction where you can: on PostgreSQL the row stays locked until
the transaction ends, so changes to the same scope queue behind each other for that moment.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from jobhelp.core.models import Version

# The kinds of data versioned. Each is raised by the app that owns the data, per library
# system or workforce center (the organization at the top of the tree), or 0 for all.
REQUESTS = "requests"  # intake: a request's state, assignment and needs; routing rules
SCHEDULE = "schedule"  # scheduling: appointments, hours, exceptions, closures, types
STAFF = "staff"  # accounts and organizations: memberships, qualifications, languages, places
CLASSES = "classes"  # workshops: classes, sessions and their seats
DIRECTORY = "directory"  # directory: services, their places, hours, exceptions and terms
COMPUTERS = "computers"  # directory: public computers, their counts, kiosks, coordinates

Key = tuple[str, int]

# How long an entry may sit unused in the cache; its versions, not this, keep it correct.
TIMEOUT = 300


def bump(name: str, scope: int = 0) -> None:
    """Raise the version of `name` for `scope`, inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "core_version" ("name", "scope", "value") VALUES (%s, %s, 1) '
            'ON CONFLICT ("name", "scope") DO UPDATE SET "value" = "core_version"."value" + 1',
            [name, scope],
        )


def read(keys: Iterable[Key]) -> tuple[int, ...]:
    """The current numbers of `keys`, in their order (0 for one never raised), in one query."""
    keys = list(keys)
    if not keys:
        return ()
    condition = " OR ".join(['("name" = %s AND "scope" = %s)'] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "name", "scope", "value" FROM "core_version" WHERE {condition}',  # noqa: S608
            [part for key in keys for part in key],
        )
        found = {(name, scope): value for name, scope, value in cursor.fetchall()}
    return tuple(found.get(key, 0) for key in keys)


def read_every(names: Iterable[str], keys: Iterable[Key] = ()) -> tuple[tuple[str, int, int], ...]:
    """Every raised number of `names`, whatever its scope, and the numbers of `keys`, in one
    query: for data drawn from every library system and center at once (the public computers
    page). A scope never raised has no row and counts as 0 wherever it is read, so a scope that
    appears later changes the answer exactly when its first number is raised."""
    names, keys = list(names), list(keys)
    conditions = ['"name" = %s'] * len(names) + ['("name" = %s AND "scope" = %s)'] * len(keys)
    if not conditions:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "name", "scope", "value" FROM "core_version" WHERE {" OR ".join(conditions)}'  # noqa: S608
            ' ORDER BY "name", "scope"',
            [*names, *(part for key in keys for part in key)],
        )
        return tuple(cursor.fetchall())


def number(name: str, scope) -> Coalesce:
    """The current number of (`name`, `scope`) as an expression, for a reader that takes the
    numbers in the same query as what it checks first (`scope` may be an expression, such as a
    request's library system). Pass the numbers read so to `cached_under`."""
    return Coalesce(
        Subquery(Version.objects.filter(name=name, scope=scope).values("value")[:1]),
        Value(0),
    )


def cached(key: tuple, *, versions: Iterable[Key], compute: Callable[[], object]):
    """`compute()`, kept under `key` and the current numbers of `versions`.

    Inside a transaction nothing is read from or stored in the cache: the transaction may have
    raised a version that a rollback would take back, and whatever it computed could then be
    stored under a number another change will reuse."""
    if connection.in_atomic_block:
        return compute()
    versions = list(versions)
    return cached_under(key, versions=versions, numbers=read(versions), compute=compute)


def cached_under(key: tuple, *, versions: list, numbers: tuple, compute: Callable[[], object]):
    """cached() with the numbers of `versions` already read (with `number`), in the same order;
    they must have been read before anything `compute` reads."""
    if connection.in_atomic_block:
        return compute()
    digest = hashlib.sha256(repr((key, versions, numbers)).encode()).hexdigest()
    full_key = f"jobhelp:v:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
