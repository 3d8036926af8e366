"""Routing rules as managers edit them: create, change, delete and reorder, and the list a
manager may see. How rules pick helpers for a request is in intake.routing.

Positions are kept as 0..n-1 within each group of an organization's rules: the ordinary rules,
then the fallbacks, which are always tried last whatever their number. Every change takes a row
lock on the organization first, so two managers reordering at once queue instead of producing
two rules with the same position.
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core import audit, versions
from jobhelp.intake.enums import RuleLocationScope
from jobhelp.intake.models import RoutingRule
from jobhelp.intake.rules import can_manage_rules
from jobhelp.organizations.models import Organization

# What a caller may set; position and organization are looked after here.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "name_es",
        "is_active",
        "is_fallback",
        "needs",
        "language",
        "location_scope",
        "location",
        "channel",
        "target_helper",
        "target_role",
        "target_location",
        "auto_assign",
    }
)

NO_TARGET = _("Choose a person, a role or a library team to send requests to.")
PERSON_AND_TEAM = _(
    "A rule that names a person sends requests to that person only. Choose a person, "
    "or a role and library team, not both."
)
NO_LOCATION = _("Choose the library this rule is for, or choose another option under “Where”.")
LOCATION_ELSEWHERE = _("That library does not belong to the organization you chose.")
HELPER_ELSEWHERE = _("That person does not work for the organization you chose.")


def rules_for_user(user) -> QuerySet[RoutingRule]:
    """The rules of every organization the user manages (and of their branches), grouped by
    organization and in the order they are tried."""
    managed = organizations_for(user, roles=MANAGING_ROLES)
    return (
        RoutingRule.objects.filter(organization__in=managed)
        .select_related("organization", "location", "target_helper", "target_location")
        .order_by("organization__name", "organization_id", "is_fallback", "position", "pk")
    )


def _family(organization: Organization) -> set[int]:
    """The organization, the library system above it and the branches below it."""
    ids = {organization.pk, *organization.children.values_list("pk", flat=True)}
    if organization.parent_id:
        ids.add(organization.parent_id)
    return ids


def validate_rule(organization: Organization, fields: dict[str, Any]) -> None:
    """Raise ValidationError, keyed by field, when the rule could not route anything sensibly.

    A rule's library must be one of the organization's own (or a branch's): requests for other
    libraries belong to other organizations and never reach this rule. The people and teams it
    targets may also be those of the library system above, who serve its branches.
    """
    errors: dict[str, Any] = {}
    helper = fields.get("target_helper")
    role = fields.get("target_role")
    team = fields.get("target_location")
    if helper is None and not role and team is None:
        errors["target_helper"] = NO_TARGET
    elif helper is not None and (role or team is not None):
        errors["target_helper"] = PERSON_AND_TEAM
    family = _family(organization)
    own = family - ({organization.parent_id} if organization.parent_id else set())
    location = fields.get("location")
    if fields.get("location_scope") == RuleLocationScope.LOCATION:
        if location is None:
            errors["location"] = NO_LOCATION
        elif location.organization_id not in own:
            errors["location"] = LOCATION_ELSEWHERE
    if team is not None and team.organization_id not in family:
        errors["target_location"] = LOCATION_ELSEWHERE
    if (
        helper is not None
        and not Membership.objects.filter(user=helper, organization_id__in=family).exists()
    ):
        errors.setdefault("target_helper", HELPER_ELSEWHERE)
    if errors:
        raise ValidationError(errors)


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"routing rules have no editable field {sorted(unknown)}")
    fields = dict(fields)
    # A library chosen and then "Any library" picked instead must not linger unseen.
    if "location_scope" in fields and fields["location_scope"] != RuleLocationScope.LOCATION:
        fields["location"] = None
    if "needs" in fields:
        fields["needs"] = sorted(set(fields["needs"]))
    return fields


def _check_may_manage(by, organization: Organization) -> None:
    if not can_manage_rules(by, organization):
        raise PermissionDenied


def _lock(*organizations: Organization) -> None:
    # In primary-key order, so two changes that touch the same two organizations cannot
    # deadlock.
    ids = sorted({o.pk for o in organizations})
    list(Organization.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _renumber(organization_id: int) -> None:
    changed = []
    for is_fallback in (False, True):
        group = RoutingRule.objects.filter(
            organization_id=organization_id, is_fallback=is_fallback
        ).order_by("position", "pk")
        for position, rule in enumerate(group):
            if rule.position != position:
                rule.position = position
                changed.append(rule)
    RoutingRule.objects.bulk_update(changed, ["position"])


def _last_position(organization: Organization, *, is_fallback: bool) -> int:
    """A position after every rule of the group; renumbering closes the gap."""
    return RoutingRule.objects.filter(organization=organization, is_fallback=is_fallback).count()


def create_rule(*, organization: Organization, by, **fields: Any) -> RoutingRule:
    """Add a rule at the end of its group: after the ordinary rules, or after the other
    fallbacks.

    Raises PermissionDenied unless `by` manages the organization's rules, ValidationError for a
    rule without a target or with another organization's library or person.
    Side effects: audit entry ``jobhelp.routing_rule.created``; positions renumbered.
    """
    _check_may_manage(by, organization)
    fields = _cleaned(fields)
    validate_rule(organization, fields)
    with transaction.atomic():
        _lock(organization)
        rule = RoutingRule(organization=organization, **fields)
        rule.position = _last_position(organization, is_fallback=rule.is_fallback)
        rule.save()
        _renumber(organization.pk)
        audit.record(
            "jobhelp.routing_rule.created",
            actor=by,
            organization=organization,
            obj=rule,
            data={"rule": rule.pk},
        )
        # Suggestions, and so free appointment times, follow the rules.
        versions.bump(versions.REQUESTS, organization.root_id)
    rule.refresh_from_db(fields=["position"])
    return rule


def update_rule(rule: RoutingRule, *, by, **fields: Any) -> RoutingRule:
    """Change a rule's conditions, target or flags. A rule that becomes (or stops being) a
    fallback moves to the end of its new group; otherwise it keeps its place.

    Raises PermissionDenied unless `by` manages the rule's organization, ValidationError as
    create_rule does, RoutingRule.DoesNotExist when the rule was deleted meanwhile.
    Side effects: audit entry ``jobhelp.routing_rule.updated`` with the names of the changed
    fields (none when nothing changed, and then no entry); positions renumbered.
    """
    _check_may_manage(by, rule.organization)
    fields = _cleaned(fields)
    with transaction.atomic():
        _lock(rule.organization)
        current = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        changed = sorted(name for name, value in fields.items() if _value(current, name) != value)
        for name, value in fields.items():
            setattr(current, name, value)
        validate_rule(rule.organization, {f: getattr(current, f) for f in EDITABLE_FIELDS})
        if not changed:
            return current
        if "is_fallback" in changed:
            current.position = _last_position(rule.organization, is_fallback=current.is_fallback)
        current.save()
        _renumber(rule.organization_id)
        audit.record(
            "jobhelp.routing_rule.updated",
            actor=by,
            organization=rule.organization,
            obj=current,
            data={"rule": current.pk, "fields": changed},
        )
        # Suggestions, and so free appointment times, follow the rules.
        versions.bump(versions.REQUESTS, rule.organization.root_id)
    current.refresh_from_db(fields=["position"])
    return current


def _value(rule: RoutingRule, name: str) -> Any:
    value = getattr(rule, name)
    return sorted(value) if name == "needs" else value


def delete_rule(rule: RoutingRule, *, by) -> None:
    """Delete a rule; the rules after it move up one place.

    Raises PermissionDenied unless `by` manages the rule's organization. Deleting a rule that is
    already gone does nothing.
    Side effects: audit entry ``jobhelp.routing_rule.deleted``; positions renumbered.
    """
    _check_may_manage(by, rule.organization)
    with transaction.atomic():
        _lock(rule.organization)
        deleted, _by_model = RoutingRule.objects.filter(pk=rule.pk).delete()
        if not deleted:
            return
        _renumber(rule.organization_id)
        audit.record(
            "jobhelp.routing_rule.deleted",
            actor=by,
            organization=rule.organization,
            obj=rule,
            data={"rule": rule.pk},
        )
        # Suggestions, and so free appointment times, follow the rules.
        versions.bump(versions.REQUESTS, rule.organization.root_id)


def move_rule(rule: RoutingRule, *, by, direction: Literal["up", "down"]) -> bool:
    """Swap a rule with its neighbour above or below, within its group (ordinary rules or
    fallbacks). Returns False, changing nothing, when it is already first or last.

    Raises PermissionDenied unless `by` manages the rule's organization, ValueError for another
    direction, RoutingRule.DoesNotExist when the rule was deleted meanwhile.
    Side effects: audit entry ``jobhelp.routing_rule.moved`` (with the direction and the new
    position); positions renumbered.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    _check_may_manage(by, rule.organization)
    with transaction.atomic():
        _lock(rule.organization)
        _renumber(rule.organization_id)
        current = RoutingRule.objects.get(pk=rule.pk)
        group = list(
            RoutingRule.objects.filter(
                organization_id=rule.organization_id, is_fallback=current.is_fallback
            ).order_by("position", "pk")
        )
        index = next(i for i, r in enumerate(group) if r.pk == current.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(group):
            return False
        group[index].position, group[other].position = other, index
        RoutingRule.objects.bulk_update([group[index], group[other]], ["position"])
        audit.record(
            "jobhelp.routing_rule.moved",
            actor=by,
            organization=rule.organization,
            obj=current,
            data={"rule": current.pk, "direction": direction, "position": other},
        )
        # Suggestions, and so free appointment times, follow the rules.
        versions.bump(versions.REQUESTS, rule.organization.root_id)
    rule.position = other
    return True
