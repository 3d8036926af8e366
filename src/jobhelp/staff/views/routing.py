"""Routing rules in the staff area, for managers of an organization. Someone who manages no
organization gets a 403; a rule of an organization they do not manage is a 404."""

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.accounts.enums import MANAGING_ROLES, Role
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.enums import Language, Need
from jobhelp.core.i18n import localized
from jobhelp.intake.enums import IntakeChannel, RuleLocationScope
from jobhelp.intake.models import RoutingRule
from jobhelp.intake.routing_rules import (
    create_rule,
    delete_rule,
    move_rule,
    rules_for_user,
    update_rule,
)
from jobhelp.organizations.models import Organization
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.routing import MoveRuleForm, RoutingRuleForm


def _label(choices, value: str) -> str:
    # A code no longer among the choices is shown as stored rather than breaking the page.
    return str(dict(choices).get(value, value))


def describe_conditions(rule: RoutingRule) -> list[str]:
    """The rule's conditions in words, one per item; all of them must hold."""
    if rule.is_fallback:
        return [_("Any request that no other rule matches")]
    parts = []
    if rule.needs:
        needs = [_label(Need.choices, n) for n in rule.needs]
        parts.append(_("Needs: %(needs)s") % {"needs": _(" or ").join(needs)})
    if rule.language:
        parts.append(
            _("Language: %(language)s") % {"language": _label(Language.choices, rule.language)}
        )
    if rule.location_scope == RuleLocationScope.REMOTE:
        parts.append(_("Where: remote, no library chosen"))
    elif rule.location_scope == RuleLocationScope.LOCATION:
        parts.append(_("Library: %(library)s") % {"library": rule.location})
    if rule.channel:
        parts.append(
            _("Received by: %(channel)s") % {"channel": _label(IntakeChannel.choices, rule.channel)}
        )
    return parts or [_("Any request")]


def describe_target(rule: RoutingRule) -> str:
    if rule.target_helper_id is not None:
        return str(rule.target_helper)
    role = _label(Role.choices, rule.target_role) if rule.target_role else ""
    if role and rule.target_location_id is not None:
        return _("%(role)s at %(library)s") % {"role": role, "library": rule.target_location}
    if role:
        return _("Anyone with the role %(role)s") % {"role": role}
    return _("The team at %(library)s") % {"library": rule.target_location}


@dataclass
class Row:
    rule: RoutingRule
    conditions: list[str]
    target: str
    first: bool
    last: bool


@dataclass
class Section:
    organization: Organization
    rows: list[Row] = field(default_factory=list)


def _managed(user) -> QuerySet[Organization]:
    return organizations_for(user, roles=MANAGING_ROLES).order_by("name", "pk")


def _rule_or_404(user, pk: int) -> RoutingRule:
    """403 for someone who manages nothing, as on the list; 404 for a rule they may not see."""
    if not _managed(user).exists():
        raise PermissionDenied
    return get_object_or_404(rules_for_user(user), pk=pk)


@staff_member_required
def routing_list(request: HttpRequest) -> HttpResponse:
    sections = {o.pk: Section(organization=o) for o in _managed(request.user)}
    if not sections:
        raise PermissionDenied
    # Moving is within a group (an organization's ordinary rules, or its fallbacks), so the
    # buttons that would leave the group are not shown.
    groups = groupby(rules_for_user(request.user), key=lambda r: (r.organization_id, r.is_fallback))
    for (organization_id, _fallback), group in groups:
        group = list(group)
        for index, rule in enumerate(group):
            sections[organization_id].rows.append(
                Row(
                    rule=rule,
                    conditions=describe_conditions(rule),
                    target=describe_target(rule),
                    first=index == 0,
                    last=index == len(group) - 1,
                )
            )
    return render(request, "staff/routing/list.html", {"sections": list(sections.values())})


@staff_member_required
@require_http_methods(["GET", "POST"])
def routing_new(request: HttpRequest) -> HttpResponse:
    organizations = _managed(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = RoutingRuleForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            rule = create_rule(
                organization=form.rule_organization, by=request.user, **form.rule_fields()
            )
        except ValidationError as error:
            # Someone changed a person or library between the check and the save.
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Rule “%(name)s” added.") % {"name": localized(rule, "name")}
            )
            return redirect("staff:routing:list")
    return render(request, "staff/routing/form.html", {"form": form, "rule": None})


@staff_member_required
@require_http_methods(["GET", "POST"])
def routing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule_or_404(request.user, pk)
    form = RoutingRuleForm(request.POST or None, organizations=_managed(request.user), rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            rule = update_rule(rule, by=request.user, **form.rule_fields())
        except RoutingRule.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Rule “%(name)s” saved.") % {"name": localized(rule, "name")}
            )
            return redirect("staff:routing:list")
    return render(request, "staff/routing/form.html", {"form": form, "rule": rule})


@staff_member_required
@require_http_methods(["GET", "POST"])
def routing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule_or_404(request.user, pk)
    if request.method == "POST":
        delete_rule(rule, by=request.user)
        messages.success(request, _("Rule “%(name)s” deleted.") % {"name": localized(rule, "name")})
        return redirect("staff:routing:list")
    return render(
        request,
        "staff/routing/delete.html",
        {"rule": rule, "conditions": describe_conditions(rule), "target": describe_target(rule)},
    )


@staff_member_required
@require_POST
def routing_move(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule_or_404(request.user, pk)
    form = MoveRuleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("direction must be up or down")
    direction = form.cleaned_data["direction"]
    try:
        moved = move_rule(rule, by=request.user, direction=direction)
    except RoutingRule.DoesNotExist:
        raise Http404 from None
    name = {"name": localized(rule, "name")}
    if not moved:
        text = (
            _("“%(name)s” is already first.")
            if direction == "up"
            else _("“%(name)s” is already last.")
        )
        messages.info(request, text % name)
    elif direction == "up":
        messages.success(request, _("Rule “%(name)s” moved up.") % name)
    else:
        messages.success(request, _("Rule “%(name)s” moved down.") % name)
    return redirect("staff:routing:list")
