"""The queue keeps its content under core.freshness's stamp: served again without being
worked out, and worked out afresh after any committed change. Transactional, since the stamp
only moves when a change commits."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jobhelp.intake.models import HelpRequest
from tests.factories.intake import HelpRequestFactory
from tests.staff.test_triage_views import assign_form, references_shown

pytestmark = pytest.mark.django_db(transaction=True)

FIRST, SECOND = "AAA222", "BBB333"


@pytest.fixture
def waiting(library):
    return HelpRequestFactory(organization=library, reference=FIRST)


def csrf_tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())


def without_tokens(response) -> str:
    """The page without what is new in every response: CSRF tokens and CSP nonces."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", page)


def test_the_queue_is_served_again_with_four_queries(client, front_desk, helper, waiting):
    client.force_login(front_desk)
    first = client.get("/staff/queue/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/staff/queue/")

    # Session, user, the stamp (roles are kept under it too) and the header's library.
    assert (without_tokens(again), len(queries)) == (without_tokens(first), 4)
    assert references_shown(again) == [FIRST]


def test_every_form_of_a_served_again_queue_has_a_working_token(front_desk, helper, waiting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk)
    client.get("/staff/queue/")
    again = client.get("/staff/queue/")
    tokens = csrf_tokens(again)
    form = assign_form(again, FIRST)

    response = client.post(
        form["action"],
        {"csrfmiddlewaretoken": tokens[0], "helper": form["helpers"][0][0], **form["hidden"]},
    )

    assert (len(tokens), "<csrf-token>" in again.content.decode(), response.status_code) == (
        3,  # the assign form, the claim form is not offered to front desk, and "Log out"
        False,
        302,
    )
    assert HelpRequest.objects.get(reference=FIRST).assigned_to == helper


def test_a_change_shows_on_the_next_load(client, front_desk, helper, library, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/")

    HelpRequestFactory(organization=library, reference=SECOND)
    HelpRequest.objects.filter(reference=FIRST).update(state="assigned", assigned_to=helper)

    response = client.get("/staff/queue/")
    assert references_shown(response) == [SECOND, FIRST]
    assert assign_form(response, FIRST) is None


def test_another_organizations_staff_never_get_our_queue(client, front_desk, outsider, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/")
    client.force_login(outsider)

    assert references_shown(client.get("/staff/queue/")) == []


def test_each_language_has_its_own_queue(client, front_desk, helper, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/")

    spanish = client.get("/staff/queue/", headers={"accept-language": "es"})

    assert "Asignar" in spanish.content.decode()
