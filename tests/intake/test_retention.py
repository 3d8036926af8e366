from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.intake.domain import erase_expired_requests
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.outbox import messages_for, queue_message
from tests.factories.intake import HelpRequestFactory


def test_only_requests_finished_before_the_retention_period_are_erased(library, retention):
    retention(requests=30)
    now = timezone.now()
    old = HelpRequestFactory(
        organization=library,
        state="closed",
        closing_reason="helped",
        finished_at=now - timedelta(days=31),
        email="a@example.com",
        note="laid off in May",
    )
    recent = HelpRequestFactory(
        organization=library,
        state="resolved",
        closing_reason="helped",
        finished_at=now - timedelta(days=29),
    )
    still_open = HelpRequestFactory(organization=library, state="assigned")
    old.notes.create(text="reassigned: she prefers mornings")
    old.contact_attempts.create(channel="phone", outcome="reached", note="start date May 4")
    queue_message(
        to="a@example.com",
        template="request_received",
        context={"request": old, "needs": []},
        language="en",
        related=old,
    )

    assert erase_expired_requests(now=now) == 1

    old.refresh_from_db()
    assert (old.name, old.phone, old.email, old.note, old.erased_at) == ("", "", "", "", now)
    assert old.state == "closed" and list(old.needs.values_list("need", flat=True)) == ["resume"]
    assert list(HelpRequest.objects.filter(erased_at__isnull=True).order_by("pk")) == [
        recent,
        still_open,
    ]
    assert list(messages_for(old).values_list("to", "body")) == [("", "")]
    assert list(old.notes.values_list("text", flat=True)) == [""]
    assert list(old.contact_attempts.values_list("note", flat=True)) == [""]
    assert list(
        AuditEntry.objects.filter(action="jobhelp.request.erased").values_list(
            "object_id", flat=True
        )
    ) == [str(old.pk)]


def test_erasing_twice_changes_nothing_the_second_time(library, retention):
    retention(requests=1)
    HelpRequestFactory(
        organization=library,
        state="closed",
        closing_reason="duplicate",
        finished_at=timezone.now() - timedelta(days=2),
    )

    call_command("run_periodic", "--job", "intake.request_eraser", verbosity=0)
    assert erase_expired_requests() == 0
    assert AuditEntry.objects.filter(action="jobhelp.request.erased").count() == 1


def test_an_unsent_calendar_file_is_erased_with_the_request(library, retention):
    retention(requests=30)
    now = timezone.now()
    old = HelpRequestFactory(
        organization=library,
        state="closed",
        closing_reason="helped",
        finished_at=now - timedelta(days=31),
        email="a@example.com",
    )
    queue_message(
        to="a@example.com",
        template="request_received",
        context={"request": old, "needs": []},
        language="en",
        related=old,
        attachment=("appointment.ics", "text/calendar", "BEGIN:VCALENDAR"),
    )

    erase_expired_requests(now=now)

    assert list(messages_for(old).values_list("to", "body", "attachment")) == [("", "", "")]
