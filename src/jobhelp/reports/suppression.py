"""Small-cell suppression: the one place that decides what a report may show.

A count of 1 to 4 people or episodes could point at someone (the one Somali-speaking walk-in at
a small branch last month), so it is shown as "<5"; 0 is shown as 0. A figure computed from
fewer than five items (an average, a percentile, a sum of minutes, a percentage) is hidden the
same way, and so is a percentage whose own count is 1 to 4, since it would give that count away.

Where counts add up to a total shown beside them, one hidden count could be worked out from the
others, so suppress_parts() hides a second one.

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


def suppress_parts(parts: list[int], total: int) -> tuple[list[Shown], Shown]:
    """Counts that add up to a total shown beside them. If only one part were hidden, the
    total minus the others would give it away, so the smallest other part is hidden too
    (complementary suppression)."""
    shown: list[Shown] = [suppress(part) for part in parts]
    hidden = [i for i, value in enumerate(shown) if value == SUPPRESSED]
    if len(hidden) == 1 and suppress(total) != SUPPRESSED:
        others = [(part, i) for i, part in enumerate(parts) if i not in hidden and part > 0]
        if others:
            shown[min(others)[1]] = SUPPRESSED
    return shown, suppress(total)
