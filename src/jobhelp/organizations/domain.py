"""Changes to organizations, locations and opening hours made outside the admin: by the
directory (a location's coordinates and accessibility, hours from an approved resource
assessment, organizations and locations from an HSDS import).

`organizations` knows nothing of people, so it does not decide who may make these changes: the
caller checks its own rules first (directory.rules, on accounts.tenancy) and passes the person
who acts as `by`, or None for the installation itself (a management command). Each function
audits the change and raises the staff version, as an admin change of places does
(core.admin.AuditedAdmin), since routing, booking and the public pages are made of these rows.
"""

from collections.abc import Iterable
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobhelp.core import audit, versions
from jobhelp.organizations.models import Location, OpeningHours, Organization

ORGANIZATION_FIELDS = frozenset(
    {"name", "kind", "parent", "participation_tier", "description", "phone", "website", "uuid"}
)
LOCATION_FIELDS = frozenset(
    {
        "name",
        "street",
        "city",
        "state",
        "postal_code",
        "phone",
        "time_zone",
        "is_active",
        "latitude",
        "longitude",
        "accessibility",
        "uuid",
    }
)

Hours = Iterable[tuple[int, time, time]]


class PlaceError(ValueError):
    """A value the model refuses; the message says which, in the active language."""


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")


def _clean(obj, *, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise PlaceError(" ".join(error.messages)) from None


def _free_slug(name: str) -> str:
    base = slugify(name)[:40] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organization(*, by, **fields) -> Organization:
    """A new organization (from an HSDS import), with a short name made from its name.

    Side effects: audit ``jobhelp.organization.created`` (data: `kind`); the staff version.
    """
    _check_fields(fields, ORGANIZATION_FIELDS)
    organization = Organization(slug=_free_slug(fields.get("name", "")), **fields)
    _clean(organization, exclude=["parent"])
    with transaction.atomic():
        organization.save()
        audit.record(
            "jobhelp.organization.created",
            actor=by,
            organization=organization,
            obj=organization,
            data={"kind": organization.kind},
        )
        versions.bump(versions.STAFF)
    return organization


def _update(obj, fields: dict[str, Any], *, by, action: str, organization, exclude) -> list[str]:
    changed = sorted(name for name, value in fields.items() if getattr(obj, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(obj, name, fields[name])
    _clean(obj, exclude=exclude)
    with transaction.atomic():
        obj.save(update_fields=changed)
        audit.record(action, actor=by, organization=organization, obj=obj, data={"fields": changed})
        versions.bump(versions.STAFF)
    return changed


def update_organization(organization: Organization, *, by, **fields) -> list[str]:
    """Write the fields whose value differs; returns their names (none: nothing written).

    Side effects: audit ``jobhelp.organization.updated`` (data: the changed field names); the
    staff version.
    """
    _check_fields(fields, ORGANIZATION_FIELDS - {"uuid"})
    return _update(
        organization,
        fields,
        by=by,
        action="jobhelp.organization.updated",
        organization=organization,
        exclude=["parent", "slug"],
    )


def create_location(organization: Organization, *, by, **fields) -> Location:
    """A new location of `organization`.

    Side effects: audit ``jobhelp.location.created``; the staff version.
    """
    _check_fields(fields, LOCATION_FIELDS)
    location = Location(organization=organization, **fields)
    _clean(location, exclude=["organization"])
    with transaction.atomic():
        location.save()
        audit.record("jobhelp.location.created", actor=by, organization=organization, obj=location)
        versions.bump(versions.STAFF)
    return location


def update_location(location: Location, *, by, **fields) -> list[str]:
    """Write the fields whose value differs; returns their names (none: nothing written).

    Side effects: audit ``jobhelp.location.updated`` (data: the changed field names); the staff
    version.
    """
    _check_fields(fields, LOCATION_FIELDS - {"uuid"})
    return _update(
        location,
        fields,
        by=by,
        action="jobhelp.location.updated",
        organization=location.organization,
        exclude=["organization"],
    )


def set_opening_hours(location: Location, *, by, hours: Hours) -> bool:
    """Replace the location's weekly opening hours (weekday, opens, closes: wall-clock times in
    its zone). Returns whether they changed; nothing is written when they did not.

    Side effects: audit ``jobhelp.location.hours_set`` (data: `intervals`, how many); the staff
    version.
    """
    wanted = sorted(set(hours))
    for weekday, opens, closes in wanted:
        if not 0 <= weekday <= 6 or not opens < closes:
            raise PlaceError(_("Each opening interval needs a day and must open before it closes."))
    current = sorted(location.hours.values_list("weekday", "opens", "closes"))
    if current == wanted:
        return False
    with transaction.atomic():
        location.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=w, opens=o, closes=c) for w, o, c in wanted
        )
        audit.record(
            "jobhelp.location.hours_set",
            actor=by,
            organization=location.organization,
            obj=location,
            data={"intervals": len(wanted)},
        )
        versions.bump(versions.STAFF)
    return True
