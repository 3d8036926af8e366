from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn

CARD_LENGTH = 14


def clean_card_number(value: str) -> str:
    """The library's barcode: 14 digits (Codabar), starting with the library's prefix, the last
    a Luhn check digit. Spaces and dashes typed or scanned are dropped."""
    number = "".join(ch for ch in (value or "") if ch not in " -")
    prefix = settings.CROSSTRAINING_CARD_PREFIX
    if not number.isdigit() or len(number) != CARD_LENGTH:
        raise ValidationError(_("A library card number has 14 digits."), code="card_format")
    if not number.startswith(prefix):
        raise ValidationError(
            _("This library's card numbers start with %(prefix)s.") % {"prefix": prefix},
            code="card_prefix",
        )
    if not luhn.is_valid(number):
        raise ValidationError(
            _("This is not a valid card number: check the digits again."), code="card_check"
        )
    return number
