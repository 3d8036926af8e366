"""Words for a service's codes (needs, ways of access, languages, software), in the reader's
language, and its weekly hours as lines: what every page showing an entry needs, public or
staff. Reads nothing from the database."""

from django.utils.dates import WEEKDAYS

from jobhelp.core.enums import Language, Need
from jobhelp.directory.enums import AccessMethod, Software


def _labels(codes, choices) -> list[str]:
    names = dict(choices)
    return [str(names[code]) for code in codes if code in names]


def service_labels(service) -> dict[str, list[str]]:
    return {
        "needs": _labels(service.needs, Need.choices),
        "access": _labels(service.access, AccessMethod.choices),
        "languages": _labels(service.languages, Language.choices),
    }


def software_labels(codes) -> list[str]:
    return _labels(codes, Software.choices)


def weekly_lines(weekly) -> list[dict]:
    """Weekly hours (weekday, opens, closes) as one line a day, Monday first."""
    days: dict[int, list] = {}
    for weekday, opens, closes in weekly:
        days.setdefault(weekday, []).append((opens, closes))
    return [{"day": WEEKDAYS[d], "times": days[d]} for d in sorted(days)]
