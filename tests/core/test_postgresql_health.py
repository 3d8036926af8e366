"""The PostgreSQL backend's health check (jobhelp.core.postgresql): no round trip for a healthy
idle connection, and a connection the server ended is found unusable."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_base

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def other():
    """A second connection of our own to the test database, closed after."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_engine_is_ours():
    assert connection.settings_dict["ENGINE"] == "jobhelp.core.postgresql"


def test_a_healthy_idle_connection_is_usable_without_asking_the_server(other, monkeypatch):
    def round_trip(self):
        raise AssertionError("asked the server")

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", round_trip)

    assert other.is_usable() is True


def test_a_connection_the_server_ended_is_not_usable(other):
    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)
    # The server's goodbye reaches the socket a moment later.
    deadline = time.monotonic() + 5
    while other.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert other.is_usable() is False


def test_the_health_check_replaces_an_ended_connection(other):
    other.health_check_enabled = True
    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while other.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    other.health_check_done = False

    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        new_pid = cursor.fetchone()[0]

    assert new_pid != pid


def test_a_connection_inside_a_transaction_asks_the_server(other, monkeypatch):
    asked = []

    def round_trip(self):
        asked.append(True)
        return True

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", round_trip)
    other.connection.execute("BEGIN")
    try:
        assert other.is_usable() is True
    finally:
        other.connection.execute("ROLLBACK")

    assert asked == [True]


def test_a_closed_connection_is_not_usable(other):
    other.connection.close()

    assert other.is_usable() is False


def test_a_failed_transaction_asks_the_server_and_is_not_usable(other):
    """Review: a transaction left failed (an error inside BEGIN, not rolled back) is not taken
    for healthy because its socket is quiet."""
    other.connection.execute("BEGIN")
    with pytest.raises(Exception, match="division by zero"):
        other.connection.execute("SELECT 1/0")

    assert other.is_usable() is False
    other.connection.execute("ROLLBACK")


def test_after_an_error_in_autocommit_the_idle_connection_is_usable_without_a_round_trip(
    other, monkeypatch
):
    """Review: a statement that failed outside a transaction (the connection idle again, as
    after a statement timeout) leaves a usable connection, found so without asking."""
    with pytest.raises(Exception, match="division by zero"):
        other.connection.execute("SELECT 1/0")

    def round_trip(self):
        raise AssertionError("asked the server")

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", round_trip)
    assert other.is_usable() is True
