from jobhelp.accounts.enums import Role
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.organizations.queries import (
    locations_for_public_form,
    open_location_names,
    phone_for_patrons,
    public_organization,
)
from tests.factories.accounts import staff_member
from tests.factories.organizations import BranchFactory, LocationFactory, OrganizationFactory


def test_library_system_staff_work_for_its_branches_but_not_other_systems(
    library, branch, other_library, front_desk
):
    BranchFactory(parent=other_library)

    assert set(organizations_for(front_desk)) == {library, branch}


def test_branch_staff_work_only_for_their_branch(library, branch):
    branch_desk = staff_member(branch, Role.FRONT_DESK)

    assert list(organizations_for(branch_desk)) == [branch]


def test_roles_filter_limits_to_memberships_with_those_roles(library, other_library):
    person = staff_member(library, Role.HELPER)
    staff_member_of_other = person.memberships.create(organization=other_library, role=Role.MANAGER)

    assert list(organizations_for(person, roles=frozenset({Role.MANAGER}))) == [
        staff_member_of_other.organization
    ]


def test_anonymous_and_inactive_users_work_for_nobody(library, front_desk):
    from django.contrib.auth.models import AnonymousUser

    front_desk.is_active = False
    assert (
        list(organizations_for(AnonymousUser())),
        list(organizations_for(front_desk)),
    ) == ([], [])


def test_public_organization_is_the_first_top_level_one_accepting_requests(db):
    OrganizationFactory(accepts_public_requests=False, slug="quiet")
    first = OrganizationFactory(slug="first")
    OrganizationFactory(slug="second")
    branch = BranchFactory(parent=first, accepts_public_requests=True, slug="b")

    assert (
        public_organization(),
        public_organization("second").slug,
        public_organization("quiet"),
        public_organization(branch.slug),
    ) == (first, "second", None, branch)


def test_public_form_offers_open_locations_of_the_organization_and_its_branches(
    library, branch, other_library
):
    main = LocationFactory(organization=library, name="A Central")
    LocationFactory(organization=library, name="Closed one", is_active=False)
    LocationFactory(organization=other_library, name="Elsewhere")

    assert [loc.name for loc in locations_for_public_form(library)] == [
        main.name,
        "Northtown Library",
    ]


def test_the_number_patrons_call_is_the_helping_organizations_own(library, branch, center):
    """The library system's number only when nobody closer has one."""
    branch.phone = ""
    branch.save()
    branch.locations.update(phone="763-555-0111")
    quiet = BranchFactory(parent=library, phone="")
    LocationFactory(organization=quiet, phone="")
    center.phone = "763-555-0150"
    center.save()

    assert [phone_for_patrons(o) for o in (library, branch, center, quiet, None)] == [
        "763-555-0100",
        "763-555-0111",
        "763-555-0150",
        "763-555-0100",
        "",
    ]


def test_open_location_names_are_those_of_the_organizations_given_by_name(
    library, branch, other_library
):
    zebra = LocationFactory(organization=library, name="Zebra Street")
    annex = LocationFactory(organization=branch, name="Annex")
    LocationFactory(organization=library, name="Closed Library", is_active=False)
    LocationFactory(organization=other_library, name="Another System's")

    found = open_location_names({library.pk, branch.pk})

    assert found == [
        (loc.pk, loc.name)
        for loc in sorted(
            [*library.locations.filter(is_active=True), *branch.locations.filter(is_active=True)],
            key=lambda loc: loc.name,
        )
    ]
    assert [zebra.pk, annex.pk] == [pk for pk, _name in found if pk in (zebra.pk, annex.pk)][::-1]
    assert open_location_names(set()) == []
