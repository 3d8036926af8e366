"""Reminders of monthly flyers: when a flyer sent to a location is not confirmed posted a week
into its month (from 9:00 on the 8th, on the location's own clock; for a flyer sent later in
its month, a week after it was sent), the location's staff get one email about it, once,
however often the job runs and however many runners there are."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.core import audit
from jobhelp.materials.enums import MaterialKind
from jobhelp.materials.models import MaterialTarget
from jobhelp.notifications.outbox import queue_message

# A week into the month: the 8th, at the start of a working day on the location's clock.
REMIND_AFTER_DAYS = 7
REMIND_AT = time(9, 0)
TEMPLATE = "material_not_posted"


def reminder_due_at(target: MaterialTarget) -> datetime:
    """When the reminder for `target` is due: 9:00 on the 8th day of the flyer's month, or a
    week after the day it was sent if that is later, in the location's zone (wall-clock
    arithmetic, so daylight saving time never moves it)."""
    zone = target.location.zone
    sent = target.material.created_at.astimezone(zone).date()
    day = max(target.material.valid_from, sent) + timedelta(days=REMIND_AFTER_DAYS)
    return datetime.combine(day, REMIND_AT, tzinfo=zone)


def staff_to_remind(location) -> list:
    """A location's staff: the members of its organization (a branch's own staff), and those
    of the library system above it whose usual location it is; if there are none, the
    managers who act for it. Active people with an email address only."""
    organization = location.organization
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    here = Q(memberships__organization_id=organization.pk)
    if organization.parent_id:
        here |= Q(
            memberships__organization_id=organization.parent_id,
            memberships__home_location_id=location.pk,
        )
    found = list(people.filter(here).distinct().order_by("pk"))
    if found:
        return found
    managers = Q(
        memberships__organization_id__in=above_and_self(organization),
        memberships__role__in=sorted(MANAGING_ROLES),
    )
    return list(people.filter(managers).distinct().order_by("pk"))


def reminder_key(target: MaterialTarget, user) -> str:
    return f"material-not-posted:{target.pk}:{user.pk}"


@dataclass(frozen=True)
class Reminded:
    locations: int = 0
    messages: int = 0


def send_flyer_reminders(*, now: datetime | None = None) -> Reminded:
    """Remind the staff of every location that has not confirmed a monthly flyer posted once
    its reminder is due (reminder_due_at), while the month lasts there. Each target is claimed
    with one conditional UPDATE (reminded_at), and each message has a dedupe key, so a
    location is reminded once per flyer even when two runners race or the job runs again.

    Side effects: emails queued (template ``material_not_posted``, in each person's language);
    per location reminded, audit ``jobhelp.material.reminder_queued`` (data: location id,
    the number of people).
    """
    now = now or timezone.now()
    utc_today = now.astimezone(UTC).date()
    # No location's calendar is more than a day from UTC's: a cheap first cut, refined below on
    # each location's own clock.
    candidates = (
        MaterialTarget.objects.filter(
            posted_at__isnull=True,
            reminded_at__isnull=True,
            location__is_active=True,
            material__kind=MaterialKind.MONTHLY_FLYER,
            material__withdrawn_at__isnull=True,
            material__valid_from__lte=utc_today - timedelta(days=REMIND_AFTER_DAYS - 1),
            material__valid_until__gte=utc_today - timedelta(days=1),
        )
        .select_related("material__organization", "location__organization")
        .order_by("pk")
    )
    locations = messages = 0
    for target in candidates.iterator(chunk_size=200):
        local_today = now.astimezone(target.location.zone).date()
        if now < reminder_due_at(target) or local_today > target.material.valid_until:
            continue
        with transaction.atomic():
            claimed = MaterialTarget.objects.filter(
                pk=target.pk, reminded_at__isnull=True, posted_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            people = staff_to_remind(target.location)
            queued = 0
            for person in people:
                message = queue_message(
                    to=person.email,
                    template=TEMPLATE,
                    context={
                        "recipient": person,
                        "material": target.material,
                        "location": target.location,
                        "month": target.material.valid_from,
                    },
                    language=person.preferred_language,
                    organization=target.location.organization,
                    related=target.material,
                    dedupe_key=reminder_key(target, person),
                )
                queued += message is not None
            audit.record(
                "jobhelp.material.reminder_queued",
                organization=target.location.organization,
                obj=target.material,
                data={"location": target.location_id, "people": queued},
            )
        locations += 1
        messages += queued
    return Reminded(locations=locations, messages=messages)
