from django import template

from jobhelp.core import i18n
from jobhelp.core.audit_labels import LABELS
from jobhelp.core.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value)


@register.filter
def audit_label(action: str) -> str:
    return LABELS.get(action, action)


@register.filter
def localized(obj, field: str) -> str:
    """`{{ workshop|localized:"title" }}`: the name in the reader's language, or the English
    when it has no translation (core.i18n.localized)."""
    return i18n.localized(obj, field)
