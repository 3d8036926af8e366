import pytest

from jobhelp.core import audit
from jobhelp.core.models import AuditEntry


def test_record_stores_action_actor_organization_and_object(front_desk, library):
    entry = audit.record(
        "jobhelp.request.created",
        actor=front_desk,
        organization=library,
        obj=library,
        data={"channel": "phone", "needs": ["resume", "digital"]},
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.actor, stored.organization, stored.object_id, stored.data) == (
        "jobhelp.request.created",
        front_desk,
        library,
        str(library.pk),
        {"channel": "phone", "needs": ["resume", "digital"]},
    )
    assert stored.created_at is not None


@pytest.mark.parametrize("value", ["Rosa Martínez", "called, left message", "a" * 65])
def test_record_refuses_personal_free_text(db, value):
    with pytest.raises(ValueError, match="free text"):
        audit.record("jobhelp.request.created", data={"name": value})
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("action", ["created", "request.created", "jobhelp.Request.Created"])
def test_record_refuses_actions_that_are_not_dotted_codes(db, action):
    with pytest.raises(ValueError, match="jobhelp"):
        audit.record(action)


def test_entries_for_returns_history_oldest_first(db, library, front_desk):
    first = audit.record("jobhelp.request.created", obj=library)
    second = audit.record("jobhelp.request.assigned", actor=front_desk, obj=library)
    audit.record("jobhelp.request.created", obj=front_desk)

    assert list(audit.entries_for(library)) == [first, second]
