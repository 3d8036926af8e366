import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import RoutingRule
from jobhelp.intake.routing_rules import create_rule
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import RoutingRuleFactory
from tests.factories.organizations import LocationFactory
from tests.forms_in_html import as_form_values, form_values


@pytest.fixture
def other_manager(other_library):
    """Manages another organization: has routing rules of their own, never sees ours."""
    return staff_member(other_library, Role.MANAGER)


@pytest.fixture
def rules(library, branch, other_library, manager, other_manager):
    """Two rules and a fallback of the library system, one of its branch, one elsewhere."""
    made = {}
    for organization, by, name, fallback in [
        (library, manager, "Spanish speakers", False),
        (library, manager, "Resumés", False),
        (library, manager, "Everyone else", True),
        (branch, manager, "Northtown walk-ins", False),
        (other_library, other_manager, "Their rule", False),
    ]:
        made[name] = create_rule(
            organization=organization,
            by=by,
            name=name,
            is_fallback=fallback,
            target_role=Role.HELPER,
        )
    return made


def rule_post(organization, **overrides) -> dict:
    data = {
        "name": "Spanish resumés",
        "name_es": "",
        "organization": str(organization.pk),
        "needs": ["resume"],
        "language": "es",
        "location_scope": "any",
        "location": "",
        "channel": "",
        "target_helper": "",
        "target_role": "career_coach",
        "target_location": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def names_listed(response) -> list[str]:
    return [row.rule.name for s in response.context["sections"] for row in s.rows]


def snapshot():
    """Everything a refused or failed request must leave as it was."""
    return (
        list(
            RoutingRule.objects.order_by("pk").values_list(
                "pk", "name", "position", "is_fallback", "language", "target_role"
            )
        ),
        AuditEntry.objects.count(),
    )


def requests_for(client, rule, organization) -> list:
    """Every routing page and action, as the persona would try them."""
    return [
        client.get("/staff/routing/"),
        client.get("/staff/routing/new/"),
        client.post("/staff/routing/new/", rule_post(organization)),
        *rule_requests_for(client, rule, organization),
    ]


def rule_requests_for(client, rule, organization) -> list:
    """The pages and actions of one rule."""
    return [
        client.get(f"/staff/routing/{rule.pk}/edit/"),
        client.post(f"/staff/routing/{rule.pk}/edit/", rule_post(organization, name="Changed")),
        client.get(f"/staff/routing/{rule.pk}/delete/"),
        client.post(f"/staff/routing/{rule.pk}/delete/"),
        client.post(f"/staff/routing/{rule.pk}/move/", {"direction": "down"}),
    ]


# --- Who may open what --------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client, rules, library):
    rule = rules["Spanish speakers"]
    before = snapshot()

    responses = requests_for(client, rule, library)

    paths = ["/staff/routing/", "/staff/routing/new/", "/staff/routing/new/"] + [
        f"/staff/routing/{rule.pk}/{action}/"
        for action in ["edit", "edit", "delete", "delete", "move"]
    ]
    assert [(r.status_code, r.url) for r in responses] == [
        (302, f"/staff/login/?next={path}") for path in paths
    ]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["no_membership", "front_desk", "helper", "outsider"])
def test_staff_who_manage_nothing_are_refused(client, log_in, rules, library, persona):
    log_in(persona)
    rule = rules["Spanish speakers"]
    before = snapshot()

    responses = requests_for(client, rule, library)

    assert [r.status_code for r in responses] == [403] * 8
    assert all(b"Not available to you" in r.content for r in responses)
    assert all(b"Spanish speakers" not in r.content for r in responses)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("manager", True), ("other_manager", True), ("front_desk", False), ("helper", False)],
)
def test_the_menu_links_to_the_rules_only_for_managers(client, log_in, rules, persona, shown):
    log_in(persona)

    response = client.get("/staff/queue/")

    assert response.status_code == 200
    assert (b'href="/staff/routing/">Routing rules</a>' in response.content) is shown


def test_a_superuser_without_a_managers_role_is_not_sent_to_the_rules(client, front_desk, rules):
    front_desk.is_superuser = True
    front_desk.save(update_fields=["is_superuser"])
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    assert b"Routing rules" not in response.content
    assert client.get("/staff/routing/").status_code == 403


def test_manager_of_another_organization_sees_only_their_rules(client, other_manager, rules):
    client.force_login(other_manager)

    response = client.get("/staff/routing/")

    assert response.status_code == 200
    assert names_listed(response) == ["Their rule"]
    assert [s.organization.name for s in response.context["sections"]] == ["Elsewhere Library"]
    for name in ["Spanish speakers", "Resumés", "Everyone else", "Northtown walk-ins"]:
        assert name.encode() not in response.content


@pytest.mark.parametrize("name", ["Spanish speakers", "Northtown walk-ins"])
def test_manager_of_another_organization_gets_404_for_our_rules(
    client, other_manager, other_library, rules, name
):
    client.force_login(other_manager)
    rule = rules[name]
    before = snapshot()

    responses = rule_requests_for(client, rule, other_library)

    assert [r.status_code for r in responses] == [404] * 5
    assert all(name.encode() not in r.content for r in responses)
    assert snapshot() == before


def test_branch_manager_gets_404_for_the_library_systems_rules(client, branch, rules):
    client.force_login(staff_member(branch, Role.MANAGER))

    listed = client.get("/staff/routing/")
    edit = client.get(f"/staff/routing/{rules['Spanish speakers'].pk}/edit/")

    assert names_listed(listed) == ["Northtown walk-ins"]
    assert edit.status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_open_every_page(client, library, rules, role):
    client.force_login(staff_member(library, role))
    rule = rules["Spanish speakers"]

    responses = [
        client.get("/staff/routing/"),
        client.get("/staff/routing/new/"),
        client.get(f"/staff/routing/{rule.pk}/edit/"),
        client.get(f"/staff/routing/{rule.pk}/delete/"),
    ]

    assert [r.status_code for r in responses] == [200] * 4
    assert [r.templates[0].name for r in responses] == [
        "staff/routing/list.html",
        "staff/routing/form.html",
        "staff/routing/form.html",
        "staff/routing/delete.html",
    ]


def test_the_list_shows_the_rules_in_the_order_they_are_tried(client, manager, rules):
    client.force_login(manager)

    response = client.get("/staff/routing/")

    assert [
        (s.organization.name, [(r.rule.name, r.first, r.last) for r in s.rows])
        for s in response.context["sections"]
    ] == [
        ("Northtown Library", [("Northtown walk-ins", True, True)]),
        (
            "Riverbend County Library",
            [
                ("Spanish speakers", True, False),
                ("Resumés", False, True),
                ("Everyone else", True, True),
            ],
        ),
    ]
    html = response.content.decode()
    assert "Their rule" not in html
    assert html.count(">Move up<") == 1
    assert html.count(">Move down<") == 1
    assert 'href="/staff/routing/new/"' in html


def test_the_list_puts_conditions_and_targets_in_words(client, manager, library, central, branch):
    coach = staff_member(library, Role.CAREER_COACH, first_name="Ana", last_name="Ruiz")
    create_rule(
        organization=library,
        by=manager,
        name="Full",
        needs=["resume", "interview"],
        language="es",
        location_scope="location",
        location=central,
        channel="phone",
        target_role=Role.CAREER_COACH,
        target_location=central,
        auto_assign=True,
    )
    create_rule(
        organization=library,
        by=manager,
        name="Remote",
        location_scope="remote",
        target_helper=coach,
        is_active=False,
    )
    create_rule(organization=library, by=manager, name="Team", target_location=central)
    create_rule(
        organization=library,
        by=manager,
        name="Default",
        needs=["resume"],
        is_fallback=True,
        target_role=Role.HELPER,
    )
    client.force_login(manager)

    response = client.get("/staff/routing/")

    rows = response.context["sections"][1].rows
    assert [(r.rule.name, r.conditions, r.target) for r in rows] == [
        (
            "Full",
            [
                "Needs: Interview practice or Resumé",
                "Language: Spanish",
                "Library: Central Library",
                "Received by: Phone call",
            ],
            "Career coach at Central Library",
        ),
        ("Remote", ["Where: remote, no library chosen"], "Ana Ruiz"),
        ("Team", ["Any request"], "The team at Central Library"),
        ("Default", ["Any request that no other rule matches"], "Anyone with the role Helper"),
    ]


def test_the_list_costs_the_same_for_one_rule_or_three(client, manager, library, branch, central):
    coach = staff_member(library, Role.CAREER_COACH)
    RoutingRuleFactory(
        organization=library,
        location_scope="location",
        location=central,
        target_helper=coach,
        target_role="",
    )
    client.force_login(manager)
    client.get("/staff/routing/")
    with CaptureQueriesContext(connection) as one:
        first = client.get("/staff/routing/")
    RoutingRuleFactory(organization=branch, target_location=central, target_role="")
    RoutingRuleFactory(organization=library, is_fallback=True, location=central)
    with CaptureQueriesContext(connection) as three:
        second = client.get("/staff/routing/")

    assert (len(names_listed(first)), len(names_listed(second))) == (1, 3)
    assert len(three) == len(one)


# --- Adding a rule ------------------------------------------------------------------------------


def test_manager_adds_a_rule(client, manager, library, central):
    coach = staff_member(library, Role.CAREER_COACH)
    client.force_login(manager)
    data = rule_post(
        library,
        needs=["resume", "applications"],
        location_scope="location",
        location=str(central.pk),
        channel="walk_in",
        target_role="",
        target_helper=str(coach.pk),
        auto_assign="on",
    )

    response = client.post("/staff/routing/new/", data)

    assert (response.status_code, response.url) == (302, "/staff/routing/")
    rule = RoutingRule.objects.get()
    assert (
        rule.organization,
        rule.name,
        rule.needs,
        rule.language,
        rule.location,
        rule.channel,
        rule.target_helper,
        rule.target_role,
        rule.auto_assign,
        rule.is_fallback,
        rule.is_active,
    ) == (
        library,
        "Spanish resumés",
        ["applications", "resume"],
        "es",
        central,
        "walk_in",
        coach,
        "",
        True,
        False,
        True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Rule “Spanish resumés” added."
    ]
    assert list(AuditEntry.objects.values_list("action", "actor")) == [
        ("jobhelp.routing_rule.created", manager.pk)
    ]


def test_a_rule_named_in_spanish_is_listed_in_the_readers_language(client, manager, library):
    client.force_login(manager)
    client.post("/staff/routing/new/", rule_post(library, name_es="Currículums en español"))
    rule = RoutingRule.objects.get()

    spanish = client.get("/staff/routing/", HTTP_ACCEPT_LANGUAGE="es")
    english = client.get("/staff/routing/", HTTP_ACCEPT_LANGUAGE="en")

    assert (rule.name, rule.name_es) == ("Spanish resumés", "Currículums en español")
    assert "Currículums en español" in spanish.content.decode()
    assert (
        "Spanish resumés" in english.content.decode(),
        "Currículums" in english.content.decode(),
    ) == (
        True,
        False,
    )


def test_the_organization_is_hidden_when_there_is_only_one(client, other_manager, other_library):
    client.force_login(other_manager)

    page = client.get("/staff/routing/new/")
    response = client.post("/staff/routing/new/", rule_post(other_library))

    assert page.context["form"]["organization"].widget_type == "hidden"
    assert f'type="hidden" name="organization" value="{other_library.pk}"' in page.content.decode()
    assert response.status_code == 302
    assert RoutingRule.objects.get().organization == other_library


def test_the_organization_is_a_choice_for_a_system_manager(client, manager, library, branch):
    client.force_login(manager)

    page = client.get("/staff/routing/new/")

    field = page.context["form"].fields["organization"]
    assert page.context["form"]["organization"].widget_type == "select"
    assert list(field.queryset) == [branch, library]


def test_choices_are_limited_to_the_managers_organizations(
    client, manager, library, branch, central, other_library
):
    LocationFactory(organization=library, name="Closed Library", is_active=False)
    LocationFactory(organization=other_library, name="Elsewhere Library")
    coach = staff_member(library, Role.CAREER_COACH, first_name="Ana")
    staff_member(library, Role.FRONT_DESK, first_name="Desk")
    staff_member(other_library, Role.HELPER, first_name="Stranger")
    gone = staff_member(branch, Role.HELPER, first_name="Gone")
    gone.is_active = False
    gone.save()
    branch_helper = staff_member(branch, Role.HELPER, first_name="Bo")
    MembershipFactory(user=branch_helper, organization=library, role=Role.HELPER)
    client.force_login(manager)

    form = client.get("/staff/routing/new/").context["form"]

    assert [str(loc) for loc in form.fields["location"].queryset] == [
        "Central Library",
        "Northtown Library",
    ]
    assert [label for _v, label in form.fields["location"].choices][1:] == [
        "Central Library (Riverbend County Library)",
        "Northtown Library",
    ]
    assert list(form.fields["target_helper"].queryset) == [coach, branch_helper]


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "errors"),
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
        (
            {"needs": ["resume", "astrology"]},
            {"needs": ["Select a valid choice. astrology is not one of the available choices."]},
        ),
        (
            {"location_scope": "nowhere", "language": "xx", "channel": "pigeon"},
            {
                "location_scope": [
                    "Select a valid choice. nowhere is not one of the available choices."
                ],
                "language": ["Select a valid choice. xx is not one of the available choices."],
                "channel": ["Select a valid choice. pigeon is not one of the available choices."],
            },
        ),
        (
            {"target_role": "manager"},
            {
                "target_role": [
                    "Select a valid choice. manager is not one of the available choices."
                ]
            },
        ),
        (
            {"name": "", "target_helper": "not-a-number"},
            {
                "name": ["This field is required."],
                "target_helper": [
                    "Select a valid choice. That choice is not one of the available choices."
                ],
            },
        ),
        ({"name": "Two\r\nlines"}, {"name": ["Please keep this on one line."]}),
        ({"name_es": "Dos\r\nlíneas"}, {"name_es": ["Please keep this on one line."]}),
        (
            {"name_es": "x" * 81},
            {"name_es": ["Ensure this value has at most 80 characters (it has 81)."]},
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, manager, library, rules, overrides, errors
):
    client.force_login(manager)
    before = snapshot()
    data = rule_post(library, **overrides)

    response = client.post("/staff/routing/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert b"Please fix" in response.content
    assert snapshot() == before


def test_bad_input_keeps_what_was_typed(client, manager, library, central):
    client.force_login(manager)
    data = rule_post(
        library,
        needs=["resume", "interview"],
        channel="phone",
        target_role="",
        location_scope="location",
        location=str(central.pk),
    )

    response = client.post("/staff/routing/new/", data)

    assert response.context["form"].errors == {
        "target_helper": ["Choose a person, a role or a library team to send requests to."]
    }
    assert form_values(response) == as_form_values(data)


def test_a_location_or_person_of_another_organization_is_not_a_choice(
    client, other_manager, other_library, library, central, helper
):
    client.force_login(other_manager)
    before = snapshot()

    response = client.post(
        "/staff/routing/new/",
        rule_post(
            other_library,
            location_scope="location",
            location=str(central.pk),
            target_role="",
            target_location=str(central.pk),
            target_helper=str(helper.pk),
        ),
    )

    invalid = ["Select a valid choice. That choice is not one of the available choices."]
    assert response.context["form"].errors == {
        "location": invalid,
        "target_location": invalid,
        "target_helper": invalid,
    }
    assert snapshot() == before


def test_another_organization_of_the_same_manager_is_checked(
    client, manager, library, central, other_library
):
    """A manager of two organizations may choose from both lists, but a rule takes only its own
    organization's libraries and people."""
    MembershipFactory(user=manager, organization=other_library, role=Role.MANAGER)
    elsewhere = LocationFactory(organization=other_library, name="Elsewhere Library")
    stranger = staff_member(other_library, Role.HELPER)
    client.force_login(manager)

    response = client.post(
        "/staff/routing/new/",
        rule_post(
            library,
            location_scope="location",
            location=str(elsewhere.pk),
            target_role="",
            target_helper=str(stranger.pk),
        ),
    )
    team = client.post(
        "/staff/routing/new/",
        rule_post(library, target_location=str(elsewhere.pk)),
    )

    assert response.context["form"].errors == {
        "location": ["That library does not belong to the organization you chose."],
        "target_helper": ["That person does not work for the organization you chose."],
    }
    assert team.context["form"].errors == {
        "target_location": ["That library does not belong to the organization you chose."],
    }
    assert (RoutingRule.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_tampered_organization_is_refused(client, manager, other_library):
    client.force_login(manager)

    response = client.post("/staff/routing/new/", rule_post(other_library))

    assert response.context["form"].errors == {
        "organization": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert RoutingRule.objects.count() == 0


def test_a_person_and_a_team_together_are_refused(client, manager, library, helper, central):
    client.force_login(manager)

    response = client.post(
        "/staff/routing/new/",
        rule_post(library, target_helper=str(helper.pk), target_location=str(central.pk)),
    )

    assert response.context["form"].errors == {
        "target_helper": [
            "A rule that names a person sends requests to that person only. Choose a person, "
            "or a role and library team, not both."
        ]
    }
    assert RoutingRule.objects.count() == 0


# --- Editing ------------------------------------------------------------------------------------


def test_the_edit_form_shows_the_rule(client, manager, library, central):
    rule = create_rule(
        organization=library,
        by=manager,
        name="Central",
        needs=["resume"],
        location_scope="location",
        location=central,
        target_location=central,
    )
    client.force_login(manager)

    response = client.get(f"/staff/routing/{rule.pk}/edit/")

    assert form_values(response) == {
        "name": ["Central"],
        "name_es": [""],
        "needs": ["resume"],
        "language": [""],
        "location_scope": ["location"],
        "location": [str(central.pk)],
        "channel": [""],
        "target_helper": [""],
        "target_role": [""],
        "target_location": [str(central.pk)],
        "is_active": ["on"],
    }
    assert b"A rule of Riverbend County Library." in response.content


def test_manager_edits_a_rule(client, manager, library, rules):
    rule = rules["Spanish speakers"]
    client.force_login(manager)

    response = client.post(
        f"/staff/routing/{rule.pk}/edit/",
        rule_post(library, name="Spanish, by phone", channel="phone", is_active=""),
    )

    assert (response.status_code, response.url) == (302, "/staff/routing/")
    rule.refresh_from_db()
    assert (rule.name, rule.channel, rule.language, rule.is_active, rule.position) == (
        "Spanish, by phone",
        "phone",
        "es",
        False,
        0,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Rule “Spanish, by phone” saved."
    ]
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.action, entry.data["fields"]) == (
        "jobhelp.routing_rule.updated",
        ["channel", "is_active", "language", "name", "needs", "target_role"],
    )


def test_bad_input_on_edit_changes_nothing(client, manager, library, rules):
    rule = rules["Spanish speakers"]
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/routing/{rule.pk}/edit/", rule_post(library, name="Nobody", target_role="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "target_helper": ["Choose a person, a role or a library team to send requests to."]
    }
    assert snapshot() == before


def test_an_unknown_rule_is_404(client, manager, rules):
    client.force_login(manager)

    response = client.get("/staff/routing/999999/edit/")

    assert response.status_code == 404


# --- Deleting and moving ------------------------------------------------------------------------


def test_delete_asks_first(client, manager, rules):
    rule = rules["Resumés"]
    client.force_login(manager)

    response = client.get(f"/staff/routing/{rule.pk}/delete/")

    assert response.status_code == 200
    assert "Delete the rule “Resumés”?".encode() in response.content
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_manager_deletes_a_rule(client, manager, library, rules):
    client.force_login(manager)

    response = client.post(f"/staff/routing/{rules['Spanish speakers'].pk}/delete/")

    assert (response.status_code, response.url) == (302, "/staff/routing/")
    assert list(
        RoutingRule.objects.filter(organization=library)
        .order_by("is_fallback", "position")
        .values_list("name", "position")
    ) == [("Resumés", 0), ("Everyone else", 0)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Rule “Spanish speakers” deleted."
    ]
    assert AuditEntry.objects.order_by("pk").last().action == "jobhelp.routing_rule.deleted"


@pytest.mark.parametrize(
    ("name", "direction", "order", "message"),
    [
        ("Resumés", "up", ["Resumés", "Spanish speakers"], "Rule “Resumés” moved up."),
        (
            "Spanish speakers",
            "down",
            ["Resumés", "Spanish speakers"],
            "Rule “Spanish speakers” moved down.",
        ),
        (
            "Spanish speakers",
            "up",
            ["Spanish speakers", "Resumés"],
            "“Spanish speakers” is already first.",
        ),
        ("Resumés", "down", ["Spanish speakers", "Resumés"], "“Resumés” is already last."),
    ],
)
def test_manager_moves_a_rule(client, manager, library, rules, name, direction, order, message):
    client.force_login(manager)

    response = client.post(f"/staff/routing/{rules[name].pk}/move/", {"direction": direction})

    assert (response.status_code, response.url) == (302, "/staff/routing/")
    assert (
        list(
            RoutingRule.objects.filter(organization=library, is_fallback=False)
            .order_by("position")
            .values_list("name", flat=True)
        )
        == order
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}])
def test_a_move_without_a_direction_is_a_bad_request(client, manager, rules, data):
    client.force_login(manager)
    before = snapshot()

    response = client.post(f"/staff/routing/{rules['Resumés'].pk}/move/", data)

    assert response.status_code == 400
    assert snapshot() == before


def test_move_needs_a_post(client, manager, rules):
    client.force_login(manager)
    before = snapshot()

    response = client.get(f"/staff/routing/{rules['Resumés'].pk}/move/?direction=up")

    assert response.status_code == 405
    assert snapshot() == before


def test_the_whole_flow_works_without_javascript(client, manager, library):
    """Each step follows the redirect and reads the next form out of the page."""
    client.force_login(manager)

    client.post("/staff/routing/new/", rule_post(library, name="First"), follow=True)
    listed = client.post("/staff/routing/new/", rule_post(library, name="Second"), follow=True)
    second = RoutingRule.objects.get(name="Second")
    html = listed.content.decode()
    assert f'action="/staff/routing/{second.pk}/move/"' in html
    assert 'name="direction" value="up"' in html
    moved = client.post(f"/staff/routing/{second.pk}/move/", {"direction": "up"}, follow=True)

    assert "Rule “Second” moved up." in moved.content.decode()
    assert names_listed(moved) == ["Second", "First"]
