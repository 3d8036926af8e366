"""intake's periodic job: the request eraser, which leaves other apps' data to their jobs."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.outbox import messages_for, queue_message
from tests.factories.casework import HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.workshops import RegistrationFactory, WorkshopSessionFactory


def test_the_request_eraser_erases_requests_and_leaves_notes_and_registrations_alone(
    library, retention
):
    retention(requests=30, notes=30, registrations=30)
    now = timezone.now()
    old = HelpRequestFactory(
        organization=library,
        state="closed",
        closing_reason="helped",
        finished_at=now - timedelta(days=31),
        name="Rosa Martínez",
        email="rosa@example.com",
    )
    queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": old, "needs": []},
        language="en",
        related=old,
    )
    session = HelpSessionFactory(request=old, private_note="Wants warehouse work")
    registration = RegistrationFactory(
        session=WorkshopSessionFactory(
            workshop__organization=library, starts=now - timedelta(days=40)
        ),
        name="Ana Ruiz",
    )

    outcomes = periodic.run_jobs(names=["intake.request_eraser"], now=now)

    assert [(o.job, o.counts) for o in outcomes] == [("intake.request_eraser", {"erased": 1})]
    old.refresh_from_db()
    assert (old.name, old.email, old.erased_at) == ("", "", now)
    # The outbox erased its own rows, asked by intake.
    assert list(messages_for(old).values_list("to", "subject", "body")) == [("", "", "")]
    # Help sessions and class registrations wait for casework's and workshops' own jobs.
    session.refresh_from_db()
    registration.refresh_from_db()
    assert (session.private_note, registration.name) == ("Wants warehouse work", "Ana Ruiz")
    assert list(
        AuditEntry.objects.filter(action__in=["jobhelp.request.erased", "jobhelp.periodic.ran"])
        .order_by("pk")
        .values_list("action", "data")
    ) == [
        ("jobhelp.request.erased", {}),
        ("jobhelp.periodic.ran", {"job": "intake.request_eraser", "erased": 1}),
    ]
