"""Small-cell suppression: the one place that decides what a report may show.

A count of 1 to 4 people or episodes could point at someone (the one Somali-speaking walk-in at
a small branch last month), so it is shown as "<5"; 0 is shown as 0. A figure computed from
fewer than five items (an average, a percentile, a sum of minutes, a percentage) is hidden the
same way, and so is a percentage whose own count is 1 to 4, since it would give that count away.

Queries return exact numbers; every interface (pages, CSV, API) shows them only through
reports.tables, which passes each through suppress() or share().
"""

SUPPRESSED = "<5"
SMALLEST_SHOWN = 5

type Shown = int | float | str | None


def suppress(value: int | float | None, *, based_on: int | None = None) -> Shown:
    """Without `based_on`, `value` is a count: 1 to 4 become "<5". With it, `value` was
    computed from that many items: "<5" when they are 1 to 4, None (nothing to show) when
    there are none."""
    if based_on is None:
        return SUPPRESSED if value is not None and 0 < value < SMALLEST_SHOWN else value
    if based_on == 0 or value is None:
        return None
    if based_on < SMALLEST_SHOWN:
        return SUPPRESSED
    return value


def share(numerator: int, denominator: int) -> Shown:
    """`numerator` as a percentage of `denominator`, to one decimal."""
    if denominator == 0:
        return None
    if SUPPRESSED in (suppress(numerator), suppress(denominator)):
        return SUPPRESSED
    return round(100 * numerator / denominator, 1)
