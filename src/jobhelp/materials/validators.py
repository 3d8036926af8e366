"""Checks of single values for materials and reference titles: ISBNs, text that a spreadsheet
would run as a formula, the key that makes one title one row, and calendar months."""

import calendar
import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as NumberError

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google
# Sheets (OWASP's list, and defusedcsv's), also behind the apostrophe that escapes it.
_FORMULA = re.compile(r"^'?[=+\-@|%\t\r]")
# Control characters have no place in a title, an author or a shelf (tabs and line breaks
# included: every such value is one line).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_isbn(value: str) -> str:
    """The ISBN-13 of `value` (an ISBN-10 or ISBN-13, with or without hyphens and spaces),
    without hyphens; "" for a blank value. Raises ValidationError with a message for staff,
    saying whether the number is malformed or only its check digit is wrong. The arithmetic is
    python-stdnum's."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        compact = stdnum_isbn.validate(value)
    except InvalidChecksum:
        raise ValidationError(
            _("The ISBN %(isbn)s has a wrong check digit: check it against the book.")
            % {"isbn": value[:20]},
            code="isbn_check_digit",
        ) from None
    except NumberError:
        raise ValidationError(
            _(
                "%(isbn)s is not an ISBN: an ISBN has 10 or 13 digits (the last of an "
                "ISBN-10 may be X). If a spreadsheet shows it as 9.78E+12, format the column "
                "as text."
            )
            % {"isbn": value[:20]},
            code="isbn_format",
        ) from None
    return stdnum_isbn.to_isbn13(compact)


def format_isbn(value: str) -> str:
    """An ISBN-13 with its hyphens (978-0-306-40615-7), as exports write it: spreadsheets keep
    it as text instead of turning 13 digits into 9.78E+12."""
    return stdnum_isbn.format(value) if value else ""


def check_plain_text(value: str, *, max_length: int, label, spreadsheet_safe: bool = True) -> str:
    """`value` stripped, if it is one line of text of at most `max_length` characters (that no
    spreadsheet would run as a formula, unless `spreadsheet_safe` is off: for text that never
    goes into a CSV file); else ValidationError naming `label`."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            _("%(label)s has %(length)s characters; at most %(max)s are allowed.")
            % {"label": label, "length": f"{len(value):,}", "max": max_length},
            code="too_long",
        )
    if spreadsheet_safe and _FORMULA.match(value):
        raise ValidationError(
            _(
                "%(label)s starts with “%(first)s”, which a spreadsheet would run as a "
                "formula. Remove it or start with a letter."
            )
            % {"label": label, "first": value.lstrip("'")[:1].strip() or "·"},
            code="formula",
        )
    if _CONTROL.search(value):
        raise ValidationError(
            _("%(label)s must be one line of text, without tabs or control characters.")
            % {"label": label},
            code="control",
        )
    return value


def match_key(*, isbn: str, title: str, author: str) -> str:
    """What makes two listings the same title: the ISBN-13 when there is one, otherwise the
    title and author with case, accents and punctuation ignored. A partner's title and ours
    with the same key are the same book (suggestions); one location lists a key once."""
    if isbn:
        return f"isbn:{isbn}"

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(c for c in text if not unicodedata.combining(c))
        return _NOT_WORD.sub(" ", text).strip()

    return f"t:{fold(title)}|{fold(author)}"[:255]


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
