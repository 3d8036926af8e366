"""CSV cells that are safe to open in a spreadsheet, for every export (reports, partnerships).

A text cell that a spreadsheet would take as a formula (starting with =, +, -, @, a tab or a
carriage return: OWASP's list) gets a leading apostrophe, so a name typed as "=HYPERLINK(...)"
stays text. Numbers are left alone. Files start with a UTF-8 byte-order mark, so Excel reads
accents and Spanish labels instead of guessing the Windows code page.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
