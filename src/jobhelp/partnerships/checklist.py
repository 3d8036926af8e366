"""The MOU contents the federal rules require of a one-stop agreement, as a checklist: which of
them an agreement still lacks. The list and its references are in docs/partnerships.md.

20 CFR 678.500(b) lists what an MOU must include; (a) and (d) who makes and signs it; § 678.755
what the infrastructure funding part must contain (the same text is at 34 CFR 361.500 and
463.500 for the vocational rehabilitation and adult education partners). The checklist is a
record for the board, not a gate: an agreement may be executed with items still missing, and
its page says which.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobhelp.partnerships.enums import MAX_REVIEW_CYCLE_MONTHS, CostCategory, PartyRole


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str | Promise
    reference: str
    met: Callable[["Contents"], bool]


@dataclass(frozen=True)
class Contents:
    """What the checklist reads of an agreement, loaded once (contents_of)."""

    agreement: object
    parties: list
    cost_categories: frozenset[str]


def _text(value) -> bool:
    return bool((value or "").strip())


def _every_party_lists_services(contents: Contents) -> bool:
    return bool(contents.parties) and all(_text(p.services) for p in contents.parties)


def _every_party_signed(contents: Contents) -> bool:
    return len(contents.parties) >= 2 and all(p.signed_on for p in contents.parties)


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "services",
        _("The services each partner provides, and how they are coordinated and delivered"),
        "20 CFR 678.500(b)(1)",
        lambda c: _every_party_lists_services(c) and _text(c.agreement.services_coordination),
    ),
    Requirement(
        "infrastructure_costs",
        _("How the one-stop center's infrastructure costs are funded"),
        "20 CFR 678.500(b)(2)(i); 678.700-678.755",
        lambda c: CostCategory.INFRASTRUCTURE in c.cost_categories,
    ),
    Requirement(
        "shared_costs",
        _("How shared services and operating costs are funded"),
        "20 CFR 678.500(b)(2)(ii); 678.760",
        lambda c: CostCategory.SHARED in c.cost_categories,
    ),
    Requirement(
        "cost_allocation",
        _("The method for allocating costs to each partner"),
        "20 CFR 678.755(b)",
        lambda c: _text(c.agreement.cost_allocation_method),
    ),
    Requirement(
        "referral_methods",
        _("Methods of referring people between the one-stop operator and the partners"),
        "20 CFR 678.500(b)(3)",
        lambda c: _text(c.agreement.referral_methods),
    ),
    Requirement(
        "needs_disability",
        _("How the needs of people with disabilities are met"),
        "20 CFR 678.500(b)(4)",
        lambda c: _text(c.agreement.needs_disability),
    ),
    Requirement(
        "needs_language",
        _("How the needs of people facing a language barrier are met"),
        "20 CFR 678.500(b)(4)",
        lambda c: _text(c.agreement.needs_language),
    ),
    Requirement(
        "needs_technology",
        _("Access to technology and materials"),
        "20 CFR 678.500(b)(4)",
        lambda c: _text(c.agreement.needs_technology),
    ),
    Requirement(
        "duration",
        _("How long the agreement lasts: its effective and renewal dates"),
        "20 CFR 678.500(b)(5), (d)",
        lambda c: bool(c.agreement.effective_from and c.agreement.renewal_on),
    ),
    Requirement(
        "amendment_procedure",
        _("The procedure for amending the agreement"),
        "20 CFR 678.500(b)(5)",
        lambda c: _text(c.agreement.amendment_procedure),
    ),
    Requirement(
        "review_assurance",
        _("An assurance that the agreement is reviewed at least every 3 years"),
        "20 CFR 678.500(b)(6)",
        lambda c: (
            bool(c.agreement.review_cycle_months)
            and c.agreement.review_cycle_months <= MAX_REVIEW_CYCLE_MONTHS
        ),
    ),
    Requirement(
        "dispute_resolution",
        _("How partners resolve issues when they cannot reach consensus"),
        "20 CFR 678.755(e)",
        lambda c: _text(c.agreement.dispute_resolution),
    ),
    Requirement(
        "local_board",
        _("The local workforce board is a party"),
        "20 CFR 678.500(a), (d)",
        lambda c: any(p.role == PartyRole.LOCAL_BOARD for p in c.parties),
    ),
    Requirement(
        "chief_elected_official",
        _("The chief elected official's agreement"),
        "20 CFR 678.500(a), (d)",
        lambda c: (
            _text(c.agreement.chief_elected_official)
            and bool(c.agreement.chief_elected_official_agreed_on)
        ),
    ),
    Requirement(
        "signatures",
        _("Every party's signature"),
        "20 CFR 678.500(d)",
        _every_party_signed,
    ),
)


def contents_of(agreement) -> Contents:
    """Read what the checklist needs: the agreement's parties and the categories of its cost
    shares (two queries)."""
    parties = list(agreement.parties.all())
    categories = frozenset(
        agreement.parties.filter(cost_shares__isnull=False)
        .values_list("cost_shares__category", flat=True)
        .distinct()
    )
    return Contents(agreement=agreement, parties=parties, cost_categories=categories)


def missing_contents(agreement) -> list[Requirement]:
    """The required MOU contents `agreement` does not have yet, in the order of the rule."""
    contents = contents_of(agreement)
    return [requirement for requirement in REQUIREMENTS if not requirement.met(contents)]
