"""What the partnership page tests share: a snapshot of everything a refused or failed change
must leave as it was, the messages a page showed, and counting a page's queries."""

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.models import (
    ActionItem,
    Agreement,
    Amendment,
    Attachment,
    CostShare,
    Grant,
    LogEntry,
    Meeting,
    MeetingAttendee,
    Obligation,
    Occurrence,
    Party,
)


def snapshot() -> dict:
    """Every row a partnership page may write, with the fields changes touch."""
    return {
        "agreements": list(
            Agreement.objects.order_by("pk").values_list(
                "pk", "status", "title", "effective_from", "renewal_on", "review_cycle_months"
            )
        ),
        "parties": list(
            Party.objects.order_by("pk").values_list("pk", "organization", "role", "signed_on")
        ),
        "cost_shares": list(CostShare.objects.order_by("pk").values_list("pk", "category")),
        "amendments": list(Amendment.objects.order_by("pk").values_list("pk", "kind")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("pk", "file")),
        "obligations": list(
            Obligation.objects.order_by("pk").values_list("pk", "title", "first_due_on")
        ),
        "occurrences": list(
            Occurrence.objects.order_by("pk").values_list(
                "pk", "done_at", "note", "evidence_file", "evidence_id"
            )
        ),
        "meetings": list(
            Meeting.objects.order_by("pk").values_list("pk", "title", "starts", "minutes")
        ),
        "attendees": list(MeetingAttendee.objects.order_by("pk").values_list("pk", "user")),
        "action_items": list(ActionItem.objects.order_by("pk").values_list("pk", "status")),
        "grants": list(Grant.objects.order_by("pk").values_list("pk", "status", "funder")),
        "log": list(LogEntry.objects.order_by("pk").values_list("pk", "minutes")),
        "audit": AuditEntry.objects.count(),
        "outbox": OutboundMessage.objects.count(),
    }


def shown(response) -> list[str]:
    """The messages the page (or the one redirected to) will show."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)
