"""State changes of cross-training: scheduling a training, taking its attendance, entering a
training taken elsewhere, setting requirements, the qualifications trainings earn, and the
reminders of what is due. Each checks crosstraining.rules, writes, audits, and queues messages
in the same transaction."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import Membership, Qualification
from jobhelp.core import audit
from jobhelp.crosstraining import messages, rules
from jobhelp.crosstraining.enums import (
    OBLIGATION_KINDS,
    REMINDER_DAYS_BEFORE,
    TrainingKind,
    TrainingStatus,
)
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.models import Requirement, Training, TrainingRecord
from jobhelp.crosstraining.queries import requirement_matrix, satisfies
from jobhelp.organizations.models import Organization
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import Occurrence
from jobhelp.partnerships.obligations import add_months, mark_occurrence_done

User = get_user_model()


@dataclass(frozen=True)
class TrainingDetails:
    title: str
    title_es: str
    kind: str
    starts_at: datetime
    duration_minutes: int
    location: object
    place: str
    online_link: str
    capacity: int | None
    audience: list


# --- Trainings ---------------------------------------------------------------------------------


def schedule_training(
    organization: Organization,
    *,
    by,
    trainer,
    details: TrainingDetails,
    now: datetime | None = None,
) -> Training:
    """Schedule a training given by `organization`'s `trainer`.

    Side effects: audit ``jobhelp.training.scheduled``.
    """
    if not rules.can_schedule(by, organization):
        raise CrosstrainingError(_("Only managers and liaisons can schedule its trainings."))
    if not details.audience:
        raise CrosstrainingError(_("Choose whose staff the training is for."))
    if not (details.place.strip() or details.online_link.strip()):
        raise CrosstrainingError(_("Give a room or place, or an online link."))
    if details.starts_at <= (now or timezone.now()):
        raise CrosstrainingError(
            _(
                "Choose a time in the future. A training already given is entered in the "
                "staff member's record as training taken elsewhere."
            )
        )
    with transaction.atomic():
        training = Training.objects.create(
            organization=organization,
            trainer=trainer,
            title=details.title,
            title_es=details.title_es,
            kind=details.kind,
            starts_at=details.starts_at,
            duration_minutes=details.duration_minutes,
            location=details.location,
            place=details.place.strip(),
            online_link=details.online_link.strip(),
            capacity=details.capacity,
            created_by=by,
        )
        training.audience.set(details.audience)
        audit.record(
            "jobhelp.training.scheduled",
            actor=by,
            organization=organization,
            obj=training,
            data={"kind": training.kind, "audience": sorted(o.pk for o in details.audience)},
        )
    return training


def mark_attendance(training: Training, *, by, present: list, now: datetime | None = None):
    """Set who attended `training` from its roster: a training record for each person present
    (kept for those already marked), removed for those no longer marked. The first time, the
    training counts as held, and it fulfils its organization's matching obligation occurrence
    (a tour, a staff training) when one is open and `by` may record it.

    Side effects: records, the qualifications they earn (accounts.Qualification); audit
    ``jobhelp.training.attendance`` (counts only) and, the first time, ``jobhelp.training.held``
    and the occurrence's ``jobhelp.occurrence.done``.
    """
    now = now or timezone.now()
    if not rules.can_take_attendance(by, training):
        raise CrosstrainingError(_("Only the trainer, managers and liaisons take attendance."))
    if not present:
        raise CrosstrainingError(_("Mark at least one person present."))
    if training.starts_at > now:
        raise CrosstrainingError(_("Attendance is taken once the training has started."))
    if training.capacity is not None and len(present) > training.capacity:
        raise CrosstrainingError(
            _("More people are marked present than the training has places for.")
        )
    day = timezone.localdate(training.starts_at, training.zone)
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=training.pk)
        wanted = {person.pk: person for person in present}
        existing = set(training.records.values_list("person_id", flat=True))
        removed = existing - set(wanted)
        training.records.filter(person_id__in=removed).delete()
        added = [person for pk, person in wanted.items() if pk not in existing]
        given_by = f"{training.trainer}, {training.organization}"
        for person in added:
            TrainingRecord.objects.create(
                person=person,
                training=training,
                title=training.title,
                title_es=training.title_es,
                kind=training.kind,
                completed_on=day,
                given_by=given_by[:200],
                recorded_by=by,
            )
        first_time = training.held_at is None
        if first_time:
            Training.objects.filter(pk=training.pk).update(held_at=now)
            training.held_at = now
        audit.record(
            "jobhelp.training.attendance",
            actor=by,
            organization=training.organization,
            obj=training,
            data={"added": len(added), "removed": len(removed), "present": len(wanted)},
        )
        for person_id in {p.pk for p in added} | removed:
            refresh_qualifications(User.objects.get(pk=person_id), today=timezone.localdate(now))
        if first_time:
            audit.record(
                "jobhelp.training.held",
                actor=by,
                organization=training.organization,
                obj=training,
                data={"kind": training.kind},
            )
            _fulfil_occurrence(training, by=by, day=day)
    return training


def _fulfil_occurrence(training: Training, *, by, day: date) -> Occurrence | None:
    """The open occurrence of the giving organization's matching obligation due nearest after
    the training (or the latest overdue one) is kept, with the training as its evidence."""
    occurrences = Occurrence.objects.filter(
        obligation__owner_organization=training.organization,
        obligation__kind=OBLIGATION_KINDS[TrainingKind(training.kind)],
        done_at__isnull=True,
    ).select_related("obligation__agreement", "obligation__owner_organization")
    occurrence = (
        occurrences.filter(due_on__gte=day).order_by("due_on").first()
        or occurrences.filter(due_on__lt=day).order_by("-due_on").first()
    )
    if occurrence is None:
        return None
    try:
        with transaction.atomic():
            return mark_occurrence_done(occurrence, by=by, evidence=training)
    except PartnershipError:
        # Someone who may take attendance but not record the MOU's evidence (a trainer who is
        # not the liaison): the occurrence stays open for a manager to mark.
        return None


def record_training_elsewhere(
    person, *, by, title: str, kind: str, completed_on: date, given_by: str, today: date
) -> TrainingRecord:
    """Enter a training `person` took elsewhere, attested by `by`, one of their managers.

    Side effects: the qualifications it earns; audit ``jobhelp.training_record.entered``.
    """
    organizations = Organization.objects.filter(memberships__user=person).distinct()
    if not any(rules.can_manage_records(by, o) for o in organizations):
        raise CrosstrainingError(_("Only the person's managers can enter their training."))
    if completed_on > today:
        raise CrosstrainingError(_("A training is recorded once it has been done."))
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            person=person,
            title=title,
            kind=kind,
            completed_on=completed_on,
            given_by=given_by,
            attested_by=by,
            recorded_by=by,
        )
        audit.record(
            "jobhelp.training_record.entered",
            actor=by,
            organization=organizations.first(),
            obj=record,
            data={"kind": kind, "person": person.pk},
        )
        refresh_qualifications(person, today=today)
    return record


# --- Requirements ------------------------------------------------------------------------------


def add_requirement(
    organization: Organization,
    *,
    by,
    role: str,
    kind: str,
    title: str = "",
    within_days: int,
    refresh_months: int | None,
    qualifies_for: str = "",
) -> Requirement:
    """Require a training of everyone holding `role` in `organization`.

    Side effects: qualifications of its people are brought up to date; audit
    ``jobhelp.requirement.added``.
    """
    if not rules.can_manage_records(by, organization):
        raise CrosstrainingError(_("Only the organization's managers can set requirements."))
    with transaction.atomic():
        requirement = Requirement.objects.create(
            organization=organization,
            role=role,
            kind=kind,
            title=title.strip(),
            within_days=within_days,
            refresh_months=refresh_months,
            qualifies_for=qualifies_for,
            created_by=by,
        )
        audit.record(
            "jobhelp.requirement.added",
            actor=by,
            organization=organization,
            obj=requirement,
            data={"role": role, "kind": kind, "need": qualifies_for or None},
        )
        if qualifies_for:
            for person in User.objects.filter(
                memberships__organization=organization, memberships__role=role
            ).distinct():
                refresh_qualifications(person, today=timezone.localdate())
    return requirement


def remove_requirement(requirement: Requirement, *, by) -> None:
    """Side effects: audit ``jobhelp.requirement.removed``. Qualifications already earned stay
    until they lapse."""
    if not rules.can_manage_records(by, requirement.organization):
        raise CrosstrainingError(_("Only the organization's managers can set requirements."))
    with transaction.atomic():
        audit.record(
            "jobhelp.requirement.removed",
            actor=by,
            organization=requirement.organization,
            obj=requirement,
            data={"role": requirement.role, "kind": requirement.kind},
        )
        requirement.delete()


# --- Qualifications ----------------------------------------------------------------------------


def refresh_qualifications(person, *, today: date) -> int:
    """Bring the needs `person` is qualified for through required trainings up to date: from the
    day they completed it, until it is due again (a lapsed refresher suspends it). A
    qualification given by hand (no training named) is left alone. Returns how many changed.

    Side effects: accounts.Qualification rows; audit ``jobhelp.qualification.trained``.
    """
    memberships = Membership.objects.filter(user=person).select_related("organization")
    requirements = Requirement.objects.exclude(qualifies_for="").filter(
        organization__in=[
            o for m in memberships for o in (m.organization_id, m.organization.parent_id) if o
        ],
        role__in=[m.role for m in memberships],
    )
    records = list(person.training_records.all())
    changed = 0
    for requirement in requirements:
        done = [r for r in records if satisfies(r.kind, r.title, requirement)]
        if not done:
            continue
        last = max(done, key=lambda r: (r.completed_on, r.pk))
        valid_until = (
            add_months(last.completed_on, requirement.refresh_months)
            if requirement.refresh_months
            else None
        )
        existing = Qualification.objects.filter(user=person, need=requirement.qualifies_for).first()
        if existing is not None and existing.qualified_from is None and not existing.earned_through:
            continue
        wanted = {
            "qualified_from": last.completed_on,
            "valid_until": valid_until,
            "earned_through": last.title,
            "earned_through_es": last.title_es,
        }
        if existing is not None and all(getattr(existing, k) == v for k, v in wanted.items()):
            continue
        Qualification.objects.update_or_create(
            user=person, need=requirement.qualifies_for, defaults=wanted
        )
        audit.record(
            "jobhelp.qualification.trained",
            actor=None,
            organization=requirement.organization,
            obj=requirement,
            data={"person": person.pk, "need": requirement.qualifies_for},
        )
        changed += 1
    return changed


# --- Reminders ---------------------------------------------------------------------------------


def reminder_key(requirement, person, due_on: date, *, on_the_day: bool, to) -> str:
    moment = "due" if on_the_day else "before"
    return f"training-due:{requirement.pk}:{person.pk}:{due_on:%Y%m%d}:{moment}:{to.pk}"


def send_training_reminders(*, now: datetime | None = None) -> int:
    """Remind each person whose required training is due within REMINDER_DAYS_BEFORE days, and
    again on (or after) the due day, and their managers, each once (dedupe key: requirement,
    person, due date, before/on, recipient). Returns how many messages were queued.

    Side effects: messages ``training_due`` in the outbox.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    organizations = Organization.objects.filter(training_requirements__isnull=False).distinct()
    for row in requirement_matrix(organizations, today=today):
        for item in row.standings:
            if item.status == TrainingStatus.CURRENT or item.due_on is None:
                continue
            if item.due_on - timedelta(days=REMINDER_DAYS_BEFORE) > today:
                continue
            on_the_day = today >= item.due_on
            managers = messages.members_with(row.organization, MANAGING_ROLES).exclude(
                pk=row.person.pk
            )
            with transaction.atomic():
                for to in [row.person, *managers]:
                    sent = messages.to_staff(
                        to,
                        "training_due",
                        {
                            "person": row.person,
                            "requirement": item.requirement,
                            "status": item.status,
                            "lapsed": item.status == TrainingStatus.LAPSED,
                            "due_on": item.due_on,
                            "on_the_day": on_the_day,
                            "for_self": to.pk == row.person.pk,
                        },
                        organization=item.requirement.organization,
                        related=item.requirement,
                        key=reminder_key(
                            item.requirement, row.person, item.due_on, on_the_day=on_the_day, to=to
                        ),
                    )
                    queued += sent is not None
    return queued
