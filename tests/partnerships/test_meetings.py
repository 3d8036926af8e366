"""Management meetings: times on the place's wall clock (the spring gap too), invitations with
calendar files, changes and cancellations, minutes, action items and grants."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships import grants, ics
from jobhelp.partnerships import meetings as domain
from jobhelp.partnerships.enums import ActionItemStatus, GrantStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import ActionItem, Meeting
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory

CHICAGO = ZoneInfo("America/Chicago")
BEFORE_SPRING = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def place(center):
    return center.locations.get()


def schedule(partnership, by, place, *, day=date(2026, 3, 10), at=time(14), attendees=(), **kw):
    return domain.schedule_meeting(
        partnership,
        by=by,
        title="Quarterly management meeting",
        location=place,
        day=day,
        starts=at,
        minutes=90,
        agenda="Flyers; grant for digital skills.",
        attendees=attendees,
        now=kw.pop("now", BEFORE_SPRING),
        **kw,
    )


def test_a_meeting_is_at_the_places_wall_clock_and_invites_its_attendees(
    partnership, place, center_manager, manager, liaison, django_capture_on_commit_callbacks
):
    manager.preferred_language = "es"
    manager.save()
    with django_capture_on_commit_callbacks():
        meeting = schedule(partnership, center_manager, place, attendees=[manager, liaison])

    assert meeting.starts == datetime(2026, 3, 10, 14, tzinfo=CHICAGO)
    assert meeting.ends - meeting.starts == timedelta(minutes=90)
    assert set(meeting.attendees.values_list("user", "organization")) == {
        (manager.pk, manager.memberships.get().organization_id),
        (liaison.pk, liaison.memberships.get().organization_id),
    }
    sent = {
        m.to: (m.language, m.attachment_name, m.subject)
        for m in OutboundMessage.objects.filter(template="meeting_scheduled")
    }
    assert sent[liaison.email][:2] == ("en", "meeting.ics")
    assert sent[manager.email][:2] == ("es", "meeting.ics")
    assert sent[liaison.email][2].startswith("Meeting: Quarterly management meeting on ")
    assert sent[manager.email][2].startswith("Reunión: Quarterly management meeting el ")
    assert AuditEntry.objects.get(action="jobhelp.meeting.scheduled").data == {
        "location": place.pk,
        "starts": "2026-03-10T19:00Z",
        "attendees": 2,
    }


def test_a_start_in_the_spring_gap_falls_after_it_as_classes_do(partnership, place, center_manager):
    # 02:30 on 2026-03-08 does not exist in Chicago: it is read as 03:30 daylight time.
    meeting = schedule(partnership, center_manager, place, day=date(2026, 3, 8), at=time(2, 30))

    assert meeting.starts == datetime(2026, 3, 8, 8, 30, tzinfo=UTC)
    assert meeting.starts.astimezone(CHICAGO).strftime("%H:%M %Z") == "03:30 CDT"
    assert meeting.ends.astimezone(CHICAGO).strftime("%H:%M") == "05:00"


def test_a_repeated_autumn_time_is_its_first_occurrence(partnership, place, center_manager):
    meeting = schedule(
        partnership,
        center_manager,
        place,
        day=date(2026, 11, 1),
        at=time(1, 30),
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert meeting.starts == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_the_calendar_file_has_its_zone_organizer_uid_and_sequence(
    partnership, place, center_manager, liaison
):
    meeting = schedule(partnership, center_manager, place, attendees=[liaison])

    calendar = Calendar.from_ical(ics.meeting_calendar(meeting))
    (event,) = calendar.walk("VEVENT")
    (zone,) = calendar.walk("VTIMEZONE")
    assert (str(calendar["METHOD"]), str(zone["TZID"])) == ("REQUEST", "America/Chicago")
    assert str(event["UID"]) == f"partnership-meeting-{meeting.pk}@127.0.0.1"
    assert (event["SEQUENCE"], str(event["STATUS"])) == (0, "CONFIRMED")
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, tzinfo=CHICAGO)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert str(event["ORGANIZER"]) == "mailto:jobhelp@localhost"
    assert event["ORGANIZER"].params["CN"] == "Riverbend County WorkForce Center"
    assert str(event["ATTENDEE"]) == f"mailto:{liaison.email}"
    assert str(event["SUMMARY"]) == (
        "Quarterly management meeting – Riverbend job center and libraries"
    )


def test_a_new_time_raises_the_sequence_and_tells_the_attendees(
    partnership, place, center_manager, liaison
):
    meeting = schedule(partnership, center_manager, place, attendees=[liaison])

    changed = domain.change_meeting(meeting, by=center_manager, starts=time(15), now=BEFORE_SPRING)

    assert (changed.sequence, changed.starts) == (1, datetime(2026, 3, 10, 15, tzinfo=CHICAGO))
    message = OutboundMessage.objects.get(template="meeting_changed")
    assert "SEQUENCE:1" in message.attachment
    unchanged = domain.change_meeting(
        meeting, by=center_manager, agenda="New agenda.", now=BEFORE_SPRING
    )
    assert (
        unchanged.sequence,
        OutboundMessage.objects.filter(template="meeting_changed").count(),
    ) == (1, 1)


def test_a_cancelled_meeting_sends_a_cancelling_calendar_file(
    partnership, place, center_manager, liaison
):
    meeting = schedule(partnership, center_manager, place, attendees=[liaison])

    domain.cancel_meeting(meeting, by=center_manager, now=BEFORE_SPRING)

    message = OutboundMessage.objects.get(template="meeting_cancelled")
    assert ("METHOD:CANCEL" in message.attachment, "STATUS:CANCELLED" in message.attachment) == (
        True,
        True,
    )
    with pytest.raises(PartnershipError, match="already cancelled"):
        domain.cancel_meeting(meeting, by=center_manager, now=BEFORE_SPRING)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"now": datetime(2026, 3, 11, tzinfo=UTC)}, "must start in the future"),
        ({"minutes": 5}, "between 15 minutes and 8 hours"),
    ],
)
def test_bad_meetings_are_refused(partnership, place, center_manager, kwargs, message):
    minutes = kwargs.pop("minutes", 90)
    with pytest.raises(PartnershipError, match=message):
        domain.schedule_meeting(
            partnership,
            by=center_manager,
            title="x",
            location=place,
            day=date(2026, 3, 10),
            starts=time(14),
            minutes=minutes,
            now=kwargs.get("now", BEFORE_SPRING),
        )
    assert Meeting.objects.count() == 0


def test_a_place_of_someone_else_and_a_stranger_as_attendee_are_refused(
    partnership, place, center_manager, other_library, outsider
):
    elsewhere = LocationFactory(organization=other_library)
    with pytest.raises(PartnershipError, match="place of one of the partners"):
        schedule(partnership, center_manager, elsewhere)
    with pytest.raises(PartnershipError, match="does not work for any of the partners"):
        schedule(partnership, center_manager, place, attendees=[outsider])
    assert Meeting.objects.count() == 0


def test_only_managers_of_full_partners_run_meetings(
    partnership, place, liaison, affiliate_manager, outsider
):
    for person in (liaison, affiliate_manager, outsider):
        with pytest.raises(PartnershipError, match="full participation"):
            schedule(partnership, person, place)


def test_minutes_and_who_came_are_recorded_after_the_start(
    partnership, place, center_manager, manager, liaison
):
    meeting = schedule(partnership, center_manager, place, attendees=[manager, liaison])
    came = meeting.attendees.get(user=manager)
    with pytest.raises(PartnershipError, match="once the meeting has started"):
        domain.record_minutes(meeting, by=center_manager, minutes="x", now=BEFORE_SPRING)

    domain.record_minutes(
        meeting,
        by=center_manager,
        minutes="Reviewed the flyers.",
        decisions="Apply for the grant together.",
        attended=[came.pk],
        now=datetime(2026, 3, 10, 21, tzinfo=UTC),
    )

    assert dict(meeting.attendees.values_list("user", "attended")) == {
        manager.pk: True,
        liaison.pk: False,
    }
    assert AuditEntry.objects.get(action="jobhelp.meeting.minutes_recorded").data == {"attended": 1}


def test_guests_and_staff_are_added_and_removed(
    partnership, place, library, center_manager, manager
):
    meeting = schedule(partnership, center_manager, place)
    guest = domain.add_attendee(
        meeting, by=center_manager, organization=library, name="Board chair"
    )
    domain.add_attendee(meeting, by=center_manager, user=manager, now=BEFORE_SPRING)
    with pytest.raises(PartnershipError, match="already an attendee"):
        domain.add_attendee(meeting, by=center_manager, user=manager, now=BEFORE_SPRING)
    domain.remove_attendee(guest, by=center_manager)
    assert list(meeting.attendees.values_list("user", flat=True)) == [manager.pk]
    assert OutboundMessage.objects.filter(template="meeting_scheduled", to=manager.email).exists()


# --- Action items ---------------------------------------------------------------------------------


def test_an_action_item_is_owned_by_partner_staff_and_closed_by_its_owner(
    partnership, place, center_manager, manager, library
):
    meeting = schedule(partnership, center_manager, place)
    item = domain.add_action_item(
        meeting,
        by=center_manager,
        title="Order the center's popular titles",
        owner=manager,
        due_on=date(2026, 4, 1),
    )
    assert item.owner_organization == library

    closed = domain.set_action_item_status(item, by=manager, status=ActionItemStatus.DONE)

    assert (closed.status, closed.closed_at is not None) == ("done", True)
    with pytest.raises(PartnershipError, match="already done"):
        domain.set_action_item_status(item, by=manager, status=ActionItemStatus.DONE)
    assert AuditEntry.objects.get(action="jobhelp.action_item.status_changed").data == {
        "from": "open",
        "to": "done",
    }


def test_someone_else_cannot_close_an_action_item(
    partnership, place, center_manager, manager, front_desk
):
    meeting = schedule(partnership, center_manager, place)
    item = domain.add_action_item(
        meeting, by=center_manager, title="x", owner=manager, due_on=date(2026, 4, 1)
    )
    with pytest.raises(PartnershipError, match="Only the owner"):
        domain.set_action_item_status(item, by=front_desk, status=ActionItemStatus.DONE)
    assert ActionItem.objects.get().status == "open"


def test_an_action_items_owner_must_work_for_a_partner(
    partnership, place, center_manager, outsider
):
    meeting = schedule(partnership, center_manager, place)
    with pytest.raises(PartnershipError, match="does not work for any of the partners"):
        domain.add_action_item(
            meeting, by=center_manager, title="x", owner=outsider, due_on=date(2026, 4, 1)
        )


def test_a_new_owner_is_counted_for_their_partner(
    partnership, place, center, library, center_manager, manager
):
    meeting = schedule(partnership, center_manager, place)
    item = domain.add_action_item(
        meeting, by=center_manager, title="x", owner=manager, due_on=date(2026, 4, 1)
    )
    coach = staff_member(center, Role.PARTNER_STAFF)

    updated = domain.update_action_item(item, by=center_manager, owner=coach)

    assert (updated.owner, updated.owner_organization) == (coach, center)
    assert AuditEntry.objects.get(action="jobhelp.action_item.updated").data == {
        "fields": ["owner", "owner_organization"]
    }


# --- Grants ---------------------------------------------------------------------------------------


def test_a_grant_moves_along_its_statuses_and_a_decision_needs_its_outcome(
    partnership, library, center_manager
):
    grant = grants.add_grant(
        partnership,
        by=center_manager,
        funder="State Library Services",
        opportunity="Digital skills for job seekers",
        lead_organization=library,
        deadline=date(2027, 2, 1),
        match_commitment="Staff time at 10 branches.",
    )
    for status in (GrantStatus.PREPARING, GrantStatus.SUBMITTED):
        grants.set_grant_status(grant, by=center_manager, status=status)
    with pytest.raises(PartnershipError, match="Write the outcome"):
        grants.set_grant_status(grant, by=center_manager, status=GrantStatus.AWARDED)
    grants.set_grant_status(
        grant, by=center_manager, status=GrantStatus.AWARDED, outcome="$40,000 over two years."
    )
    with pytest.raises(PartnershipError, match="cannot become"):
        grants.set_grant_status(grant, by=center_manager, status=GrantStatus.EXPLORING)

    grant.refresh_from_db()
    assert (grant.status, grant.outcome) == ("awarded", "$40,000 over two years.")
    assert list(
        AuditEntry.objects.filter(action="jobhelp.grant.status_changed")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [
        {"from": "exploring", "to": "preparing"},
        {"from": "preparing", "to": "submitted"},
        {"from": "submitted", "to": "awarded"},
    ]


def test_a_grant_is_led_by_a_partner(partnership, other_library, center_manager):
    with pytest.raises(PartnershipError, match="lead must be one of the partners"):
        grants.add_grant(
            partnership,
            by=center_manager,
            funder="x",
            opportunity="y",
            lead_organization=other_library,
        )


def test_a_started_meeting_is_not_moved_or_cancelled(partnership, place, center_manager):
    meeting = schedule(partnership, center_manager, place)
    after = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
    with pytest.raises(PartnershipError, match="record its minutes instead"):
        domain.change_meeting(meeting, by=center_manager, starts=time(16), now=after)
    with pytest.raises(PartnershipError, match="can no longer be cancelled"):
        domain.cancel_meeting(meeting, by=center_manager, now=after)
    assert Meeting.objects.get().sequence == 0


def test_grant_details_change_with_audit_and_stay_within_the_partnership(
    partnership, library, center, center_manager, elsewhere
):
    grant = grants.add_grant(
        partnership, by=center_manager, funder="x", opportunity="y", lead_organization=library
    )
    grants.update_grant(
        grant, by=center_manager, lead_organization=center, deadline=date(2027, 1, 5)
    )
    with pytest.raises(PartnershipError, match="meeting of this partnership"):
        grants.update_grant(grant, by=center_manager, meeting=elsewhere.meeting)

    grant.refresh_from_db()
    assert (grant.lead_organization, grant.meeting) == (center, None)
    assert AuditEntry.objects.get(action="jobhelp.grant.updated").data == {
        "fields": ["deadline", "lead_organization"]
    }
