"""CSV files of report tables, safe to open in a spreadsheet.

- UTF-8 with a byte-order mark, so that Excel reads "Resumé" and Spanish labels correctly
  instead of guessing the Windows code page.
- A text cell that a spreadsheet would take as a formula (starting with =, +, -, @, a tab or a
  carriage return: OWASP's list) gets a leading apostrophe (core.spreadsheets.safe), so a
  helper named "=HYPERLINK(...)" stays text. Numbers are written as numbers.
- Text is quoted, numbers are not (csv.QUOTE_NONNUMERIC), so suppressed cells ("<5") and
  labels with commas survive, and a spreadsheet still sums the numbers.
- The cells are the table's: suppression is already applied (reports.tables).
"""

import csv
import io

from jobhelp.core.spreadsheets import BOM, safe
from jobhelp.reports.tables import Table


def _csv_value(value):
    # None (nothing to show) is an empty cell; "<5" stays text.
    return "" if value is None else safe(value)


def table_rows(table: Table) -> list[list]:
    """The table as CSV rows: a heading row, then one row per table row."""
    rows = [[safe(table.row_heading), *(safe(c.label) for c in table.columns)]]
    for row in table.rows:
        rows.append([safe(row.label), *(_csv_value(cell.value) for cell in row.cells)])
    return rows


def table_csv(table: Table) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerows(table_rows(table))
    return out.getvalue()
