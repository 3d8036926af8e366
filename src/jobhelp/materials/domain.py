"""Materials: sending a flyer or marketing material to locations, changing, retargeting and
withdrawing it, each location's confirmations, and sharing with a partner. One function per
change, each checking materials.rules itself, writing one audit entry (codes and ids only) in
its transaction; the reference titles are in materials.titles, the reminders in
materials.reminders.

Refused changes and bad input raise MaterialError with a message for the person acting.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.core.enums import Language
from jobhelp.materials import files, rules
from jobhelp.materials.enums import STEPS, MaterialKind, Step
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.models import Material, MaterialTarget, Sharing
from jobhelp.materials.queries import audience_of, sending_roots, target_groups
from jobhelp.materials.tasks import make_material_thumbnail
from jobhelp.materials.validators import check_plain_text, month_end, month_start
from jobhelp.organizations.models import Location, Organization


@dataclass(frozen=True)
class MaterialDetails:
    """What describes a material. A monthly flyer gives `month` (any day of it); a marketing
    material gives `valid_from` and, if it has an end, `valid_until`."""

    kind: str
    title: str
    language: str = Language.ENGLISH
    description: str = ""
    month: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class _Checked:
    kind: str
    title: str
    description: str
    language: str
    valid_from: date
    valid_until: date | None


def _text(value: str, *, max_length: int, label: str, field: str, required: bool) -> str:
    try:
        value = check_plain_text(value, max_length=max_length, label=label, spreadsheet_safe=False)
    except ValidationError as error:
        raise MaterialError(error.messages[0], field=field) from None
    if required and not value:
        raise MaterialError(_("Enter a title."), field=field)
    return value


def _check(details: MaterialDetails) -> _Checked:
    if details.kind not in MaterialKind.values:
        raise MaterialError(_("Choose what kind of material this is."), field="kind")
    if details.language not in Language.values:
        raise MaterialError(_("Choose the language of the material."), field="language")
    title = _text(details.title, max_length=200, label=_("The title"), field="title", required=True)
    description = (details.description or "").strip()
    if len(description) > 500:
        raise MaterialError(
            _("The description may have at most 500 characters."), field="description"
        )
    if details.kind == MaterialKind.MONTHLY_FLYER:
        if details.month is None:
            raise MaterialError(_("Choose the month the flyer is for."), field="month")
        valid_from, valid_until = month_start(details.month), month_end(details.month)
    else:
        if details.valid_from is None:
            raise MaterialError(_("Enter the first day it is valid."), field="valid_from")
        valid_from, valid_until = details.valid_from, details.valid_until
        if valid_until is not None and valid_until < valid_from:
            raise MaterialError(
                _("The last day cannot be before the first day."), field="valid_until"
            )
    return _Checked(
        kind=details.kind,
        title=title,
        description=description,
        language=details.language,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _check_targets(organization: Organization, targets: Iterable[Location]) -> list[Location]:
    """The targets, once each, if `organization` may send to every one of them."""
    locations = list({location.pk: location for location in targets}.values())
    if not locations:
        raise MaterialError(_("Choose at least one location to send it to."), field="targets")
    roots = sending_roots(organization)
    for location in locations:
        if not rules.may_send_to(location, roots=roots):
            raise MaterialError(
                _(
                    "%(location)s cannot receive materials from %(organization)s: it is "
                    "closed, or its organization does not share with yours."
                )
                % {"location": location.name, "organization": organization.name},
                field="targets",
            )
    return sorted(locations, key=lambda location: location.pk)


def upload_material(
    organization: Organization,
    *,
    by,
    upload,
    details: MaterialDetails,
    targets: Iterable[Location],
    now: datetime | None = None,
) -> Material:
    """Send a material from `organization` to `targets` (locations of its own tree or of
    organizations that share with it). The file is checked by content (materials.files):
    nothing is stored when it is refused.

    Side effects: the file written to storage under a random name; the material and one
    target row per location; audit ``jobhelp.material.uploaded`` (data: kind, language, file
    kind, bytes, pages, the number of targets, the audience); once committed, the task that
    draws the first page (materials.tasks.make_material_thumbnail) is enqueued.
    """
    if not rules.can_send_for(by, organization):
        raise MaterialError(_("You can only send materials for your own organizations."))
    checked = _check(details)
    locations = _check_targets(organization, targets)
    try:
        accepted = files.check_upload(upload)
    except ValidationError as error:
        raise MaterialError(" ".join(error.messages), field="file") from None
    # A clock passed in (tests, the demo) dates the material too; otherwise the database's.
    dated = {"created_at": now} if now is not None else {}
    now = now or timezone.now()
    audience = audience_of(locations, target_groups(organization))
    storage = Material._meta.get_field("file").storage
    name = storage.save(
        files.stored_name(accepted.kind, year=now.year), ContentFile(accepted.content)
    )
    try:
        with transaction.atomic():
            material = Material.objects.create(
                organization=organization,
                kind=checked.kind,
                title=checked.title,
                description=checked.description,
                language=checked.language,
                valid_from=checked.valid_from,
                valid_until=checked.valid_until,
                audience=audience,
                file=name,
                file_kind=accepted.kind,
                file_size=len(accepted.content),
                pages=accepted.pages,
                uploaded_by=by,
                **dated,
            )
            MaterialTarget.objects.bulk_create(
                MaterialTarget(material=material, location=location) for location in locations
            )
            audit.record(
                "jobhelp.material.uploaded",
                actor=by,
                organization=organization,
                obj=material,
                data={
                    "kind": checked.kind,
                    "language": checked.language,
                    "file": accepted.kind.value,
                    "bytes": len(accepted.content),
                    "pages": accepted.pages,
                    "targets": len(locations),
                    "audience": audience,
                },
            )
            transaction.on_commit(lambda: make_material_thumbnail.enqueue(material.pk))
    except Exception:
        storage.delete(name)
        raise
    material.is_sender = True
    return material


def _locked(material: Material) -> Material:
    current = (
        Material.objects.select_for_update()
        .select_related("organization")
        .filter(pk=material.pk, withdrawn_at__isnull=True)
        .first()
    )
    if current is None:
        raise MaterialError(_("This material was withdrawn."))
    return current


def update_material(material: Material, *, by, details: MaterialDetails) -> Material:
    """Change a material's title, description, language or dates (its kind stays). Nothing
    is written, or audited, when nothing changes.

    Side effects: audit ``jobhelp.material.updated`` (data: the names of the changed fields).
    """
    if not rules.can_manage_material(by, material):
        raise MaterialError(_("Only staff of the organization that sent it can change it."))
    checked = _check(details)
    if checked.kind != material.kind:
        raise MaterialError(
            _("A material's kind cannot change; send a new one instead."), field="kind"
        )
    with transaction.atomic():
        current = _locked(material)
        changed = sorted(
            name
            for name in ("title", "description", "language", "valid_from", "valid_until")
            if getattr(current, name) != getattr(checked, name)
        )
        if not changed:
            return current
        for name in changed:
            setattr(current, name, getattr(checked, name))
        current.save(update_fields=changed)
        audit.record(
            "jobhelp.material.updated",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"fields": changed},
        )
    return current


def set_targets(material: Material, *, by, targets: Iterable[Location]) -> Material:
    """Send the material to exactly `targets`: new locations are added, others removed. A
    location that has confirmed anything stays (its confirmations are evidence).

    Side effects: target rows added and deleted; the audience worked out again; audit
    ``jobhelp.material.retargeted`` (data: the location ids added and removed); nothing when
    nothing changes.
    """
    if not rules.can_manage_material(by, material):
        raise MaterialError(_("Only staff of the organization that sent it can change it."))
    locations = _check_targets(material.organization, targets)
    wanted = {location.pk for location in locations}
    with transaction.atomic():
        current = _locked(material)
        existing = {t.location_id: t for t in current.targets.select_related("location")}
        removed = sorted(set(existing) - wanted)
        confirmed = [existing[pk] for pk in removed if existing[pk].step is not None]
        if confirmed:
            raise MaterialError(
                _("%(location)s has already confirmed this material, so it stays on the list.")
                % {"location": confirmed[0].location.name},
                field="targets",
            )
        added = sorted(wanted - set(existing))
        if not added and not removed:
            return current
        MaterialTarget.objects.filter(material=current, location_id__in=removed).delete()
        MaterialTarget.objects.bulk_create(
            MaterialTarget(material=current, location_id=pk) for pk in added
        )
        current.audience = audience_of(locations, target_groups(current.organization))
        current.save(update_fields=["audience"])
        audit.record(
            "jobhelp.material.retargeted",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"added": added, "removed": removed},
        )
    return current


def withdraw_material(material: Material, *, by, now: datetime | None = None) -> bool:
    """Take a material out of every list now, before its last day; its file stays available
    to no one, its confirmations stay as evidence. Returns False if it was already withdrawn.

    Side effects: audit ``jobhelp.material.withdrawn``.
    """
    if not rules.can_manage_material(by, material):
        raise MaterialError(_("Only staff of the organization that sent it can withdraw it."))
    with transaction.atomic():
        updated = Material.objects.filter(pk=material.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now or timezone.now()
        )
        if updated:
            audit.record(
                "jobhelp.material.withdrawn",
                actor=by,
                organization=material.organization,
                obj=material,
            )
    return bool(updated)


def _target(material: Material, location: Location) -> MaterialTarget:
    target = (
        MaterialTarget.objects.select_for_update()
        .select_related("material__organization", "location__organization")
        .filter(material_id=material.pk, location_id=location.pk)
        .first()
    )
    if target is None or target.material.withdrawn_at is not None:
        raise MaterialError(
            _("This material was not sent to %(location)s.") % {"location": location.name}
        )
    return target


def _copies(value, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise MaterialError(_("Enter how many copies were put out."), field="copies")
        return None
    try:
        copies = int(value)
    except (TypeError, ValueError):
        copies = 0
    if not 1 <= copies <= 100_000:
        raise MaterialError(_("Enter a number of copies from 1 to 100,000."), field="copies")
    return copies


def confirm(
    material: Material,
    *,
    location: Location,
    step: str,
    by,
    copies: int | None = None,
    now: datetime | None = None,
) -> MaterialTarget:
    """`location` confirms a step for `material`: downloaded, printed (copies optional) or
    posted (with the number of copies put out). A step implies those before it: posting a
    flyer not yet marked downloaded or printed marks those too, at the same moment. Confirming
    a step again corrects its number of copies; the same answer twice changes nothing. Only
    staff who act for the location's organization confirm for it.

    Side effects: the target row updated; audit ``jobhelp.material.confirmed`` (data: location
    id, step, copies).
    """
    if step not in Step.values:
        raise MaterialError(_("Choose what was done: downloaded, printed or posted."))
    if not rules.can_confirm(by, location):
        raise MaterialError(
            _("Only staff of %(location)s can confirm for it.") % {"location": location.name}
        )
    copies = _copies(copies, required=step == Step.POSTED)
    if step == Step.DOWNLOADED:
        copies = None
    now = now or timezone.now()
    with transaction.atomic():
        target = _target(material, location)
        changed: list[str] = []
        for earlier in STEPS[: STEPS.index(Step(step)) + 1]:
            if getattr(target, f"{earlier}_at") is None:
                setattr(target, f"{earlier}_at", now)
                setattr(target, f"{earlier}_by", by)
                changed += [f"{earlier}_at", f"{earlier}_by"]
        if step != Step.DOWNLOADED and copies is not None:
            field = f"{step}_copies"
            if getattr(target, field) != copies:
                setattr(target, field, copies)
                changed.append(field)
        if not changed:
            return target
        target.save(update_fields=changed)
        audit.record(
            "jobhelp.material.confirmed",
            actor=by,
            organization=location.organization,
            obj=target.material,
            data={"location": location.pk, "step": step, "copies": copies},
        )
    return target


def undo_confirmation(material: Material, *, location: Location, step: str, by) -> MaterialTarget:
    """Take back a step confirmed by mistake, and the steps after it (a flyer no longer
    printed is no longer posted). Nothing changes when the step was not confirmed.

    Side effects: the target row updated; audit ``jobhelp.material.confirmation_undone``
    (data: location id, step).
    """
    if step not in Step.values:
        raise MaterialError(_("Choose what was done: downloaded, printed or posted."))
    if not rules.can_confirm(by, location):
        raise MaterialError(
            _("Only staff of %(location)s can confirm for it.") % {"location": location.name}
        )
    with transaction.atomic():
        target = _target(material, location)
        if getattr(target, f"{step}_at") is None:
            return target
        changed: list[str] = []
        for later in STEPS[STEPS.index(Step(step)) :]:
            for suffix in ("at", "by", "copies"):
                field = f"{later}_{suffix}"
                if hasattr(target, field) and getattr(target, field) is not None:
                    setattr(target, field, None)
                    changed.append(field)
        target.save(update_fields=changed)
        audit.record(
            "jobhelp.material.confirmation_undone",
            actor=by,
            organization=location.organization,
            obj=target.material,
            data={"location": location.pk, "step": step},
        )
    return target


# --- Sharing ----------------------------------------------------------------------------------


def _top_level(organization: Organization) -> None:
    if organization.parent_id is not None:
        raise MaterialError(
            _("Sharing is set up by a library system or a workforce center, for all its locations.")
        )


def start_sharing(organization: Organization, *, partner: Organization, by) -> Sharing:
    """`organization` shares with `partner`: the partner's staff read its reference titles,
    and the partner may send materials to its locations and keep titles on a partner shelf
    there. Managers of `organization` decide; sharing back is the partner's own decision.
    Sharing that exists already is returned unchanged.

    Side effects: a Sharing row; audit ``jobhelp.sharing.started`` (data: partner id).
    """
    if not rules.can_manage_sharing(by, organization):
        raise MaterialError(
            _("Only a manager of %(organization)s can decide what it shares.")
            % {"organization": organization.name}
        )
    _top_level(organization)
    _top_level(partner)
    if partner.pk == organization.pk:
        raise MaterialError(_("Choose another organization to share with."))
    with transaction.atomic():
        existing = Sharing.objects.filter(organization=organization, partner=partner).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                sharing = Sharing.objects.create(
                    organization=organization, partner=partner, created_by=by
                )
        except IntegrityError:
            return Sharing.objects.get(organization=organization, partner=partner)
        audit.record(
            "jobhelp.sharing.started",
            actor=by,
            organization=organization,
            obj=sharing,
            data={"partner": partner.pk},
        )
    return sharing


def stop_sharing(organization: Organization, *, partner: Organization, by) -> bool:
    """Stop sharing with `partner`: its staff no longer read `organization`'s titles, nor send
    it new materials. Materials already sent stay, with their confirmations. Returns False
    when there was nothing to stop.

    Side effects: the Sharing row deleted; audit ``jobhelp.sharing.stopped`` (data: partner
    id).
    """
    if not rules.can_manage_sharing(by, organization):
        raise MaterialError(
            _("Only a manager of %(organization)s can decide what it shares.")
            % {"organization": organization.name}
        )
    with transaction.atomic():
        sharing = Sharing.objects.filter(Q(organization=organization) & Q(partner=partner)).first()
        if sharing is None:
            return False
        audit.record(
            "jobhelp.sharing.stopped",
            actor=by,
            organization=organization,
            obj=sharing,
            data={"partner": partner.pk},
        )
        sharing.delete()
    return True
