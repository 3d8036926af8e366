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
from datetime import date
from threading import Lock

from django.db import connection
from django.db.models import QuerySet

_INT_MARKER = -7_461_000_000_000_000_000
_STR_MARKER = "\x00jobhelp-prepared-{}\x00"


class Prepared:
    """`build(**values)` returns a values_list() queryset; `rows(**values)` runs its SQL.

    Each value is an int (an id), a str, a date, or a list of ids (for `__in`); the SQL is
    built once for each length of the lists given."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        for name, kind in kinds.items():
            if kind not in (int, str, date, list):
                raise TypeError(f"{name}: only int, str, date and list (of ids) can be prepared")
        self._build = build
        self._kinds = kinds  # name -> int, str or list
        self._compiled: dict[tuple, tuple] = {}
        self._lock = Lock()

    def _markers(self, lengths: dict) -> tuple[dict, dict]:
        """The values to build with, and which value (name, index) each marker stands for."""
        markers, meaning = {}, {}
        for n, (name, kind) in enumerate(self._kinds.items()):
            if kind is int:
                markers[name] = _INT_MARKER - 1000 * n
                meaning[markers[name]] = (name, None)
            elif kind is str:
                markers[name] = _STR_MARKER.format(name)
                meaning[markers[name]] = (name, None)
            elif kind is date:
                # A day in the year 1; SQLite gets dates as text, so the text stands for it too.
                markers[name] = date(1, 1, 2 + n)
                meaning[markers[name]] = (name, None)
                meaning[connection.ops.adapt_datefield_value(markers[name])] = (name, None)
            else:
                markers[name] = [_INT_MARKER - 1000 * n - 1 - i for i in range(lengths[name])]
                meaning.update({marker: (name, i) for i, marker in enumerate(markers[name])})
        return markers, meaning

    def _compile(self, lengths: dict) -> tuple:
        markers, meaning = self._markers(lengths)
        compiler = self._build(**markers).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [meaning.get(param) if _hashable(param) else None for param in params]
        missing = set(meaning.values()) - {slot for slot in slots if slot is not None}
        if missing:
            raise ValueError(f"prepared query lost its values {sorted(missing)} on the way")
        # The database's values turned into Python's as the ORM would (dates on SQLite, ...).
        converters = compiler.get_converters(
            [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        )
        return sql, list(zip(slots, params, strict=True)), compiler, converters

    def rows(self, **values) -> list[tuple]:
        lengths = {name: len(values[name]) for name, kind in self._kinds.items() if kind is list}
        if 0 in lengths.values():
            # An empty list has no SQL of its own (Django answers `__in=[]` without asking).
            return list(self._build(**values))
        shape = tuple(sorted(lengths.items()))
        compiled = self._compiled.get(shape)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(shape) or self._compile(lengths)
                self._compiled[shape] = compiled
        sql, slots, compiler, converters = compiled
        params = [param if slot is None else self._value(values, *slot) for slot, param in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def _value(self, values: dict, name: str, index: int | None):
        if index is not None:
            return values[name][index]
        if self._kinds[name] is date:
            return connection.ops.adapt_datefield_value(values[name])
        return values[name]

    def first(self, **values) -> tuple | None:
        found = self.rows(**values)
        return found[0] if found else None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
