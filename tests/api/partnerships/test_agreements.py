"""Agreements through the API: the same rules as the staff pages. Starting one (managers of a
partner), the terms (422 by field for bad input, nothing written), moves and signatures (409
when refused), parties once, cost shares, amendments (a major one back to in_negotiation until
every party signs again), and the 20 CFR 678.500 contents still missing."""

import pytest

from jobhelp.partnerships.enums import AgreementStatus, PartyRole
from jobhelp.partnerships.models import Agreement
from tests.factories.partnerships import AgreementFactory, PartyFactory
from tests.staff.partnerships.checks import snapshot

SIGNATURE = {"signatory_name": "Ana Ruiz", "signatory_title": "Director", "signed_on": "2026-01-05"}


@pytest.fixture
def draft(partnership, center, library):
    agreement = AgreementFactory(partnership=partnership, title="Next MOU")
    PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD)
    PartyFactory(agreement=agreement, organization=library)
    return agreement


def new_agreement(partnership, organization, **overrides) -> dict:
    body = {
        "partnership_id": partnership.pk,
        "title": "Riverbend one-stop MOU 2027",
        "effective_from": "2027-07-01",
        "renewal_on": "2030-06-30",
        "review_cycle_months": 36,
        "referral_methods": "Referral slips.",
        "party": {
            "organization_id": organization.pk,
            "role": "additional_partner",
            "tier": "full",
            "services": "Computers.",
        },
    }
    body.update(overrides)
    return body


def test_a_manager_starts_a_draft_and_reads_it_with_what_is_missing(api, partnership, library):
    response = api("manager").post("/partnerships/agreements", new_agreement(partnership, library))

    assert response.status_code == 201, response.content
    body = response.json()
    agreement = Agreement.objects.get(pk=body["id"])
    assert (body["status"], body["title"], body["renewal_on"]) == (
        "draft",
        "Riverbend one-stop MOU 2027",
        "2030-06-30",
    )
    assert [p["organization"]["id"] for p in body["parties"]] == [library.pk]
    assert agreement.referral_methods == "Referral slips."
    missing = [m["code"] for m in body["missing_contents"]]
    assert "referral_methods" not in missing
    assert missing[:3] == ["services", "infrastructure_costs", "shared_costs"]
    assert body["missing_contents"][1] == {
        "code": "infrastructure_costs",
        "label": "How the one-stop center's infrastructure costs are funded",
        "reference": "20 CFR 678.500(b)(2)(i); 678.700-678.755",
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"renewal_on": "2027-01-01"},
            {
                "renewal_on": [
                    "The renewal date must come after the date the agreement takes effect."
                ]
            },
        ),
        (
            {"review_cycle_months": 37},
            {
                "review_cycle_months": [
                    "An agreement must be reviewed at least every 36 months (20 CFR "
                    "678.500(b)(6)). Enter 36 months or fewer."
                ]
            },
        ),
        ({"title": " "}, {"title": ["This field is required."]}),
    ],
)
def test_bad_terms_are_a_422_by_field_and_nothing_is_written(
    api, partnership, library, overrides, errors
):
    caller = api("manager")
    before = snapshot()
    response = caller.post(
        "/partnerships/agreements", new_agreement(partnership, library, **overrides)
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "The request is not valid.", "errors": errors}
    assert snapshot() == before


def test_a_first_party_the_caller_does_not_manage_is_a_422(api, partnership, center):
    caller = api("manager")
    before = snapshot()
    response = caller.post("/partnerships/agreements", new_agreement(partnership, center))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "party.organization": ["Choose one of the options in the list."]
    }
    assert snapshot() == before


def test_the_terms_change_while_drafted_and_not_once_executed(api, draft, agreement):
    caller = api("center_manager")
    response = caller.patch(
        f"/partnerships/agreements/{draft.pk}", {"needs_language": "Interpreters."}
    )
    assert response.status_code == 200
    assert response.json()["needs_language"] == "Interpreters."
    assert response.json()["title"] == "Next MOU"

    before = snapshot()
    refused = caller.patch(f"/partnerships/agreements/{agreement.pk}", {"title": "Changed"})
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "An executed agreement changes through an amendment.", "errors": {}},
    )
    assert snapshot() == before


def test_staff_who_do_not_manage_a_party_get_a_409(api, draft):
    caller = api("front_desk")
    before = snapshot()
    response = caller.patch(f"/partnerships/agreements/{draft.pk}", {"title": "X"})
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Only managers of a party can change this agreement.", "errors": {}},
    )
    assert snapshot() == before


def test_moves_parties_and_signatures_execute_it(api, draft, center, library, affiliate):
    manager, center_manager = api("manager"), api("center_manager")
    added = manager.post(
        f"/partnerships/agreements/{draft.pk}/parties",
        {"organization_id": affiliate.pk, "role": "additional_partner", "tier": "reduced"},
    )
    assert added.status_code == 201
    twice = manager.post(
        f"/partnerships/agreements/{draft.pk}/parties",
        {"organization_id": affiliate.pk, "role": "additional_partner", "tier": "reduced"},
    )
    assert (twice.status_code, twice.json()["errors"]) == (
        422,
        {"organization": ["Harbor City Public Library is already a party to this agreement."]},
    )

    moved = manager.post(
        f"/partnerships/agreements/{draft.pk}/transition", {"action": "open_negotiation"}
    )
    assert moved.json()["status"] == "in_negotiation"
    parties = {p.organization: p for p in draft.parties.all()}

    refused = manager.post(f"/partnerships/parties/{parties[center].pk}/signature", SIGNATURE)
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "Only the party's own managers can record its signature.", "errors": {}},
    )
    for organization in (library, affiliate):
        answer = manager.post(
            f"/partnerships/parties/{parties[organization].pk}/signature", SIGNATURE
        )
        assert answer.json()["signed_on"] == "2026-01-05"
    center_manager.post(f"/partnerships/parties/{parties[center].pk}/signature", SIGNATURE)

    assert manager.get(f"/partnerships/agreements/{draft.pk}").json()["status"] == "executed"


def test_a_signature_in_the_future_is_a_422(api, draft, library):
    Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    party = draft.parties.get(organization=library)
    response = api("manager").post(
        f"/partnerships/parties/{party.pk}/signature", {**SIGNATURE, "signed_on": "2999-01-01"}
    )
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"signed_on": ["This date cannot be in the future."]},
    )


def test_a_party_is_changed_and_given_a_cost_share(api, draft, library):
    party = draft.parties.get(organization=library)
    caller = api("manager")
    changed = caller.patch(f"/partnerships/parties/{party.pk}", {"services": "Classes."})
    assert (changed.status_code, changed.json()["services"]) == (200, "Classes.")
    share = caller.post(
        f"/partnerships/parties/{party.pk}/cost-shares",
        {
            "category": "shared",
            "contribution": "cash",
            "description": "Printing.",
            "annual_amount": "300",
        },
    )
    assert (share.status_code, share.json()["annual_amount"]) == (201, "300.00")
    negative = caller.post(
        f"/partnerships/parties/{party.pk}/cost-shares",
        {"category": "shared", "contribution": "cash", "description": "x", "annual_amount": "-1"},
    )
    assert negative.status_code == 422
    assert list(negative.json()["errors"]) == ["annual_amount"]


def test_a_major_amendment_reopens_the_signatures(api, agreement, center_manager, manager):
    caller = api("manager")
    response = caller.post(
        f"/partnerships/agreements/{agreement.pk}/amendments",
        {
            "kind": "major",
            "summary": "The affiliates join the cards.",
            "effective_on": "2026-07-01",
            "changes": {"referral_methods": "Slips and a shared form."},
        },
    )

    assert response.status_code == 201
    assert (response.json()["number"], response.json()["fields"]) == (1, ["referral_methods"])
    body = caller.get(f"/partnerships/agreements/{agreement.pk}").json()
    assert body["status"] == "in_negotiation"
    assert body["referral_methods"] == "Slips and a shared form."
    assert [p["signed_on"] for p in body["parties"]] == [None, None, None]
    listed = caller.get(f"/partnerships/agreements/{agreement.pk}/amendments").json()
    assert [(a["number"], a["kind"]) for a in listed] == [(1, "major")]


def test_a_bad_amendment_is_a_422_with_nothing_written(api, agreement):
    caller = api("manager")
    before = snapshot()
    response = caller.post(
        f"/partnerships/agreements/{agreement.pk}/amendments",
        {
            "kind": "minor",
            "summary": "Longer reviews.",
            "effective_on": "2026-07-01",
            "changes": {"review_cycle_months": 48},
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["changes.review_cycle_months"]
    assert snapshot() == before


def test_a_refused_move_is_a_409(api, partnership, library):
    lonely = AgreementFactory(partnership=partnership)
    PartyFactory(agreement=lonely, organization=library)
    response = api("manager").post(
        f"/partnerships/agreements/{lonely.pk}/transition", {"action": "open_negotiation"}
    )
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Add the other parties before opening the negotiation.", "errors": {}},
    )


def test_the_list_of_one_partnership_and_of_everything(api, partnership, agreement, elsewhere):
    caller = api("front_desk")
    assert [a["id"] for a in caller.get("/partnerships/agreements").json()] == [agreement.pk]
    answer = caller.get("/partnerships/agreements", {"partnership_id": partnership.pk}).json()
    assert answer == [
        {
            "id": agreement.pk,
            "partnership_id": partnership.pk,
            "title": "Riverbend one-stop MOU",
            "status": "executed",
            "effective_from": agreement.effective_from.isoformat(),
            "renewal_on": agreement.renewal_on.isoformat(),
            "party_count": 3,
            "signed_count": 3,
        }
    ]
