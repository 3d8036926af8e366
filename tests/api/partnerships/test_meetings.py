"""Meetings and action items through the API: scheduling on the place's wall clock (managers of
a partner at full participation), changing, cancelling, minutes with who came, action items
whose owner may close them; bad input a 422, refusals a 409."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.notifications.models import OutboundMessage
from tests.factories.partnerships import MeetingFactory
from tests.staff.partnerships.checks import snapshot


def test_a_manager_schedules_moves_and_cancels_a_meeting(api, partnership, center, liaison):
    caller = api("manager")
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = caller.post(
        "/partnerships/meetings",
        {
            "partnership_id": partnership.pk,
            "title": "Quarterly management meeting",
            "location_id": center.locations.get().pk,
            "day": day,
            "starts": "10:00",
            "minutes": 90,
            "attendee_ids": [liaison.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["starts"].startswith(f"{day}T10:00:00-0")
    assert [a["person"]["id"] for a in body["attendees"]] == [liaison.pk]
    assert OutboundMessage.objects.filter(template="meeting_scheduled", to=liaison.email).exists()

    moved = caller.patch(f"/partnerships/meetings/{body['id']}", {"starts": "14:30"})
    assert moved.json()["starts"].startswith(f"{day}T14:30:00-0")
    cancelled = caller.post(f"/partnerships/meetings/{body['id']}/cancel")
    assert cancelled.json()["cancelled"] is True


def test_bad_meeting_input_is_a_422_and_a_refused_one_a_409(api, partnership, center):
    manager, liaison = api("manager"), api("liaison")
    body = {
        "partnership_id": partnership.pk,
        "title": "Meeting",
        "location_id": center.locations.get().pk,
        "day": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "starts": "10:00",
        "minutes": 5,
    }
    before = snapshot()
    bad = manager.post("/partnerships/meetings", body)
    refused = liaison.post("/partnerships/meetings", {**body, "minutes": 60})
    past = manager.post(
        "/partnerships/meetings",
        {**body, "minutes": 60, "day": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert (bad.status_code, bad.json()["errors"]) == (
        422,
        {"minutes": ["Ensure this value is greater than or equal to 15."]},
    )
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "Only managers of a partner at full participation can change the partnership.",
    )
    assert (past.status_code, past.json()["detail"]) == (
        409,
        "A new meeting must start in the future.",
    )
    assert snapshot() == before


def test_minutes_and_action_items(api, past_meeting, liaison, manager, center):
    came = past_meeting.attendees.create(organization=center, user=liaison)
    caller = api("center_manager")
    recorded = caller.post(
        f"/partnerships/meetings/{past_meeting.pk}/minutes",
        {"minutes": "We met.", "decisions": "Flyers monthly.", "attended_ids": [came.pk]},
    )
    assert (recorded.json()["minutes"], recorded.json()["attendees"][0]["attended"]) == (
        "We met.",
        True,
    )
    empty = caller.post(f"/partnerships/meetings/{past_meeting.pk}/minutes", {"minutes": ""})
    assert (empty.status_code, empty.json()["errors"]) == (
        422,
        {"minutes": ["This field is required."]},
    )

    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    item = caller.post(
        f"/partnerships/meetings/{past_meeting.pk}/action-items",
        {"title": "Send the card list", "owner_id": manager.pk, "due_on": due},
    )
    assert item.status_code == 201
    item_id = item.json()["id"]
    assert item.json()["owner_organization"]["name"] == "Riverbend County Library"

    front_desk = api("front_desk").post(
        f"/partnerships/action-items/{item_id}/status", {"status": "done"}
    )
    assert front_desk.status_code == 409
    closed = api("manager").post(f"/partnerships/action-items/{item_id}/status", {"status": "done"})
    assert (closed.status_code, closed.json()["status"]) == (200, "done")
    moved = caller.patch(f"/partnerships/action-items/{item_id}", {"title": "Send the list"})
    assert moved.json()["title"] == "Send the list"
    mine = api("manager").get("/partnerships/action-items", {"open_only": "true"}).json()
    assert mine == []


def test_an_unknown_owner_is_a_422(api, past_meeting):
    response = api("center_manager").post(
        f"/partnerships/meetings/{past_meeting.pk}/action-items",
        {"title": "Send it", "owner_id": 999999, "due_on": "2027-01-01"},
    )
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"owner": ["Choose one of the options in the list."]},
    )


def test_the_list_of_one_partnership(api, partnership, center, elsewhere):
    ours = MeetingFactory(partnership=partnership, location=center.locations.get())
    caller = api("affiliate_staff")
    assert [m["id"] for m in caller.get("/partnerships/meetings").json()] == [ours.pk]
    other = caller.get("/partnerships/meetings", {"partnership_id": elsewhere.partnership.pk})
    assert other.status_code == 404
