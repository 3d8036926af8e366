"""The queue is worked out afresh on every load (no cache: docs/decisions/0012), in a fixed
number of queries, and shows every change on the next load."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.models import Membership
from jobhelp.intake.models import HelpRequest
from tests.factories.accounts import UserFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.staff.test_triage_views import assign_form, references_shown

pytestmark = pytest.mark.django_db

FIRST, SECOND = "AAA222", "BBB333"


@pytest.fixture
def waiting(library):
    return HelpRequestFactory(organization=library, reference=FIRST)


def csrf_tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/queue/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["front_desk", "helper"])
def test_the_queue_takes_the_same_number_of_queries_for_one_request_or_three(
    request, client, persona, helper, library, waiting
):
    client.force_login(request.getfixturevalue(persona))
    one = queue_queries(client)
    # Every part of a row the page reads only some columns of (intake.queries.for_queue_page):
    # a library, an assignee, a possible duplicate.
    HelpRequestFactory(
        organization=library,
        reference=SECOND,
        needs=["interview"],
        preferred_location=LocationFactory(organization=library),
        possible_duplicate_of=waiting,
    )
    HelpRequestFactory(organization=library, needs=["resume", "computer"], assigned_to=helper)

    three = queue_queries(client)

    assert (one, three) == (one, one)


def test_every_form_of_the_queue_has_a_working_token(front_desk, helper, waiting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk)
    again = client.get("/staff/queue/")
    tokens = csrf_tokens(again)
    form = assign_form(again, FIRST)

    response = client.post(
        form["action"],
        {"csrfmiddlewaretoken": tokens[0], "helper": form["helpers"][0][0], **form["hidden"]},
    )

    assert (len(tokens), response.status_code) == (
        3,  # the assign form, the claim form is not offered to front desk, and "Log out"
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


def test_another_organizations_staff_never_get_our_queue(front_desk, outsider, waiting):
    ours, theirs = Client(), Client()
    ours.force_login(front_desk)
    theirs.force_login(outsider)
    ours.get("/staff/queue/")

    shown = references_shown(theirs.get("/staff/queue/"))

    assert shown == []


def test_htmx_gets_its_own_part_with_a_working_token(front_desk, helper, waiting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk)
    part = client.get("/staff/queue/", headers={"HX-Request": "true"})
    whole = client.get("/staff/queue/")
    (token,) = csrf_tokens(part)
    form = assign_form(part, FIRST)
    response = client.post(
        form["action"], {"csrfmiddlewaretoken": token, "helper": form["helpers"][0][0]}
    )

    assert (
        part.content.decode().lstrip().startswith('<div id="results"'),
        "<html" in whole.content.decode(),
    ) == (True, True)
    assert (response.status_code, HelpRequest.objects.get(reference=FIRST).assigned_to) == (
        302,
        helper,
    )


def test_a_person_whose_last_membership_ends_is_refused_at_once(client, front_desk, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/")

    Membership.objects.filter(user=front_desk).delete()

    assert client.get("/staff/queue/").status_code == 403


def test_each_language_has_its_own_queue(client, front_desk, helper, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/")

    spanish = client.get("/staff/queue/", headers={"accept-language": "es"})

    assert "Asignar" in spanish.content.decode()


def test_a_superuser_without_a_membership_comes_in_and_sees_nothing(client, waiting):
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)

    response = client.get("/staff/queue/")

    assert (response.status_code, references_shown(response)) == (200, [])
