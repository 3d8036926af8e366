"""Public computers: a location's computers, its kiosks, the counts of computers in use and
people waiting (from staff, a kiosk or a reservation system's API client), and reducing old
counts to hourly figures. Only counts are stored: no names, no sessions.

Every change raises the computers version of the location's library system or center in the
same transaction (core.versions), so the cached public page (directory.waits) shows a new
count on its next load.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit, links, versions
from jobhelp.directory import rules
from jobhelp.directory.domain import DirectoryError
from jobhelp.directory.enums import CountSource, Software
from jobhelp.directory.models import (
    ComputerCount,
    ComputerUsageHour,
    KioskToken,
    PublicComputers,
    counts_summed,
)
from jobhelp.organizations.models import Location

# More people waiting than this is a typing mistake, not a queue.
MAX_WAITING = 500


class CountError(DirectoryError):
    """A count that cannot be right (more computers in use than there are, a negative number,
    a kiosk of another location); nothing was written."""


def _bump(location: Location) -> None:
    versions.bump(versions.COMPUTERS, location.organization.root_id)


def _whole(value, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise CountError(message) from None
    return value


def set_public_computers(
    location: Location,
    *,
    by,
    count: int,
    software: Iterable[str] = (),
    printing: bool = False,
    scanning: bool = False,
    wifi: bool = False,
    notes: str = "",
) -> PublicComputers:
    """How many public computers a location has, and what they offer. Zero computers removes
    the location from the public computers page (its counts stay until they age out).

    Side effects: audit ``jobhelp.public_computers.set`` (data: `count`, `software`); the
    computers version.
    """
    if by is not None and not rules.can_edit_location(by, location):
        raise PermissionDenied(_("Only staff of the location's organization can change this."))
    count = _whole(count, _("Enter the number of public computers."))
    if not 0 <= count <= 1000:
        raise CountError(_("Enter the number of public computers."))
    software = list(dict.fromkeys(software))
    if not set(software) <= set(Software.values):
        raise CountError(_("Choose software from the list."))
    with transaction.atomic():
        computers, _created = PublicComputers.objects.update_or_create(
            location=location,
            defaults={
                "count": count,
                "software": software,
                "printing": bool(printing),
                "scanning": bool(scanning),
                "wifi": bool(wifi),
                "notes": notes.strip()[:300],
                "updated_at": timezone.now(),
            },
        )
        audit.record(
            "jobhelp.public_computers.set",
            actor=by,
            organization=location.organization,
            obj=location,
            data={"count": count, "software": software},
        )
        _bump(location)
    return computers


def _check_counts(location: Location, in_use, waiting) -> tuple[int, int, int]:
    computers = PublicComputers.objects.filter(location=location).values_list("count", flat=True)
    total = computers.first()
    if not total:
        raise CountError(_("%(place)s has no public computers listed.") % {"place": location})
    in_use = _whole(in_use, _("Enter how many computers are in use, as a number."))
    waiting = _whole(waiting, _("Enter how many people are waiting, as a number."))
    if in_use < 0 or waiting < 0:
        raise CountError(_("Counts cannot be below zero."))
    if in_use > total:
        raise CountError(
            _("%(place)s has %(total)s public computers, so at most %(total)s can be in use.")
            % {"place": location, "total": total}
        )
    if waiting > MAX_WAITING:
        raise CountError(
            _("More than %(max)s people waiting? Check the number.") % {"max": MAX_WAITING}
        )
    return in_use, waiting, total


def record_count(
    location: Location,
    *,
    by,
    in_use,
    waiting,
    source: CountSource = CountSource.STAFF,
    now: datetime | None = None,
) -> ComputerCount:
    """ "Now: 14 of 16 in use, 3 waiting", from staff at the desk or a reservation system's API
    client (`source`). Refused with CountError, nothing written, for a count that cannot be
    right.

    Side effects: a ComputerCount; audit ``jobhelp.computer_count.recorded`` (data: `in_use`,
    `waiting`, `computers`, `source`); the computers version.
    """
    if by is not None and not rules.can_edit_location(by, location):
        raise PermissionDenied(_("Only staff of the location's organization can count here."))
    return _record(location, by=by, in_use=in_use, waiting=waiting, source=source, now=now)


def _record(location, *, by, in_use, waiting, source, now) -> ComputerCount:
    with transaction.atomic():
        in_use, waiting, total = _check_counts(location, in_use, waiting)
        count = ComputerCount.objects.create(
            location=location,
            recorded_at=now or timezone.now(),
            in_use=in_use,
            waiting=waiting,
            computers=total,
            source=source,
        )
        audit.record(
            "jobhelp.computer_count.recorded",
            actor=by,
            organization=location.organization,
            obj=location,
            data={"in_use": in_use, "waiting": waiting, "computers": total, "source": source},
        )
        _bump(location)
    return count


def issue_kiosk(location: Location, *, by, name: str) -> tuple[KioskToken, str]:
    """A kiosk for one location: returns it and its secret, shown once (core.links), which
    lasts until revoked.

    Side effects: audit ``jobhelp.kiosk.issued``.
    """
    if not rules.can_edit_location(by, location):
        raise PermissionDenied(_("Only staff of the location's organization can set up a kiosk."))
    name = name.strip()[:80] or _("Kiosk")
    with transaction.atomic():
        kiosk, token = links.issue(KioskToken, expires_at=None, location=location, name=name)
        audit.record(
            "jobhelp.kiosk.issued", actor=by, organization=location.organization, obj=kiosk
        )
    return kiosk, token


def revoke_kiosk(kiosk: KioskToken, *, by, now: datetime | None = None) -> bool:
    """Turn a kiosk's secret off. Returns whether it was still on.

    Side effects: audit ``jobhelp.kiosk.revoked``.
    """
    location = kiosk.location
    if not rules.can_edit_location(by, location):
        raise PermissionDenied(_("Only staff of the location's organization can do this."))
    with transaction.atomic():
        revoked = links.revoke(KioskToken.objects.filter(pk=kiosk.pk), now=now)
        if revoked:
            audit.record(
                "jobhelp.kiosk.revoked", actor=by, organization=location.organization, obj=kiosk
            )
    return bool(revoked)


def record_kiosk_count(
    *, location: Location, token: str, in_use, waiting, now: datetime | None = None
) -> ComputerCount:
    """A count from a kiosk page for `location`, holding the kiosk's secret. An unknown or
    revoked secret raises core.links.LinkUnknown; the secret of another location's kiosk
    raises CountError; nothing is written either way.

    Side effects: as record_count, with source `kiosk` and no actor.
    """
    kiosk = links.find(KioskToken.objects.all(), token, now=now)
    if kiosk.location_id != location.pk:
        raise CountError(
            _("This kiosk is set up for another location. Ask staff to set it up for %(place)s.")
            % {"place": location}
        )
    return _record(
        location, by=None, in_use=in_use, waiting=waiting, source=CountSource.KIOSK, now=now
    )


def aggregate_old_counts(*, now: datetime) -> dict[str, int]:
    """Reduce raw counts older than RETENTION["computer_counts"] (a day), in whole clock hours,
    to one
    ComputerUsageHour per location and hour (added to an hour's row if it already has one),
    and delete them. Returns {"counts": raw counts reduced, "hours": hour rows written}.

    Safe to run twice, and at once from two runners: each location is done in one transaction
    that first locks the location's row, so a second run waits, then finds its counts gone.
    """
    cutoff = (
        (now - settings.RETENTION["computer_counts"])
        .astimezone(UTC)
        .replace(minute=0, second=0, microsecond=0)
    )
    old = ComputerCount.objects.filter(recorded_at__lt=cutoff)
    total_counts = total_hours = 0
    for location_id in sorted(set(old.values_list("location_id", flat=True))):
        with transaction.atomic():
            list(Location.objects.select_for_update().filter(pk=location_id).values_list("pk"))
            rows = (
                old.filter(location_id=location_id)
                .annotate(at=TruncHour("recorded_at", tzinfo=UTC))
                .values("at")
                .annotate(**counts_summed())
                .order_by("at")
            )
            for row in rows:
                hour, created = ComputerUsageHour.objects.select_for_update().get_or_create(
                    location_id=location_id,
                    hour=row["at"],
                    defaults={k: row[k] for k in row if k != "at"},
                )
                if not created:
                    hour.samples += row["samples"]
                    hour.in_use_sum += row["in_use_sum"]
                    hour.waiting_sum += row["waiting_sum"]
                    hour.in_use_max = max(hour.in_use_max, row["in_use_max"])
                    hour.waiting_max = max(hour.waiting_max, row["waiting_max"])
                    hour.computers = max(hour.computers, row["computers"])
                    hour.save()
                total_hours += 1
            deleted, _rows = old.filter(location_id=location_id).delete()
            total_counts += deleted
    return {"counts": total_counts, "hours": total_hours}


def open_kiosk(location: Location, token: str, *, now: datetime | None = None) -> KioskToken:
    """The kiosk holding `token`, for showing its page at `location`: an unknown or revoked
    secret raises core.links.LinkUnknown, another location's kiosk CountError. Reads only."""
    kiosk = links.find(KioskToken.objects.all(), token, now=now)
    if kiosk.location_id != location.pk:
        raise CountError(
            _("This kiosk is set up for another location. Ask staff to set it up for %(place)s.")
            % {"place": location}
        )
    return kiosk
