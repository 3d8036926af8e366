"""Seats under contention, with real threads on the real database."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import RegistrationState
from jobhelp.workshops.models import Registration
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory


def at_once(count: int, action) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = action(index)
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [t.is_alive() for t in threads] == [False] * count
    return results


@pytest.mark.django_db(transaction=True)
def test_thirty_people_racing_for_the_last_three_seats(library):
    workshop = WorkshopFactory(organization=library, capacity=12)
    session = WorkshopSessionFactory(workshop=workshop, starts=timezone.now() + timedelta(days=3))
    for n in range(9):
        register(session, registrant=Registrant(name=f"Early {n}", phone=f"+1763555{n:04d}"))

    results = at_once(
        30,
        lambda i: register(
            session, registrant=Registrant(name=f"Racer {i}", email=f"racer{i}@example.org")
        ),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    racers = Registration.objects.filter(name__startswith="Racer")
    assert (
        errors,
        racers.filter(state=RegistrationState.REGISTERED).count(),
        racers.filter(state=RegistrationState.WAITLISTED).count(),
        session.registrations.filter(state=RegistrationState.REGISTERED).count(),
    ) == ([], 3, 27, 12)


@pytest.mark.django_db(transaction=True)
def test_ten_identical_submits_make_one_registration(library):
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library), starts=timezone.now() + timedelta(days=3)
    )
    results = at_once(
        10,
        lambda i: register(
            session,
            registrant=Registrant(name="Rosa Martínez", email="rosa@example.org"),
            idempotency_key="one-form",
        ),
    )
    stored = Registration.objects.get()
    assert [getattr(r, "registration", r) for r in results] == [stored] * 10


@pytest.mark.django_db(transaction=True)
def test_one_person_on_two_devices_registers_once(library):
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library), starts=timezone.now() + timedelta(days=3)
    )
    results = at_once(
        6,
        lambda i: register(
            session,
            registrant=Registrant(name="Rosa Martínez", phone="+17635550177"),
            idempotency_key=f"device-{i}",
        ),
    )
    assert ([type(r).__name__ for r in results], Registration.objects.count()) == (
        ["Registered"] * 6,
        1,
    )
