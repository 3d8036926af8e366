"""The queue keeps its content under core.freshness's stamp: served again without being
worked out, and worked out afresh after any committed change. Transactional, since the stamp
only moves when a change commits."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.models import Membership
from jobhelp.core import freshness
from jobhelp.intake.models import HelpRequest
from tests.factories.accounts import UserFactory
from tests.factories.intake import HelpRequestFactory
from tests.staff.test_triage_views import assign_form, references_shown

pytestmark = pytest.mark.django_db(transaction=True)

FIRST, SECOND = "AAA222", "BBB333"


@pytest.fixture
def waiting(library):
    return HelpRequestFactory(organization=library, reference=FIRST)


def waiting_shown(response) -> str:
    (shown,) = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", response.content.decode())
    return shown


def csrf_tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())


def without_tokens(response) -> str:
    """The page without what is new in every response: CSRF tokens and CSP nonces."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", page)


def test_the_queue_is_served_again_with_three_queries(client, front_desk, helper, waiting):
    client.force_login(front_desk)
    first = client.get("/staff/queue/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/staff/queue/")

    # Session, user and the header's library; the roles are kept under the stamp, which was
    # read for the first load moments ago (freshness.REUSE_SECONDS).
    assert (without_tokens(again), len(queries)) == (without_tokens(first), 3)
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


def test_another_organizations_staff_never_get_our_queue(front_desk, outsider, waiting):
    ours, theirs = Client(), Client()
    ours.force_login(front_desk)
    theirs.force_login(outsider)
    stamp = freshness.current()
    ours.get("/staff/queue/")

    shown = references_shown(theirs.get("/staff/queue/"))

    assert (shown, freshness.current()) == ([], stamp)


def test_each_filter_and_page_has_its_own_queue(client, front_desk, helper, library, waiting):
    HelpRequestFactory(organization=library, reference=SECOND, needs=["interview"])
    client.force_login(front_desk)
    everything = client.get("/staff/queue/")

    interviews = client.get("/staff/queue/?need=interview")
    resumes = client.get("/staff/queue/?need=resume&page=1")

    assert (references_shown(everything), references_shown(interviews)) == (
        [FIRST, SECOND],
        [SECOND],
    )
    assert references_shown(resumes) == [FIRST]


def test_htmx_gets_its_own_part_with_a_working_token(front_desk, helper, waiting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk)
    client.get("/staff/queue/")
    client.get("/staff/queue/", headers={"HX-Request": "true"})

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


def test_waiting_times_are_true_to_the_minute(client, front_desk, library, monkeypatch):
    moment = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    HelpRequestFactory(
        organization=library, reference=FIRST, created_at=moment - timedelta(minutes=2, seconds=50)
    )
    client.force_login(front_desk)
    first = waiting_shown(client.get("/staff/queue/"))

    moment += timedelta(seconds=20)  # 3 minutes 10 seconds, within the same minute
    same_minute = waiting_shown(client.get("/staff/queue/"))
    moment += timedelta(seconds=20)
    next_minute = waiting_shown(client.get("/staff/queue/"))

    assert (first, same_minute, next_minute) == ("2\xa0minutes", "2\xa0minutes", "3\xa0minutes")


def test_addresses_the_queue_does_not_make_are_not_kept(client, front_desk, waiting):
    client.force_login(front_desk)
    client.get("/staff/queue/?made=up")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/queue/?made=up")

    assert (references_shown(response), len(queries) > 4) == ([FIRST], True)


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
