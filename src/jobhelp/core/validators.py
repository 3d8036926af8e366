import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, except tab, line feed and carriage return which a textarea sends.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


def reject_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(
            _("This contains hidden special characters. Please type it again."),
            code="control_characters",
        )


def validate_single_line(value: str) -> None:
    """Names end up in email headers and printed lists; a line break there is an injection."""
    if _LINE_BREAK.search(value):
        raise ValidationError(_("Please keep this on one line."), code="line_break")
    reject_control_characters(value)


def validate_person_name(value: str) -> None:
    validate_single_line(value)
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        raise ValidationError(_("Please enter a name with at least one letter."), code="no_letters")


# Validators that already refuse control characters, the null character included.
CONTROL_CHARACTER_CHECKS = (reject_control_characters, validate_single_line, validate_person_name)
