"""Queries built with the ORM once per process and then run as plain SQL with new values.

A few reads run on every API call (the token and its owner) or on every load of a page served
from the cache (the request and the versions its page is kept under). Building such a query
with the ORM costs more than running it; the SQL itself never changes, only the values in it.
`Prepared` builds the query once, with a marker in place of each value, keeps the SQL, and
afterwards only swaps the values in. The query is still written, read and tested as an ORM
query (its scoping comes from the same functions as every other query's): only the building
is saved.

Markers are integers and strings that no real value has; a value must reach the SQL as it was
given (an exact filter on an id or a code), which `Prepared` checks when it builds. Integer
values are ids: their marker is a big integer, which a lookup on a small integer field would
optimise away (and `Prepared` would then refuse to build).
"""

from collections.abc import Callable
from threading import Lock

from django.db import connection
from django.db.models import QuerySet

_INT_MARKER = -7_461_000_000_000_000_000
_STR_MARKER = "\x00jobhelp-prepared-{}\x00"


class Prepared:
    """`build(**values)` returns a values_list() queryset; `rows(**values)` runs its SQL."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self._build = build
        self._kinds = kinds  # name -> int or str
        self._compiled: tuple | None = None
        self._lock = Lock()

    def _markers(self) -> dict:
        markers = {}
        for n, (name, kind) in enumerate(self._kinds.items()):
            if kind is int:
                markers[name] = _INT_MARKER - n
            elif kind is str:
                markers[name] = _STR_MARKER.format(name)
            else:
                raise TypeError(f"{name}: only int and str values can be prepared")
        return markers

    def _compile(self) -> tuple:
        markers = self._markers()
        compiler = self._build(**markers).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_marker = {marker: name for name, marker in markers.items()}
        slots = [by_marker.get(param) if _hashable(param) else None for param in params]
        missing = set(markers) - {slot for slot in slots if slot is not None}
        if missing:
            raise ValueError(f"prepared query lost its values {sorted(missing)} on the way")
        # The database's values turned into Python's as the ORM would (dates on SQLite, ...).
        converters = compiler.get_converters(
            [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        )
        return sql, list(zip(slots, params, strict=True)), compiler, converters

    def rows(self, **values) -> list[tuple]:
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = self._compile()
        sql, slots, compiler, converters = self._compiled
        params = [values[slot] if slot is not None else param for slot, param in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def first(self, **values) -> tuple | None:
        found = self.rows(**values)
        return found[0] if found else None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
