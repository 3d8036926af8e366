"""Reference titles as a CSV file, safe to open in a spreadsheet and to import again.

- The columns are the import's (materials.imports.COLUMNS), then `partner` (who lists the
  title), which the import ignores: an organization's own export imported again changes
  nothing.
- UTF-8 with a byte-order mark, so that Excel reads "Resumé" and Spanish titles correctly.
- Every cell goes through defusedcsv, which puts an apostrophe before a cell a spreadsheet
  would run as a formula (=, +, -, @, |, %); cells starting with a tab or a carriage return
  get one too. Titles, authors and shelves cannot start so anyway (validators.
  check_plain_text), but location and organization names come from the admin.
- ISBNs are written with their hyphens (978-0-306-40615-7), so spreadsheets keep them as text
  instead of 9.78E+12; the import takes them back.
- Written one row at a time from a database cursor: a list of any length streams in little
  memory (for a StreamingHttpResponse).
"""

import io
from collections.abc import Iterator

from defusedcsv import csv as safe_csv
from django.db.models import QuerySet

from jobhelp.materials.imports import COLUMNS
from jobhelp.materials.models import ReferenceTitle
from jobhelp.materials.validators import format_isbn

BOM = "\ufeff"
HEADER = (*COLUMNS, "partner")


def _cell(value):
    if isinstance(value, str) and value.startswith(("\t", "\r", "\n")):
        return "'" + value
    return value


def titles_csv(titles: QuerySet[ReferenceTitle]) -> Iterator[str]:
    """The lines of the CSV file of `titles` (a scoped query, such as
    queries.titles_for_user), the header first."""
    buffer = io.StringIO()
    writer = safe_csv.writer(buffer, lineterminator="\r\n")

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(cell) for cell in cells])
        return buffer.getvalue()

    yield BOM + line(HEADER)
    rows = titles.select_related("organization", "location").order_by("title", "pk")
    for title in rows.iterator(chunk_size=2000):
        yield line(
            [
                title.title,
                title.author,
                format_isbn(title.isbn),
                title.format,
                title.location.name,
                title.shelf,
                "yes" if title.partner_shelf else "no",
                title.circulation,
                title.copies,
                title.times_asked,
                title.organization.name,
            ]
        )
