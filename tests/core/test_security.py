"""Security events as one JSON line each without personal data; the 500 and 503 pages; the
two-factor waiver only for DEBUG; secret-link guessing refused per address and logged."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from jobhelp.core import links, security
from jobhelp.core.security import JsonFormatter
from jobhelp.core.tokens import new_token
from jobhelp.public.errors import server_error
from jobhelp.scheduling.models import CalendarFeed
from tests.core.test_deploy_check import PRODUCTION, _manage


@pytest.fixture
def security_log(caplog):
    logger = logging.getLogger("jobhelp.security")
    logger.propagate = True
    caplog.set_level(logging.INFO, logger="jobhelp.security")
    yield lambda: [
        JsonFormatter().format(r) for r in caplog.records if r.name == "jobhelp.security"
    ]
    logger.propagate = False


def test_an_event_is_one_json_line_without_what_it_was_not_allowed(security_log, rf):
    request = rf.post("/staff/login/", REMOTE_ADDR="203.0.113.7")

    security.event(
        "sign_in.failed",
        request=request,
        username="maria.garcia",
        password="hunter2-hunter2",
        email="maria@example.org",
        scope="login",
    )

    (line,) = security_log()
    assert "\n" not in line
    event = json.loads(line)
    assert {k: v for k, v in event.items() if k not in {"time", "address"}} == {
        "event": "sign_in.failed",
        "level": "WARNING",
        "logger": "jobhelp.security",
        "method": "POST",
        "scope": "login",
        "view": "",
    }
    # The address only as a keyed hash: the same for the same address, never the address.
    assert event["address"] == security.address_key("203.0.113.7")
    assert "203.0.113.7" not in line
    assert "maria" not in line and "hunter2" not in line


def test_the_production_logging_sends_events_to_their_json_handler():
    from django.conf import settings

    logger = settings.LOGGING["loggers"]["jobhelp.security"]
    assert logger == {"handlers": ["security"], "level": "INFO", "propagate": False}
    assert settings.LOGGING["handlers"]["security"]["formatter"] == "json"


@pytest.mark.django_db
def test_guessing_secret_links_is_refused_per_address_and_logged(helper, security_log):
    _feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)

    def look(address, key):
        request = RequestFactory().get("/", REMOTE_ADDR=address)
        try:
            links.guarded_lookup(request, lambda: links.find(CalendarFeed.objects.all(), key))
        except links.LinkProblem as problem:
            return problem.reason
        return "ok"

    for _ in range(links.GUESS_LIMIT):
        look("203.0.113.7", new_token())

    assert (look("203.0.113.7", token), look("198.51.100.2", token)) == ("too_many", "ok")
    events = [json.loads(line) for line in security_log()]
    assert [e["event"] for e in events] == ["rate_limit.hit"]
    assert events[0]["scope"] == links.PATRON_LINKS
    assert token not in security_log()[0]


def test_a_lost_database_connection_is_the_503_page_in_both_languages(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/help/"))

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "back in a moment" in page
    assert 'lang="es"' in page


def test_other_errors_are_left_to_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side." in page
    assert "Lo sentimos, algo salió mal de nuestro lado." in page


@pytest.mark.django_db
def test_a_view_whose_database_fails_answers_503(client, monkeypatch, library):
    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("jobhelp.public.views.help.render", broken)

    response = Client(raise_request_exception=False).get("/help/")

    assert response.status_code == 503


def test_two_factor_may_be_waived_only_with_debug():
    result = _manage("check", env=PRODUCTION | {"JOBHELP_TWO_FACTOR_REQUIRED": "false"})

    assert result.returncode == 1
    assert "JOBHELP_TWO_FACTOR_REQUIRED=false is allowed only with DEBUG" in result.stderr
