"""Grants on the staff pages: listed for everyone in the partnership, added and moved along by
managers of a partner at full participation; a decision needs its outcome."""

import pytest

from jobhelp.partnerships.enums import GrantStatus
from jobhelp.partnerships.models import Grant
from tests.factories.partnerships import GrantFactory
from tests.forms_in_html import form_values
from tests.staff.partnerships.checks import queries_of, shown, snapshot


def grant_post(center, **overrides) -> dict:
    data = {
        "funder": "State Library Services",
        "opportunity": "Digital navigators",
        "deadline": "2027-03-01",
        "lead_organization": str(center.pk),
        "amount_sought": "25000",
        "match_commitment": "Staff time.",
        "in_kind_commitment": "Rooms.",
    }
    data.update(overrides)
    return data


def test_a_manager_adds_a_grant_and_moves_it_along(client, log_in, partnership, center):
    log_in("manager")
    response = client.post(f"/staff/partnerships/{partnership.pk}/grants/new/", grant_post(center))
    grant = Grant.objects.get()
    assert response.url == f"/staff/partnerships/grants/{grant.pk}/"
    assert (grant.status, str(grant.amount_sought)) == (GrantStatus.EXPLORING, "25000.00")

    client.post(f"/staff/partnerships/grants/{grant.pk}/status/", {"status": "preparing"})
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PREPARING


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"funder": ""}, "funder", "This field is required."),
        (
            {"amount_sought": "-1"},
            "amount_sought",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"lead_organization": "999999"},
            "lead_organization",
            "Choose one of the options in the list.",
        ),
    ],
)
def test_bad_grant_input_is_explained_and_nothing_written(
    client, log_in, partnership, center, overrides, field, message
):
    log_in("manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/{partnership.pk}/grants/new/", grant_post(center, **overrides)
    )
    assert response.context["form"].errors == {field: [message]}
    assert form_values(response)["match_commitment"] == ["Staff time."]
    assert snapshot() == before


def test_an_award_needs_its_outcome(client, log_in, grant):
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.SUBMITTED)
    log_in("center_manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/grants/{grant.pk}/status/", {"status": "awarded", "outcome": ""}
    )
    assert shown(response) == ["Write the outcome: what was awarded, or what the funder said."]
    assert snapshot() == before


def test_a_grant_is_edited(client, log_in, grant, center):
    log_in("center_manager")
    path = f"/staff/partnerships/grants/{grant.pk}/edit/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data["opportunity"] = "Digital navigators, round two"
    client.post(path, data)
    grant.refresh_from_db()
    assert grant.opportunity == "Digital navigators, round two"


@pytest.mark.parametrize("persona", ["front_desk", "liaison", "affiliate_manager"])
def test_who_does_not_run_the_partnership_sees_grants_but_cannot_change_them(
    client, log_in, grant, center, persona
):
    log_in(persona)
    before = snapshot()
    assert client.get(f"/staff/partnerships/grants/{grant.pk}/").status_code == 200
    response = client.post(f"/staff/partnerships/grants/{grant.pk}/edit/", grant_post(center))
    assert shown(response) == [
        "Only managers of a partner at full participation can change the partnership."
    ]
    assert snapshot() == before


def test_another_partnerships_grant_is_not_found(client, log_in, partnership, elsewhere):
    log_in("manager")
    for path in (
        f"/staff/partnerships/grants/{elsewhere.grant.pk}/",
        f"/staff/partnerships/grants/{elsewhere.grant.pk}/edit/",
        f"/staff/partnerships/{elsewhere.partnership.pk}/grants/",
    ):
        assert client.get(path).status_code == 404, path


def test_the_list_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, center
):
    log_in("liaison")
    GrantFactory(partnership=partnership, lead_organization=center)
    path = f"/staff/partnerships/{partnership.pk}/grants/"
    one = queries_of(client, path)
    for _ in range(2):
        GrantFactory(partnership=partnership, lead_organization=center)
    assert queries_of(client, path) == one


def test_a_bad_change_of_a_grant_is_explained_and_nothing_changed(client, log_in, grant):
    log_in("center_manager")
    path = f"/staff/partnerships/grants/{grant.pk}/edit/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data.update(funder="", in_kind_commitment="Rooms on Tuesdays.")
    before = snapshot()
    response = client.post(path, data)
    assert response.context["form"].errors == {"funder": ["This field is required."]}
    assert form_values(response)["in_kind_commitment"] == ["Rooms on Tuesdays."]
    assert snapshot() == before
