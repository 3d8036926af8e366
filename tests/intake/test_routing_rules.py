import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import RoutingRule
from jobhelp.intake.routing import HelperPool
from jobhelp.intake.routing_rules import (
    create_rule,
    delete_rule,
    move_rule,
    rules_for_user,
    update_rule,
)
from tests.factories.accounts import UserFactory, staff_member
from tests.factories.intake import HelpRequestFactory, RoutingRuleFactory
from tests.factories.organizations import LocationFactory


@pytest.fixture
def other_manager(other_library):
    return staff_member(other_library, Role.MANAGER)


def order(organization) -> list[tuple[str, bool, int]]:
    """The organization's rules as (name, fallback, position), in the order they are tried."""
    return list(
        RoutingRule.objects.filter(organization=organization)
        .order_by("is_fallback", "position", "pk")
        .values_list("name", "is_fallback", "position")
    )


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def make(organization, by, name, **fields):
    fields.setdefault("target_role", Role.HELPER)
    return create_rule(organization=organization, by=by, name=name, **fields)


# --- Creating -----------------------------------------------------------------------------------


def test_new_rules_go_last_but_before_the_fallbacks(library, manager):
    make(library, manager, "Spanish")
    make(library, manager, "Everyone else", is_fallback=True)
    make(library, manager, "Resumés", needs=["resume"])
    make(library, manager, "Last resort", is_fallback=True)

    assert order(library) == [
        ("Spanish", False, 0),
        ("Resumés", False, 1),
        ("Everyone else", True, 0),
        ("Last resort", True, 1),
    ]


def test_creating_a_rule_saves_its_fields_and_audits_codes_only(library, manager, central):
    coach = staff_member(library, Role.CAREER_COACH)

    rule = create_rule(
        organization=library,
        by=manager,
        name="Interview practice in Spanish at Central",
        needs=["interview", "coaching", "interview"],
        language="es",
        location_scope="location",
        location=central,
        channel="phone",
        target_helper=coach,
        auto_assign=True,
    )

    rule.refresh_from_db()
    assert (
        rule.organization,
        rule.position,
        rule.needs,
        rule.language,
        rule.location_scope,
        rule.location,
        rule.channel,
        rule.target_helper,
        rule.target_role,
        rule.target_location,
        rule.auto_assign,
        rule.is_fallback,
        rule.is_active,
    ) == (
        library,
        0,
        ["coaching", "interview"],
        "es",
        "location",
        central,
        "phone",
        coach,
        "",
        None,
        True,
        False,
        True,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organization, entry.object_id, entry.data) == (
        "jobhelp.routing_rule.created",
        manager,
        library,
        str(rule.pk),
        {"rule": rule.pk},
    )


def test_a_library_chosen_for_another_scope_is_not_kept(library, manager, central):
    rule = make(library, manager, "Remote", location_scope="remote", location=central)

    rule.refresh_from_db()
    assert (rule.location_scope, rule.location) == ("remote", None)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"target_role": ""},
            {"target_helper": ["Choose a person, a role or a library team to send requests to."]},
        ),
        (
            {"location_scope": "location"},
            {
                "location": [
                    "Choose the library this rule is for, or choose another option under “Where”."
                ]
            },
        ),
    ],
)
def test_a_rule_that_cannot_route_is_refused(library, manager, fields, errors):
    with pytest.raises(ValidationError) as raised:
        make(library, manager, "Broken", **fields)

    assert raised.value.message_dict == errors
    assert (RoutingRule.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_another_organizations_library_and_people_are_refused(library, manager, other_library):
    elsewhere = LocationFactory(organization=other_library)
    stranger = staff_member(other_library, Role.HELPER)

    with pytest.raises(ValidationError) as raised:
        create_rule(
            organization=library,
            by=manager,
            name="Elsewhere",
            location_scope="location",
            location=elsewhere,
            target_location=elsewhere,
        )
    with pytest.raises(ValidationError) as raised_for_person:
        create_rule(organization=library, by=manager, name="Stranger", target_helper=stranger)

    assert raised.value.message_dict == {
        "location": ["That library does not belong to the organization you chose."],
        "target_location": ["That library does not belong to the organization you chose."],
    }
    assert raised_for_person.value.message_dict == {
        "target_helper": ["That person does not work for the organization you chose."]
    }
    assert (RoutingRule.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_branch_rule_may_target_the_library_systems_people(library, branch, central):
    branch_manager = staff_member(branch, Role.MANAGER)
    system_helper = staff_member(library, Role.HELPER)

    rule = create_rule(
        organization=branch, by=branch_manager, name="To Central", target_location=central
    )
    other = create_rule(
        organization=branch, by=branch_manager, name="To Ana", target_helper=system_helper
    )

    assert (rule.target_location, other.target_helper) == (central, system_helper)


def test_a_person_and_a_team_together_are_refused(library, manager, helper, central):
    with pytest.raises(ValidationError) as raised:
        make(library, manager, "Both", target_helper=helper, target_location=central)

    assert raised.value.message_dict == {
        "target_helper": [
            "A rule that names a person sends requests to that person only. Choose a person, "
            "or a role and library team, not both."
        ]
    }


# --- Who may change rules ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["front_desk", "helper", "outsider", "other_manager"])
def test_only_managers_of_the_organization_change_its_rules(request, library, manager, persona):
    rule = make(library, manager, "Ours")
    before = (order(library), actions())
    user = request.getfixturevalue(persona)

    attempts = [
        lambda: make(library, user, "Theirs"),
        lambda: update_rule(rule, by=user, name="Renamed"),
        lambda: delete_rule(rule, by=user),
        lambda: move_rule(rule, by=user, direction="down"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()

    assert (order(library), actions()) == before


def test_an_admin_membership_may_change_rules(library):
    admin = staff_member(library, Role.ADMIN)

    make(library, admin, "By the admin")

    assert order(library) == [("By the admin", False, 0)]


def test_system_managers_change_branch_rules_but_not_the_other_way_round(library, branch, manager):
    branch_manager = staff_member(branch, Role.MANAGER)

    make(branch, manager, "Branch rule by the system manager")
    with pytest.raises(PermissionDenied):
        make(library, branch_manager, "System rule by the branch manager")

    assert (order(branch), order(library)) == (
        [("Branch rule by the system manager", False, 0)],
        [],
    )


# --- Changing, deleting and moving ---------------------------------------------------------------


def test_updating_a_rule_audits_the_changed_field_names(library, manager, central):
    rule = make(library, manager, "Spanish", language="es")

    update_rule(
        rule,
        by=manager,
        name="Spanish at Central",
        language="es",
        target_role="",
        target_location=central,
    )

    rule.refresh_from_db()
    assert (rule.name, rule.language, rule.target_role, rule.target_location) == (
        "Spanish at Central",
        "es",
        "",
        central,
    )
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.action, entry.actor, entry.organization, entry.data) == (
        "jobhelp.routing_rule.updated",
        manager,
        library,
        {"rule": rule.pk, "fields": ["name", "target_location", "target_role"]},
    )


def test_an_update_that_changes_nothing_writes_no_entry(library, manager):
    rule = make(library, manager, "Resumés", needs=["resume", "applications"])

    update_rule(rule, by=manager, name="Resumés", needs=["applications", "resume"])

    assert actions() == ["jobhelp.routing_rule.created"]


def test_an_update_that_loses_the_target_is_refused(library, manager):
    rule = make(library, manager, "Coaches", target_role=Role.CAREER_COACH)

    with pytest.raises(ValidationError):
        update_rule(rule, by=manager, target_role="")

    rule.refresh_from_db()
    assert rule.target_role == Role.CAREER_COACH
    assert actions() == ["jobhelp.routing_rule.created"]


def test_a_rule_made_a_fallback_goes_after_the_other_fallbacks(library, manager):
    first = make(library, manager, "First")
    make(library, manager, "Second")
    make(library, manager, "Default", is_fallback=True)

    update_rule(first, by=manager, is_fallback=True)

    assert order(library) == [
        ("Second", False, 0),
        ("Default", True, 0),
        ("First", True, 1),
    ]


def test_deleting_renumbers_the_rest(library, manager):
    make(library, manager, "A")
    b = make(library, manager, "B")
    make(library, manager, "C")
    make(library, manager, "Default", is_fallback=True)

    delete_rule(b, by=manager)

    assert order(library) == [("A", False, 0), ("C", False, 1), ("Default", True, 0)]
    assert actions() == ["jobhelp.routing_rule.created"] * 4 + ["jobhelp.routing_rule.deleted"]
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.actor, entry.organization, entry.object_id, entry.data) == (
        manager,
        library,
        str(b.pk),
        {"rule": b.pk},
    )


def test_deleting_a_rule_twice_does_nothing_the_second_time(library, manager):
    rule = make(library, manager, "A")
    delete_rule(rule, by=manager)

    delete_rule(rule, by=manager)

    assert actions() == ["jobhelp.routing_rule.created", "jobhelp.routing_rule.deleted"]


def test_moving_up_and_down_swaps_with_the_neighbour(library, manager):
    a = make(library, manager, "A")
    make(library, manager, "B")
    c = make(library, manager, "C")

    assert move_rule(c, by=manager, direction="up") is True
    assert order(library) == [("A", False, 0), ("C", False, 1), ("B", False, 2)]
    assert move_rule(a, by=manager, direction="down") is True
    assert order(library) == [("C", False, 0), ("A", False, 1), ("B", False, 2)]

    moves = AuditEntry.objects.filter(action="jobhelp.routing_rule.moved").order_by("pk")
    assert [(e.actor, e.organization, e.data) for e in moves] == [
        (manager, library, {"rule": c.pk, "direction": "up", "position": 1}),
        (manager, library, {"rule": a.pk, "direction": "down", "position": 1}),
    ]


def test_moving_past_the_end_changes_nothing(library, manager):
    a = make(library, manager, "A")
    b = make(library, manager, "B")

    assert move_rule(a, by=manager, direction="up") is False
    assert move_rule(b, by=manager, direction="down") is False

    assert order(library) == [("A", False, 0), ("B", False, 1)]
    assert actions() == ["jobhelp.routing_rule.created"] * 2


def test_fallbacks_stay_after_the_ordinary_rules(library, manager):
    last_ordinary = make(library, manager, "A")
    first_fallback = make(library, manager, "Default", is_fallback=True)
    make(library, manager, "Last resort", is_fallback=True)

    assert move_rule(last_ordinary, by=manager, direction="down") is False
    assert move_rule(first_fallback, by=manager, direction="up") is False
    assert move_rule(first_fallback, by=manager, direction="down") is True
    make(library, manager, "B")

    assert order(library) == [
        ("A", False, 0),
        ("B", False, 1),
        ("Last resort", True, 0),
        ("Default", True, 1),
    ]
    assert [r.name for r in rules_for_user(manager)] == ["A", "B", "Last resort", "Default"]


def test_moving_first_closes_gaps_left_by_older_data(library, manager):
    RoutingRuleFactory(organization=library, name="A", position=5)
    b = RoutingRuleFactory(organization=library, name="B", position=9)

    move_rule(b, by=manager, direction="up")

    assert order(library) == [("B", False, 0), ("A", False, 1)]


def test_an_unknown_direction_is_refused(library, manager):
    rule = make(library, manager, "A")

    with pytest.raises(ValueError, match="direction"):
        move_rule(rule, by=manager, direction="sideways")


def test_the_order_decides_which_rule_routes_a_request(library, manager):
    make(library, manager, "Resumés to helpers", needs=["resume"])
    spanish = make(
        library, manager, "Spanish to coaches", language="es", target_role="career_coach"
    )
    help_request = HelpRequestFactory(organization=library, language="es", needs=["resume"])

    before = HelperPool({library.pk}).matching_rule(help_request)
    move_rule(spanish, by=manager, direction="up")
    after = HelperPool({library.pk}).matching_rule(help_request)

    assert (before.name, after.name) == ("Resumés to helpers", "Spanish to coaches")


@pytest.mark.django_db(transaction=True)
def test_two_managers_adding_rules_at_once_get_different_places(library):
    managers = [staff_member(library, Role.MANAGER) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def add(user):
        from django.db import connection

        barrier.wait()
        try:
            make(library, user, f"By {user.username}")
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(position for _name, _fallback, position in order(library)) == [0, 1]


# --- Reading -------------------------------------------------------------------------------------


@pytest.fixture
def rules_everywhere(library, branch, other_library, manager, other_manager):
    make(library, manager, "System rule")
    make(library, manager, "System default", is_fallback=True)
    make(branch, manager, "Branch rule")
    make(other_library, other_manager, "Their rule")


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("manager", ["Branch rule", "System rule", "System default"]),
        ("other_manager", ["Their rule"]),
        ("branch_manager", ["Branch rule"]),
        ("front_desk", []),
        ("helper", []),
        ("outsider", []),
        ("no_membership", []),
    ],
)
def test_rules_for_user_are_those_of_the_organizations_they_manage(
    request, rules_everywhere, branch, persona, names
):
    if persona == "branch_manager":
        user = staff_member(branch, Role.MANAGER)
    else:
        user = request.getfixturevalue(persona)

    assert [r.name for r in rules_for_user(user)] == names


def test_rules_for_an_inactive_manager_are_none(rules_everywhere, manager):
    manager.is_active = False
    manager.save()

    assert list(rules_for_user(manager)) == []


def test_rules_for_anonymous_are_none(rules_everywhere):
    from django.contrib.auth.models import AnonymousUser

    assert list(rules_for_user(AnonymousUser())) == []


def test_a_user_without_a_membership_is_not_a_manager(library):
    with pytest.raises(PermissionDenied):
        make(library, UserFactory(), "Nobody's")
