"""Filters for referral pages and messages: the slip's hours, formatted in the language active
where the template is drawn (a page, or a message the outbox renders in the patron's
language), and the labels of codes kept in lists."""

from django import template

from jobhelp.core.enums import Language, Need
from jobhelp.referrals import slips

register = template.Library()


@register.filter
def compact_hours(weekly) -> str:
    return slips.compact_hours(weekly)


@register.filter
def hour_lines(weekly) -> list[tuple[str, str]]:
    return slips.hour_lines(weekly)


@register.filter
def need_label(code: str) -> str:
    return str(Need(code).label) if code in Need.values else code


@register.filter
def language_label(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code
