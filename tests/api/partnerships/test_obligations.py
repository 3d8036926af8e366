"""Obligations and occurrences through the API: by the tier of the parties the caller acts for,
set up and changed by managers of a party, kept with a note or a meeting; the second to mark
an occurrence gets a 409 naming who did it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.partnerships.evidence import choice_value
from jobhelp.partnerships.models import Obligation
from jobhelp.partnerships.obligations import mark_occurrence_done
from tests.partnerships.conftest import term_start
from tests.staff.partnerships.checks import snapshot


def overdue(obligation):
    return obligation.occurrences.filter(due_on__lt=timezone.localdate()).order_by("due_on")[0]


def test_an_affiliates_staff_see_only_their_tiers_obligations(api, agreement, obligations):
    everyone = api("front_desk").get(f"/partnerships/agreements/{agreement.pk}/obligations")
    affiliate = api("affiliate_staff").get(f"/partnerships/agreements/{agreement.pk}/obligations")

    assert [o["title"] for o in everyone.json()] == [
        "Five temporary library cards",
        "Liaison tours of the job center",
        "Library e-resources training",
        "Monthly workshop flyers",
    ]
    assert [o["title"] for o in affiliate.json()] == [
        "Liaison tours of the job center",
        "Monthly workshop flyers",
    ]
    hidden = api("affiliate_staff").get(f"/partnerships/obligations/{obligations.training.pk}")
    assert hidden.status_code == 404


def test_a_manager_adds_and_changes_an_obligation(api, agreement, center):
    caller = api("center_manager")
    response = caller.post(
        f"/partnerships/agreements/{agreement.pk}/obligations",
        {
            "title": "A shelf of library resources",
            "kind": "resources",
            "owner_organization_id": center.pk,
            "frequency": "quarterly",
            "first_due_on": term_start().isoformat(),
            "reduced_tier_takes_part": True,
        },
    )
    assert response.status_code == 201, response.content
    obligation = Obligation.objects.get(pk=response.json()["id"])
    assert obligation.occurrences.count() == 8

    changed = caller.patch(f"/partnerships/obligations/{obligation.pk}", {"frequency": "yearly"})
    assert (changed.status_code, changed.json()["frequency"]) == (200, "yearly")
    assert obligation.occurrences.count() == 2


def test_a_bad_obligation_is_a_422_and_a_refused_one_a_409(api, agreement, center):
    manager, front_desk = api("manager"), api("front_desk")
    body = {
        "title": "Shelf",
        "kind": "resources",
        "owner_organization_id": center.pk,
        "frequency": "quarterly",
        "first_due_on": term_start().isoformat(),
    }
    before = snapshot()
    bad = manager.post(
        f"/partnerships/agreements/{agreement.pk}/obligations",
        {**body, "ends_on": (term_start() - timedelta(days=1)).isoformat()},
    )
    refused = front_desk.post(f"/partnerships/agreements/{agreement.pk}/obligations", body)
    assert (bad.status_code, bad.json()["errors"]) == (
        422,
        {"ends_on": ["The last due date cannot come before the first."]},
    )
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "Only managers of a party can change this agreement.",
    )
    assert snapshot() == before


def test_the_liaison_keeps_an_occurrence_with_a_meeting(api, obligations, past_meeting, liaison):
    occurrence = overdue(obligations.tours)
    response = api("liaison").post(
        f"/partnerships/occurrences/{occurrence.pk}/done",
        {"note": "Toured with six staff.", "record": choice_value(past_meeting)},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["done_by"], body["note"], body["record"], body["file_name"]) == (
        {"id": liaison.pk, "name": str(liaison)},
        "Toured with six staff.",
        f"meeting:{past_meeting.pk}",
        None,
    )
    listed = api("liaison").get(f"/partnerships/obligations/{obligations.tours.pk}/occurrences")
    assert [o["id"] for o in listed.json() if o["done_at"]] == [occurrence.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"note": " "}, "__all__"), ({"note": "x", "record": "meeting:999999"}, "record")],
)
def test_bad_evidence_is_a_422_with_nothing_written(api, obligations, body, field):
    caller = api("manager")
    occurrence = overdue(obligations.tours)
    before = snapshot()
    response = caller.post(f"/partnerships/occurrences/{occurrence.pk}/done", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert snapshot() == before


def test_the_second_to_mark_it_gets_a_409_naming_who_did(api, obligations, center_manager):
    caller = api("manager")
    occurrence = overdue(obligations.tours)
    mark_occurrence_done(occurrence, by=center_manager, note="Done by Carmen.")
    before = snapshot()

    response = caller.post(f"/partnerships/occurrences/{occurrence.pk}/done", {"note": "Me too."})

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "Carmen Ortiz already marked this done.",
            "done_by": {"id": center_manager.pk, "name": "Carmen Ortiz"},
        },
    )
    assert snapshot() == before


def test_a_kept_occurrence_is_reopened(api, obligations, liaison):
    occurrence = overdue(obligations.tours)
    mark_occurrence_done(occurrence, by=liaison, note="By mistake.")
    response = api("liaison").post(f"/partnerships/occurrences/{occurrence.pk}/reopen")
    assert (response.status_code, response.json()["done_at"]) == (200, None)
