"""The database being away is a 503 the visitor may retry, in both languages; any other failure
stays a 500. Both pages render without the database."""

import pytest
from django.db import InterfaceError, OperationalError

pytestmark = pytest.mark.django_db


def _failing_home(monkeypatch, error):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("jobhelp.public.views.home.public_organization", fail)


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection"), InterfaceError("connection already closed")],
)
def test_database_away_is_the_503_page_in_both_languages(client, monkeypatch, error):
    _failing_home(monkeypatch, error)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "The help desk will be back in a moment." in page
    assert '<h1 lang="es">El servicio de ayuda volverá en un momento.</h1>' in page


def test_api_call_with_database_away_is_a_503(client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("jobhelp.api.classes.endpoints.queries.public_sessions", fail)
    client.raise_request_exception = False

    response = client.get("/api/v1/classes/sessions")

    assert response.status_code == 503


def test_any_other_failure_is_still_the_500_page(client, monkeypatch):
    _failing_home(monkeypatch, ValueError("a bug"))
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "Sorry, something went wrong on our side." in response.content.decode()
