"""The demo county's materials and reference titles, made through materials' own domain
functions: the library and the center share with each other; the center's workshop flyers of
last month (posted everywhere) and this month (posted at most branches, two not yet) sent to
every library location; its brochure in English and Spanish; each partner's reference list (a
few hundred titles, imported from CSV, with overlaps and popular titles the other lacks), the
library's shelf at the center, and one order of each kind. Loads once."""

import csv
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum import ean
from stdnum import isbn as stdnum_isbn

from jobhelp.demo import data
from jobhelp.materials import domain, imports, queries, titles
from jobhelp.materials.domain import MaterialDetails
from jobhelp.materials.enums import Audience, MaterialKind, Step
from jobhelp.materials.models import Material
from jobhelp.materials.titles import TitleDetails
from jobhelp.organizations.models import Organization

ZONE = ZoneInfo(data.ZONE)
# This month's flyer is not yet posted at these two; the reminder job will write to them.
NOT_YET_POSTED = {"Oak Hill Library": Step.DOWNLOADED, "Pine Ridge Community Library": None}

FIELDS = [
    "Health Care", "Nursing", "Construction", "Manufacturing", "Retail", "Hospitality",
    "Truck Driving", "Information Technology", "Office Administration", "Accounting",
    "Customer Service", "Child Care", "Education", "Food Service", "Warehouse and Logistics",
    "Electrical Work", "Plumbing", "Welding", "Automotive Repair", "Law Enforcement",
    "Social Work", "Banking", "Real Estate", "Landscaping", "Cosmetology", "Security",
    "Pharmacy Technicians", "Medical Billing", "Dental Assisting", "HVAC", "Carpentry",
    "Graphic Design", "Sales", "Nonprofit Work", "Government Jobs", "Veterans",
    "Green Energy", "Machining", "Home Health Aides", "Library Work",
]  # fmt: skip
SHAPES = [
    ("Resumes for {} Careers", "book", "circulating"),
    ("Job Interviews in {}: Questions and Answers", "book", "circulating"),
    ("{} Occupational Guide", "binder", "reference"),
    ("Changing Careers into {}", "ebook", "circulating"),
    ("Licensing and Certification in {}", "periodical", "reference"),
    ("{} Apprenticeships", "book", "reference"),
    ("Getting Hired in {} After Fifty", "audiobook", "circulating"),
]
AUTHORS = ["Ann Lee", "Marcus Hill", "Rosa Díaz", "J. Okafor", "Pat Nguyen", "Sam Berg"]


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with a title and a few lines of text (Helvetica)."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    commands = [b"BT /F1 24 Tf 60 700 Td (" + text(title) + b") Tj ET"]
    for n, line in enumerate(lines):
        commands.append(b"BT /F1 16 Tf 60 %d Td (" % (640 - 30 * n) + text(line) + b") Tj ET")
    stream = b"\n".join(commands)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def _upload(title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("flyer.pdf", _pdf(title, lines), "application/pdf")


def _isbn(n: int) -> str:
    """A valid ISBN-13 (978-1-...), its check digit from python-stdnum."""
    twelve = f"9781{n:08d}"
    return twelve + ean.calc_check_digit(twelve)


def _catalogue() -> list[tuple[str, str, str, str, str]]:
    """Every demo title once: (title, author, ISBN-13, format, lending)."""
    books = []
    for i, field in enumerate(FIELDS):
        for j, (shape, title_format, lending) in enumerate(SHAPES):
            n = i * len(SHAPES) + j
            books.append(
                (shape.format(field), AUTHORS[n % len(AUTHORS)], _isbn(40_000 + n), title_format,
                 lending)
            )  # fmt: skip
    return books


def _csv(rows: list[list]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["title", "author", "isbn", "format", "circulation", "location", "shelf",
                     "partner_shelf", "copies", "times_asked"])  # fmt: skip
    writer.writerows(rows)
    return SimpleUploadedFile("titles.csv", out.getvalue().encode("utf-8-sig"), "text/csv")


def seed() -> None:
    """Load the demo's materials and titles, once (nothing happens if there are any)."""
    if Material.objects.exists():
        return
    people = {u.username: u for u in get_user_model().objects.all()}
    library = Organization.objects.get(slug=data.LIBRARY_SYSTEM["slug"])
    center = Organization.objects.get(slug=data.WORKFORCE_CENTER["slug"])
    domain.start_sharing(library, partner=center, by=people["mgarcia"])
    domain.start_sharing(center, partner=library, by=people["cortiz"])
    _flyers(library, center, people)
    _titles(library, center, people)


def _flyers(library, center, people) -> None:
    liaison = people["lbrooks"]
    now = timezone.now()
    this_month = now.astimezone(ZONE).date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    branches = next(
        group.locations
        for group in queries.target_groups(center)
        if group.audience == Audience.ALL_BRANCHES and group.organization == library
    )
    for month, label in ((last_month, "last"), (this_month, "this")):
        sent = min(now, datetime.combine(month - timedelta(days=4), time(10), tzinfo=ZONE))
        flyer = domain.upload_material(
            center,
            by=liaison,
            upload=_upload(
                f"WorkForce Center workshops, {month:%B %Y}",
                [
                    "Online Interviewing Tips - first Tuesday, 18:30, by video",
                    "Resume Lab - every Wednesday, 10:00",
                    "Unemployment benefits Q&A - second Thursday, 14:00",
                    "1200 Commerce Pkwy Suite 235 - 763-555-0150",
                ],
            ),
            details=MaterialDetails(
                kind=MaterialKind.MONTHLY_FLYER,
                title=f"WorkForce Center workshops, {month:%B %Y}",
                month=month,
            ),
            targets=branches,
            now=sent,
        )
        confirmed = min(now, datetime.combine(month + timedelta(days=2), time(11), tzinfo=ZONE))
        for n, location in enumerate(branches):
            by = people["kpatel"] if location.name == "Northtown Library" else people["frontdesk"]
            step = Step.POSTED
            if label == "this" and location.name in NOT_YET_POSTED:
                step = NOT_YET_POSTED[location.name]
                if step is None:
                    continue
            domain.confirm(
                flyer,
                location=location,
                step=step,
                by=by,
                copies=10 + 5 * (n % 3) if step == Step.POSTED else None,
                now=confirmed,
            )
    for language, title, lines in (
        (
            "en",
            "Your WorkForce Center: free help finding work",
            ["Job search help, computers and printers, workshops", "Open Monday to Friday"],
        ),
        (
            "es",
            "Su WorkForce Center: ayuda gratuita para encontrar trabajo",
            ["Ayuda para buscar empleo, computadoras, talleres", "Abierto de lunes a viernes"],
        ),
    ):
        domain.upload_material(
            center,
            by=liaison,
            upload=_upload(title, lines),
            details=MaterialDetails(
                kind=MaterialKind.MARKETING,
                title=title,
                language=language,
                valid_from=this_month.replace(month=1),
            ),
            targets=branches,
        )


def _titles(library, center, people) -> None:
    """The library's list across its locations and the center's at its office, imported from
    CSV; both hold some titles (overlaps), each asks often for some the other lacks."""
    books = _catalogue()
    branch_names = [name for _slug, name, *_rest in data.BRANCHES + data.AFFILIATES]
    center_office = data.WORKFORCE_CENTER["name"]
    library_rows, center_rows = [], []
    for n, (title, author, isbn13, title_format, lending) in enumerate(books):
        # Two thirds at the library (some written as ISBN-10, as old records are), and the
        # center keeps every third, overlapping with the library on half of those.
        if n % 3 != 2:
            library_rows.append(
                [title, author, stdnum_isbn.to_isbn10(isbn13) if n % 5 == 0 else isbn13,
                 title_format, lending, branch_names[n % len(branch_names)],
                 f"650.14 {title[:3].upper()}", "no", 1 + n % 3, (n * 7) % 23]
            )  # fmt: skip
        if n % 3 == 2 or n % 6 == 0:
            center_rows.append(
                [title, author, isbn13, title_format, lending, center_office, "Resource room",
                 "no", 1 + n % 2, (n * 11) % 41]
            )  # fmt: skip
    # A few library resources kept on the center's shelf of library resources.
    for n, (title, author, isbn13, title_format, lending) in enumerate(books[:12]):
        library_rows.append(
            [title, author, isbn13, title_format, lending, center_office,
             "Library resources", "yes", 1, n % 4]
        )  # fmt: skip
    imports.import_titles(library, by=people["mgarcia"], upload=_csv(library_rows))
    imports.import_titles(center, by=people["cortiz"], upload=_csv(center_rows))
    office = center.locations.get()
    titles.add_title(
        library,
        by=people["mgarcia"],
        details=TitleDetails(
            title="Library card application forms",
            author="Riverbend County Library",
            format="binder",
            circulation="reference",
            location=office,
            shelf="Library resources",
            partner_shelf=True,
            copies=50,
            times_asked=18,
        ),
    )
    suggestions = queries.suggestions_for_user(people["mgarcia"], organization=library)
    ordered = titles.order_title(suggestions[0].title, organization=library, by=people["mgarcia"])
    titles.order_title(suggestions[1].title, organization=library, by=people["mgarcia"], copies=2)
    titles.mark_received(ordered, by=people["mgarcia"])
