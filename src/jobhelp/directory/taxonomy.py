"""jobhelp's own taxonomy, published in HSDS: the needs a service meets (core.enums.Need), the
ways to get it (AccessMethod), and, for organizations, the partnership tier and the kind of
partner. Its terms are code, not rows, so they cost no query; their ids are UUIDs derived from
their codes, the same in every jobhelp installation, so partners' directories agree on them.

Other taxonomies (a partner's, or categories staff add) are rows: directory.models.Taxonomy
and TaxonomyTerm.
"""

from dataclasses import dataclass
from uuid import UUID, uuid5

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Need
from jobhelp.directory.enums import AccessMethod
from jobhelp.organizations.enums import OrganizationKind, ParticipationTier

# Fixed for good: every id below derives from it.
NAMESPACE = UUID("5b0e7b55-2f3c-4a4e-9d43-6a0f7c1b9e21")
TAXONOMY_ID = uuid5(NAMESPACE, "taxonomy")
NAME = "jobhelp"
DESCRIPTION = _(
    "The job-help directory's own terms: the needs a service meets, how to get it, and the "
    "partnership tier and kind of each partner."
)

NEED = "need"
ACCESS = "access"
TIER = "partnership_tier"
KIND = "organization_kind"


@dataclass(frozen=True)
class Term:
    group: str
    value: str  # the enum's value; "" for a group's own term
    name: Promise | str
    description: Promise | str

    @property
    def code(self) -> str:
        return f"{self.group}.{self.value}" if self.value else self.group

    @property
    def uuid(self) -> UUID:
        return uuid5(NAMESPACE, self.code)

    @property
    def parent_uuid(self) -> UUID | None:
        return uuid5(NAMESPACE, self.group) if self.value else None


_GROUPS = [
    (NEED, Need, _("Needs"), _("What a job seeker needs help with.")),
    (ACCESS, AccessMethod, _("How to get it"), _("Walk in, by appointment, online or by phone.")),
    (TIER, ParticipationTier, _("Partnership tier"), _("How fully a partner takes part.")),
    (KIND, OrganizationKind, _("Kind of partner"), _("Library system, branch, affiliate, center.")),
]

TERMS: tuple[Term, ...] = tuple(
    term
    for group, choices, name, description in _GROUPS
    for term in [
        Term(group, "", name, description),
        *(Term(group, value, label, label) for value, label in choices.choices),
    ]
)
BY_UUID: dict[UUID, Term] = {term.uuid: term for term in TERMS}


def term_uuid(group: str, value: str) -> UUID:
    return Term(group, value, "", "").uuid
