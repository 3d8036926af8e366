"""accounts.tenancy, the one answer to "for which organizations does this person act, in which
role", walked over the demo county's tree for every role at every level."""

import pytest

from jobhelp.accounts import tenancy
from jobhelp.accounts.enums import ASSIGNING_ROLES, HELPING_ROLES, MANAGING_ROLES, Role
from jobhelp.demo import data as demo
from jobhelp.organizations.enums import OrganizationKind, ParticipationTier
from tests.factories.accounts import MembershipFactory, UserFactory, staff_member
from tests.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> dict:
    """The demo county's organizations by slug: the library system with its eight branches
    and two affiliates, and the workforce center beside it."""
    system = OrganizationFactory(slug=demo.LIBRARY_SYSTEM["slug"], name="Riverbend County Library")
    orgs = {system.slug: system}
    for slug, name, _street, _city in demo.BRANCHES:
        orgs[slug] = OrganizationFactory(
            slug=slug, name=name, kind=OrganizationKind.BRANCH, parent=system
        )
    for slug, name, _street, _city in demo.AFFILIATES:
        orgs[slug] = OrganizationFactory(
            slug=slug,
            name=name,
            kind=OrganizationKind.AFFILIATE,
            parent=system,
            participation_tier=ParticipationTier.REDUCED,
        )
    center = OrganizationFactory(
        slug=demo.WORKFORCE_CENTER["slug"], kind=OrganizationKind.WORKFORCE_CENTER
    )
    orgs[center.slug] = center
    return orgs


def system_tree(county) -> set[str]:
    return {slug for slug in county if slug != demo.WORKFORCE_CENTER["slug"]}


def expected(county, slug: str) -> set[str]:
    """What a membership at `slug` reaches: the organization and those directly below it."""
    if slug == demo.LIBRARY_SYSTEM["slug"]:
        return system_tree(county)
    return {slug}


LEVELS = [
    demo.LIBRARY_SYSTEM["slug"],
    "central",
    "northtown",
    "harbor-city",
    "pine-ridge",
    demo.WORKFORCE_CENTER["slug"],
]


def slugs(organizations) -> set[str]:
    return {o.slug for o in organizations}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("level", LEVELS)
def test_every_role_at_every_level_gets_the_one_answer(county, level, role):
    person = staff_member(county[level], role)
    reach = expected(county, level)

    acts_for = slugs(tenancy.organizations_for(person))
    holds = {slug for slug, org in county.items() if tenancy.holds_role(person, org, {role})}
    holds_other = {
        slug for slug, org in county.items() if tenancy.holds_role(person, org, set(Role) - {role})
    }
    snapshot = tenancy.tenancy_of(person)

    assert (acts_for, holds, holds_other) == (reach, reach, set())
    assert snapshot.roles == {county[slug].pk: frozenset({role}) for slug in reach}
    assert tenancy.roles_of(person) == frozenset({role})


def test_a_branch_role_never_reaches_up_or_sideways(county):
    person = staff_member(county["northtown"], Role.MANAGER)

    assert [
        tenancy.acts_for(person, county[slug])
        for slug in (demo.LIBRARY_SYSTEM["slug"], "central", "harbor-city", "riverbend-workforce")
    ] == [False, False, False, False]


def test_roles_in_two_organizations_add_up_and_roles_narrow_them(county):
    person = staff_member(county[demo.LIBRARY_SYSTEM["slug"]], Role.HELPER)
    MembershipFactory(user=person, organization=county["northtown"], role=Role.MANAGER)
    MembershipFactory(
        user=person, organization=county[demo.WORKFORCE_CENTER["slug"]], role=Role.FRONT_DESK
    )

    assert (
        slugs(tenancy.organizations_for(person)),
        slugs(tenancy.organizations_for(person, roles=MANAGING_ROLES)),
        slugs(tenancy.organizations_for(person, roles=ASSIGNING_ROLES)),
        slugs(tenancy.organizations_for(person, roles=HELPING_ROLES)),
    ) == (
        system_tree(county) | {demo.WORKFORCE_CENTER["slug"]},
        {"northtown"},
        {"northtown", demo.WORKFORCE_CENTER["slug"]},
        system_tree(county),
    )
    snapshot = tenancy.tenancy_of(person)
    assert (
        snapshot.roles[county["northtown"].pk],
        snapshot.ids_with(MANAGING_ROLES),
        snapshot.holds(county["central"].pk, MANAGING_ROLES),
    ) == (
        frozenset({Role.HELPER, Role.MANAGER}),
        frozenset({county["northtown"].pk}),
        False,
    )


def test_inactive_anonymous_and_superusers_act_for_nobody(county):
    inactive = staff_member(county[demo.LIBRARY_SYSTEM["slug"]], Role.MANAGER, is_active=False)
    superuser = UserFactory(is_superuser=True)
    from django.contrib.auth.models import AnonymousUser

    for person in (inactive, superuser, AnonymousUser()):
        assert (
            list(tenancy.organizations_for(person)),
            tenancy.holds_role(person, county["central"], set(Role)),
            tenancy.tenancy_of(person).roles,
            tenancy.roles_of(person),
        ) == ([], False, {}, frozenset())
    assert (
        tenancy.may_enter_staff_area(superuser, frozenset()),
        tenancy.may_enter_staff_area(inactive, tenancy.roles_of(inactive)),
    ) == (True, False)


def test_the_snapshot_is_one_query(county, django_assert_num_queries):
    person = staff_member(county[demo.LIBRARY_SYSTEM["slug"]], Role.MANAGER)
    MembershipFactory(
        user=person, organization=county[demo.WORKFORCE_CENTER["slug"]], role=Role.HELPER
    )

    with django_assert_num_queries(1):
        snapshot = tenancy.tenancy_of(person)

    assert len(snapshot.roles) == 12


def test_the_door_is_a_membership_somewhere(county):
    member = staff_member(county["pine-ridge"], Role.PARTNER_STAFF)

    assert (
        member.has_perm("accounts.enter_staff_area"),
        UserFactory().has_perm("accounts.enter_staff_area"),
    ) == (True, False)


def test_the_header_names_whom_a_person_works_for(county):
    center_desk = staff_member(county[demo.WORKFORCE_CENTER["slug"]], Role.FRONT_DESK)
    branch_desk = staff_member(county["northtown"], Role.FRONT_DESK)
    both = staff_member(county[demo.LIBRARY_SYSTEM["slug"]], Role.MANAGER)
    MembershipFactory(user=both, organization=county[demo.WORKFORCE_CENTER["slug"]])

    assert [
        tenancy.member_of(person) for person in (center_desk, branch_desk, both, UserFactory())
    ] == [
        tenancy.MemberOf(
            names=(county[demo.WORKFORCE_CENTER["slug"]].name,),
            top=county[demo.WORKFORCE_CENTER["slug"]].name,
        ),
        tenancy.MemberOf(names=("Northtown Library",), top="Riverbend County Library"),
        tenancy.MemberOf(
            names=tuple(
                sorted(["Riverbend County Library", county[demo.WORKFORCE_CENTER["slug"]].name])
            ),
            top=None,
        ),
        tenancy.MemberOf(names=(), top=None),
    ]
