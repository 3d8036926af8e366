"""Horizontal bar charts, drawn by the server as SVG from a report Table.

Only geometry is computed here; staff/templates/staff/reports/includes/section.html writes the
SVG, with presentation attributes and classes from site.css (the Content-Security-Policy
forbids inline styles). Each bar's label and number are the table's own Cell.display, so the
chart shows exactly what the table does: a suppressed cell is drawn as a marked gap (a short
dashed outline, the width of no number) with "<5" beside it, so the row reads as "hidden",
never as "nothing".
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jobhelp.reports.tables import Table

WIDTH = 640
LABEL_WIDTH = 240
BAR_SPACE = 320
ROW_HEIGHT = 30
BAR_HEIGHT = 20
GAP = 8
# A suppressed value's mark: as wide as a small bar, whatever the scale.
SUPPRESSED_WIDTH = 14


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    suppressed: bool
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(table: Table) -> Chart:
    rows = table.charted_rows
    column = table.chart_column
    numbers = [r.cells[column].number for r in rows]
    top = table.chart_max or max((n for n in numbers if n is not None), default=0) or 1
    bars = []
    for index, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        y = index * ROW_HEIGHT + GAP
        suppressed = row.cells[column].suppressed
        width = SUPPRESSED_WIDTH if suppressed else round(BAR_SPACE * (number or 0) / top, 1)
        bars.append(
            Bar(
                label=row.label,
                display=row.cells[column].display,
                suppressed=suppressed,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 5,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    column_label = table.columns[column].label
    description = _("Bar chart of %(what)s: %(values)s.") % {
        "what": column_label.lower(),
        "values": "; ".join(f"{bar.label}: {bar.display}" for bar in bars),
    }
    return Chart(
        key=table.key,
        title=table.title,
        description=description,
        width=WIDTH,
        height=len(bars) * ROW_HEIGHT + 2 * GAP,
        label_x=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )
