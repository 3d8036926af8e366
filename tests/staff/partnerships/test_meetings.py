"""Management meetings on the staff pages: scheduling one on the place's wall clock (a time in
the spring-forward gap falls after it), its page, minutes and who came, attendees, action items
whose owner may close them, cancelling, and its calendar file. Only managers of a partner at
full participation run them; bad input is a message with nothing written."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.enums import ActionItemStatus
from jobhelp.partnerships.models import ActionItem, Meeting
from tests.factories.partnerships import ActionItemFactory, MeetingFactory
from tests.forms_in_html import form_values
from tests.staff.partnerships.checks import queries_of, shown, snapshot

CHICAGO = ZoneInfo("America/Chicago")


def next_spring_forward() -> date:
    """The next second Sunday of March: the day US clocks skip from 02:00 to 03:00."""
    year = timezone.localdate().year + 1
    first = date(year, 3, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7)


def meeting_post(center, **overrides) -> dict:
    data = {
        "title": "Quarterly management meeting",
        "location": str(center.locations.get().pk),
        "day": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "starts": "10:00",
        "minutes": "90",
        "agenda": "Flyers; cards; the grant.",
        "attendees": [],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["manager", "center_manager"])
def test_a_manager_of_a_full_partner_schedules_a_meeting_and_invites(
    client, log_in, partnership, center, liaison, manager, persona
):
    log_in(persona)

    response = client.post(
        f"/staff/partnerships/{partnership.pk}/meetings/new/",
        meeting_post(center, attendees=[str(liaison.pk), str(manager.pk)]),
    )

    meeting = Meeting.objects.get()
    assert response.url == f"/staff/partnerships/meetings/{meeting.pk}/"
    assert meeting.starts.astimezone(CHICAGO).time() == time(10)
    assert meeting.ends - meeting.starts == timedelta(minutes=90)
    invited = OutboundMessage.objects.filter(template="meeting_scheduled")
    assert sorted(invited.values_list("to", flat=True)) == sorted([liaison.email, manager.email])


def test_a_time_in_the_spring_forward_gap_falls_after_it(client, log_in, partnership, center):
    log_in("center_manager")
    day = next_spring_forward()
    client.post(
        f"/staff/partnerships/{partnership.pk}/meetings/new/",
        meeting_post(center, day=day.isoformat(), starts="02:30"),
    )
    starts = Meeting.objects.get().starts.astimezone(CHICAGO)
    assert (starts.date(), starts.time(), starts.tzname()) == (day, time(3, 30), "CDT")


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"minutes": "5"}, {"minutes": ["Ensure this value is greater than or equal to 15."]}),
        ({"title": ""}, {"title": ["This field is required."]}),
        (
            {"day": (timezone.localdate() - timedelta(days=1)).isoformat()},
            {"__all__": ["A new meeting must start in the future."]},
        ),
        ({"attendees": ["999999"]}, {"attendees": ["Choose people from the list."]}),
    ],
)
def test_bad_meeting_input_is_explained_and_nothing_written(
    client, log_in, partnership, center, overrides, errors
):
    log_in("manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/{partnership.pk}/meetings/new/", meeting_post(center, **overrides)
    )
    assert response.context["form"].errors == errors
    assert form_values(response)["agenda"] == ["Flyers; cards; the grant."]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["front_desk", "liaison", "affiliate_manager"])
def test_who_does_not_run_the_partnership_cannot_schedule(
    client, log_in, partnership, center, persona
):
    """An affiliate's manager is a manager of a partner at a reduced level: not enough."""
    log_in(persona)
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/{partnership.pk}/meetings/new/", meeting_post(center)
    )
    assert response.url == f"/staff/partnerships/{partnership.pk}/meetings/"
    assert shown(response) == [
        "Only managers of a partner at full participation can change the partnership."
    ]
    assert snapshot() == before


def test_the_meeting_page_and_another_partnerships(
    client, log_in, partnership, past_meeting, action_item, elsewhere
):
    log_in("affiliate_staff")
    response = client.get(f"/staff/partnerships/meetings/{past_meeting.pk}/")
    assert response.context["items"] == [{"item": action_item, "may_change": False}]
    assert "Send the e-resources list" in response.content.decode()
    for path in (
        f"/staff/partnerships/meetings/{elsewhere.meeting.pk}/",
        f"/staff/partnerships/meetings/{elsewhere.meeting.pk}/meeting.ics",
        f"/staff/partnerships/meetings/{elsewhere.meeting.pk}/minutes/",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(f"/staff/partnerships/action-items/{elsewhere.action_item.pk}/status/")
    ).status_code == 404


def test_the_calendar_file_is_a_download(client, log_in, past_meeting):
    log_in("helper")
    response = client.get(f"/staff/partnerships/meetings/{past_meeting.pk}/meeting.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert f"UID:partnership-meeting-{past_meeting.pk}@" in body


def test_the_minutes_are_recorded_with_who_came(client, log_in, past_meeting, liaison, center):
    came = past_meeting.attendees.create(organization=center, user=liaison)
    missed = past_meeting.attendees.create(organization=center, name="Pat Guest")
    log_in("center_manager")

    client.post(
        f"/staff/partnerships/meetings/{past_meeting.pk}/minutes/",
        {"minutes": "We met.", "decisions": "Flyers monthly.", "attended": [str(came.pk)]},
    )

    past_meeting.refresh_from_db()
    assert (past_meeting.minutes, past_meeting.decisions) == ("We met.", "Flyers monthly.")
    assert {a.pk: a.attended for a in past_meeting.attendees.all()} == {
        came.pk: True,
        missed.pk: False,
    }


def test_minutes_without_text_are_refused_and_nothing_written(client, log_in, past_meeting):
    log_in("center_manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/meetings/{past_meeting.pk}/minutes/",
        {"minutes": "", "decisions": "Flyers monthly."},
    )
    assert response.context["form"].errors == {"minutes": ["This field is required."]}
    assert form_values(response)["decisions"] == ["Flyers monthly."]
    assert snapshot() == before


def test_minutes_wait_until_the_meeting_has_started(client, log_in, partnership, center):
    ahead = MeetingFactory(partnership=partnership, location=center.locations.get())
    log_in("center_manager")
    response = client.get(f"/staff/partnerships/meetings/{ahead.pk}/minutes/")
    assert shown(response) == ["Minutes are recorded once the meeting has started."]


def test_an_action_item_is_added_and_its_owner_closes_it(
    client, log_in, past_meeting, manager, library
):
    log_in("center_manager")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        f"/staff/partnerships/meetings/{past_meeting.pk}/action-items/new/",
        {"title": "Send the card list", "owner": str(manager.pk), "due_on": due},
    )
    item = ActionItem.objects.get()
    assert (item.owner, item.owner_organization, item.status) == (manager, library, "open")

    log_in("manager")
    client.post(f"/staff/partnerships/action-items/{item.pk}/status/", {"status": "done"})
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_an_action_item_without_an_owner_is_refused_and_nothing_written(
    client, log_in, past_meeting
):
    log_in("center_manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/meetings/{past_meeting.pk}/action-items/new/",
        {"title": "Send the card list", "owner": "", "due_on": "2027-01-10"},
    )
    assert response.context["form"].errors == {"owner": ["This field is required."]}
    assert form_values(response)["title"] == ["Send the card list"]
    assert snapshot() == before


def test_someone_else_may_not_close_an_action_item(client, log_in, action_item):
    log_in("front_desk")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/action-items/{action_item.pk}/status/", {"status": "done"}
    )
    assert shown(response) == [
        "Only the owner or the partnership's managers can change this action item."
    ]
    assert snapshot() == before


def test_attendees_are_added_and_a_guest_needs_a_partner(
    client, log_in, past_meeting, partner_staff, center
):
    log_in("center_manager")
    path = f"/staff/partnerships/meetings/{past_meeting.pk}/attendees/new/"
    before = snapshot()
    bad = client.post(path, {"user": "", "name": "Pat Guest", "organization": ""})
    assert bad.context["form"].errors == {
        "organization": ["Choose the partner the guest comes from."]
    }
    assert form_values(bad)["name"] == ["Pat Guest"]
    assert snapshot() == before

    client.post(path, {"user": str(partner_staff.pk), "name": "", "organization": ""})
    client.post(path, {"user": "", "name": "Pat Guest", "organization": str(center.pk)})
    assert sorted(str(a) for a in past_meeting.attendees.all()) == sorted(
        [str(partner_staff), "Pat Guest"]
    )


def test_a_meeting_ahead_is_changed_and_cancelled(client, log_in, partnership, center):
    ahead = MeetingFactory(partnership=partnership, location=center.locations.get())
    log_in("manager")
    path = f"/staff/partnerships/meetings/{ahead.pk}/edit/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data["starts"] = "14:00"
    client.post(path, data)
    ahead.refresh_from_db()
    assert (ahead.starts.astimezone(CHICAGO).time(), ahead.sequence) == (time(14), 1)

    log_in("front_desk")
    refused = client.post(f"/staff/partnerships/meetings/{ahead.pk}/cancel/")
    assert shown(refused) == [
        "The meeting is saved.",
        "Only managers of a partner at full participation can change the partnership.",
    ]
    log_in("manager")
    client.post(f"/staff/partnerships/meetings/{ahead.pk}/cancel/")
    ahead.refresh_from_db()
    assert ahead.cancelled


def test_the_list_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, center
):
    log_in("manager")
    place = center.locations.get()
    MeetingFactory(partnership=partnership, location=place)
    path = f"/staff/partnerships/{partnership.pk}/meetings/"
    one = queries_of(client, path)
    MeetingFactory(partnership=partnership, location=place)
    MeetingFactory(
        partnership=partnership, location=place, starts=timezone.now() - timedelta(days=30)
    )
    assert queries_of(client, path) == one


def test_a_bad_change_of_a_meeting_is_explained_and_nothing_changed(
    client, log_in, partnership, center
):
    ahead = MeetingFactory(partnership=partnership, location=center.locations.get())
    log_in("center_manager")
    path = f"/staff/partnerships/meetings/{ahead.pk}/edit/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data.update(minutes="600", agenda="A new agenda.")
    before = snapshot()

    response = client.post(path, data)

    assert response.context["form"].errors == {
        "minutes": ["Ensure this value is less than or equal to 480."]
    }
    assert form_values(response)["agenda"] == ["A new agenda."]
    assert snapshot() == before


def test_an_unknown_status_for_an_action_item_changes_nothing(client, log_in, action_item):
    log_in("manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/action-items/{action_item.pk}/status/", {"status": "maybe"}
    )
    assert shown(response) == ["Choose a status from the list."]
    assert snapshot() == before


def test_the_meeting_page_reads_in_the_same_number_of_queries_for_one_and_three_items(
    client, log_in, past_meeting, manager, library, liaison, center
):
    log_in("manager")
    path = f"/staff/partnerships/meetings/{past_meeting.pk}/"
    ActionItemFactory(meeting=past_meeting, owner=manager, owner_organization=library)
    past_meeting.attendees.create(organization=center, user=liaison)
    one = queries_of(client, path)
    for name in ("Pat Guest", "Sam Guest"):
        ActionItemFactory(meeting=past_meeting, owner=manager, owner_organization=library)
        past_meeting.attendees.create(organization=center, name=name)
    assert queries_of(client, path) == one
