"""The missing-contents checklist against the MOU contents of 20 CFR 678.500 (and the
infrastructure funding elements of 678.755 that the MOU must carry)."""

import pytest

from jobhelp.partnerships.checklist import REQUIREMENTS, missing_contents
from jobhelp.partnerships.enums import ContributionKind, CostCategory, PartyRole
from jobhelp.partnerships.models import CostShare
from tests.factories.partnerships import COMPLETE_TERMS, AgreementFactory, PartyFactory, signed

# The list in docs/partnerships.md, written from the rule: (code, reference).
RULE = [
    ("services", "20 CFR 678.500(b)(1)"),
    ("infrastructure_costs", "20 CFR 678.500(b)(2)(i); 678.700-678.755"),
    ("shared_costs", "20 CFR 678.500(b)(2)(ii); 678.760"),
    ("cost_allocation", "20 CFR 678.755(b)"),
    ("referral_methods", "20 CFR 678.500(b)(3)"),
    ("needs_disability", "20 CFR 678.500(b)(4)"),
    ("needs_language", "20 CFR 678.500(b)(4)"),
    ("needs_technology", "20 CFR 678.500(b)(4)"),
    ("duration", "20 CFR 678.500(b)(5), (d)"),
    ("amendment_procedure", "20 CFR 678.500(b)(5)"),
    ("review_assurance", "20 CFR 678.500(b)(6)"),
    ("dispute_resolution", "20 CFR 678.755(e)"),
    ("local_board", "20 CFR 678.500(a), (d)"),
    ("chief_elected_official", "20 CFR 678.500(a), (d)"),
    ("signatures", "20 CFR 678.500(d)"),
]


def codes(agreement) -> list[str]:
    return [requirement.code for requirement in missing_contents(agreement)]


@pytest.fixture
def complete(partnership, center, library):
    agreement = AgreementFactory(partnership=partnership, **COMPLETE_TERMS)
    board = signed(
        PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD)
    )
    signed(PartyFactory(agreement=agreement, organization=library))
    CostShare.objects.create(
        party=board,
        category=CostCategory.INFRASTRUCTURE,
        contribution=ContributionKind.CASH,
        description="Rent",
    )
    CostShare.objects.create(
        party=board,
        category=CostCategory.SHARED,
        contribution=ContributionKind.NON_CASH,
        description="Front desk",
    )
    return agreement


def test_the_checklist_is_the_list_of_the_rule_in_its_order():
    assert [(r.code, r.reference) for r in REQUIREMENTS] == RULE


def test_an_empty_draft_misses_every_required_content(partnership):
    agreement = AgreementFactory(
        partnership=partnership, effective_from=None, renewal_on=None, review_cycle_months=None
    )
    assert codes(agreement) == [code for code, _reference in RULE]


def test_a_complete_agreement_misses_nothing(complete):
    assert codes(complete) == []


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("services_coordination", "", "services"),
        ("cost_allocation_method", " ", "cost_allocation"),
        ("referral_methods", "", "referral_methods"),
        ("needs_disability", "", "needs_disability"),
        ("needs_language", "", "needs_language"),
        ("needs_technology", "", "needs_technology"),
        ("renewal_on", None, "duration"),
        ("effective_from", None, "duration"),
        ("amendment_procedure", "", "amendment_procedure"),
        ("review_cycle_months", None, "review_assurance"),
        ("dispute_resolution", "", "dispute_resolution"),
        ("chief_elected_official", "", "chief_elected_official"),
        ("chief_elected_official_agreed_on", None, "chief_elected_official"),
    ],
)
def test_each_missing_term_is_named_alone(complete, field, value, code):
    setattr(complete, field, value)
    assert codes(complete) == [code]


def test_a_party_without_services_misses_the_services(complete):
    complete.parties.filter(role=PartyRole.ADDITIONAL_PARTNER).update(services="")
    assert codes(complete) == ["services"]


@pytest.mark.parametrize(
    ("category", "code"),
    [(CostCategory.INFRASTRUCTURE, "infrastructure_costs"), (CostCategory.SHARED, "shared_costs")],
)
def test_each_kind_of_cost_funding_is_required(complete, category, code):
    CostShare.objects.filter(category=category).delete()
    assert codes(complete) == [code]


def test_without_the_local_board_as_a_party(complete):
    complete.parties.filter(role=PartyRole.LOCAL_BOARD).update(role=PartyRole.ONE_STOP_OPERATOR)
    assert codes(complete) == ["local_board"]


def test_an_unsigned_party_misses_the_signatures(complete):
    complete.parties.filter(role=PartyRole.ADDITIONAL_PARTNER).update(signed_on=None)
    assert codes(complete) == ["signatures"]


def test_one_party_alone_is_not_a_signed_agreement(partnership, center):
    agreement = AgreementFactory(partnership=partnership, **COMPLETE_TERMS)
    signed(PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD))
    assert "signatures" in codes(agreement)


def test_the_checklist_reads_in_two_queries(complete, django_assert_num_queries):
    with django_assert_num_queries(2):
        missing_contents(complete)
