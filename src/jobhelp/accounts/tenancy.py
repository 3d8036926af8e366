"""Tenancy: for which organizations a person acts, and in which roles.

This is the one place that decides it (docs/conventions/permissions.md). Every `rules.py`
predicate and every scoped query of every domain app is built on these functions; none reads
memberships or the organization tree on its own.

**Reach.** A membership with a role in an organization lets the person act with that role for
that organization and for the organizations directly below it: a library system's staff act for
its branches and affiliates. A role never reaches up (a branch's staff do not act for their
library system) nor sideways (to a sibling branch, or to the workforce center). The tree is one
level deep (a database constraint on organizations). Inactive people and anonymous visitors act
for nobody; Django's superuser flag gives no organization.

Partners that work across organizations on purpose (referrals, agreements) do so through
records of their own that name both sides, and are checked against these functions on each
side; they never widen them.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from jobhelp.accounts.enums import MANAGING_ROLES, Role
from jobhelp.accounts.models import Membership
from jobhelp.organizations.models import Organization

Roles = frozenset[str] | set[str]


def _acts(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user, roles: Roles | None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=sorted(roles))
    return memberships


def organizations_for(user, *, roles: Roles | None = None) -> QuerySet[Organization]:
    """The organizations `user` acts for (through memberships with one of `roles`, if given):
    those they are a member of and the ones directly below those. A lazy query: used inside
    another query, it becomes a subquery there."""
    if not _acts(user):
        return Organization.objects.none()
    member_of = _memberships(user, roles).values("organization_id")
    return Organization.objects.filter(Q(pk__in=member_of) | Q(parent_id__in=member_of))


def above_and_self(organization) -> list[int]:
    """The organizations whose members act for `organization`: itself and the one above it."""
    return [organization.pk] + ([organization.parent_id] if organization.parent_id else [])


def holds_role(user, organization, roles: Roles) -> bool:
    """Does `user` act for `organization` with one of `roles`? One query."""
    if not _acts(user):
        return False
    return (
        _memberships(user, roles).filter(organization_id__in=above_and_self(organization)).exists()
    )


def acts_for(user, organization) -> bool:
    """Does `user` act for `organization` in any role?"""
    return holds_role(user, organization, frozenset(Role))


def roles_of(user) -> frozenset[str]:
    """Every role the user holds anywhere (empty for someone who is not staff), in one query.
    Staff pages read it once per request for their own check and the menu."""
    if not _acts(user):
        return frozenset()
    return frozenset(_memberships(user, None).order_by().values_list("role", flat=True))


@dataclass(frozen=True)
class MemberOf:
    """Whom the signed-in person works for, as the staff header names it: the organizations of
    their memberships, and the one at the top of them all when there is exactly one (a library
    system for its branches' staff, the workforce center for its own), else None."""

    names: tuple[str, ...]
    top: str | None


def member_of(user) -> MemberOf:
    """One query."""
    if not _acts(user):
        return MemberOf(names=(), top=None)
    rows = list(
        Organization.objects.filter(memberships__user_id=user.pk)
        .order_by("name")
        .values_list("name", "parent__name")
        .distinct()
    )
    tops = {parent or name for name, parent in rows}
    return MemberOf(
        names=tuple(dict.fromkeys(name for name, _parent in rows)),
        top=tops.pop() if len(tops) == 1 else None,
    )


def tree(root_id: int, *, via: str = "") -> Q:
    """The tree of `root_id` (the organization itself and those directly below it), as a
    condition on organizations, or, with `via`, on the objects whose `via` field points at an
    organization (`tree(root, via="organization")` for requests, locations, ...)."""
    if via:
        return Q(**{f"{via}_id": root_id}) | Q(**{f"{via}__parent_id": root_id})
    return Q(pk=root_id) | Q(parent_id=root_id)


@dataclass(frozen=True)
class Tenancy:
    """Everything `organizations_for` and `holds_role` would answer for one person, read in one
    query, for pages that ask about many organizations (the queue asks for every row)."""

    roles: dict[int, frozenset[str]]

    @property
    def organization_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def ids_with(self, roles: Roles) -> frozenset[int]:
        return frozenset(pk for pk, held in self.roles.items() if held & roles)

    def holds(self, organization_id: int, roles: Roles) -> bool:
        return bool(self.roles.get(organization_id, frozenset()) & roles)


def tenancy_of(user) -> Tenancy:
    """The organizations `user` acts for, each with the roles they act with there. One query:
    the memberships' own organizations, united with the ones directly below them."""
    if not _acts(user):
        return Tenancy(roles={})
    direct = (
        Membership.objects.filter(user_id=user.pk).order_by().values_list("organization_id", "role")
    )
    below = (
        Organization.objects.filter(parent__memberships__user_id=user.pk)
        .order_by()
        .values_list("pk", "parent__memberships__role")
    )
    found: dict[int, set[str]] = {}
    for organization_id, role in direct.union(below, all=True):
        found.setdefault(organization_id, set()).add(role)
    return Tenancy(roles={pk: frozenset(held) for pk, held in found.items()})


def may_enter_staff_area(user, roles: Roles) -> bool:
    """From roles already read (roles_of): a member of some organization, or a superuser, who
    comes in but sees nothing without a membership."""
    return bool(roles) or bool(user.is_superuser)


def is_manager_among(roles: Roles) -> bool:
    """Do these roles (roles_of) include a manager's somewhere?"""
    return bool(MANAGING_ROLES & roles)


def works_for_an_organization(user) -> bool:
    """The door of the staff pages and of the API: a member of some organization."""
    return _acts(user) and Membership.objects.filter(user_id=user.pk).exists()


def works_somewhere(user_field: str = "pk") -> Exists:
    """works_for_an_organization as a condition inside another query, on the user whose id is
    in `user_field` (the API reads a token and its owner's door in one query)."""
    return Exists(Membership.objects.filter(user_id=OuterRef(user_field)))
