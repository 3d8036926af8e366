"""Grants and the liaison's log through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.partnerships.models import LogEntry
from tests.staff.partnerships.checks import snapshot


def test_grants_are_added_changed_and_moved_along(api, partnership, center):
    caller = api("manager")
    added = caller.post(
        "/partnerships/grants",
        {
            "partnership_id": partnership.pk,
            "funder": "State Library Services",
            "opportunity": "Digital navigators",
            "lead_organization_id": center.pk,
            "amount_sought": "25000",
        },
    )
    assert added.status_code == 201, added.content
    grant_id = added.json()["id"]
    assert added.json()["status"] == "exploring"
    changed = caller.patch(f"/partnerships/grants/{grant_id}", {"deadline": "2027-03-01"})
    assert changed.json()["deadline"] == "2027-03-01"
    moved = caller.post(f"/partnerships/grants/{grant_id}/status", {"status": "preparing"})
    assert moved.json()["status"] == "preparing"
    skipped = caller.post(
        f"/partnerships/grants/{grant_id}/status", {"status": "awarded", "outcome": "Yes"}
    )
    assert (skipped.status_code, skipped.json()["detail"]) == (
        409,
        "A grant that is preparing the application cannot become awarded.",
    )
    assert [g["id"] for g in api("liaison").get("/partnerships/grants").json()] == [grant_id]


def test_a_bad_grant_is_a_422_with_nothing_written(api, partnership, center):
    caller = api("manager")
    before = snapshot()
    response = caller.post(
        "/partnerships/grants",
        {
            "partnership_id": partnership.pk,
            "funder": "",
            "opportunity": "Digital navigators",
            "lead_organization_id": center.pk,
        },
    )
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"funder": ["This field is required."]},
    )
    assert snapshot() == before


def log_body(partnership, **overrides) -> dict:
    body = {
        "partnership_id": partnership.pk,
        "occurred_on": timezone.localdate().isoformat(),
        "activity": "tour",
        "minutes": 45,
        "attendees": "Six staff",
        "attendee_count": 6,
    }
    body.update(overrides)
    return body


def test_the_liaison_logs_time_and_corrects_it(api, partnership, liaison, center):
    caller = api("liaison")
    response = caller.post("/partnerships/log", log_body(partnership))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["liaison"]["id"], body["organization"]["id"], body["minutes"]) == (
        liaison.pk,
        center.pk,
        45,
    )
    changed = caller.patch(f"/partnerships/log/{body['id']}", {"minutes": 60})
    assert changed.json()["minutes"] == 60
    listed = api("front_desk").get("/partnerships/log", {"partnership_id": partnership.pk})
    assert [e["id"] for e in listed.json()] == [body["id"]]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"minutes": 0}, {"minutes": ["Enter the time in minutes, between 1 and 1440."]}),
        (
            {"occurred_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            {"occurred_on": ["Log time once it has been given, not ahead."]},
        ),
    ],
)
def test_bad_log_input_is_a_422_with_nothing_written(api, partnership, overrides, errors):
    caller = api("liaison")
    before = snapshot()
    response = caller.post("/partnerships/log", log_body(partnership, **overrides))
    assert (response.status_code, response.json()["errors"]) == (422, errors)
    assert snapshot() == before


def test_only_a_liaison_logs_and_only_their_own_entries_change(api, partnership, liaison, center):
    caller = api("manager")
    before = snapshot()
    refused = caller.post("/partnerships/log", log_body(partnership))
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "Only a liaison of one of the partners keeps this log.",
    )
    assert snapshot() == before
    entry = LogEntry.objects.create(
        partnership=partnership,
        liaison=liaison,
        organization=center,
        occurred_on=timezone.localdate(),
        activity="tour",
        minutes=30,
    )
    other = caller.patch(f"/partnerships/log/{entry.pk}", {"minutes": 5})
    assert (other.status_code, other.json()["detail"]) == (
        409,
        "Only the liaison who logged it can change this entry.",
    )
