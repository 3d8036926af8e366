"""workshops' periodic jobs: class reminders, offer expiry and the registration eraser."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import queue_message
from jobhelp.workshops.domain import Registrant, cancel_registration, register
from jobhelp.workshops.models import Registration
from tests.factories.intake import HelpRequestFactory
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local


def person(n: int) -> Registrant:
    return Registrant(name=f"Patron Number{n}", email=f"p{n}@example.org", language="es")


def counts(names, now) -> list[tuple[str, dict]]:
    return [(o.job, o.counts) for o in periodic.run_jobs(names=names, now=now)]


def test_the_reminder_job_queues_each_class_reminder_once(library):
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library),
        starts=local(2026, 3, 9, 10),
        ends=local(2026, 3, 9, 11),
    )
    register(session, registrant=person(1), now=local(2026, 3, 1, 9))

    assert counts(["workshops.class_reminders"], local(2026, 3, 8, 10)) == [
        ("workshops.class_reminders", {"queued": 1})
    ]
    assert counts(["workshops.class_reminders"], local(2026, 3, 8, 10, 1)) == [
        ("workshops.class_reminders", {"queued": 0})
    ]


def test_the_offer_expiry_job_passes_a_lapsed_offer_on(library):
    workshop = WorkshopFactory(organization=library, capacity=1, offer_hold_hours=24)
    session = WorkshopSessionFactory(workshop=workshop, starts=timezone.now() + timedelta(days=5))
    seated = register(session, registrant=person(1)).registration
    [register(session, registrant=person(n)) for n in (2, 3)]
    cancel_registration(seated)
    offered_at = timezone.now()

    assert counts(["workshops.offer_expiry"], offered_at + timedelta(hours=25)) == [
        ("workshops.offer_expiry", {"lapsed": 1})
    ]
    assert list(session.registrations.order_by("pk").values_list("state", flat=True)) == [
        "cancelled",
        "lapsed",
        "offered",
    ]


def test_the_registration_eraser_erases_old_registrations_and_their_messages_only(
    library, retention
):
    retention(registrations=30)
    now = timezone.now()
    workshop = WorkshopFactory(organization=library)
    old = WorkshopSessionFactory(workshop=workshop, starts=now - timedelta(days=31, hours=2))
    recent = WorkshopSessionFactory(workshop=workshop, starts=now - timedelta(days=29))
    erased = register(old, registrant=person(1), now=old.starts - timedelta(days=7))
    kept = register(recent, registrant=person(2), now=recent.starts - timedelta(days=7))
    help_request = HelpRequestFactory(organization=library, email="rosa@example.com")
    about_request = queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": help_request, "needs": []},
        language="en",
        related=help_request,
    )

    assert counts(["workshops.registration_eraser"], now) == [
        ("workshops.registration_eraser", {"erased": 1})
    ]
    assert dict(Registration.objects.values_list("pk", "name")) == {
        erased.registration.pk: "",
        kept.registration.pk: "Patron Number2",
    }
    # The outbox emptied the messages to the erased registrant, and only those.
    assert sorted(OutboundMessage.objects.values_list("to", flat=True)) == [
        "",
        "p2@example.org",
        "rosa@example.com",
    ]
    assert OutboundMessage.objects.get(pk=about_request.pk).to == "rosa@example.com"
