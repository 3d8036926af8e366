"""Medians and 90th percentiles of a duration, computed by the database on both backends.

PostgreSQL has the ordered-set aggregate `percentile_cont(f) WITHIN GROUP (ORDER BY x)`, so the
percentiles are part of the same aggregate query as the counts beside them.

SQLite has no percentile aggregate (its `percentile` extension is not compiled into the
libraries Python ships with), and window functions would number every row of the group. So
each percentile is one more query: the values in order, `LIMIT 2 OFFSET k`, where k is the row
below the percentile's position, and the two rows are interpolated as percentile_cont does
(position f × (n − 1), linear between its neighbours). The database still sorts and skips; only
two values come back. That is one query per percentile, a fixed number per report, run even
when there are no values so that a page's query count does not depend on its data.
"""

import math
from collections.abc import Sequence
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Expression, QuerySet

FRACTIONS = (0.5, 0.9)


class PercentileCont(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression); PostgreSQL only."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    arity = 1

    def __init__(self, expression, *, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        # A float we chose ourselves, written into the SQL as a literal: percentile_cont wants
        # a constant there, and a parameter would make it a different query for each value.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def key(name: str, fraction: float) -> str:
    return f"{name}_p{round(fraction * 100)}"


def aggregates(name: str, expression: Expression, fractions: Sequence[float] = FRACTIONS):
    """For queryset.aggregate(): `<name>_n`, the number of non-null values, and, on
    PostgreSQL, `<name>_p50` and the like. Pass the result of aggregate() to complete() for
    the percentiles SQLite needs separate queries for."""
    found = {f"{name}_n": Count(expression)}
    if connection.vendor == "postgresql":
        for fraction in fractions:
            found[key(name, fraction)] = PercentileCont(
                expression, fraction=fraction, output_field=DurationField()
            )
    return found


def complete(
    values: dict,
    queryset: QuerySet,
    name: str,
    expression: Expression,
    fractions: Sequence[float] = FRACTIONS,
) -> dict:
    """Add the percentiles aggregates() left out (on SQLite), each from one ordered query."""
    if connection.vendor == "postgresql":
        return values
    count = values[f"{name}_n"]
    ordered = (
        queryset.annotate(_measured=expression)
        .filter(_measured__isnull=False)
        .order_by("_measured")
        .values_list("_measured", flat=True)
    )
    for fraction in fractions:
        values[key(name, fraction)] = _interpolated(ordered, count, fraction)
    return values


def _interpolated(ordered: QuerySet, count: int, fraction: float) -> timedelta | None:
    position = fraction * max(count - 1, 0)
    below = math.floor(position)
    pair = list(ordered[below : below + 2])
    if not pair:
        return None
    if len(pair) == 1 or position == below:
        return pair[0]
    return pair[0] + (pair[1] - pair[0]) * (position - below)
