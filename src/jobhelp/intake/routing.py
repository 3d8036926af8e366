"""Who should help with a request: routing rules and ranked suggestions with their reasons.

The pool of helpers of a set of organizations is read once (a fixed number of queries) and each
request is ranked in Python, so a queue page costs the same number of queries for 1 or 25 rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.models import Membership, Qualification, SpokenLanguage
from jobhelp.core.enums import Language, Need
from jobhelp.intake.enums import OPEN_STATES, RuleLocationScope
from jobhelp.intake.models import HelpRequest, RoutingRule

User = get_user_model()


@dataclass
class Helper:
    user: object
    organization_ids: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    home_location_ids: set[int] = field(default_factory=set)
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    open_requests: int = 0


@dataclass
class Suggestion:
    helper: object
    reasons: list[str]
    rule: RoutingRule | None
    matched_needs: list[str]
    speaks_language: bool
    open_requests: int


def _serves(helper: Helper, help_request: HelpRequest) -> bool:
    """Staff of a library system also serve its branches and affiliates."""
    organization = help_request.organization
    return bool(helper.organization_ids & {organization.pk, organization.parent_id} - {None})


def rule_matches(rule: RoutingRule, help_request: HelpRequest, needs: set[str]) -> bool:
    if rule.is_fallback:
        return True
    if rule.needs and not set(rule.needs) & needs:
        return False
    if rule.language and rule.language != help_request.language:
        return False
    if rule.channel and rule.channel != help_request.channel:
        return False
    if rule.location_scope == RuleLocationScope.REMOTE:
        return help_request.preferred_location_id is None
    if rule.location_scope == RuleLocationScope.LOCATION:
        return help_request.preferred_location_id == rule.location_id
    return True


def in_target(rule: RoutingRule, helper: Helper) -> bool:
    if rule.target_helper_id is not None:
        return helper.user.pk == rule.target_helper_id
    if rule.target_role and rule.target_role not in helper.roles:
        return False
    if rule.target_location_id is not None:
        return rule.target_location_id in helper.home_location_ids
    return True


class HelperPool:
    """The helpers and routing rules of some organizations, loaded in five queries."""

    def __init__(self, organization_ids: set[int], *, today: date | None = None):
        self.today = today or timezone.localdate()
        self.helpers: dict[int, Helper] = {}
        memberships = Membership.objects.filter(
            organization_id__in=organization_ids, role__in=HELPING_ROLES, user__is_active=True
        ).select_related("user")
        for membership in memberships:
            helper = self.helpers.setdefault(membership.user_id, Helper(user=membership.user))
            helper.organization_ids.add(membership.organization_id)
            helper.roles.add(membership.role)
            if membership.home_location_id:
                helper.home_location_ids.add(membership.home_location_id)
        ids = list(self.helpers)
        # Someone waiting for a training is not suggested until the day it counts.
        for user_id, need in (
            Qualification.objects.filter(user_id__in=ids)
            .filter(Q(qualified_from__isnull=True) | Q(qualified_from__lte=self.today))
            .values_list("user_id", "need")
        ):
            self.helpers[user_id].needs.add(need)
        for user_id, language in SpokenLanguage.objects.filter(user_id__in=ids).values_list(
            "user_id", "language"
        ):
            self.helpers[user_id].languages.add(language)
        loads = (
            HelpRequest.objects.filter(assigned_to_id__in=ids, state__in=OPEN_STATES)
            .values("assigned_to_id")
            .annotate(n=Count("pk"))
        )
        for row in loads:
            self.helpers[row["assigned_to_id"]].open_requests = row["n"]
        self.rules: dict[int, list[RoutingRule]] = defaultdict(list)
        for rule in RoutingRule.objects.filter(
            organization_id__in=organization_ids, is_active=True
        ).order_by("is_fallback", "position", "pk"):
            self.rules[rule.organization_id].append(rule)

    def matching_rule(self, help_request: HelpRequest) -> RoutingRule | None:
        needs = {n.need for n in help_request.needs.all()}
        organization = help_request.organization
        # A branch's own rules come before its library system's; fallbacks, of either, only
        # when no ordinary rule matches.
        for fallback in (False, True):
            for org_id in (organization.pk, organization.parent_id):
                for rule in self.rules.get(org_id, []):
                    if rule.is_fallback == fallback and rule_matches(rule, help_request, needs):
                        return rule
        return None

    def is_candidate(self, user, help_request: HelpRequest) -> bool:
        """Whether suggest() ranks `user` for the request at all, at whatever place."""
        helper = self.helpers.get(user.pk)
        needs = [n.need for n in help_request.needs.all()]
        return helper is not None and bool(_qualified_serving(helper, needs, help_request))

    def suggest(self, help_request: HelpRequest, *, limit: int = 3) -> list[Suggestion]:
        """Qualified helpers, best first: those the matching rule names, then those who speak
        the patron's language, then those qualified for more of the needs, then the least
        busy."""
        needs = [n.need for n in help_request.needs.all()]
        rule = self.matching_rule(help_request)
        ranked = []
        for helper in self.helpers.values():
            matched = _qualified_serving(helper, needs, help_request)
            if not matched:
                continue
            targeted = rule is not None and in_target(rule, helper)
            speaks = help_request.language in helper.languages
            ranked.append(
                (
                    (
                        not targeted,
                        not speaks,
                        -len(matched),
                        helper.open_requests,
                        str(helper.user),
                    ),
                    helper,
                    matched,
                    speaks,
                    targeted,
                )
            )
        ranked.sort(key=lambda item: item[0])
        suggestions = []
        for _key, helper, matched, speaks, targeted in ranked[:limit]:
            suggestions.append(
                Suggestion(
                    helper=helper.user,
                    reasons=_reasons(
                        help_request,
                        rule if targeted else None,
                        matched,
                        speaks,
                        helper.open_requests,
                    ),
                    rule=rule if targeted else None,
                    matched_needs=matched,
                    speaks_language=speaks,
                    open_requests=helper.open_requests,
                )
            )
        return suggestions


# Whole phrases, so each language can put the language name in its own case and order.
SPEAKS = {
    Language.ENGLISH: gettext_lazy("speaks English"),
    Language.SPANISH: gettext_lazy("speaks Spanish"),
    Language.HAITIAN_CREOLE: gettext_lazy("speaks Haitian Creole"),
    Language.SOMALI: gettext_lazy("speaks Somali"),
    Language.HMONG: gettext_lazy("speaks Hmong"),
    Language.VIETNAMESE: gettext_lazy("speaks Vietnamese"),
    Language.OTHER: gettext_lazy("speaks the patron's language"),
}


def _qualified_serving(helper: Helper, needs: list[str], help_request: HelpRequest) -> list[str]:
    """The request's needs the helper is qualified for; none when they do not serve its
    organization."""
    matched = [n for n in needs if n in helper.needs]
    if not matched or not _serves(helper, help_request):
        return []
    return matched


def _reasons(help_request, rule, matched, speaks, load) -> list[str]:
    reasons = []
    if rule is not None:
        reasons.append(_("routing rule “{name}”").format(name=rule.name))
    if speaks:
        reasons.append(str(SPEAKS.get(help_request.language, SPEAKS[Language.OTHER])))
    labels = ", ".join(str(Need(n).label) for n in matched)
    reasons.append(_("qualified for {needs}").format(needs=labels))
    reasons.append(
        ngettext("%(count)d open request", "%(count)d open requests", load) % {"count": load}
    )
    return reasons


def helping_staff(organization_ids: set[int]) -> list:
    """The people a HelperPool of these organizations would hold, by name, in one query: for
    lists that need the names only."""
    users = User.objects.filter(
        is_active=True,
        memberships__organization_id__in=organization_ids,
        memberships__role__in=HELPING_ROLES,
    ).distinct()
    return sorted(users, key=str)


def pool_for_requests(requests) -> HelperPool:
    organization_ids = set()
    for help_request in requests:
        organization_ids.add(help_request.organization_id)
        if help_request.organization.parent_id:
            organization_ids.add(help_request.organization.parent_id)
    return HelperPool(organization_ids)
