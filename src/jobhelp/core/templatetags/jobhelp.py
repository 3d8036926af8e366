from django import template

from jobhelp.core.audit_labels import LABELS
from jobhelp.core.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value)


@register.filter
def audit_label(action: str) -> str:
    return LABELS.get(action, action)
