"""The clock the demo's history runs on.

The history is made by the real domain functions, each called at the moment it would have
happened. Inside `HistoryClock.at(moment)`, `django.utils.timezone.now()` (which every domain
function and `timezone.localdate()` read) returns `moment`; when the block ends, the times the
database filled in itself on the rows inserted in the block (the `db_default=Now()` columns,
such as an audit entry's or a contact attempt's `created_at`) are set to `moment` too, so every
row tells the same story.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.db import connection
from django.db.models.functions import Now
from django.utils import timezone

# The apps whose rows the history makes (requests, appointments, help sessions, classes,
# messages and the audit log).
HISTORY_APPS = ("core", "intake", "scheduling", "casework", "workshops", "notifications")


def _stamped_models() -> list[tuple[type, list[str]]]:
    """Each model of HISTORY_APPS with an integer key and the fields the database dates."""
    found = []
    for label in HISTORY_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(getattr(f, "db_default", None), Now)
            ]
            if fields and model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}:
                found.append((model, fields))
    return found


class HistoryClock:
    def __init__(self) -> None:
        self._models = _stamped_models()
        quote = connection.ops.quote_name
        # One query reads every table's highest key, so a step costs one read and an UPDATE
        # per table that the step wrote to. Names come from the models, never from input.
        self._marks_sql = "SELECT " + ", ".join(  # noqa: S608
            f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
            for m, _fields in self._models
        )
        # Plain SQL: thousands of steps would otherwise spend their time compiling querysets.
        self._stamp_sql = [
            "UPDATE {table} SET {sets} WHERE {pk} > %s AND {pk} <= %s".format(  # noqa: S608
                table=quote(m._meta.db_table),
                sets=", ".join(f"{quote(m._meta.get_field(f).column)} = %s" for f in fields),
                pk=quote(m._meta.pk.column),
            )
            for m, fields in self._models
        ]
        self._marks = self._read_marks()

    def _read_marks(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self._marks_sql)
            return [mark or 0 for mark in cursor.fetchone()]

    @contextmanager
    def at(self, moment: datetime) -> Iterator[datetime]:
        """Run the block as if it were `moment` (an aware datetime)."""
        if timezone.is_naive(moment):
            raise ValueError("the history's clock needs an aware datetime")
        real_now = timezone.now
        timezone.now = lambda: moment
        try:
            yield moment
        finally:
            timezone.now = real_now
        marks = self._read_marks()
        value = connection.ops.adapt_datetimefield_value(moment)
        with connection.cursor() as cursor:
            for (_model, fields), sql, before, after in zip(
                self._models, self._stamp_sql, self._marks, marks, strict=True
            ):
                if after > before:
                    cursor.execute(sql, [*[value] * len(fields), before, after])
        self._marks = marks
