from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jobhelp.accounts.enums import Role
from jobhelp.intake.models import HelpRequest, RequestNeed, RoutingRule
from jobhelp.intake.routing import HelperPool, pool_for_requests
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import HelpRequestFactory, RoutingRuleFactory
from tests.factories.organizations import BranchFactory, LocationFactory


def person(organization, role=Role.HELPER, *, name, needs=("resume",), languages=(), **kw):
    first, last = name.split()
    return staff_member(
        organization,
        role,
        needs=needs,
        languages=languages,
        first_name=first,
        last_name=last,
        **kw,
    )


def load(help_request) -> HelpRequest:
    """The request as the queue reads it: organization joined, needs in code order."""
    return (
        HelpRequest.objects.select_related("organization")
        .prefetch_related(Prefetch("needs", queryset=RequestNeed.objects.order_by("need")))
        .get(pk=help_request.pk)
    )


def busy(helper, count: int, organization) -> None:
    HelpRequestFactory.create_batch(
        count, organization=organization, state="in_progress", assigned_to=helper
    )


def suggested(help_request, *, organizations, limit=3) -> list[tuple[str, list[str]]]:
    pool = HelperPool({o.pk for o in organizations})
    return [(str(s.helper), s.reasons) for s in pool.suggest(load(help_request), limit=limit)]


def matching(help_request, *organizations):
    return HelperPool({o.pk for o in organizations}).matching_rule(load(help_request))


# --- Ranking and reasons -----------------------------------------------------------------------


def test_a_spanish_speaking_coach_ranks_first_for_a_spanish_resume_request(library):
    maria = person(library, Role.CAREER_COACH, name="María Díaz", languages=["es", "en"])
    person(library, name="Bob Berg")
    busy(maria, 3, library)
    help_request = HelpRequestFactory(organization=library, language="es", needs=["resume"])

    pool = HelperPool({library.pk})
    suggestions = pool.suggest(load(help_request))

    assert (suggestions[0].helper, suggestions[0].reasons) == (
        maria,
        ["speaks Spanish", "qualified for Resumé", "3 open requests"],
    )
    assert [(str(s.helper), s.reasons) for s in suggestions] == [
        ("María Díaz", ["speaks Spanish", "qualified for Resumé", "3 open requests"]),
        ("Bob Berg", ["qualified for Resumé", "0 open requests"]),
    ]
    first = suggestions[0]
    assert (first.rule, first.matched_needs, first.speaks_language, first.open_requests) == (
        None,
        ["resume"],
        True,
        3,
    )


def test_the_routing_rules_target_ranks_first(library):
    person(library, name="María Díaz", languages=["es"], needs=["resume", "interview"])
    person(library, Role.CAREER_COACH, name="Carlos Ruiz")
    rule = RoutingRuleFactory(
        organization=library, name="Coaches first", target_role=Role.CAREER_COACH
    )
    help_request = HelpRequestFactory(
        organization=library, language="es", needs=["resume", "interview"]
    )

    pool = HelperPool({library.pk})
    suggestions = pool.suggest(load(help_request))

    assert [(str(s.helper), s.reasons, s.rule) for s in suggestions] == [
        (
            "Carlos Ruiz",
            ["routing rule “Coaches first”", "qualified for Resumé", "0 open requests"],
            rule,
        ),
        (
            "María Díaz",
            [
                "speaks Spanish",
                "qualified for Interview practice, Resumé",
                "0 open requests",
            ],
            None,
        ),
    ]


def test_a_rule_may_name_one_person(library):
    person(library, name="Ann Able", languages=["es"])
    kim = person(library, name="Kim Park")
    RoutingRuleFactory(organization=library, name="Kim", target_role="", target_helper=kim)
    help_request = HelpRequestFactory(organization=library, language="es")

    assert suggested(help_request, organizations=[library]) == [
        ("Kim Park", ["routing rule “Kim”", "qualified for Resumé", "0 open requests"]),
        ("Ann Able", ["speaks Spanish", "qualified for Resumé", "0 open requests"]),
    ]


def test_a_rule_may_name_the_team_at_a_library(library, central):
    person(library, name="Ann Able", languages=["es"])
    person(library, name="Cy Cole")
    di = person(library, name="Di Desk")
    di.memberships.update(home_location=central)
    RoutingRuleFactory(
        organization=library, name="Central team", target_role="", target_location=central
    )
    help_request = HelpRequestFactory(organization=library, language="es")

    assert [name for name, _reasons in suggested(help_request, organizations=[library])] == [
        "Di Desk",
        "Ann Able",
        "Cy Cole",
    ]


def test_more_matched_needs_rank_before_fewer(library):
    person(library, name="Ann Able", needs=["resume"])
    person(library, name="Zed Zane", needs=["resume", "interview"])
    help_request = HelpRequestFactory(organization=library, needs=["resume", "interview"])

    assert suggested(help_request, organizations=[library]) == [
        ("Zed Zane", ["qualified for Interview practice, Resumé", "0 open requests"]),
        ("Ann Able", ["qualified for Resumé", "0 open requests"]),
    ]


def test_the_least_busy_ranks_first_and_finished_requests_do_not_count(library):
    ann = person(library, name="Ann Able")
    bob = person(library, name="Bob Berg")
    busy(ann, 2, library)
    busy(bob, 1, library)
    HelpRequestFactory.create_batch(
        4,
        organization=library,
        state="resolved",
        closing_reason="helped",
        finished_at=timezone.now(),
        assigned_to=bob,
    )
    help_request = HelpRequestFactory(organization=library)

    assert suggested(help_request, organizations=[library]) == [
        ("Bob Berg", ["qualified for Resumé", "1 open request"]),
        ("Ann Able", ["qualified for Resumé", "2 open requests"]),
    ]


def test_only_the_best_three_are_suggested_unless_asked_for_more(library):
    for name in ["Ann Able", "Bob Berg", "Cy Cole", "Di Dunn"]:
        person(library, name=name)
    help_request = HelpRequestFactory(organization=library)

    assert [n for n, _r in suggested(help_request, organizations=[library])] == [
        "Ann Able",
        "Bob Berg",
        "Cy Cole",
    ]
    assert len(suggested(help_request, organizations=[library], limit=10)) == 4


def test_nobody_unqualified_inactive_or_not_helping_is_suggested(library):
    person(library, name="Ann Able", needs=["interview"])
    person(library, name="Ina Active", is_active=False)
    person(library, Role.FRONT_DESK, name="Fran Desk")
    person(library, Role.MANAGER, name="Meg Boss")
    help_request = HelpRequestFactory(organization=library, needs=["resume"])

    assert suggested(help_request, organizations=[library]) == []


def test_a_qualification_from_a_future_date_is_not_suggested_yet(library):
    trainee = staff_member(library, Role.HELPER, first_name="Tess", last_name="Trainee")
    trainee.qualifications.create(need="resume", qualified_from=timezone.localdate() + timedelta(1))
    help_request = HelpRequestFactory(organization=library)

    assert suggested(help_request, organizations=[library]) == []


def test_a_qualification_from_today_is_suggested(library):
    trainee = staff_member(library, Role.HELPER, first_name="Tess", last_name="Trainee")
    trainee.qualifications.create(need="resume", qualified_from=timezone.localdate())
    help_request = HelpRequestFactory(organization=library)

    assert suggested(help_request, organizations=[library]) == [
        ("Tess Trainee", ["qualified for Resumé", "0 open requests"])
    ]


def test_the_pool_counts_qualifications_on_its_own_day(library):
    trainee = staff_member(library, Role.HELPER, first_name="Tess", last_name="Trainee")
    start = timezone.localdate() + timedelta(days=7)
    trainee.qualifications.create(need="resume", qualified_from=start)
    help_request = load(HelpRequestFactory(organization=library))

    before = HelperPool({library.pk}, today=start - timedelta(days=1)).suggest(help_request)
    on_the_day = HelperPool({library.pk}, today=start).suggest(help_request)

    assert ([s.helper for s in before], [s.helper for s in on_the_day]) == ([], [trainee])


def test_helpers_of_another_library_system_are_never_suggested(library, other_library):
    person(other_library, name="Ana Ortiz", languages=["es"])
    busy_rule_target = person(other_library, Role.CAREER_COACH, name="Otto Other")
    RoutingRuleFactory(organization=other_library, target_helper=busy_rule_target)
    person(library, name="Bob Berg")
    help_request = HelpRequestFactory(organization=library, language="es")

    # Even a pool that holds both organizations' people keeps them apart.
    assert suggested(help_request, organizations=[library, other_library]) == [
        ("Bob Berg", ["qualified for Resumé", "0 open requests"])
    ]


def test_library_system_helpers_are_suggested_for_a_branch_request(library, branch):
    person(library, name="Sys Helper")
    person(branch, name="Bra Helper")
    help_request = HelpRequestFactory(organization=branch)

    assert [n for n, _r in suggested(help_request, organizations=[branch, library])] == [
        "Bra Helper",
        "Sys Helper",
    ]


def test_branch_helpers_are_not_suggested_for_the_systems_requests(library, branch):
    person(library, name="Sys Helper")
    person(branch, name="Bra Helper")
    other_branch = BranchFactory(parent=library)
    person(other_branch, name="Oth Helper")
    help_request = HelpRequestFactory(organization=library)

    assert [
        n for n, _r in suggested(help_request, organizations=[library, branch, other_branch])
    ] == ["Sys Helper"]


def test_pool_for_requests_includes_the_system_above_a_branch(library, branch):
    person(library, name="Sys Helper")
    help_request = load(HelpRequestFactory(organization=branch))

    pool = pool_for_requests([help_request])

    assert [str(s.helper) for s in pool.suggest(help_request)] == ["Sys Helper"]


def test_the_pool_reads_each_person_once_with_all_they_are(library, branch, central):
    both = person(
        library, Role.CAREER_COACH, name="Bo Both", needs=["resume", "interview"], languages=["so"]
    )
    MembershipFactory(user=both, organization=branch, role=Role.HELPER, home_location=central)
    MembershipFactory(user=both, organization=library, role=Role.FRONT_DESK)
    plain = person(library, name="Pat Plain", needs=[])
    busy(both, 2, branch)
    HelpRequestFactory(organization=library, state="scheduled", assigned_to=both)
    trainee = person(library, name="Tess Trainee", needs=["digital"], languages=["en", "es"])
    trainee.qualifications.create(need="resume", qualified_from=timezone.localdate() + timedelta(1))
    person(library, Role.FRONT_DESK, name="Fran Desk")

    with CaptureQueriesContext(connection) as queries:
        pool = HelperPool({library.pk, branch.pk})

    assert len(queries) == 2
    assert {
        str(h.user): (h.organization_ids, h.roles, h.home_location_ids, h.needs, h.languages)
        for h in pool.helpers.values()
    } == {
        "Bo Both": (
            {library.pk, branch.pk},
            {Role.CAREER_COACH, Role.HELPER},
            {central.pk},
            {"resume", "interview"},
            {"so"},
        ),
        "Pat Plain": ({library.pk}, {Role.HELPER}, set(), set(), set()),
        "Tess Trainee": ({library.pk}, {Role.HELPER}, set(), {"digital"}, {"en", "es"}),
    }
    assert {str(h.user): h.open_requests for h in pool.helpers.values()} == {
        "Bo Both": 3,
        "Pat Plain": 0,
        "Tess Trainee": 0,
    }
    assert pool.helpers[plain.pk].user == plain


def test_the_pools_staff_are_those_of_the_organizations_asked_for_by_name(library, branch):
    person(library, name="Zed Zane")
    person(library, name="Ann Able")
    person(branch, name="Bra Helper")
    person(library, name="Ina Active", is_active=False)
    person(library, Role.MANAGER, name="Meg Boss")
    pool = HelperPool({library.pk, branch.pk})

    assert [str(u) for u in pool.staff_of({library.pk, branch.pk})] == [
        "Ann Able",
        "Bra Helper",
        "Zed Zane",
    ]
    assert [str(u) for u in pool.staff_of({branch.pk})] == ["Bra Helper"]


def test_equally_busy_people_with_the_same_name_keep_one_order(library):
    first = person(library, name="Sam Same")
    second = person(library, name="Sam Same")
    help_request = load(HelpRequestFactory(organization=library))

    rankings = {
        tuple(s.helper.pk for s in HelperPool({library.pk}).suggest(help_request)) for _ in range(3)
    }

    assert rankings == {(first.pk, second.pk)}


# --- Which rule matches ------------------------------------------------------------------------


def test_no_rules_no_match(library):
    assert matching(HelpRequestFactory(organization=library), library) is None


def test_rules_are_tried_in_order(library):
    RoutingRuleFactory(organization=library, name="Second", position=1)
    RoutingRuleFactory(organization=library, name="First", position=0)

    assert matching(HelpRequestFactory(organization=library), library).name == "First"


def test_an_inactive_rule_is_skipped(library):
    RoutingRuleFactory(organization=library, name="Off", position=0, is_active=False)
    RoutingRuleFactory(organization=library, name="On", position=1)

    assert matching(HelpRequestFactory(organization=library), library).name == "On"


def test_a_branch_rule_comes_before_the_system_rule(library, branch):
    RoutingRuleFactory(organization=library, name="System", position=0)
    RoutingRuleFactory(organization=branch, name="Branch", position=5)

    assert matching(HelpRequestFactory(organization=branch), library, branch).name == "Branch"


def test_the_system_rule_applies_to_a_branch_without_a_matching_rule(library, branch):
    RoutingRuleFactory(organization=library, name="System")
    RoutingRuleFactory(organization=branch, name="Branch Spanish", language="es")

    assert matching(HelpRequestFactory(organization=branch), library, branch).name == "System"


def test_a_fallback_comes_after_the_ordinary_rules(library):
    RoutingRuleFactory(organization=library, name="Fallback", position=0, is_fallback=True)
    RoutingRuleFactory(organization=library, name="Resumés", position=3, needs=["resume"])
    request = HelpRequestFactory(organization=library, needs=["resume"])
    other = HelpRequestFactory(organization=library, needs=["interview"])

    assert (matching(request, library).name, matching(other, library).name) == (
        "Resumés",
        "Fallback",
    )


def test_a_branch_fallback_comes_after_the_systems_ordinary_rules(library, branch):
    RoutingRuleFactory(organization=branch, name="Branch fallback", is_fallback=True)
    RoutingRuleFactory(organization=library, name="System Spanish", language="es")
    RoutingRuleFactory(organization=library, name="System fallback", is_fallback=True)
    spanish = HelpRequestFactory(organization=branch, language="es")
    english = HelpRequestFactory(organization=branch, language="en")

    assert (matching(spanish, library, branch).name, matching(english, library, branch).name) == (
        "System Spanish",
        "Branch fallback",
    )


def test_a_fallback_ignores_its_conditions(library):
    RoutingRuleFactory(
        organization=library, name="Fallback", is_fallback=True, language="so", needs=["other"]
    )

    assert matching(HelpRequestFactory(organization=library), library).name == "Fallback"


def test_another_organizations_rules_never_match(library, other_library):
    RoutingRuleFactory(organization=other_library, name="Theirs")

    assert matching(HelpRequestFactory(organization=library), library, other_library) is None


@pytest.mark.parametrize(
    ("rule_needs", "request_needs", "matches"),
    [
        ([], ["resume"], True),
        (["resume"], ["resume"], True),
        (["interview", "resume"], ["resume", "digital"], True),
        (["interview"], ["resume", "digital"], False),
    ],
)
def test_rule_needs_match_any_of_the_requests_needs(library, rule_needs, request_needs, matches):
    RoutingRuleFactory(organization=library, name="Rule", needs=rule_needs)
    help_request = HelpRequestFactory(organization=library, needs=request_needs)

    assert (matching(help_request, library) is not None) == matches


@pytest.mark.parametrize(
    ("rule_language", "request_language", "matches"),
    [("", "so", True), ("es", "es", True), ("es", "en", False)],
)
def test_rule_language(library, rule_language, request_language, matches):
    RoutingRuleFactory(organization=library, name="Rule", language=rule_language)
    help_request = HelpRequestFactory(organization=library, language=request_language)

    assert (matching(help_request, library) is not None) == matches


@pytest.mark.parametrize(
    ("rule_channel", "request_channel", "matches"),
    [("", "walk_in", True), ("phone", "phone", True), ("phone", "web", False)],
)
def test_rule_channel(library, rule_channel, request_channel, matches):
    RoutingRuleFactory(organization=library, name="Rule", channel=rule_channel)
    help_request = HelpRequestFactory(organization=library, channel=request_channel)

    assert (matching(help_request, library) is not None) == matches


@pytest.mark.parametrize(
    ("scope", "where", "matches"),
    [
        ("any", None, True),
        ("any", "central", True),
        ("remote", None, True),
        ("remote", "central", False),
        ("location", "central", True),
        ("location", "eastside", False),
        ("location", None, False),
    ],
)
def test_rule_location_scope(library, central, scope, where, matches):
    eastside = LocationFactory(organization=library, name="Eastside Library")
    places = {"central": central, "eastside": eastside, None: None}
    RoutingRuleFactory(
        organization=library,
        name="Rule",
        location_scope=scope,
        location=central if scope == "location" else None,
    )
    help_request = HelpRequestFactory(organization=library, preferred_location=places[where])

    assert (matching(help_request, library) is not None) == matches


def test_every_condition_must_hold(library):
    RoutingRuleFactory(
        organization=library,
        name="Spanish resumés by phone",
        needs=["resume"],
        language="es",
        channel="phone",
        location_scope="remote",
    )
    requests = {
        "all": HelpRequestFactory(organization=library, language="es", channel="phone"),
        "web": HelpRequestFactory(organization=library, language="es", channel="web"),
        "en": HelpRequestFactory(organization=library, language="en", channel="phone"),
    }

    assert {k: matching(r, library) is not None for k, r in requests.items()} == {
        "all": True,
        "web": False,
        "en": False,
    }


# --- Cost ------------------------------------------------------------------------------------


def test_suggesting_for_three_requests_costs_what_one_does(library, branch, central):
    maria = person(library, Role.CAREER_COACH, name="María Díaz", languages=["es"])
    person(library, name="Bob Berg", needs=["resume", "interview"])
    person(branch, name="Bra Helper", needs=["interview"], languages=["so"])
    RoutingRuleFactory(organization=library, name="Coaches", target_role=Role.CAREER_COACH)
    RoutingRuleFactory(organization=branch, name="Branch", needs=["interview"])
    busy(maria, 2, library)

    def suggest_for_all_new() -> list:
        requests = list(
            HelpRequest.objects.filter(state="new")
            .select_related("organization")
            .prefetch_related("needs")
            .order_by("pk")
        )
        pool = pool_for_requests(requests)
        return [[s.helper for s in pool.suggest(r)] for r in requests]

    HelpRequestFactory(organization=library, needs=["resume"], language="es")
    with CaptureQueriesContext(connection) as one:
        assert len(suggest_for_all_new()) == 1

    HelpRequestFactory(organization=branch, needs=["interview", "resume"], language="so")
    HelpRequestFactory(organization=library, preferred_location=central, needs=["interview"])
    with CaptureQueriesContext(connection) as three:
        results = suggest_for_all_new()

    assert len(results) == 3
    assert all(results)
    assert len(three) == len(one)


@pytest.mark.parametrize(
    ("language", "name_es", "reason"),
    [
        ("es", "Primero los asesores", "regla de asignación “Primero los asesores”"),
        ("es", "", "regla de asignación “Coaches first”"),
        ("en", "Primero los asesores", "routing rule “Coaches first”"),
    ],
)
def test_a_rules_name_is_shown_to_staff_in_their_language(library, language, name_es, reason):
    person(library, Role.CAREER_COACH, name="Carlos Ruiz")
    RoutingRuleFactory(
        organization=library,
        name="Coaches first",
        name_es=name_es,
        target_role=Role.CAREER_COACH,
    )
    help_request = HelpRequestFactory(organization=library)

    with translation.override(language):
        suggestions = HelperPool({library.pk}).suggest(load(help_request))

    assert suggestions[0].reasons[0] == reason


def test_the_need_codes_given_rank_as_the_needs_read(library):
    person(library, name="Ann Able", needs=["resume"])
    person(library, name="Zed Zane", needs=["resume", "interview"], languages=["es"])
    help_request = load(
        HelpRequestFactory(organization=library, needs=["resume", "interview"], language="es")
    )
    pool = HelperPool({library.pk})
    given = ["interview", "resume"]

    assert [(s.helper, s.reasons) for s in pool.suggest(help_request, needs=given)] == [
        (s.helper, s.reasons) for s in pool.suggest(help_request)
    ]
    assert pool.is_candidate(
        pool.suggest(help_request)[0].helper, help_request, needs=given
    ) == pool.is_candidate(pool.suggest(help_request)[0].helper, help_request)
    # Given codes are what counts: nobody is qualified for nothing.
    assert pool.suggest(help_request, needs=[]) == []


def test_the_pool_reads_the_active_rules_column_for_column_in_order(library, branch):
    RoutingRuleFactory(organization=library, needs=["resume", "interview"], language="es")
    RoutingRuleFactory(organization=branch, is_fallback=True, position=1)
    RoutingRuleFactory(organization=library, position=99, is_active=False)
    RoutingRuleFactory(organization=library, position=0, channel="phone")

    pool = HelperPool({library.pk, branch.pk})

    expected = RoutingRule.objects.filter(is_active=True).order_by("is_fallback", "position", "pk")
    assert {
        org_id: [r.__dict__ | {"_state": None} for r in rules]
        for org_id, rules in pool.rules.items()
    } == {
        org_id: [r.__dict__ | {"_state": None} for r in expected if r.organization_id == org_id]
        for org_id in (library.pk, branch.pk)
    }
