"""The liaison's log: the time a liaison gives the partnership (tours, trainings, meetings,
materials, outreach), in minutes, each entry their own. Month totals against the expected time
are read in partnerships.queries."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.partnerships import rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import LogEntry

LOG_FIELDS = frozenset(
    {
        "occurred_on",
        "activity",
        "minutes",
        "with_organization",
        "attendees",
        "attendee_count",
        "note",
    }
)
MAX_MINUTES = 24 * 60


def _check(partnership, fields: dict, *, today: date) -> None:
    day = fields.get("occurred_on")
    if day is not None and day > today:
        raise PartnershipError(_("Log time once it has been given, not ahead."))
    minutes = fields.get("minutes")
    if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= MAX_MINUTES):
        raise PartnershipError(_("Enter the time in minutes, between 1 and 1440."))
    other = fields.get("with_organization")
    if other is not None:
        partners = set(partnership.partners.values_list("organization_id", flat=True))
        if other.pk not in partners and other.parent_id not in partners:
            raise PartnershipError(_("Choose one of the partners, or one of their branches."))


def _clean(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def record_log_entry(
    partnership, *, by, occurred_on: date, activity: str, minutes: int, today=None, **fields
) -> LogEntry:
    """Log time `by` (a liaison of a partner) gave the partnership.

    Side effects: audit ``jobhelp.liaison_log.recorded`` (data: activity, minutes; never the
    note or who took part).
    """
    today = today or timezone.localdate()
    refuse_unknown(fields, LOG_FIELDS, "a log entry")
    organization = rules.liaison_organization(by, partnership)
    if organization is None:
        raise PartnershipError(_("Only a liaison of one of the partners keeps this log."))
    fields = _clean(
        {"occurred_on": occurred_on, "activity": activity, "minutes": minutes, **fields}
    )
    _check(partnership, fields, today=today)
    entry = LogEntry(partnership=partnership, liaison=by, organization=organization, **fields)
    full_clean(entry, exclude=["partnership", "liaison", "organization", "with_organization"])
    text_checked(entry)
    with transaction.atomic():
        entry.save()
        audit.record(
            "jobhelp.liaison_log.recorded",
            actor=by,
            organization=organization,
            obj=entry,
            data={"activity": entry.activity, "minutes": entry.minutes},
        )
    return entry


def update_log_entry(entry: LogEntry, *, by, today=None, **fields) -> LogEntry:
    """Correct one's own log entry.

    Side effects: audit ``jobhelp.liaison_log.updated`` (data: the changed fields' names).
    """
    today = today or timezone.localdate()
    refuse_unknown(fields, LOG_FIELDS, "a log entry")
    if not rules.can_change_log_entry(by, entry):
        raise PartnershipError(_("Only the liaison who logged it can change this entry."))
    fields = _clean(fields)
    _check(entry.partnership, fields, today=today)
    with transaction.atomic():
        current = LogEntry.objects.select_for_update().get(pk=entry.pk)
        names = changed(current, fields)
        if not names:
            return current
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["partnership", "liaison", "organization", "with_organization"])
        text_checked(current)
        current.save(update_fields=names)
        audit.record(
            "jobhelp.liaison_log.updated",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"fields": names},
        )
    return current


def delete_log_entry(entry: LogEntry, *, by) -> None:
    """Side effects: audit ``jobhelp.liaison_log.deleted``."""
    if not rules.can_change_log_entry(by, entry):
        raise PartnershipError(_("Only the liaison who logged it can change this entry."))
    with transaction.atomic():
        audit.record(
            "jobhelp.liaison_log.deleted",
            actor=by,
            organization=entry.organization,
            obj=entry,
            data={"activity": entry.activity, "minutes": entry.minutes},
        )
        entry.delete()
