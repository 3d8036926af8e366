"""Agreements in the staff area: the list and the page with the 20 CFR 678.500 checklist,
starting one and changing its terms (managers of a party only), sending it to the parties,
parties and their signatures, cost shares, and amendments (a major one back to "in
negotiation" until every party signs again). Bad input is a message by the field with
nothing written and nothing typed lost; another partnership's agreement is a 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships import checklist
from jobhelp.partnerships.enums import AgreementStatus, PartyRole
from jobhelp.partnerships.models import Agreement, CostShare, Party
from tests.factories.partnerships import AgreementFactory, PartyFactory
from tests.forms_in_html import form_values
from tests.staff.partnerships.checks import queries_of, shown, snapshot


@pytest.fixture
def draft(partnership, center, library):
    """A draft between the center and the library system, nothing signed, few terms."""
    agreement = AgreementFactory(partnership=partnership, title="Next MOU")
    PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD)
    PartyFactory(agreement=agreement, organization=library)
    return agreement


def terms(**overrides) -> dict:
    data = {
        "title": "Riverbend one-stop MOU 2027",
        "effective_from": "2027-07-01",
        "renewal_on": "2030-06-30",
        "review_cycle_months": "36",
        "services_coordination": "One calendar of workshops.",
        "referral_methods": "Referral slips.",
        "needs_disability": "",
        "needs_language": "",
        "needs_technology": "",
        "cost_allocation_method": "",
        "data_sharing": "",
        "dispute_resolution": "",
        "amendment_procedure": "",
        "chief_elected_official": "",
        "chief_elected_official_agreed_on": "",
    }
    data.update(overrides)
    return data


# --- Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["front_desk", "helper", "manager", "partner_staff", "liaison", "affiliate_staff"]
)
def test_the_partys_staff_see_the_agreement_and_not_another_partnerships(
    client, log_in, partnership, agreement, elsewhere, persona
):
    log_in(persona)

    listed = client.get(f"/staff/partnerships/{partnership.pk}/agreements/").context["agreements"]

    assert listed == [agreement]
    assert client.get(f"/staff/partnerships/agreements/{agreement.pk}/").status_code == 200
    other = elsewhere.agreement.pk
    for path in (
        f"/staff/partnerships/agreements/{other}/",
        f"/staff/partnerships/agreements/{other}/edit/",
        f"/staff/partnerships/agreements/{other}/amend/",
        f"/staff/partnerships/agreements/{other}/obligations/",
        f"/staff/partnerships/agreements/{other}/parties/new/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_partner_that_is_not_a_party_does_not_see_the_agreement(
    client, log_in, partnership, center, library
):
    """The library system is a partner, but this agreement is the center's alone with
    another organization."""
    agreement = AgreementFactory(partnership=partnership, title="Center only")
    PartyFactory(agreement=agreement, organization=center)
    log_in("manager")
    listed = client.get(f"/staff/partnerships/{partnership.pk}/agreements/").context["agreements"]
    assert listed == []
    assert client.get(f"/staff/partnerships/agreements/{agreement.pk}/").status_code == 404


def test_the_outsider_gets_a_404_and_people_in_no_partnership_a_403(
    client, log_in, agreement, elsewhere
):
    log_in("outsider")
    assert client.get(f"/staff/partnerships/agreements/{agreement.pk}/").status_code == 404
    log_in("no_membership")
    assert client.get(f"/staff/partnerships/agreements/{agreement.pk}/").status_code == 403
    log_in("admin_user")
    assert client.get(f"/staff/partnerships/agreements/{agreement.pk}/").status_code == 403


def test_the_page_shows_parties_signatures_terms_and_no_missing_contents(
    client, log_in, agreement, center
):
    party = agreement.parties.get(organization=center)
    for category in ("infrastructure", "shared"):
        CostShare.objects.create(
            party=party, category=category, contribution="cash", description="Rent."
        )
    log_in("liaison")

    response = client.get(f"/staff/partnerships/agreements/{agreement.pk}/")

    page = response.content.decode()
    assert response.context["missing"] == []
    assert "Every required content is recorded." in page
    assert page.count("Signed by Alex Director, Director") == 3
    for value in (
        "Referral slips and a warm handoff by phone.",
        "Spanish and Somali speaking staff; translated flyers.",
        "Only counts; no patron records.",
        "The directors meet; then the board chair decides.",
        "Executed",
    ):
        assert value in page
    # Seeing is not changing: no buttons for a liaison.
    assert "Record an amendment" not in page
    assert "Edit the terms" not in page


def test_the_page_lists_the_missing_contents_as_the_checklist_does(client, log_in, draft):
    log_in("manager")

    response = client.get(f"/staff/partnerships/agreements/{draft.pk}/")

    missing = response.context["missing"]
    assert [r.code for r in missing] == [r.code for r in checklist.missing_contents(draft)]
    assert [r.code for r in missing][:3] == ["services", "infrastructure_costs", "shared_costs"]
    page = response.content.decode()
    assert f"{len(missing)} required contents are missing" in page
    assert "Methods of referring people between the one-stop operator and the partners" in page
    assert "20 CFR 678.500(b)(3)" in page
    assert "How the one-stop center&#x27;s infrastructure costs are funded" in page


def test_the_list_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, agreement, library
):
    log_in("manager")
    path = f"/staff/partnerships/{partnership.pk}/agreements/"
    one = queries_of(client, path)
    for _ in range(2):
        PartyFactory(agreement=AgreementFactory(partnership=partnership), organization=library)
    assert queries_of(client, path) == one


# --- Starting one and its terms ------------------------------------------------------------------


def test_a_manager_starts_a_draft_for_an_organization_they_manage(
    client, log_in, partnership, library, affiliate, center
):
    manager = log_in("manager")
    path = f"/staff/partnerships/{partnership.pk}/agreements/new/"
    offered = list(client.get(path).context["party_form"].fields["organization"].queryset)
    assert offered == [affiliate, library]

    response = client.post(
        path,
        {
            **terms(),
            "party-organization": str(library.pk),
            "party-role": PartyRole.ADDITIONAL_PARTNER,
            "party-tier": "full",
            "party-services": "Computers and classes.",
        },
    )

    agreement = Agreement.objects.get(title="Riverbend one-stop MOU 2027")
    assert response.url == f"/staff/partnerships/agreements/{agreement.pk}/"
    assert (agreement.status, agreement.renewal_on) == (AgreementStatus.DRAFT, date(2030, 6, 30))
    assert list(agreement.parties.values_list("organization", "role")) == [
        (library.pk, PartyRole.ADDITIONAL_PARTNER)
    ]
    assert AuditEntry.objects.filter(action="jobhelp.agreement.created").get().actor == manager


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "renewal_on",
            "2027-06-30",
            "The renewal date must come after the date the agreement takes effect.",
        ),
        (
            "review_cycle_months",
            "37",
            "An agreement must be reviewed at least every 36 months (20 CFR 678.500(b)(6)). "
            "Enter 36 months or fewer.",
        ),
        ("title", "", "This field is required."),
    ],
)
def test_bad_terms_are_explained_and_nothing_is_written_or_lost(
    client, log_in, partnership, library, field, value, message
):
    log_in("manager")
    before = snapshot()
    data = {
        **terms(**{field: value}),
        "party-organization": str(library.pk),
        "party-role": PartyRole.ADDITIONAL_PARTNER,
        "party-tier": "full",
        "party-services": "Computers and classes.",
    }

    response = client.post(f"/staff/partnerships/{partnership.pk}/agreements/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert snapshot() == before
    kept = form_values(response)
    assert kept["referral_methods"] == ["Referral slips."]
    assert kept["party-services"] == ["Computers and classes."]


def test_staff_who_manage_no_partner_cannot_start_one(client, log_in, partnership, library):
    log_in("front_desk")
    before = snapshot()
    path = f"/staff/partnerships/{partnership.pk}/agreements/new/"

    refused = [client.get(path), client.post(path, {**terms(), "party-organization": library.pk})]

    assert [r.url for r in refused] == [f"/staff/partnerships/{partnership.pk}/agreements/"] * 2
    assert shown(refused[1]) == ["Only managers of a partner can start an agreement."] * 2
    assert snapshot() == before


def test_a_manager_of_a_party_changes_a_drafts_terms(client, log_in, draft):
    log_in("center_manager")
    path = f"/staff/partnerships/agreements/{draft.pk}/edit/"
    assert form_values(client.get(path))["title"] == ["Next MOU"]

    response = client.post(path, terms(title="Next MOU, revised", needs_language="Interpreters."))

    assert response.url == f"/staff/partnerships/agreements/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.title, draft.needs_language) == ("Next MOU, revised", "Interpreters.")


def test_bad_terms_on_edit_change_nothing(client, log_in, draft):
    log_in("manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/agreements/{draft.pk}/edit/",
        terms(review_cycle_months="48", needs_language="Interpreters."),
    )
    assert list(response.context["form"].errors) == ["review_cycle_months"]
    assert form_values(response)["needs_language"] == ["Interpreters."]
    assert snapshot() == before


def test_an_executed_agreement_changes_through_an_amendment_not_the_terms_page(
    client, log_in, agreement
):
    log_in("manager")
    before = snapshot()
    path = f"/staff/partnerships/agreements/{agreement.pk}/edit/"
    responses = [client.get(path), client.post(path, terms())]
    assert [r.url for r in responses] == [f"/staff/partnerships/agreements/{agreement.pk}/"] * 2
    assert shown(responses[1]) == ["An executed agreement changes through an amendment."] * 2
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["front_desk", "helper", "liaison", "partner_staff"])
def test_staff_who_do_not_manage_a_party_cannot_change_it(client, log_in, draft, persona):
    log_in(persona)
    before = snapshot()
    path = f"/staff/partnerships/agreements/{draft.pk}/edit/"
    response = client.post(path, terms(title="Changed"))
    assert response.url == f"/staff/partnerships/agreements/{draft.pk}/"
    assert shown(response) == ["Only managers of a party can change this agreement."]
    assert snapshot() == before


# --- Status, parties, signatures, cost shares ----------------------------------------------------


def test_a_draft_goes_to_the_parties_and_back(client, log_in, draft):
    log_in("manager")
    path = f"/staff/partnerships/agreements/{draft.pk}/status/"

    client.post(path, {"action": "open_negotiation"})
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.IN_NEGOTIATION

    response = client.post(path, {"action": "return_to_draft"})
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    assert shown(response) == [
        "The agreement is in negotiation: each party may now sign.",
        "The agreement is a draft again.",
    ]


def test_a_refused_move_is_explained(client, log_in, partnership, library):
    lonely = AgreementFactory(partnership=partnership)
    PartyFactory(agreement=lonely, organization=library)
    log_in("manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/agreements/{lonely.pk}/status/", {"action": "open_negotiation"}
    )
    assert shown(response) == ["Add the other parties before opening the negotiation."]
    assert snapshot() == before


def test_a_party_is_added_once_and_twice_is_a_message_by_the_field(
    client, log_in, draft, affiliate, library
):
    log_in("manager")
    path = f"/staff/partnerships/agreements/{draft.pk}/parties/new/"
    data = {"organization": affiliate.pk, "role": PartyRole.ADDITIONAL_PARTNER, "tier": "reduced"}

    client.post(path, {**data, "services": "A computer lab."})
    before = snapshot()
    response = client.post(path, {**data, "organization": library.pk, "services": "Classes."})

    assert Party.objects.filter(agreement=draft, organization=affiliate).get().tier == "reduced"
    assert response.context["form"].errors == {
        "organization": ["Riverbend County Library is already a party to this agreement."]
    }
    assert form_values(response)["services"] == ["Classes."]
    assert snapshot() == before


def test_a_partys_own_manager_records_its_signature_and_the_last_executes_it(
    client, log_in, draft, center, library
):
    Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    center_party = draft.parties.get(organization=center)
    library_party = draft.parties.get(organization=library)
    signature = {
        "signatory_name": "Ana Ruiz",
        "signatory_title": "Director",
        "signed_on": "2026-01-05",
    }

    log_in("manager")
    # The library system's manager may not sign for the center.
    refused = client.post(f"/staff/partnerships/parties/{center_party.pk}/sign/", signature)
    assert shown(refused) == ["Only the party's own managers can record its signature."]
    client.post(f"/staff/partnerships/parties/{library_party.pk}/sign/", signature)
    log_in("center_manager")
    response = client.post(f"/staff/partnerships/parties/{center_party.pk}/sign/", signature)

    draft.refresh_from_db()
    assert draft.status == AgreementStatus.EXECUTED
    assert shown(response) == [
        "Only the party's own managers can record its signature.",
        "The signature of Riverbend County Library is recorded.",
        "Every party has signed: the agreement is executed.",
    ]
    assert set(draft.parties.values_list("signatory_name", flat=True)) == {"Ana Ruiz"}


def test_a_signature_dated_tomorrow_is_refused_and_nothing_written(client, log_in, draft, library):
    Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    party = draft.parties.get(organization=library)
    log_in("manager")
    before = snapshot()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/staff/partnerships/parties/{party.pk}/sign/",
        {"signatory_name": "Ana Ruiz", "signatory_title": "Director", "signed_on": tomorrow},
    )
    assert response.context["form"].errors == {"signed_on": ["This date cannot be in the future."]}
    assert form_values(response)["signatory_name"] == ["Ana Ruiz"]
    assert snapshot() == before


def test_cost_shares_are_added_and_removed_and_a_negative_value_refused(
    client, log_in, draft, library
):
    party = draft.parties.get(organization=library)
    log_in("manager")
    path = f"/staff/partnerships/parties/{party.pk}/cost-shares/new/"
    share = {
        "category": "infrastructure",
        "contribution": "in_kind",
        "description": "Space for the resource shelf.",
        "annual_amount": "1200",
    }

    before = snapshot()
    bad = client.post(path, {**share, "annual_amount": "-5"})
    assert list(bad.context["form"].errors) == ["annual_amount"]
    assert form_values(bad)["description"] == ["Space for the resource shelf."]
    assert snapshot() == before

    client.post(path, share)
    added = CostShare.objects.get(party=party)
    assert (added.category, str(added.annual_amount)) == ("infrastructure", "1200.00")
    page = client.get(f"/staff/partnerships/agreements/{draft.pk}/").content.decode()
    assert "Space for the resource shelf." in page

    client.post(f"/staff/partnerships/cost-shares/{added.pk}/remove/")
    assert not CostShare.objects.filter(party=party).exists()


def test_another_agreements_party_and_cost_share_are_not_found(
    client, log_in, partnership, elsewhere
):
    party = elsewhere.agreement.parties.first()
    log_in("manager")
    assert client.get(f"/staff/partnerships/parties/{party.pk}/sign/").status_code == 404
    assert client.post(f"/staff/partnerships/parties/{party.pk}/remove/").status_code == 404
    assert client.get(f"/staff/partnerships/parties/{party.pk}/cost-shares/new/").status_code == 404


# --- Amendments ----------------------------------------------------------------------------------


def test_a_major_amendment_reopens_the_signatures_until_every_party_signs_again(
    client, log_in, agreement, center, library, affiliate, center_manager, manager
):
    log_in("manager")
    path = f"/staff/partnerships/agreements/{agreement.pk}/amend/"
    page = client.get(path)
    data = {
        **form_values(page),
        "kind": "major",
        "summary": "The affiliates join the cards.",
        "effective_on": "2026-07-01",
        "terms-referral_methods": "Slips and a shared form.",
    }
    data = {
        name: values[0] if isinstance(values, list) else values for name, values in data.items()
    }

    response = client.post(path, data)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_NEGOTIATION
    assert agreement.referral_methods == "Slips and a shared form."
    assert list(agreement.parties.values_list("signed_on", flat=True)) == [None, None, None]
    assert shown(response) == [
        "Amendment 1 recorded. It is a major amendment: the agreement is in negotiation until "
        "every party has signed again."
    ]
    told = OutboundMessage.objects.filter(template="agreement_signatures_reopened")
    assert set(told.values_list("to", flat=True)) == {center_manager.email, manager.email}

    signature = {
        "signatory_name": "Ana Ruiz",
        "signatory_title": "Director",
        "signed_on": "2026-07-01",
    }
    for party in (library, affiliate):
        client.post(
            f"/staff/partnerships/parties/{agreement.parties.get(organization=party).pk}/sign/",
            signature,
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_NEGOTIATION
    log_in("center_manager")
    client.post(
        f"/staff/partnerships/parties/{agreement.parties.get(organization=center).pk}/sign/",
        signature,
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXECUTED


def test_a_minor_amendment_keeps_it_executed(client, log_in, agreement):
    log_in("center_manager")
    path = f"/staff/partnerships/agreements/{agreement.pk}/amend/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data.update(kind="minor", summary="A new contact.", effective_on="2026-07-01")
    client.post(path, data)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXECUTED
    assert list(agreement.amendments.values_list("number", "kind")) == [(1, "minor")]


def test_an_amendment_without_a_summary_is_refused_and_nothing_written(client, log_in, agreement):
    log_in("manager")
    path = f"/staff/partnerships/agreements/{agreement.pk}/amend/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data.update(kind="major", summary="", effective_on="2026-07-01")
    data["terms-data_sharing"] = "Counts only, shared monthly."
    before = snapshot()

    response = client.post(path, data)

    assert response.context["form"].errors == {"summary": ["This field is required."]}
    assert form_values(response)["terms-data_sharing"] == ["Counts only, shared monthly."]
    assert snapshot() == before
