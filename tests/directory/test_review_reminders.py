"""Entries not reviewed for a year are flagged to their owners: one message per manager, each
entry once, through the outbox (directory.domain.send_review_reminders and its periodic job)."""

from datetime import UTC, date, datetime

from django.core import mail

from jobhelp.accounts.enums import Role
from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.directory.domain import mark_reviewed
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceFactory

NOW = datetime(2026, 5, 4, 14, tzinfo=UTC)


def run(now=NOW) -> list:
    return [
        (o.job, o.counts) for o in periodic.run_jobs(names=["directory.review_reminders"], now=now)
    ]


def test_each_manager_gets_one_message_listing_their_due_entries_once(
    library, branch, manager, other_library, run_worker, django_capture_on_commit_callbacks
):
    branch_manager = staff_member(branch, Role.MANAGER, email="lee@example.org")
    ServiceFactory(organization=library, name="Resumé help", reviewed_on=date(2025, 1, 2))
    ServiceFactory(organization=branch, name="Computer access", reviewed_on=date(2025, 5, 1))
    ServiceFactory(organization=library, name="Fresh", reviewed_on=date(2026, 1, 1))
    # Another organization's due entry, with no manager: it waits, unflagged.
    orphan = ServiceFactory(organization=other_library, reviewed_on=date(2024, 1, 1))

    with django_capture_on_commit_callbacks(execute=True):
        assert run() == [("directory.review_reminders", {"queued": 2})]
    run_worker()
    assert run() == [("directory.review_reminders", {"queued": 0})]

    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {manager.email, branch_manager.email}
    assert "Resumé help (Riverbend County Library)" in sent[manager.email].body
    assert "Computer access (Northtown Library)" in sent[manager.email].body
    assert "Resumé help" not in sent[branch_manager.email].body
    assert sent[manager.email].subject == "2 directory entries are due for review"
    orphan.refresh_from_db()
    assert orphan.review_reminded_at is None
    assert (
        AuditEntry.objects.filter(action="jobhelp.directory_service.review_reminded").count() == 2
    )


def test_a_reviewed_entry_is_reminded_again_only_a_year_later(library, manager):
    service = ServiceFactory(organization=library, reviewed_on=date(2025, 1, 2))
    run()
    mark_reviewed(service, by=manager, today=date(2026, 5, 4))

    assert run(datetime(2026, 6, 1, tzinfo=UTC)) == [("directory.review_reminders", {"queued": 0})]
    assert run(datetime(2027, 5, 5, tzinfo=UTC)) == [("directory.review_reminders", {"queued": 1})]
    assert OutboundMessage.objects.count() == 2


def test_the_message_is_in_the_managers_language(library):
    staff_member(library, Role.MANAGER, preferred_language="es")
    ServiceFactory(organization=library, reviewed_on=date(2025, 1, 2))

    run()

    assert OutboundMessage.objects.get().subject == "Una entrada del directorio necesita revisión"
