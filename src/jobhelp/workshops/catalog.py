"""Classes themselves: creating and editing a class, and its flyer. One function per change,
each audited; the sessions are in workshops.sessions, registrations in workshops.domain and
attendance in workshops.attendance.

A class keeps its host organization for good (its sessions are at the host's locations); its
co-hosts may change. Changing the number of seats applies to sessions scheduled afterwards:
each session keeps its own seats, changed on the session (sessions.change_session).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.core.enums import Need
from jobhelp.workshops import flyers, rules
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.seats import WorkshopError

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "title_es",
        "description",
        "description_es",
        "audience",
        "language",
        "needs",
        "capacity",
        "delivery",
        "materials",
        "offer_hold_hours",
        "no_show_frees_later_seats",
        "co_hosts",
    }
)


def _check(organization, fields: dict[str, Any]) -> list:
    """Refuse unknown fields (a programming error) and values the database or the model
    would refuse, with a message. Returns the co-hosts as a list."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not fields of a class: {sorted(unknown)}")
    if "title" in fields and not str(fields["title"]).strip():
        raise WorkshopError(_("Enter a title."))
    if "capacity" in fields and not 1 <= int(fields["capacity"]) <= 32767:
        raise WorkshopError(_("A class needs at least one seat."))
    if "offer_hold_hours" in fields and not 1 <= int(fields["offer_hold_hours"]) <= 32767:
        raise WorkshopError(_("An offer must hold the seat for at least one hour."))
    if "needs" in fields and not set(fields["needs"]) <= set(Need.values):
        raise WorkshopError(_("Choose needs from the list."))
    co_hosts = list(fields.get("co_hosts") or [])
    if any(o.pk == organization.pk for o in co_hosts):
        raise WorkshopError(_("The host organization cannot also be a co-host."))
    return co_hosts


def _full_clean(workshop: Workshop) -> None:
    try:
        workshop.full_clean(exclude=["organization", "flyer"], validate_constraints=False)
    except ValidationError as error:
        raise WorkshopError(" ".join(error.messages)) from None


def create_workshop(organization, *, by, **fields) -> Workshop:
    """Create a class hosted by `organization`, with `fields` (see EDITABLE_FIELDS).

    Side effects: audit ``jobhelp.workshop.created``.
    """
    if not rules.can_create_for(by, organization):
        raise WorkshopError(_("You can only create classes for your own organizations."))
    co_hosts = _check(organization, fields)
    values = {k: v for k, v in fields.items() if k != "co_hosts"}
    workshop = Workshop(organization=organization, **values)
    _full_clean(workshop)
    with transaction.atomic():
        workshop.save()
        workshop.co_hosts.set(co_hosts)
        audit.record(
            "jobhelp.workshop.created",
            actor=by,
            organization=organization,
            obj=workshop,
            data={
                "delivery": workshop.delivery,
                "capacity": workshop.capacity,
                "co_hosts": sorted(o.pk for o in co_hosts),
            },
        )
    return workshop


def update_workshop(workshop: Workshop, *, by, **fields) -> Workshop:
    """Change a class's details and co-hosts. Only fields whose value differs are written;
    nothing at all is written (and nothing audited) when none does.

    Side effects: audit ``jobhelp.workshop.updated`` with the names of the changed fields.
    """
    if not rules.can_manage(by, workshop):
        raise WorkshopError(_("Only staff of the host organization can change its classes."))
    co_hosts = _check(workshop.organization, fields)
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        changed = sorted(
            name
            for name, value in fields.items()
            if name != "co_hosts" and getattr(current, name) != value
        )
        for name in changed:
            setattr(current, name, fields[name])
        if "co_hosts" in fields:
            before = set(current.co_hosts.values_list("pk", flat=True))
            if before != {o.pk for o in co_hosts}:
                changed.append("co_hosts")
        if not changed:
            return current
        _full_clean(current)
        columns = [n for n in changed if n != "co_hosts"]
        if columns:
            current.save(update_fields=columns)
        if "co_hosts" in changed:
            current.co_hosts.set(co_hosts)
        audit.record(
            "jobhelp.workshop.updated",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"fields": sorted(changed)},
        )
    return current


def set_flyer(workshop: Workshop, *, by, upload) -> Workshop:
    """Store `upload` as the class's flyer, under a random name, after checking its kind and
    size (workshops.flyers). A flyer it replaces is deleted once the change is committed.

    Side effects: a file written under MEDIA_ROOT; audit ``jobhelp.workshop.flyer_set``
    (data: the kind and the size in bytes).
    """
    if not rules.can_manage(by, workshop):
        raise WorkshopError(_("Only staff of the host organization can change its classes."))
    try:
        kind = flyers.validate_flyer(upload)
    except ValidationError as error:
        raise WorkshopError(" ".join(error.messages)) from None
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        old = current.flyer.name
        storage = current.flyer.storage
        current.flyer.save(flyers.stored_name(kind), upload, save=False)
        new = current.flyer.name
        try:
            Workshop.objects.filter(pk=current.pk).update(flyer=new)
            audit.record(
                "jobhelp.workshop.flyer_set",
                actor=by,
                organization=current.organization,
                obj=current,
                data={"kind": kind.extension, "bytes": upload.size},
            )
        except Exception:
            storage.delete(new)
            raise
        if old:
            transaction.on_commit(lambda: storage.delete(old))
    workshop.flyer = current.flyer
    return current
