"""The periodic jobs on a controlled clock: renewal reminders 120, 60 and 30 days ahead to the
parties' managers, each once however often the jobs run; expiry past the renewal date; action
item reminders before and on the due date."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.agreements import renewal_reminder_due, send_renewal_reminders
from jobhelp.partnerships.enums import ActionItemStatus
from jobhelp.partnerships.meetings import send_action_item_reminders
from jobhelp.partnerships.models import Agreement
from tests.factories.partnerships import ActionItemFactory, MeetingFactory

CHICAGO = ZoneInfo("America/Chicago")


def morning(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=CHICAGO)


def reminders() -> list[tuple[str, str]]:
    return sorted(
        OutboundMessage.objects.filter(template="agreement_renewal_reminder").values_list(
            "to", "dedupe_key"
        )
    )


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(150, None), (121, None), (120, 120), (90, 120), (60, 60), (31, 60), (30, 30), (0, 30)],
)
def test_the_reminder_due_is_the_nearest_whose_day_has_come(agreement, days_left, due):
    today = agreement.renewal_on - timedelta(days=days_left)
    assert renewal_reminder_due(agreement, today=today) == due


def test_each_renewal_reminder_goes_once_to_every_partys_managers(
    agreement, center_manager, manager, affiliate_manager, liaison, front_desk
):
    renewal = agreement.renewal_on
    managers = {center_manager.email, manager.email, affiliate_manager.email}

    assert send_renewal_reminders(now=morning(renewal - timedelta(days=121))) == 0
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=120))) == 3
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=120))) == 0
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=100))) == 0
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=60))) == 3
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=30))) == 3
    assert send_renewal_reminders(now=morning(renewal - timedelta(days=29))) == 0

    sent = reminders()
    assert {to for to, _key in sent} == managers
    assert sorted({key.split(":")[3] for _to, key in sent}) == ["120", "30", "60"]
    assert len(sent) == 9
    assert liaison.email not in {to for to, _key in sent}
    assert front_desk.email not in {to for to, _key in sent}


def test_the_reminder_says_when_in_the_managers_language(agreement, manager):
    manager.preferred_language = "es"
    manager.save()
    send_renewal_reminders(now=morning(agreement.renewal_on - timedelta(days=120)))

    message = OutboundMessage.objects.get(to=manager.email)
    assert message.language == "es"
    assert message.subject.startswith(f"«{agreement.title}» se renueva el ")
    assert message.subject.endswith("dentro de 120 días")


def test_a_runner_that_was_down_sends_only_the_latest_reminder(agreement, center_manager):
    send_renewal_reminders(now=morning(agreement.renewal_on - timedelta(days=45)))
    assert [key.split(":")[3] for _to, key in reminders()] == ["60"]


def test_a_new_renewal_date_arms_the_reminders_again(agreement, center_manager):
    send_renewal_reminders(now=morning(agreement.renewal_on - timedelta(days=30)))
    Agreement.objects.filter(pk=agreement.pk).update(
        renewal_on=agreement.renewal_on + timedelta(days=365)
    )
    agreement.refresh_from_db()
    send_renewal_reminders(now=morning(agreement.renewal_on - timedelta(days=30)))
    assert [key.split(":")[2] for _to, key in reminders()] == sorted(
        f"{day:%Y%m%d}"
        for day in (agreement.renewal_on - timedelta(days=365), agreement.renewal_on)
    )


def test_only_executed_agreements_are_reminded(agreement, center_manager):
    Agreement.objects.filter(pk=agreement.pk).update(status="in_negotiation")
    assert send_renewal_reminders(now=morning(agreement.renewal_on - timedelta(days=30))) == 0


def test_the_jobs_run_by_the_runner_queue_once_and_send_once(
    agreement,
    center_manager,
    manager,
    affiliate_manager,
    run_worker,
    django_capture_on_commit_callbacks,
):
    when = morning(agreement.renewal_on - timedelta(days=120))
    names = ["partnerships.renewal_reminders"]

    with django_capture_on_commit_callbacks(execute=True):
        first = periodic.run_jobs(names=names, now=when)
        second = periodic.run_jobs(names=names, now=when + timedelta(minutes=1))
    run_worker()

    assert [(o.status, o.counts) for o in first + second] == [
        ("ran", {"queued": 3}),
        ("ran", {"queued": 0}),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [center_manager.email, manager.email, affiliate_manager.email]
    )
    assert AuditEntry.objects.filter(action="jobhelp.periodic.ran").get().data == {
        "job": "partnerships.renewal_reminders",
        "queued": 3,
    }


def test_the_expiry_job_expires_an_agreement_past_its_renewal_date(agreement):
    after = morning(agreement.renewal_on + timedelta(days=1))
    (outcome,) = periodic.run_jobs(names=["partnerships.agreement_expiry"], now=after)
    assert outcome.counts == {"expired": 1}
    assert Agreement.objects.get(pk=agreement.pk).status == "expired"


# --- Action items ---------------------------------------------------------------------------------


def test_an_action_item_reminds_its_owner_three_days_before_and_on_the_day_once_each(
    partnership, center_manager, manager
):
    due = date(2026, 4, 10)
    meeting = MeetingFactory(partnership=partnership)
    item = ActionItemFactory(meeting=meeting, owner=manager, due_on=due)
    ActionItemFactory(
        meeting=meeting, owner=center_manager, due_on=due, status=ActionItemStatus.DONE
    )

    counts = [
        send_action_item_reminders(now=morning(due - timedelta(days=days)))
        for days in (5, 3, 3, 2, 1, 0, 0)
    ] + [send_action_item_reminders(now=morning(due + timedelta(days=1)))]

    assert counts == [0, 1, 0, 0, 0, 1, 0, 0]
    assert sorted(
        OutboundMessage.objects.filter(template="action_item_reminder").values_list(
            "to", "dedupe_key", "subject"
        )
    ) == [
        (
            manager.email,
            f"action-item:{item.pk}:20260410:0:{manager.pk}",
            f"Due today: {item.title}",
        ),
        (
            manager.email,
            f"action-item:{item.pk}:20260410:3:{manager.pk}",
            f"Due in 3 days: {item.title}",
        ),
    ]


def test_the_action_item_job_is_registered():
    assert "partnerships.action_item_reminders" in {job.name for job in periodic.registry.jobs()}
