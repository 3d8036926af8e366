from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobhelp.casework.domain import SessionDetails, record_session
from jobhelp.casework.models import FeedbackResponse
from jobhelp.core.links import GUESS_LIMIT
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from tests.factories.intake import HelpRequestFactory


@pytest.fixture
def token(library, helper):
    request = HelpRequestFactory(
        organization=library,
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        email="rosa@example.org",
    )
    record_session(
        request,
        by=helper,
        details=SessionDetails(
            happened_at=timezone.now() - timedelta(hours=1), modality="phone", minutes=30
        ),
    )
    body = OutboundMessage.objects.get(template="feedback_invitation").body
    return body.split("/survey/")[1].split("/")[0]


def url(token: str) -> str:
    return reverse("public:survey:form", args=[token])


ANSWERS = {"helpful": "5", "would_recommend": "yes", "comment": "Keep offering this!"}


def test_opening_the_link_shows_the_questions_and_changes_nothing(client, token):
    before = AuditEntry.objects.count()
    response = client.get(url(token))
    assert (response.status_code, response["Cache-Control"], AuditEntry.objects.count()) == (
        200,
        "no-store",
        before,
    )
    assert b"How helpful was the help you got?" in response.content


def test_answering_stores_once_and_a_second_answer_is_told_so(client, token):
    first = client.post(url(token), {**ANSWERS, "may_quote": "on"})
    second = client.post(url(token), ANSWERS)
    assert (first.status_code, second.status_code) == (200, 409)
    assert list(
        FeedbackResponse.objects.values_list("helpful", "would_recommend", "may_quote", "via")
    ) == [(5, True, True, "link")]
    assert b"You already answered" in second.content


def test_a_form_with_mistakes_keeps_what_was_typed(client, token):
    response = client.post(url(token), {"helpful": "9", "comment": "Thank you"})
    assert (response.status_code, FeedbackResponse.objects.count()) == (200, 0)
    assert b"Thank you</textarea>" in response.content
    assert b"Choose yes or no." in response.content


@pytest.mark.parametrize("altered", ["nope", "x" * 43, "a" * 500])
def test_an_unknown_or_altered_link_is_a_clear_404(client, token, altered):
    response = client.post(url(altered), ANSWERS)
    assert (response.status_code, FeedbackResponse.objects.count()) == (404, 0)
    assert b"This link does not work" in response.content


def test_an_expired_link_is_a_clear_410(client, token, monkeypatch):
    later = timezone.now() + timedelta(days=15)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    response = client.get(url(token))
    assert (response.status_code, FeedbackResponse.objects.count()) == (410, 0)
    assert b"This survey has closed" in response.content


def test_the_survey_is_in_the_language_the_patron_chose_not_the_browsers(client, token):
    HelpRequest.objects.update(language="es")

    shown = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en")

    assert (shown["Content-Language"], 'lang="es"' in shown.content.decode()) == ("es", True)
    assert "¿Qué tan útil fue la ayuda que recibió?".encode() in shown.content
    # The switch is still there, and the language chosen with it wins.
    assert b'name="language" value="en"' in shown.content
    client.post(reverse("set_language"), {"language": "en", "next": url(token)})
    assert b"How helpful was the help you got?" in client.get(url(token)).content


def test_a_patron_who_asked_in_another_language_reads_the_browsers(client, token):
    HelpRequest.objects.update(language="so")
    shown = client.get(url(token), HTTP_ACCEPT_LANGUAGE="es")
    assert "¿Qué tan útil fue la ayuda que recibió?".encode() in shown.content


def test_a_burst_of_unknown_links_from_one_address_is_refused_in_the_visitors_language(
    client, token, monkeypatch
):
    # One clock hour for the whole burst: the limit counts per hour.
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    guesser, holder = "203.0.113.7", "198.51.100.2"
    burst = [
        client.get(url(f"guess-{n}"), REMOTE_ADDR=guesser).status_code for n in range(GUESS_LIMIT)
    ]

    refused = client.get(url("guess-more"), REMOTE_ADDR=guesser, HTTP_ACCEPT_LANGUAGE="es")
    refused_answer = client.post(url(token), ANSWERS, REMOTE_ADDR=guesser)

    assert burst == [404] * GUESS_LIMIT
    assert (refused.status_code, refused_answer.status_code, refused["Cache-Control"]) == (
        429,
        429,
        "no-store",
    )
    assert (
        "No abrimos este enlace porque desde esta conexión se probaron muchos enlaces que no "
        "funcionan en poco tiempo. Por favor, inténtelo de nuevo en 60 minutos."
    ) in " ".join(refused.content.decode().split())
    assert FeedbackResponse.objects.count() == 0
    assert (
        client.get(url("guess-more"), REMOTE_ADDR=holder).status_code,
        client.post(url(token), ANSWERS, REMOTE_ADDR=holder).status_code,
    ) == (404, 200)
    assert FeedbackResponse.objects.count() == 1


def test_a_used_or_expired_link_says_so_in_the_patrons_language(client, token, monkeypatch):
    HelpRequest.objects.update(language="es")
    client.post(url(token), ANSWERS)
    used = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en")
    later = timezone.now() + timedelta(days=15)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    expired = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en")

    assert (used.status_code, expired.status_code) == (409, 409)
    assert [r["Content-Language"] for r in (used, expired)] == ["es", "es"]
    assert "Usted ya respondió" in used.content.decode()
