import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import ASSIGNING_ROLES, Role
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.intake.queries import need_codes, queue_for_user, queue_scope, with_need_codes
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import BranchFactory


@pytest.fixture
def people(library, branch, other_library):
    """Someone for each way of holding roles, and a second branch of the library system."""
    second_branch = BranchFactory(parent=library, name="Southside Library", slug="southside")
    branch_desk = staff_member(branch, Role.FRONT_DESK)
    mixed = staff_member(library, Role.HELPER)
    MembershipFactory(user=mixed, organization=second_branch, role=Role.MANAGER)
    MembershipFactory(user=mixed, organization=other_library, role=Role.ADMIN)
    inactive = staff_member(library, Role.FRONT_DESK, is_active=False)
    return {"branch_desk": branch_desk, "mixed": mixed, "inactive": inactive}


@pytest.mark.parametrize(
    "persona",
    ["front_desk", "helper", "manager", "outsider", "no_membership", "branch_desk", "mixed"],
)
def test_the_queue_scope_is_what_organizations_for_says(request, people, persona):
    user = people[persona] if persona in people else request.getfixturevalue(persona)

    scope = queue_scope(user)

    assert scope.organizations == {o.pk: o for o in organizations_for(user)}
    # Read as plain rows (core.prepared): the same organizations, column for column.
    assert {pk: o.__dict__ | {"_state": None} for pk, o in scope.organizations.items()} == {
        o.pk: o.__dict__ | {"_state": None} for o in organizations_for(user)
    }
    assert scope.assigning_ids == set(
        organizations_for(user, roles=ASSIGNING_ROLES).values_list("pk", flat=True)
    )


def test_the_queue_scope_in_words(library, branch, other_library, front_desk, helper, people):
    second_branch = library.children.get(slug="southside")

    scopes = {
        name: queue_scope(user)
        for name, user in {
            "front_desk": front_desk,
            "helper": helper,
            "branch_desk": people["branch_desk"],
            "mixed": people["mixed"],
            "inactive": people["inactive"],
        }.items()
    }

    assert {
        name: (set(s.organization_ids), set(s.assigning_ids), set(s.pool_ids))
        for name, s in scopes.items()
    } == {
        "front_desk": (
            {library.pk, branch.pk, second_branch.pk},
            {library.pk, branch.pk, second_branch.pk},
            {library.pk, branch.pk, second_branch.pk},
        ),
        "helper": (
            {library.pk, branch.pk, second_branch.pk},
            set(),
            {library.pk, branch.pk, second_branch.pk},
        ),
        # A branch's staff see their branch; its system's helpers serve it too.
        "branch_desk": ({branch.pk}, {branch.pk}, {branch.pk, library.pk}),
        "mixed": (
            {library.pk, branch.pk, second_branch.pk, other_library.pk},
            {second_branch.pk, other_library.pk},
            {library.pk, branch.pk, second_branch.pk, other_library.pk},
        ),
        "inactive": (set(), set(), set()),
    }


def test_the_queue_read_with_a_scope_is_the_same_queue(library, branch, front_desk, helper):
    HelpRequestFactory(organization=branch, needs=["digital"])
    HelpRequestFactory(organization=library, state="assigned", assigned_to=helper)
    HelpRequestFactory(organization=library, state="closed", closing_reason="withdrawn")
    scope = queue_scope(front_desk)

    with CaptureQueriesContext(connection) as queries:
        requests = list(queue_for_user(front_desk, scope=scope))
        scope.attach_organizations(requests)
        organizations = [r.organization for r in requests]

    assert requests == list(queue_for_user(front_desk))
    assert organizations == [r.organization for r in queue_for_user(front_desk)]
    # The page and its needs; the organizations come from the scope.
    assert len(queries) == 2


def test_the_need_codes_read_with_the_page_are_its_needs_in_order(library, front_desk):
    HelpRequestFactory(organization=library, needs=["unemployment", "adult_ed", "resume"])
    HelpRequestFactory(organization=library, needs=["interview"])
    HelpRequestFactory(organization=library).needs.all().delete()
    scope = queue_scope(front_desk)

    with CaptureQueriesContext(connection) as queries:
        read = [need_codes(r) for r in with_need_codes(queue_for_user(front_desk, scope=scope))]

    assert read == [[n.need for n in r.needs.all()] for r in queue_for_user(front_desk)]
    assert sorted(read) == [[], ["adult_ed", "resume", "unemployment"], ["interview"]]
    # The page alone: the needs come with it.
    assert len(queries) == 1
