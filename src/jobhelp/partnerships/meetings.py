"""The partners' management meetings: scheduling one (at a partner's location, on that
location's wall clock), changing or cancelling it, its attendees from each partner, the minutes
and decisions, and its action items with their reminders.

A meeting's day and time are typed as the place's wall clock and turned into an instant with
core.wallclock.local_instant, as classes are: a time in the spring-forward gap (02:30 on the
second Sunday of March in US zones) falls after the gap (03:30), and a repeated autumn time is
its first occurrence.
"""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.tenancy import acts_for
from jobhelp.core import audit
from jobhelp.core.wallclock import local_instant
from jobhelp.partnerships import messages, rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.enums import (
    ACTION_ITEM_REMINDER_DAYS,
    OPEN_ACTION_STATES,
    ActionItemStatus,
)
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import ActionItem, Meeting, MeetingAttendee

MIN_MINUTES = 15
MAX_MINUTES = 8 * 60
ACTION_ITEM_FIELDS = frozenset({"title", "owner", "owner_organization", "due_on"})


def _refuse_manage() -> PartnershipError:
    return PartnershipError(
        _("Only managers of a partner at full participation can change the partnership.")
    )


def _partner_ids(partnership) -> set[int]:
    return set(partnership.partners.values_list("organization_id", flat=True))


def _check_place(partnership, location) -> None:
    """A partner's location, or one of a partner library system's branches."""
    partners = _partner_ids(partnership)
    if location.organization_id not in partners and location.organization.parent_id not in partners:
        raise PartnershipError(_("Choose a place of one of the partners."))


def _check_length(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise PartnershipError(
            _("A meeting lasts between %(min)d minutes and %(max)d hours.")
            % {"min": MIN_MINUTES, "max": MAX_MINUTES // 60}
        )


def _attendee_rows(meeting: Meeting, users) -> list[MeetingAttendee]:
    rows = []
    for user in dict.fromkeys(users):
        organization = rules.acting_partner(user, meeting.partnership)
        if organization is None:
            raise PartnershipError(
                _("%(name)s does not work for any of the partners.") % {"name": user}
            )
        rows.append(MeetingAttendee(meeting=meeting, organization=organization, user=user))
    return rows


def schedule_meeting(
    partnership,
    *,
    by,
    title: str,
    location,
    day: date,
    starts: time,
    minutes: int,
    agenda: str = "",
    attendees=(),
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting at `starts` on `day`, on `location`'s wall clock, for `minutes`,
    inviting `attendees` (staff of the partners).

    Side effects: attendee rows; audit ``jobhelp.meeting.scheduled`` (data: place, start in
    UTC, number of attendees); an invitation with the calendar file to each attendee with an
    email address (``meeting_scheduled``), sent after commit.
    """
    now = now or timezone.now()
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    _check_place(partnership, location)
    _check_length(minutes)
    start = local_instant(day, starts, location.zone)
    if start <= now:
        raise PartnershipError(_("A new meeting must start in the future."))
    meeting = Meeting(
        partnership=partnership,
        title=title.strip(),
        location=location,
        starts=start,
        ends=start + timedelta(minutes=minutes),
        agenda=agenda.strip(),
        created_by=by,
    )
    full_clean(meeting, exclude=["partnership", "location", "created_by"])
    text_checked(meeting)
    rows = _attendee_rows(meeting, attendees)
    with transaction.atomic():
        meeting.save()
        MeetingAttendee.objects.bulk_create(rows)
        audit.record(
            "jobhelp.meeting.scheduled",
            actor=by,
            organization=partnership.convener,
            obj=meeting,
            data={
                "location": location.pk,
                "starts": start.strftime("%Y-%m-%dT%H:%MZ"),
                "attendees": len(rows),
            },
        )
        messages.meeting_notice(meeting, [row.user for row in rows], template="meeting_scheduled")
    return meeting


def _invited(meeting: Meeting) -> list:
    return [
        attendee.user
        for attendee in meeting.attendees.select_related("user")
        if attendee.user is not None
    ]


def change_meeting(
    meeting: Meeting,
    *,
    by,
    title: str | None = None,
    location=None,
    day: date | None = None,
    starts: time | None = None,
    minutes: int | None = None,
    agenda: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Change a meeting that has not started. A new time or place raises its SEQUENCE and tells
    the attendees; only the fields given change.

    Side effects: audit ``jobhelp.meeting.changed`` (data: the changed fields' names); for a
    new time or place, ``meeting_changed`` with the updated calendar file to each attendee.
    """
    now = now or timezone.now()
    partnership = meeting.partnership
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    with transaction.atomic():
        current = (
            Meeting.objects.select_for_update()
            .select_related("location", "partnership")
            .get(pk=meeting.pk)
        )
        if current.cancelled_at is not None:
            raise PartnershipError(_("This meeting is cancelled."))
        if current.starts <= now:
            raise PartnershipError(_("This meeting has started; record its minutes instead."))
        place = location or current.location
        if location is not None:
            _check_place(partnership, place)
        zone = place.zone
        local = current.starts.astimezone(current.location.zone)
        length = (
            minutes
            if minutes is not None
            else int((current.ends - current.starts).total_seconds() // 60)
        )
        _check_length(length)
        start = local_instant(day or local.date(), starts or local.time(), zone)
        if start <= now:
            raise PartnershipError(_("A meeting must be moved to a time in the future."))
        values = {
            "title": title.strip() if title is not None else current.title,
            "location": place,
            "starts": start,
            "ends": start + timedelta(minutes=length),
            "agenda": agenda.strip() if agenda is not None else current.agenda,
        }
        names = changed(current, values)
        if not names:
            return current
        for name in names:
            setattr(current, name, values[name])
        moved = bool({"location", "starts", "ends"} & set(names))
        if moved:
            current.sequence += 1
        full_clean(current, exclude=["partnership", "location", "created_by"])
        text_checked(current)
        current.save(update_fields=[*names, "sequence"])
        audit.record(
            "jobhelp.meeting.changed",
            actor=by,
            organization=partnership.convener,
            obj=current,
            data={"fields": names, "sequence": current.sequence},
        )
        if moved:
            messages.meeting_notice(current, _invited(current), template="meeting_changed")
    return current


def cancel_meeting(meeting: Meeting, *, by, now: datetime | None = None) -> Meeting:
    """Cancel a meeting that has not started.

    Side effects: audit ``jobhelp.meeting.cancelled``; ``meeting_cancelled`` with a
    METHOD:CANCEL calendar file to each attendee.
    """
    now = now or timezone.now()
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    with transaction.atomic():
        cancelled = Meeting.objects.filter(
            pk=meeting.pk, cancelled_at__isnull=True, starts__gt=now
        ).update(cancelled_at=now, sequence=F("sequence") + 1)
        current = Meeting.objects.select_related("location", "partnership__convener").get(
            pk=meeting.pk
        )
        if not cancelled:
            raise PartnershipError(
                _("This meeting is already cancelled.")
                if current.cancelled_at
                else _("This meeting has started; it can no longer be cancelled.")
            )
        audit.record(
            "jobhelp.meeting.cancelled",
            actor=by,
            organization=current.partnership.convener,
            obj=current,
        )
        messages.meeting_notice(current, _invited(current), template="meeting_cancelled")
    return current


def add_attendee(
    meeting: Meeting, *, by, user=None, organization=None, name: str = "", now=None
) -> MeetingAttendee:
    """Add a staff member of a partner (invited by email when the meeting is ahead), or a
    guest by name for a partner `organization`.

    Side effects: audit ``jobhelp.meeting.attendee_added`` (data: the partner, the person's
    id); ``meeting_scheduled`` to a staff member added to a meeting still ahead.
    """
    now = now or timezone.now()
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    if user is not None:
        (row,) = _attendee_rows(meeting, [user])
        if organization is not None and organization.pk != row.organization.pk:
            if organization.pk not in _partner_ids(meeting.partnership) or not acts_for(
                user, organization
            ):
                raise PartnershipError(
                    _("%(name)s does not work for %(organization)s.")
                    % {"name": user, "organization": organization}
                )
            row.organization = organization
    else:
        if organization is None or organization.pk not in _partner_ids(meeting.partnership):
            raise PartnershipError(_("Choose the partner the guest comes from."))
        row = MeetingAttendee(meeting=meeting, organization=organization, name=name.strip())
        if not row.name:
            raise PartnershipError(_("Enter the guest's name."))
    full_clean(row, exclude=["meeting", "organization", "user"])
    text_checked(row)
    try:
        with transaction.atomic():
            row.save()
            audit.record(
                "jobhelp.meeting.attendee_added",
                actor=by,
                organization=row.organization,
                obj=meeting,
                data={"organization": row.organization.pk, "user": user.pk if user else None},
            )
            if user is not None and meeting.cancelled_at is None and meeting.starts > now:
                messages.meeting_notice(meeting, [user], template="meeting_scheduled")
    except IntegrityError:
        raise PartnershipError(_("%(name)s is already an attendee.") % {"name": user}) from None
    return row


def remove_attendee(attendee: MeetingAttendee, *, by) -> None:
    """Side effects: audit ``jobhelp.meeting.attendee_removed``."""
    meeting = attendee.meeting
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    with transaction.atomic():
        audit.record(
            "jobhelp.meeting.attendee_removed",
            actor=by,
            organization=attendee.organization,
            obj=meeting,
            data={"organization": attendee.organization_id, "user": attendee.user_id},
        )
        attendee.delete()


def record_minutes(
    meeting: Meeting,
    *,
    by,
    minutes: str,
    decisions: str = "",
    attended=None,
    now: datetime | None = None,
) -> Meeting:
    """Record the minutes and decisions of a meeting that has started, and who came
    (`attended`: attendee ids; everyone else listed did not come; None leaves it as it was).

    Side effects: audit ``jobhelp.meeting.minutes_recorded`` (data: how many came).
    """
    now = now or timezone.now()
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.cancelled_at is not None:
            raise PartnershipError(_("This meeting is cancelled."))
        if current.starts > now:
            raise PartnershipError(_("Minutes are recorded once the meeting has started."))
        current.minutes = minutes.strip()
        current.decisions = decisions.strip()
        full_clean(current, exclude=["partnership", "location", "created_by"])
        text_checked(current)
        current.save(update_fields=["minutes", "decisions"])
        came = None
        if attended is not None:
            present = {int(pk) for pk in attended}
            listed = set(current.attendees.values_list("pk", flat=True))
            if not present <= listed:
                raise PartnershipError(_("Mark only people listed for this meeting."))
            current.attendees.filter(pk__in=present).update(attended=True)
            current.attendees.exclude(pk__in=present).update(attended=False)
            came = len(present)
        audit.record(
            "jobhelp.meeting.minutes_recorded",
            actor=by,
            organization=current.partnership.convener,
            obj=current,
            data={"attended": came},
        )
    return current


# --- Action items -------------------------------------------------------------------------------


def _check_owner(meeting: Meeting, owner, owner_organization) -> None:
    if owner_organization.pk not in _partner_ids(meeting.partnership):
        raise PartnershipError(_("Choose one of the partners."))
    if not acts_for(owner, owner_organization):
        raise PartnershipError(
            _("%(name)s does not work for %(organization)s.")
            % {"name": owner, "organization": owner_organization}
        )


def add_action_item(
    meeting: Meeting, *, by, title: str, owner, owner_organization=None, due_on: date
) -> ActionItem:
    """An action item from a meeting, owned by a staff member of a partner (counted for the
    partner they act for, unless `owner_organization` says which).

    Side effects: audit ``jobhelp.action_item.added`` (data: owner's id, the partner).
    """
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    owner_organization = owner_organization or rules.acting_partner(owner, meeting.partnership)
    if owner_organization is None:
        raise PartnershipError(
            _("%(name)s does not work for any of the partners.") % {"name": owner}
        )
    _check_owner(meeting, owner, owner_organization)
    item = ActionItem(
        meeting=meeting,
        title=title.strip(),
        owner=owner,
        owner_organization=owner_organization,
        due_on=due_on,
    )
    full_clean(item, exclude=["meeting", "owner", "owner_organization"])
    text_checked(item)
    with transaction.atomic():
        item.save()
        audit.record(
            "jobhelp.action_item.added",
            actor=by,
            organization=owner_organization,
            obj=item,
            data={"meeting": meeting.pk, "owner": owner.pk, "due": due_on.isoformat()},
        )
    return item


def update_action_item(item: ActionItem, *, by, **fields) -> ActionItem:
    """Change an action item's text, owner or due date (the partnership's managers). A new due
    date or owner arms the reminders again.

    Side effects: audit ``jobhelp.action_item.updated`` (data: the changed fields' names).
    """
    refuse_unknown(fields, ACTION_ITEM_FIELDS, "an action item")
    meeting = item.meeting
    if not rules.can_manage_partnership(by, meeting.partnership):
        raise _refuse_manage()
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
    with transaction.atomic():
        current = ActionItem.objects.select_for_update().get(pk=item.pk)
        names = changed(current, fields)
        if not names:
            return current
        owner = fields.get("owner", current.owner)
        organization = fields.get("owner_organization")
        if "owner" in names and organization is None:
            organization = rules.acting_partner(owner, meeting.partnership)
            if organization is None:
                raise PartnershipError(
                    _("%(name)s does not work for any of the partners.") % {"name": owner}
                )
            fields["owner_organization"] = organization
            names = changed(current, fields)
        _check_owner(meeting, owner, fields.get("owner_organization", current.owner_organization))
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["meeting", "owner", "owner_organization"])
        text_checked(current)
        current.save(update_fields=names)
        audit.record(
            "jobhelp.action_item.updated",
            actor=by,
            organization=current.owner_organization,
            obj=current,
            data={"fields": names},
        )
    return current


def set_action_item_status(
    item: ActionItem, *, by, status: str, now: datetime | None = None
) -> ActionItem:
    """Mark an action item done or dropped (its owner, or the partnership's managers), or open
    again. One conditional UPDATE, so two people closing it at once record it once.

    Side effects: audit ``jobhelp.action_item.status_changed`` (data: from, to).
    """
    now = now or timezone.now()
    if status not in ActionItemStatus.values:
        raise PartnershipError(_("Choose a status from the list."))
    if not rules.can_close_action_item(by, item):
        raise PartnershipError(
            _("Only the owner or the partnership's managers can change this action item.")
        )
    closing = status not in OPEN_ACTION_STATES
    with transaction.atomic():
        moved = (
            ActionItem.objects.filter(pk=item.pk)
            .exclude(status=status)
            .update(status=status, closed_at=now if closing else None)
        )
        current = ActionItem.objects.select_related("owner_organization").get(pk=item.pk)
        if not moved:
            raise PartnershipError(
                _("This action item is already %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        audit.record(
            "jobhelp.action_item.status_changed",
            actor=by,
            organization=current.owner_organization,
            obj=current,
            data={"from": item.status, "to": status},
        )
    return current


def action_item_reminder_due(item: ActionItem, *, today: date) -> int | None:
    """The reminder due today for an open action item: 3 days before its due date, or on the
    day; the nearer one when both have come. None otherwise (and after the due date)."""
    if item.due_on < today:
        return None
    left = (item.due_on - today).days
    due = [days for days in ACTION_ITEM_REMINDER_DAYS if left <= days]
    return min(due) if due else None


def send_action_item_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders due today to the owners of open action items, each once (the
    outbox's dedupe key: item, due date, days, owner). Returns how many were queued.

    Side effects: messages ``action_item_reminder`` in the outbox.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    items = ActionItem.objects.filter(
        status__in=OPEN_ACTION_STATES,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=max(ACTION_ITEM_REMINDER_DAYS)),
        meeting__cancelled_at__isnull=True,
    ).select_related("owner", "owner_organization", "meeting")
    for item in items:
        days = action_item_reminder_due(item, today=today)
        if days is None:
            continue
        with transaction.atomic():
            queued += messages.action_item_reminder(item, days=days) is not None
    return queued
