"""Obligations under an agreement and their occurrences: setting one up (its due dates are
generated at once, up to its last due date or the agreement's renewal date), changing or
removing it, and marking an occurrence kept with its evidence, or undoing that.

Marking done is race-safe: one conditional UPDATE claims the occurrence while it is still not
done, so of two managers pressing "done" at the same moment exactly one record is kept and the
other is told who did it (AlreadyDone).
"""

import calendar
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.tenancy import acts_for
from jobhelp.core import audit, files
from jobhelp.partnerships import evidence as evidence_kinds
from jobhelp.partnerships import rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.enums import ACTIVE_AGREEMENT_STATES, FREQUENCY_MONTHS, Frequency
from jobhelp.partnerships.errors import AlreadyDone, PartnershipError
from jobhelp.partnerships.models import Obligation, Occurrence

OBLIGATION_FIELDS = frozenset(
    {
        "title",
        "description",
        "kind",
        "owner_organization",
        "owner",
        "frequency",
        "first_due_on",
        "ends_on",
        "reduced_tier_takes_part",
    }
)
# Fields whose change moves the due dates.
SCHEDULE_FIELDS = frozenset({"frequency", "first_due_on", "ends_on"})
# No agreement runs longer than three years between reviews; a monthly obligation over a
# generous five makes 60 occurrences.
MAX_OCCURRENCES = 60


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(first: date, frequency: str, until: date) -> list[date]:
    """The due dates of an obligation from `first` to `until` (inclusive): every month,
    quarter or year counted from `first` (so the 31st stays the month's last day), or once."""
    step = FREQUENCY_MONTHS[Frequency(frequency)]
    if step == 0:
        return [first] if first <= until else []
    dates = []
    while len(dates) < MAX_OCCURRENCES:
        day = add_months(first, step * len(dates))
        if day > until:
            break
        dates.append(day)
    return dates


def last_due(obligation: Obligation) -> date:
    """The last day an occurrence may fall on: the obligation's own, the agreement's renewal
    date, whichever is sooner, or a year of occurrences while the agreement has no dates."""
    agreement = obligation.agreement
    limits = [d for d in (obligation.ends_on, agreement.renewal_on) if d is not None]
    if limits:
        return min(limits)
    return add_months(obligation.first_due_on, 12) - timedelta(days=1)


def sync_occurrences(obligation: Obligation) -> tuple[int, int]:
    """Make the occurrences match the obligation's schedule: add the missing due dates, delete
    the ones not kept that the schedule no longer has (kept ones always stay). Returns the
    numbers added and deleted. Runs in the caller's transaction; safe to run twice."""
    wanted = set(due_dates(obligation.first_due_on, obligation.frequency, last_due(obligation)))
    existing = dict(obligation.occurrences.values_list("due_on", "done_at"))
    stale = [day for day, done_at in existing.items() if day not in wanted and done_at is None]
    deleted = 0
    if stale:
        deleted, _by_model = obligation.occurrences.filter(
            due_on__in=stale, done_at__isnull=True
        ).delete()
    missing = sorted(wanted - set(existing))
    Occurrence.objects.bulk_create(
        [Occurrence(obligation=obligation, due_on=day) for day in missing],
        ignore_conflicts=True,
    )
    return len(missing), deleted


def _check(agreement, fields: dict) -> None:
    """Refuse what the agreement does not allow, with a message."""
    if agreement.status not in ACTIVE_AGREEMENT_STATES:
        raise PartnershipError(
            _("This agreement is %(status)s: its obligations can no longer change.")
            % {"status": agreement.get_status_display().lower()}
        )
    owner_organization = fields.get("owner_organization")
    if (
        owner_organization is not None
        and not agreement.parties.filter(organization=owner_organization).exists()
    ):
        raise PartnershipError(_("The organization doing it must be a party to the agreement."))
    owner = fields.get("owner")
    if (
        owner is not None
        and owner_organization is not None
        and not acts_for(owner, owner_organization)
    ):
        raise PartnershipError(
            _("%(name)s does not work for %(organization)s.")
            % {"name": owner, "organization": owner_organization}
        )
    first, ends = fields.get("first_due_on"), fields.get("ends_on")
    if first and ends and ends < first:
        raise PartnershipError(_("The last due date cannot come before the first."))
    if first and agreement.renewal_on and first > agreement.renewal_on:
        raise PartnershipError(
            _("The first due date must come before the agreement's renewal date.")
        )


def add_obligation(
    agreement,
    *,
    by,
    title: str,
    kind: str,
    owner_organization,
    frequency: str,
    first_due_on: date,
    owner=None,
    ends_on: date | None = None,
    reduced_tier_takes_part: bool = False,
    description: str = "",
) -> Obligation:
    """List an obligation under `agreement` and generate its occurrences.

    Side effects: Occurrence rows for its due dates; audit ``jobhelp.obligation.added``
    (data: kind, frequency, the organization doing it, the number of occurrences).
    """
    if not rules.can_edit_agreement(by, agreement):
        raise PartnershipError(_("Only managers of a party can change this agreement."))
    fields = {
        "owner_organization": owner_organization,
        "owner": owner,
        "first_due_on": first_due_on,
        "ends_on": ends_on,
    }
    _check(agreement, fields)
    obligation = Obligation(
        agreement=agreement,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        frequency=frequency,
        reduced_tier_takes_part=reduced_tier_takes_part,
        **fields,
    )
    full_clean(obligation, exclude=["agreement", "owner_organization", "owner"])
    text_checked(obligation)
    with transaction.atomic():
        obligation.save()
        added, _deleted = sync_occurrences(obligation)
        audit.record(
            "jobhelp.obligation.added",
            actor=by,
            organization=owner_organization,
            obj=obligation,
            data={
                "agreement": agreement.pk,
                "kind": obligation.kind,
                "frequency": obligation.frequency,
                "owner_organization": owner_organization.pk,
                "occurrences": added,
            },
        )
    return obligation


def update_obligation(obligation: Obligation, *, by, **fields) -> Obligation:
    """Change an obligation; a new schedule adds the missing due dates and drops the ones not
    kept that it no longer has. Nothing is written when nothing changes.

    Side effects: occurrences added or deleted; audit ``jobhelp.obligation.updated`` (data: the
    changed fields' names, occurrences added and deleted).
    """
    refuse_unknown(fields, OBLIGATION_FIELDS, "an obligation")
    agreement = obligation.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise PartnershipError(_("Only managers of a party can change this agreement."))
    for name in ("title", "description"):
        if name in fields:
            fields[name] = str(fields[name]).strip()
    with transaction.atomic():
        current = (
            Obligation.objects.select_for_update().select_related("agreement").get(pk=obligation.pk)
        )
        names = changed(current, fields)
        if not names:
            return current
        merged = {
            name: fields.get(name, getattr(current, name))
            for name in ("owner_organization", "owner", "first_due_on", "ends_on")
        }
        _check(current.agreement, merged)
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["agreement", "owner_organization", "owner"])
        text_checked(current)
        current.save(update_fields=names)
        added = deleted = 0
        if SCHEDULE_FIELDS & set(names):
            added, deleted = sync_occurrences(current)
        audit.record(
            "jobhelp.obligation.updated",
            actor=by,
            organization=current.owner_organization,
            obj=current,
            data={"fields": names, "added": added, "deleted": deleted},
        )
    return current


def remove_obligation(obligation: Obligation, *, by) -> None:
    """Delete an obligation that was never kept (one that was is ended with a last due date
    instead, so its record stays).

    Side effects: its occurrences are deleted; audit ``jobhelp.obligation.removed``.
    """
    agreement = obligation.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise PartnershipError(_("Only managers of a party can change this agreement."))
    if agreement.status not in ACTIVE_AGREEMENT_STATES:
        raise PartnershipError(_("This agreement's obligations can no longer change."))
    if obligation.occurrences.filter(done_at__isnull=False).exists():
        raise PartnershipError(
            _("This obligation has been kept before. Give it a last due date instead.")
        )
    with transaction.atomic():
        audit.record(
            "jobhelp.obligation.removed",
            actor=by,
            organization=obligation.owner_organization,
            obj=obligation,
            data={"agreement": agreement.pk},
        )
        obligation.delete()


def _evidence_codes(note: str, kind, record) -> dict:
    found = evidence_kinds.kind_of(record) if record is not None else None
    return {
        "note": bool(note),
        "file": kind.extension if kind else None,
        "record": found.code if found else None,
    }


def mark_occurrence_done(
    occurrence: Occurrence,
    *,
    by,
    note: str = "",
    upload=None,
    evidence=None,
    file_name: str | None = None,
    now: datetime | None = None,
) -> Occurrence:
    """Record that `occurrence` was kept, with its evidence: a note, a file (PDF, PNG or JPEG,
    checked by content and size, stored under a random name), a record that fulfilled it (a
    kind registered in partnerships.evidence, which `by` can see), or several of these.

    If someone else marked it first, raises AlreadyDone naming them, and nothing is written.

    Side effects: the file written under MEDIA_ROOT; audit ``jobhelp.occurrence.done`` (data:
    the obligation, the due date, and which kinds of evidence: never the note or the name).
    """
    now = now or timezone.now()
    obligation = occurrence.obligation
    if not rules.can_record_evidence(by, obligation):
        raise PartnershipError(
            _("Only managers and liaisons of the agreement's parties can record this.")
        )
    note = (note or "").strip()
    if not (note or upload or evidence is not None):
        raise PartnershipError(
            _("Say how it was kept: write a note, attach a file or link the record that shows it.")
        )
    kind = None
    shown_name = ""
    try:
        if note:
            text_checked(Occurrence(note=note))
        if upload is not None:
            shown_name = files.display_name(file_name if file_name is not None else upload.name)
            kind = files.validate_evidence(upload)
    except ValidationError as error:
        raise PartnershipError(" ".join(error.messages)) from None
    if evidence is not None and not evidence_kinds.may_link(by, evidence):
        raise PartnershipError(_("That record cannot be linked here."))
    record_type = ContentType.objects.get_for_model(evidence) if evidence is not None else None
    stored = ""
    storage = Occurrence._meta.get_field("evidence_file").storage
    try:
        with transaction.atomic():
            claimed = Occurrence.objects.filter(pk=occurrence.pk, done_at__isnull=True).update(
                done_at=now,
                done_by=by,
                note=note,
                evidence_type=record_type,
                evidence_id=evidence.pk if evidence is not None else None,
            )
            current = Occurrence.objects.select_related("done_by", "obligation").get(
                pk=occurrence.pk
            )
            if not claimed:
                raise AlreadyDone(current)
            if upload is not None:
                # Only the winner writes a file, under a random name.
                current.evidence_file.save(files.stored_name(kind), upload, save=False)
                stored = current.evidence_file.name
                current.evidence_file_name = shown_name
                Occurrence.objects.filter(pk=current.pk).update(
                    evidence_file=stored, evidence_file_name=shown_name
                )
            audit.record(
                "jobhelp.occurrence.done",
                actor=by,
                organization=obligation.owner_organization,
                obj=current,
                data={
                    "obligation": obligation.pk,
                    "due": current.due_on.isoformat(),
                    **_evidence_codes(note, kind, evidence),
                },
            )
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return current


def reopen_occurrence(occurrence: Occurrence, *, by) -> Occurrence:
    """Undo "done" (recorded by mistake): the occurrence is due again and its evidence goes.

    Side effects: the evidence file is deleted once committed; audit
    ``jobhelp.occurrence.reopened``.
    """
    obligation = occurrence.obligation
    if not rules.can_record_evidence(by, obligation):
        raise PartnershipError(
            _("Only managers and liaisons of the agreement's parties can record this.")
        )
    with transaction.atomic():
        current = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
        if current.done_at is None:
            raise PartnershipError(_("This is not marked done."))
        old_file = current.evidence_file.name
        storage = current.evidence_file.storage
        Occurrence.objects.filter(pk=current.pk).update(
            done_at=None,
            done_by=None,
            note="",
            evidence_file="",
            evidence_file_name="",
            evidence_type=None,
            evidence_id=None,
        )
        audit.record(
            "jobhelp.occurrence.reopened",
            actor=by,
            organization=obligation.owner_organization,
            obj=current,
            data={"obligation": obligation.pk, "due": current.due_on.isoformat()},
        )
        if old_file:
            transaction.on_commit(lambda: storage.delete(old_file))
    current.refresh_from_db()
    return current
