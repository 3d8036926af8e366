"""Importing an organization's reference titles from a CSV file: a preview that writes nothing,
and the import itself, which writes every row or none.

The file:

- UTF-8 text (a byte-order mark is fine: Excel's "CSV UTF-8" writes one), comma-separated, at
  most MAX_BYTES and MAX_ROWS rows. A file in another encoding (Excel's plain "CSV" on Windows
  is Windows-1252), UTF-16, a workbook (.xlsx) or a file with NUL characters is refused as a
  whole, with the line where it went wrong and what to do.
- The first line names the columns (COLUMNS, in any order, case and spaces ignored; `title`
  and `location` are required; others, such as the export's `partner`, are ignored).
- Each row is checked as a title typed on a page is (materials.titles.check_title): one line of
  text that no spreadsheet would run as a formula, at most 300 characters for a title (a
  10,000-character cell is a row error, not a crash), a valid ISBN (stored as ISBN-13), a
  location of the organization's (or a partner's, on its partner shelf), whole numbers.
  Every broken row is reported with its line and column (the first MAX_ERRORS; then a count).

**Idempotent**: a row is matched to a listed title by location and ISBN (or, without an ISBN,
by title and author: validators.match_key); a matched title is changed where the row differs,
left alone where it does not, so importing the same file twice changes nothing the second time,
and an export imported again changes nothing. The same title twice at one location in a file
is an error. Titles missing from the file are kept (removing is done one by one).

**Nothing written on errors**: the file is read twice, first to check every row (the preview,
which writes nothing), then, only when no row has an error, to write every row in one
transaction; the second reading checks again and rolls everything back should anything fail.

**Bounded memory**: rows are read one at a time from the uploaded file and written in batches
of BATCH; beyond a batch, what stays in memory is one small number per row (to find a title
listed twice), the first errors and the counts. `progress(stage, done, total)` is called after
each batch ("checking" with total None, then "writing" with the number of rows).
"""

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.core.imports import record
from jobhelp.core.models import ImportJob
from jobhelp.materials import rules
from jobhelp.materials.enums import Circulation, TitleFormat
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.models import ReferenceTitle
from jobhelp.materials.titles import (
    LABELS,
    MAX_LENGTHS,
    STORED,
    Places,
    TitleDetails,
    TitleInvalid,
    check_title,
)
from jobhelp.organizations.models import Organization

COLUMNS = (
    "title",
    "author",
    "isbn",
    "format",
    "location",
    "shelf",
    "partner_shelf",
    "circulation",
    "copies",
    "times_asked",
)
REQUIRED = ("title", "location")
MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 50_000
# A physical line longer than this is not a row of titles.
MAX_LINE_BYTES = 64 * 1024
MAX_CELLS = 100
MAX_ERRORS = 100
BATCH = 500
# Columns other than the text ones: longer than this is not a value.
MAX_OTHER = 120

CHECKING = "checking"
WRITING = "writing"
Progress = Callable[[str, int, int | None], None]

_YES = {"yes", "y", "true", "1", "x", "sí", "si", "s"}
_NO = {"no", "n", "false", "0", ""}
_UTF16_OR_32 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_ZIP = b"PK\x03\x04"
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


@dataclass(frozen=True)
class RowError:
    """One problem: its line in the file (1 is the header), the column ("" for the whole row
    or file) and the message."""

    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line=line, column=column, message=str(message)))


class ImportRefused(MaterialError):
    """The file, or some of its rows, broke the rules; nothing was written. `report` says
    where."""

    def __init__(self, report: ImportReport):
        first = report.errors[0] if report.errors else None
        super().__init__(first.message if first else _("The file could not be imported."))
        self.report = report


class _FileProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _choices(enum) -> dict[str, str]:
    """Codes and labels (English and Spanish, case ignored) of a TextChoices, to their code."""
    found = {}
    for language in ("en", "es"):
        with translation.override(language):
            for code, label in enum.choices:
                found[code.casefold()] = code
                found[str(label).casefold()] = code
    return found


def _lines(upload) -> Iterator[str]:
    """The file's lines as text, one physical line at a time, each with its line ending (as
    the csv module wants them), checked to be UTF-8."""
    upload.seek(0)
    number = 0
    while True:
        raw = upload.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if number == 1:
            if raw.startswith(_UTF16_OR_32):
                raise _FileProblem(
                    1,
                    _(
                        "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV "
                        "UTF-8” and import it again."
                    ),
                )
            if raw.startswith(_ZIP):
                raise _FileProblem(
                    1,
                    _(
                        "This is a spreadsheet workbook, not a CSV file. Save it as “CSV "
                        "UTF-8” and import that."
                    ),
                )
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if b"\x00" in raw:
            raise _FileProblem(
                number,
                _(
                    "The file contains NUL characters, so it is not a CSV text file. Save it "
                    "as “CSV UTF-8” and import it again."
                ),
            )
        if len(raw) > MAX_LINE_BYTES:
            raise _FileProblem(
                number,
                _("Line %(line)s is longer than %(max)s characters: this is not a list of titles.")
                % {"line": number, "max": f"{MAX_LINE_BYTES:,}"},
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _FileProblem(
                number,
                _(
                    "Line %(line)s is not UTF-8 text (perhaps the file was saved as plain "
                    "“CSV” in another encoding). Save it as “CSV UTF-8” and import it again."
                )
                % {"line": number},
            ) from None
        # Old Mac files end lines with a lone carriage return.
        yield from (piece for piece in _LONE_CR.split(text) if piece)


def _records(upload) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record after the header, and the header first."""
    reader = csv.reader(_lines(upload), strict=True)
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            yield start, row
    except csv.Error as error:
        if "field larger" in str(error):
            message = _("A cell is too long to be part of a list of titles.")
        else:
            message = _("The file is not a well-formed CSV file (check its quotation marks).")
        raise _FileProblem(reader.line_num, message) from None


def _header(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().casefold().replace(" ", "_").replace("-", "_")
        if name in COLUMNS:
            if name in columns:
                raise _FileProblem(
                    1, _("The column “%(column)s” appears twice.") % {"column": name}
                )
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise _FileProblem(
            1,
            _(
                "The first line must name the columns; it lacks %(missing)s. The columns are: "
                "%(columns)s."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)},
        )
    return columns


class _RowReader:
    """Turns the cells of one row into the values to store, or errors by column."""

    def __init__(self, organization: Organization, columns: dict[str, int]):
        self.places = Places.of(organization)
        self.columns = columns
        self.formats = _choices(TitleFormat)
        self.circulation = _choices(Circulation)

    def values(self, cells: list[str]) -> tuple[dict | None, dict[str, str]]:
        errors: dict[str, str] = {}
        if len(cells) > MAX_CELLS:
            return None, {"": _("This row has too many cells.")}
        raw: dict[str, str] = {}
        for name, index in self.columns.items():
            cell = cells[index] if index < len(cells) else ""
            limit = MAX_LENGTHS.get(name, MAX_OTHER)
            if len(cell.strip()) > limit:
                errors[name] = _(
                    "%(label)s has %(length)s characters; at most %(max)s are allowed."
                ) % {"label": LABELS[name], "length": f"{len(cell.strip()):,}", "max": limit}
                cell = ""
            raw[name] = cell
        details = {}
        details["format"] = self._choice(raw.get("format", ""), self.formats, TitleFormat.BOOK)
        if details["format"] is None and "format" not in errors:
            errors["format"] = _("“%(value)s” is not a format: use one of %(codes)s.") % {
                "value": raw["format"].strip(),
                "codes": ", ".join(TitleFormat.values),
            }
        details["circulation"] = self._choice(
            raw.get("circulation", ""), self.circulation, Circulation.CIRCULATING
        )
        if details["circulation"] is None and "circulation" not in errors:
            errors["circulation"] = _(
                "“%(value)s” is not a kind of lending: use circulating or reference."
            ) % {"value": raw["circulation"].strip()}
        shelf_flag = raw.get("partner_shelf", "").strip().casefold()
        if shelf_flag not in _YES | _NO and "partner_shelf" not in errors:
            errors["partner_shelf"] = _("Partner shelf must be yes or no.")
        details["partner_shelf"] = shelf_flag in _YES
        for name, default in (("copies", 1), ("times_asked", 0)):
            text = raw.get(name, "").strip().replace(",", "")
            if not text:
                details[name] = default
            elif text.isascii() and text.isdigit():
                details[name] = int(text)
            else:
                details[name] = -1
        location = raw.get("location", "")
        details["location"] = None
        if location.strip() and "location" not in errors:
            try:
                details["location"] = self.places.find(location)
            except ValidationError as error:
                errors["location"] = error.messages[0]
        elif not location.strip() and "location" not in errors:
            errors["location"] = _("Name the location that holds it.")
        try:
            values = check_title(
                TitleDetails(
                    title=raw.get("title", ""),
                    author=raw.get("author", ""),
                    isbn=raw.get("isbn", ""),
                    shelf=raw.get("shelf", ""),
                    format=details["format"] or TitleFormat.BOOK,
                    circulation=details["circulation"] or Circulation.CIRCULATING,
                    partner_shelf=details["partner_shelf"],
                    copies=details["copies"],
                    times_asked=details["times_asked"],
                    location=details["location"],
                ),
                places=self.places,
            )
        except TitleInvalid as invalid:
            for name, message in invalid.errors.items():
                errors.setdefault(name, message)
            return None, errors
        return (None, errors) if errors else (values, {})

    @staticmethod
    def _choice(value: str, known: dict[str, str], default: str) -> str | None:
        value = value.strip().casefold()
        return default if not value else known.get(value)


def _fingerprint(values: dict) -> int:
    digest = hashlib.blake2b(
        f"{values['location_id']}\x00{values['match_key']}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big")


def _run(
    organization, upload, *, write: bool, progress: Progress | None, total: int | None = None
) -> ImportReport:
    """Read the whole file once: check every row and count what it would change, writing it
    too when `write` (the caller holds the transaction)."""
    report = ImportReport()
    seen: dict[int, int] = {}
    batch: list[tuple[int, dict]] = []
    stage = WRITING if write else CHECKING

    reported = -1

    def flush():
        nonlocal reported
        _compare(organization, batch, report, write=write)
        batch.clear()
        if progress is not None and report.rows != reported:
            reported = report.rows
            progress(stage, report.rows, total)

    records = _records(upload)
    try:
        first = next(records, None)
        if first is None:
            raise _FileProblem(1, _("The file is empty."))
        reader = _RowReader(organization, _header(first[1]))
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                raise _FileProblem(
                    line,
                    _("The file has more than %(max)s titles; split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"},
                )
            values, errors = reader.values(cells)
            for column, message in errors.items():
                report.add_error(line, column, message)
            if values is None:
                continue
            fingerprint = _fingerprint(values)
            if fingerprint in seen:
                report.add_error(
                    line,
                    "isbn" if values["isbn"] else "title",
                    _("This title is listed twice at this location (also on line %(line)s).")
                    % {"line": seen[fingerprint]},
                )
                continue
            seen[fingerprint] = line
            batch.append((line, values))
            if len(batch) >= BATCH:
                flush()
        flush()
    except _FileProblem as problem:
        report.add_error(problem.line, "", problem.message)
    return report


def _compare(organization, batch: list[tuple[int, dict]], report: ImportReport, *, write: bool):
    """Sort a batch into new, changed and unchanged titles (one query), and write it."""
    if not batch:
        return
    existing = {
        (title.location_id, title.match_key): title
        for title in ReferenceTitle.objects.filter(
            organization=organization,
            match_key__in={values["match_key"] for _line, values in batch},
            location_id__in={values["location_id"] for _line, values in batch},
        )
    }
    new, changed = [], []
    now = timezone.now()
    for _line, values in batch:
        title = existing.get((values["location_id"], values["match_key"]))
        if title is None:
            new.append(ReferenceTitle(organization=organization, **values))
        elif any(getattr(title, name) != values[name] for name in STORED):
            for name in STORED:
                setattr(title, name, values[name])
            title.updated_at = now
            changed.append(title)
        else:
            report.unchanged += 1
    report.new += len(new)
    report.changed += len(changed)
    if write and report.ok:
        ReferenceTitle.objects.bulk_create(new)
        ReferenceTitle.objects.bulk_update(changed, [*STORED, "updated_at"])


def _too_large(upload) -> ImportReport | None:
    """The report refusing a file over MAX_BYTES, before it is read; None for one that fits."""
    size = getattr(upload, "size", None)
    if size is not None and size <= MAX_BYTES:
        return None
    report = ImportReport()
    report.add_error(
        0,
        "",
        _("The file is larger than %(mb)s MB; split it into smaller files.")
        % {"mb": MAX_BYTES // (1024 * 1024)},
    )
    return report


def preview_import(
    organization: Organization, *, by, upload, progress: Progress | None = None
) -> ImportReport:
    """Check a CSV file of titles for `organization` and say what importing it would do (new,
    changed and unchanged titles) and which rows are wrong. Writes nothing."""
    if not rules.can_edit_titles(by, organization):
        raise MaterialError(_("You can only import titles for your own organizations."))
    return _too_large(upload) or _run(organization, upload, write=False, progress=progress)


def import_titles(
    organization: Organization, *, by, upload, progress: Progress | None = None
) -> ImportReport:
    """Import a CSV file of titles for `organization`: every row is checked first, and if any
    is wrong ImportRefused carries the report and nothing is written; otherwise every row is
    written in one transaction (see the module's docstring).

    Side effects: titles created and changed; audit ``jobhelp.reference_title.imported``
    (data: rows, new, changed, unchanged), none when the file changed nothing.
    """
    report = preview_import(organization, by=by, upload=upload, progress=progress)
    if not report.ok:
        raise ImportRefused(report)
    try:
        with transaction.atomic():
            written = _run(organization, upload, write=True, progress=progress, total=report.rows)
            if not written.ok:
                # The file or the locations changed between the two readings.
                raise ImportRefused(written)
            written.written = True
            if written.new or written.changed:
                audit.record(
                    "jobhelp.reference_title.imported",
                    actor=by,
                    organization=organization,
                    data={
                        "rows": written.rows,
                        "new": written.new,
                        "changed": written.changed,
                        "unchanged": written.unchanged,
                    },
                )
    except IntegrityError:
        failed = ImportReport(rows=report.rows)
        failed.add_error(
            0, "", _("Someone changed these titles at the same time. Import the file again.")
        )
        raise ImportRefused(failed) from None
    return written


def run_import_job(job_id: int, *, stored_name: str, language: str) -> str:
    """Import the confirmed file kept as `stored_name` for the job's organization, in the task
    worker, writing its progress and end to the job (core.imports.record); the file is deleted
    afterwards. Returns the job's state. Safe to run twice: a job already running or finished is
    left alone (only one run claims a queued job)."""
    claimed = record(job_id, state=ImportJob.State.RUNNING, stage=CHECKING, done=0, claim=True)
    if not claimed:
        return ImportJob.objects.get(pk=job_id).state
    job = ImportJob.objects.select_related("organization", "started_by").get(pk=job_id)

    def progress(stage: str, done: int, total: int | None) -> None:
        # The writing stage runs in the import's transaction: its progress is written aside.
        record(job_id, stage=stage, done=done, total=total, aside=stage == WRITING)

    with translation.override(language):
        try:
            with default_storage.open(stored_name, "rb") as stored:
                report = import_titles(
                    job.organization, by=job.started_by, upload=stored, progress=progress
                )
        except ImportRefused as refused:
            errors = refused.report.errors
            message = "; ".join(
                _("line %(line)s: %(message)s") % {"line": error.line, "message": error.message}
                if error.line
                else error.message
                for error in errors[:5]
            ) or _("The file could not be imported.")
            record(job_id, state=ImportJob.State.FAILED, error=message)
            return ImportJob.State.FAILED
        except (MaterialError, OSError) as error:
            message = getattr(error, "message", "") or _("The file could not be read.")
            record(job_id, state=ImportJob.State.FAILED, error=str(message))
            return ImportJob.State.FAILED
        finally:
            default_storage.delete(stored_name)
    record(
        job_id,
        state=ImportJob.State.DONE,
        done=report.rows,
        total=report.rows,
        result={
            "rows": report.rows,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
        },
    )
    return ImportJob.State.DONE
