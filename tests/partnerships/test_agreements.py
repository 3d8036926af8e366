"""Agreements: drafting, parties, cost shares, negotiation, signatures, amendments, renewal."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships import agreements
from jobhelp.partnerships.enums import (
    TRANSITIONS,
    AgreementStatus,
    AmendmentKind,
    ContributionKind,
    CostCategory,
    PartyRole,
)
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import Agreement, Amendment, CostShare, Occurrence, Party
from tests.factories.partnerships import AgreementFactory, PartyFactory
from tests.partnerships.conftest import term_end, term_start


def actions(obj=None) -> list[str]:
    entries = AuditEntry.objects.order_by("pk")
    if obj is not None:
        entries = entries.filter(object_id=str(obj.pk))
    return list(entries.values_list("action", flat=True))


def draft(partnership, by, organization, **terms) -> Agreement:
    return agreements.create_agreement(
        partnership,
        by=by,
        title="New MOU",
        organization=organization,
        role=PartyRole.LOCAL_BOARD,
        services="Career services",
        **terms,
    )


# --- Status table ---------------------------------------------------------------------------------


def test_the_status_table_allows_exactly_these_moves():
    assert {state: set(targets) for state, targets in TRANSITIONS.items()} == {
        "draft": {"in_negotiation"},
        "in_negotiation": {"draft", "executed"},
        "executed": {"in_negotiation", "expired", "superseded"},
        "expired": {"superseded"},
        "superseded": set(),
    }


# --- Drafting -------------------------------------------------------------------------------------


def test_a_manager_of_a_partner_drafts_an_agreement_with_their_organization_as_first_party(
    partnership, center, center_manager
):
    agreement = draft(partnership, center_manager, center, effective_from=date(2027, 7, 1))

    assert (agreement.status, agreement.effective_from) == ("draft", date(2027, 7, 1))
    assert list(agreement.parties.values_list("organization", "role", "tier")) == [
        (center.pk, "local_board", "full")
    ]
    assert actions() == ["jobhelp.agreement.created", "jobhelp.agreement_party.added"]


def test_drafting_for_an_organization_one_does_not_manage_is_refused(
    partnership, library, center_manager
):
    with pytest.raises(PartnershipError, match="only for an organization you manage"):
        draft(partnership, center_manager, library)
    assert (Agreement.objects.count(), actions()) == (0, [])


def test_the_first_party_must_be_a_partner(partnership, other_library, outsider):
    with pytest.raises(PartnershipError, match="must be a partner"):
        draft(partnership, outsider, other_library)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (
            {"effective_from": date(2027, 7, 1), "renewal_on": date(2027, 6, 30)},
            "The renewal date must come after the date the agreement takes effect.",
        ),
        (
            {"effective_from": date(2027, 7, 1), "renewal_on": date(2027, 7, 1)},
            "The renewal date must come after the date the agreement takes effect.",
        ),
        (
            {"review_cycle_months": 37},
            "An agreement must be reviewed at least every 36 months (20 CFR 678.500(b)(6)). "
            "Enter 36 months or fewer.",
        ),
        ({"review_cycle_months": 0}, "Enter the review cycle in whole months, at least 1."),
    ],
)
def test_bad_dates_and_review_cycles_are_refused_and_nothing_is_written(
    partnership, center, center_manager, terms, message
):
    with pytest.raises(PartnershipError) as refused:
        draft(partnership, center_manager, center, **terms)

    assert str(refused.value) == message
    assert (Agreement.objects.count(), Party.objects.count(), actions()) == (0, 0, [])


def test_the_database_refuses_a_renewal_before_the_effective_date_and_a_long_review(partnership):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(
            partnership=partnership, effective_from=date(2027, 7, 1), renewal_on=date(2027, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(partnership=partnership, review_cycle_months=37)


def test_update_agreement_writes_only_changed_terms_and_audits_their_names(
    partnership, center, center_manager
):
    agreement = draft(partnership, center_manager, center)

    agreements.update_agreement(
        agreement, by=center_manager, title="New MOU", referral_methods="Warm handoffs."
    )
    agreements.update_agreement(agreement, by=center_manager, title="New MOU")

    agreement.refresh_from_db()
    assert agreement.referral_methods == "Warm handoffs."
    entries = list(
        AuditEntry.objects.filter(action="jobhelp.agreement.updated").values_list("data", flat=True)
    )
    assert entries == [{"fields": ["referral_methods"]}]


def test_update_agreement_refuses_a_review_cycle_over_36_months(
    partnership, center, center_manager
):
    agreement = draft(partnership, center_manager, center, review_cycle_months=24)

    with pytest.raises(PartnershipError, match="at least every 36 months"):
        agreements.update_agreement(agreement, by=center_manager, review_cycle_months=48)

    agreement.refresh_from_db()
    assert agreement.review_cycle_months == 24


def test_an_executed_agreement_changes_only_through_an_amendment(agreement, center_manager):
    with pytest.raises(PartnershipError, match="through an amendment"):
        agreements.update_agreement(agreement, by=center_manager, title="Changed")


def test_staff_who_are_not_managers_of_a_party_cannot_change_it(
    agreement, liaison, front_desk, outsider
):
    for person in (liaison, front_desk, outsider):
        with pytest.raises(PartnershipError, match="Only managers of a party"):
            agreements.amend_agreement(
                agreement,
                by=person,
                kind=AmendmentKind.MINOR,
                summary="x",
                effective_on=date(2027, 1, 1),
            )


# --- Parties and cost shares ----------------------------------------------------------------------


def test_a_party_is_added_once_with_its_tier_as_a_partner(
    partnership, center, library, affiliate, center_manager
):
    agreement = draft(partnership, center_manager, center)

    party = agreements.add_party(
        agreement, by=center_manager, organization=affiliate, role=PartyRole.ADDITIONAL_PARTNER
    )

    assert (party.tier, party.role) == (ParticipationTier.REDUCED, "additional_partner")
    with pytest.raises(PartnershipError) as refused:
        agreements.add_party(
            agreement, by=center_manager, organization=affiliate, role=PartyRole.REQUIRED_PARTNER
        )
    assert str(refused.value) == "Harbor City Public Library is already a party to this agreement."
    assert agreement.parties.count() == 2
    assert actions().count("jobhelp.agreement_party.added") == 2


def test_the_database_refuses_the_same_party_twice(agreement, library):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyFactory(agreement=agreement, organization=library)


def test_parties_do_not_change_on_an_executed_agreement(agreement, other_library, center_manager):
    with pytest.raises(PartnershipError, match="major amendment"):
        agreements.add_party(
            agreement,
            by=center_manager,
            organization=other_library,
            role=PartyRole.REQUIRED_PARTNER,
        )


def test_cost_shares_are_recorded_and_removed_with_audit(partnership, center, center_manager):
    agreement = draft(partnership, center_manager, center)
    party = agreement.parties.get()

    share = agreements.add_cost_share(
        party,
        by=center_manager,
        category=CostCategory.INFRASTRUCTURE,
        contribution=ContributionKind.IN_KIND,
        description="Rent-free space for the library shelf",
        annual_amount=1200,
    )
    agreements.remove_cost_share(share, by=center_manager)

    assert CostShare.objects.count() == 0
    data = list(
        AuditEntry.objects.filter(action__startswith="jobhelp.cost_share")
        .order_by("pk")
        .values_list("action", "data")
    )
    assert data == [
        (
            "jobhelp.cost_share.added",
            {"agreement": agreement.pk, "category": "infrastructure", "contribution": "in_kind"},
        ),
        ("jobhelp.cost_share.removed", {"agreement": agreement.pk}),
    ]


def test_the_last_party_and_a_party_with_obligations_stay(
    partnership, center, library, center_manager, manager
):
    agreement = draft(partnership, center_manager, center)
    with pytest.raises(PartnershipError, match="at least one party"):
        agreements.remove_party(agreement.parties.get(), by=center_manager)
    party = agreements.add_party(
        agreement, by=center_manager, organization=library, role=PartyRole.ADDITIONAL_PARTNER
    )
    agreements.remove_party(party, by=manager)
    assert list(agreement.parties.values_list("organization", flat=True)) == [center.pk]


# --- Negotiation and signatures -------------------------------------------------------------------


@pytest.fixture
def negotiating(partnership, center, library, center_manager):
    agreement = draft(
        partnership,
        center_manager,
        center,
        effective_from=date(2027, 7, 1),
        renewal_on=date(2030, 6, 30),
        review_cycle_months=36,
    )
    agreements.add_party(
        agreement, by=center_manager, organization=library, role=PartyRole.ADDITIONAL_PARTNER
    )
    return agreements.open_negotiation(agreement, by=center_manager)


def sign(party, by, day=date(2026, 12, 1)):
    return agreements.record_signature(
        party, by=by, signatory_name="Alex Director", signatory_title="Director", signed_on=day
    )


def test_negotiation_needs_two_parties(partnership, center, center_manager):
    agreement = draft(partnership, center_manager, center)
    with pytest.raises(PartnershipError, match="Add the other parties"):
        agreements.open_negotiation(agreement, by=center_manager)
    assert Agreement.objects.get().status == "draft"


def test_the_agreement_is_executed_when_the_last_party_signs(
    negotiating, center, library, center_manager, manager
):
    center_party = negotiating.parties.get(organization=center)
    library_party = negotiating.parties.get(organization=library)

    sign(center_party, center_manager)
    assert Agreement.objects.get().status == "in_negotiation"
    sign(library_party, manager)

    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.executed_at is not None) == ("executed", True)
    assert actions(agreement)[-1] == "jobhelp.agreement.executed"
    assert list(
        AuditEntry.objects.filter(action="jobhelp.agreement_party.signed")
        .order_by("pk")
        .values_list("actor", "organization")
    ) == [(center_manager.pk, center.pk), (manager.pk, library.pk)]


def test_only_a_partys_own_managers_record_its_signature(
    negotiating, library, center_manager, front_desk
):
    library_party = negotiating.parties.get(organization=library)
    for person in (center_manager, front_desk):
        with pytest.raises(PartnershipError, match="party's own managers"):
            sign(library_party, person)
    assert library_party.signed_on is None


def test_a_signature_is_recorded_once_and_not_dated_ahead(negotiating, center, center_manager):
    party = negotiating.parties.get(organization=center)
    with pytest.raises(PartnershipError, match="cannot be in the future"):
        sign(party, center_manager, day=date.today() + timedelta(days=2))
    sign(party, center_manager)
    with pytest.raises(PartnershipError, match="already recorded"):
        sign(party, center_manager)


def test_a_signature_needs_the_dates(partnership, center, library, center_manager):
    agreement = draft(partnership, center_manager, center)
    agreements.add_party(
        agreement, by=center_manager, organization=library, role=PartyRole.ADDITIONAL_PARTNER
    )
    agreements.open_negotiation(agreement, by=center_manager)
    with pytest.raises(PartnershipError, match="Set the dates"):
        sign(agreement.parties.get(organization=center), center_manager)


def test_back_to_draft_clears_signatures(negotiating, center, center_manager):
    sign(negotiating.parties.get(organization=center), center_manager)

    agreements.return_to_draft(negotiating, by=center_manager)

    assert (negotiating.status, negotiating.parties.filter(signed_on__isnull=False).count()) == (
        "draft",
        0,
    )


# --- Amendments -----------------------------------------------------------------------------------


def test_a_minor_amendment_changes_terms_and_keeps_the_agreement_executed(
    agreement, center_manager
):
    amendment = agreements.amend_agreement(
        agreement,
        by=center_manager,
        kind=AmendmentKind.MINOR,
        summary="New contact for referrals.",
        effective_on=date(2026, 12, 1),
        changes={"referral_methods": "Referral slips; call the front desk."},
    )

    agreement.refresh_from_db()
    assert (amendment.number, amendment.fields, agreement.status) == (
        1,
        ["referral_methods"],
        "executed",
    )
    assert agreement.parties.filter(signed_on__isnull=True).count() == 0
    assert actions(agreement)[-1] == "jobhelp.agreement.amended"


def test_a_major_amendment_reopens_signatures_until_every_party_signs_again(
    agreement,
    center,
    library,
    affiliate,
    center_manager,
    manager,
    affiliate_manager,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        agreements.amend_agreement(
            agreement,
            by=center_manager,
            kind=AmendmentKind.MAJOR,
            summary="The library system joins the infrastructure funding.",
            effective_on=date(2026, 12, 1),
        )

    agreement.refresh_from_db()
    assert agreement.status == "in_negotiation"
    assert agreement.parties.filter(signed_on__isnull=False).count() == 0
    assert agreement.chief_elected_official_agreed_on is None
    assert set(
        OutboundMessage.objects.filter(template="agreement_signatures_reopened").values_list(
            "to", flat=True
        )
    ) == {center_manager.email, manager.email, affiliate_manager.email}

    sign(agreement.parties.get(organization=center), center_manager)
    sign(agreement.parties.get(organization=library), manager)
    assert Agreement.objects.get(pk=agreement.pk).status == "in_negotiation"
    sign(agreement.parties.get(organization=affiliate), affiliate_manager)
    assert Agreement.objects.get(pk=agreement.pk).status == "executed"
    assert [a for a in actions(agreement) if a.startswith("jobhelp.agreement.")] == [
        "jobhelp.agreement.amended",
        "jobhelp.agreement.signatures_reopened",
        "jobhelp.agreement.executed",
    ]
    assert mail.outbox == []


def test_an_amendment_needs_a_summary_and_an_amendable_agreement(
    partnership, center, center_manager, agreement
):
    with pytest.raises(PartnershipError, match="Say what the amendment changes"):
        agreements.amend_agreement(
            agreement, by=center_manager, kind="minor", summary=" ", effective_on=date(2027, 1, 1)
        )
    drafted = draft(partnership, center_manager, center)
    with pytest.raises(PartnershipError, match="Only an agreement in negotiation or executed"):
        agreements.amend_agreement(
            drafted, by=center_manager, kind="minor", summary="x", effective_on=date(2027, 1, 1)
        )
    assert Amendment.objects.count() == 0


def test_an_amendment_moving_the_renewal_date_moves_the_due_dates(
    agreement, obligations, center_manager
):
    later = term_end() + timedelta(days=365)
    before = obligations.flyers.occurrences.count()

    agreements.amend_agreement(
        agreement,
        by=center_manager,
        kind=AmendmentKind.MINOR,
        summary="One more year.",
        effective_on=date(2026, 12, 1),
        changes={"renewal_on": later},
    )

    assert obligations.flyers.occurrences.count() == before + 12


# --- Renewal and expiry ---------------------------------------------------------------------------


def test_a_renewal_is_drafted_from_the_agreement_and_supersedes_it_once_executed(
    agreement, obligations, center, library, affiliate, center_manager, manager, affiliate_manager
):
    start = term_end() + timedelta(days=1)
    renewal = agreements.renew_agreement(
        agreement, by=center_manager, effective_from=start, renewal_on=date(start.year + 3, 6, 30)
    )

    assert (renewal.status, renewal.supersedes, renewal.referral_methods) == (
        "draft",
        agreement,
        agreement.referral_methods,
    )
    assert set(renewal.parties.values_list("organization", "signed_on")) == {
        (center.pk, None),
        (library.pk, None),
        (affiliate.pk, None),
    }
    assert set(renewal.obligations.values_list("title", flat=True)) == {
        "Liaison tours of the job center",
        "Monthly workshop flyers",
        "Library e-resources training",
        "Five temporary library cards",
    }
    assert renewal.obligations.get(title="Monthly workshop flyers").first_due_on == start
    with pytest.raises(PartnershipError, match="already under way"):
        agreements.renew_agreement(
            agreement, by=center_manager, effective_from=start, renewal_on=date(2031, 1, 1)
        )

    agreements.open_negotiation(renewal, by=center_manager)
    sign(renewal.parties.get(organization=center), center_manager)
    sign(renewal.parties.get(organization=library), manager)
    sign(renewal.parties.get(organization=affiliate), affiliate_manager)

    agreement.refresh_from_db()
    assert (agreement.status, Agreement.objects.get(pk=renewal.pk).status) == (
        "superseded",
        "executed",
    )
    assert not Occurrence.objects.filter(
        obligation__agreement=agreement, due_on__gte=start, done_at__isnull=True
    ).exists()
    assert actions(agreement)[-1] == "jobhelp.agreement.superseded"


def test_an_executed_agreement_past_its_renewal_date_expires_once(agreement):
    on_renewal_day = datetime.combine(term_end(), time(23), tzinfo=ZoneInfo("America/Chicago"))
    day_after = on_renewal_day + timedelta(hours=2)

    assert agreements.expire_agreements(now=on_renewal_day) == 0
    assert agreements.expire_agreements(now=day_after) == 1
    assert agreements.expire_agreements(now=day_after) == 0

    agreement.refresh_from_db()
    assert agreement.status == "expired"
    entry = AuditEntry.objects.get(action="jobhelp.agreement.expired")
    assert (entry.actor, entry.data) == (None, {"renewal_on": term_end().isoformat()})


def test_term_start_is_the_agreements_start(agreement):
    assert (agreement.effective_from, agreement.renewal_on) == (term_start(), term_end())


# --- More refusals and audit entries --------------------------------------------------------------


def test_a_partys_role_tier_and_services_change_while_drafted_with_audit(
    partnership, center, library, center_manager
):
    agreement = draft(partnership, center_manager, center)
    party = agreements.add_party(
        agreement, by=center_manager, organization=library, role=PartyRole.ADDITIONAL_PARTNER
    )

    agreements.update_party(party, by=center_manager, role=PartyRole.REQUIRED_PARTNER)

    assert Party.objects.get(pk=party.pk).role == "required_partner"
    entry = AuditEntry.objects.get(action="jobhelp.agreement_party.updated")
    assert (entry.organization, entry.data) == (
        library,
        {
            "agreement": agreement.pk,
            "role": "required_partner",
            "tier": "full",
            "fields": ["role"],
        },
    )


def test_an_executed_agreements_parties_and_costs_stay_as_signed(
    agreement, library, center_manager
):
    party = agreement.parties.get(organization=library)
    with pytest.raises(PartnershipError, match="through an amendment"):
        agreements.update_party(party, by=center_manager, services="More")
    with pytest.raises(PartnershipError, match="through an amendment"):
        agreements.remove_party(party, by=center_manager)
    with pytest.raises(PartnershipError, match="through an amendment"):
        agreements.add_cost_share(
            party,
            by=center_manager,
            category=CostCategory.SHARED,
            contribution=ContributionKind.CASH,
            description="x",
        )
    assert agreement.parties.count() == 3


def test_moves_the_status_table_does_not_allow_are_refused(agreement, center_manager, outsider):
    with pytest.raises(PartnershipError, match="now executed"):
        agreements.return_to_draft(agreement, by=center_manager)
    with pytest.raises(PartnershipError, match="Only managers of a party"):
        agreements.open_negotiation(agreement, by=outsider)
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SUPERSEDED)
    agreement.refresh_from_db()
    with pytest.raises(PartnershipError, match="Only an executed or expired agreement"):
        agreements.renew_agreement(
            agreement,
            by=center_manager,
            effective_from=date(2030, 7, 1),
            renewal_on=date(2033, 6, 30),
        )
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.agreement.").exists()
