"""Who should help with a request: routing rules and ranked suggestions with their reasons.

The pool of helpers of a set of organizations is read once (two queries) and each request is
ranked in Python, so a queue page costs the same number of queries for 1 or 25 rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.models import Membership, Qualification, SpokenLanguage
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.core.enums import Language, Need
from jobhelp.core.i18n import localized
from jobhelp.core.prepared import Prepared
from jobhelp.intake.enums import OPEN_STATES, RuleLocationScope
from jobhelp.intake.models import HelpRequest, RoutingRule


@dataclass
class Helper:
    user: object
    organization_ids: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    home_location_ids: set[int] = field(default_factory=set)
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    open_requests: int = 0
    # need -> (training title, its Spanish title, the day completed), for needs a training
    # earned (crosstraining keeps accounts.Qualification up to date).
    trainings: dict[str, tuple[str, str, date]] = field(default_factory=dict)


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
    return bool(helper.organization_ids & set(above_and_self(help_request.organization)))


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


def _codes(queryset, name: str) -> Subquery:
    """A person's codes (needs, languages) in one comma-separated string; codes hold no
    commas."""
    return Subquery(
        queryset.filter(user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(codes=StringAgg(name, delimiter=Value(",")))
        .values("codes")
    )


# Separators of the trainings' summary: control characters no title contains.
_FIELD, _ROW = "\x1f", "\x1e"


def _trainings(valid: Q) -> Subquery:
    """The valid qualifications a training earned, one string per person: need, title, Spanish
    title and the day, so the suggestions can say "completed <training> on <day>"."""
    return Subquery(
        Qualification.objects.filter(valid, user_id=OuterRef("user_id"))
        .exclude(earned_through="")
        .order_by()
        .values("user_id")
        .annotate(
            codes=StringAgg(
                Concat(
                    "need",
                    Value(_FIELD),
                    "earned_through",
                    Value(_FIELD),
                    "earned_through_es",
                    Value(_FIELD),
                    Cast("qualified_from", CharField()),
                    output_field=CharField(),
                ),
                delimiter=Value(_ROW),
            )
        )
        .values("codes")
    )


def _parse_trainings(value: str | None) -> dict[str, tuple[str, str, date]]:
    found = {}
    for row in filter(None, (value or "").split(_ROW)):
        need, title, title_es, day = row.split(_FIELD)
        found[need] = (title, title_es, date.fromisoformat(day[:10]))
    return found


def _open_requests() -> Coalesce:
    """How many open requests the person has. COUNT(*) rather than a column, so that
    PostgreSQL counts from the partial index of open requests without reading the table."""
    return Coalesce(
        Subquery(
            HelpRequest.objects.filter(assigned_to_id=OuterRef("user_id"), state__in=OPEN_STATES)
            .order_by()
            .values("assigned_to_id")
            .annotate(n=Count("*"))
            .values("n")
        ),
        0,
    )


User = get_user_model()
# The people's own columns, read with their memberships.
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _memberships(organization_ids: list[int], today: date):
    """One row per helping membership of active people in these organizations, with the
    person's qualifications valid on `today` (someone waiting for a training is not suggested
    until the day it counts, nor after a required refresher lapsed), languages and open
    requests gathered by subqueries, and then the person's own columns."""
    valid = (Q(qualified_from__isnull=True) | Q(qualified_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    return (
        Membership.objects.filter(
            organization_id__in=organization_ids, role__in=HELPING_ROLES, user__is_active=True
        )
        .annotate(
            need_codes=_codes(Qualification.objects.filter(valid), "need"),
            language_codes=_codes(SpokenLanguage.objects.all(), "language"),
            load=_open_requests(),
            training_codes=_trainings(valid),
        )
        .values_list(
            "user_id",
            "organization_id",
            "role",
            "home_location_id",
            "need_codes",
            "language_codes",
            "load",
            "training_codes",
            *(f"user__{name}" for name in _USER_FIELDS),
        )
    )


# Built once per process and number of organizations (core.prepared): every queue load and
# every suggestion reads it.
_MEMBERSHIPS = Prepared(_memberships, organization_ids=list, today=date)


def _codes_of(help_request: HelpRequest, needs) -> list[str]:
    """The request's need codes in the order of `needs`: as given, or read from it."""
    if needs is not None:
        return list(needs)
    return [n.need for n in help_request.needs.all()]


_RULE_FIELDS = [field.attname for field in RoutingRule._meta.concrete_fields]


def _rules(organization_ids: list[int]):
    """The active routing rules of these organizations, in the order they are tried."""
    return (
        RoutingRule.objects.filter(organization_id__in=organization_ids, is_active=True)
        .order_by("is_fallback", "position", "pk")
        .values_list(*_RULE_FIELDS)
    )


# Built once per process and number of organizations, like _MEMBERSHIPS.
_RULES = Prepared(_rules, organization_ids=list)


class HelperPool:
    """The helpers and routing rules of some organizations, loaded in two queries: one row per
    helping membership, with the person's valid qualifications, languages and open requests
    gathered by subqueries, and the rules."""

    def __init__(self, organization_ids: set[int], *, today: date | None = None):
        self.today = today or timezone.localdate()
        self.helpers: dict[int, Helper] = {}
        ids = sorted(organization_ids)
        for row in _MEMBERSHIPS.rows(organization_ids=ids, today=self.today):
            (
                user_id,
                organization_id,
                role,
                home_location_id,
                need_codes,
                language_codes,
                load,
                training_codes,
            ) = row[:8]
            helper = self.helpers.get(user_id)
            if helper is None:
                helper = self.helpers[user_id] = Helper(
                    user=User.from_db("default", _USER_FIELDS, row[8:]),
                    needs=set(filter(None, (need_codes or "").split(","))),
                    languages=set(filter(None, (language_codes or "").split(","))),
                    open_requests=load,
                    trainings=_parse_trainings(training_codes),
                )
            helper.organization_ids.add(organization_id)
            helper.roles.add(role)
            if home_location_id:
                helper.home_location_ids.add(home_location_id)
        self.rules: dict[int, list[RoutingRule]] = defaultdict(list)
        for row in _RULES.rows(organization_ids=ids):
            rule = RoutingRule.from_db("default", _RULE_FIELDS, row)
            self.rules[rule.organization_id].append(rule)
        # The last two ranking keys (least busy, then name) do not depend on the request:
        # their order is worked out once, and each request sorts only its own candidates.
        self._place = {
            helper.user.pk: place
            for place, helper in enumerate(
                sorted(
                    self.helpers.values(),
                    key=lambda h: (h.open_requests, str(h.user), h.user.pk),
                )
            )
        }
        # Who may be suggested for what: the ids of the helpers of each organization qualified
        # for each need, so that a request looks only at its own candidates.
        self._qualified: dict[tuple[int, str], list[int]] = defaultdict(list)
        for user_id, helper in self.helpers.items():
            for organization_id in helper.organization_ids:
                for need in helper.needs:
                    self._qualified[organization_id, need].append(user_id)
        self._phrase_cache: dict[str, dict] = {}

    def staff_of(self, organization_ids: set[int]) -> list:
        """The people of the pool who hold a helping role in one of these organizations, by
        name: for lists that need the names only."""
        return sorted(
            (h.user for h in self.helpers.values() if h.organization_ids & organization_ids),
            key=str,
        )

    def matching_rule(self, help_request: HelpRequest) -> RoutingRule | None:
        return self._matching_rule(help_request, {n.need for n in help_request.needs.all()})

    def _matching_rule(self, help_request: HelpRequest, needs: set[str]) -> RoutingRule | None:
        organization = help_request.organization
        # A branch's own rules come before its library system's; fallbacks, of either, only
        # when no ordinary rule matches.
        for fallback in (False, True):
            for org_id in above_and_self(organization):
                for rule in self.rules.get(org_id, []):
                    if rule.is_fallback == fallback and rule_matches(rule, help_request, needs):
                        return rule
        return None

    def _candidates(self, help_request: HelpRequest, needs: list[str]) -> dict[int, list[str]]:
        """The helpers who serve the request's organization (or the system above it), each
        with the request's needs they are qualified for, in the request's order."""
        organization = help_request.organization
        matched: dict[int, list[str]] = {}
        for need in needs:
            for org_id in above_and_self(organization):
                for user_id in self._qualified.get((org_id, need), ()):
                    helper_needs = matched.setdefault(user_id, [])
                    if not helper_needs or helper_needs[-1] != need:
                        helper_needs.append(need)
        return matched

    def is_candidate(self, user, help_request: HelpRequest, *, needs=None) -> bool:
        """Whether suggest() ranks `user` for the request at all, at whatever place. `needs`:
        the request's need codes, if the caller has them (intake.queries.need_codes)."""
        helper = self.helpers.get(user.pk)
        needs = _codes_of(help_request, needs)
        return helper is not None and bool(_qualified_serving(helper, needs, help_request))

    def suggest(self, help_request: HelpRequest, *, limit: int = 3, needs=None) -> list[Suggestion]:
        """Qualified helpers, best first (docs/triage.md, "How they are ranked"): those a
        matching ordinary rule names, then those who speak the patron's language, then those
        qualified for every need, then for more of the needs, then those a matching fallback
        rule names, then the least busy. A fallback names whoever is left, so it never outranks
        being qualified for what the patron asked. `needs`: as for is_candidate()."""
        needs = _codes_of(help_request, needs)
        rule = self._matching_rule(help_request, set(needs))
        ranked = []
        for user_id, matched in self._candidates(help_request, needs).items():
            helper = self.helpers[user_id]
            targeted = rule is not None and in_target(rule, helper)
            speaks = help_request.language in helper.languages
            ranked.append(
                (
                    (
                        not (targeted and not rule.is_fallback),
                        not speaks,
                        len(matched) < len(needs),
                        -len(matched),
                        not (targeted and rule.is_fallback),
                        self._place[user_id],
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
                    reasons=self._reasons(
                        help_request,
                        rule if targeted else None,
                        matched,
                        speaks,
                        helper.open_requests,
                        helper.trainings,
                    ),
                    rule=rule if targeted else None,
                    matched_needs=matched,
                    speaks_language=speaks,
                    open_requests=helper.open_requests,
                )
            )
        return suggestions

    def _reasons(self, help_request, rule, matched, speaks, load, trainings=None) -> list[str]:
        phrases = self._phrases()
        reasons = []
        if rule is not None:
            reasons.append(phrases["rule"].format(name=localized(rule, "name")))
        if speaks:
            speaking = phrases["speaks"]
            reasons.append(speaking.get(help_request.language, speaking[Language.OTHER]))
        labels = ", ".join(phrases["needs"].get(n, n) for n in matched)
        reasons.append(phrases["qualified"].format(needs=labels))
        for need in matched:
            if trainings and need in trainings:
                title, title_es, day = trainings[need]
                spanish = (get_language() or "").startswith("es") and title_es
                reasons.append(
                    phrases["completed"].format(
                        training=title_es if spanish else title,
                        day=formats.date_format(day, "MONTH_DAY_FORMAT"),
                    )
                )
        if load not in phrases["loads"]:
            phrases["loads"][load] = ngettext(
                "%(count)d open request", "%(count)d open requests", load
            ) % {"count": load}
        reasons.append(phrases["loads"][load])
        return reasons

    def _phrases(self) -> dict:
        """The reasons' phrases in the active language, translated once for the pool: a page
        of suggestions would otherwise look each of them up dozens of times."""
        language = get_language()
        if language not in self._phrase_cache:
            self._phrase_cache[language] = {
                "rule": _("routing rule “{name}”"),
                "qualified": _("qualified for {needs}"),
                "completed": _("completed {training} on {day}"),
                "speaks": {code: str(phrase) for code, phrase in SPEAKS.items()},
                "needs": {need.value: str(need.label) for need in Need},
                "loads": {},
            }
        return self._phrase_cache[language]


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


def pool_for_requests(requests) -> HelperPool:
    organization_ids = set()
    for help_request in requests:
        organization_ids.update(above_and_self(help_request.organization))
    return HelperPool(organization_ids)
