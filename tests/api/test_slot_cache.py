"""The slot endpoint keeps its pages under core.freshness's stamp: served again without being
computed, and computed afresh after any committed change that could alter them. Transactional,
since the stamp only moves when a change commits."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.accounts.models import Membership
from jobhelp.core import freshness
from jobhelp.scheduling.models import Closure, WeeklyHours
from tests.api.test_scheduling import DAY, assigned, at, booking, hours  # noqa: F401
from tests.factories.scheduling import WeeklyHoursFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token(front_desk):
    api_token, key = create_api_token(front_desk, name="script", by=front_desk)
    return api_token, {"Authorization": f"Bearer {key}"}


@pytest.fixture
def path(phone_help, assigned, hours):  # noqa: F811
    return f"/api/v1/requests/AAA222/slots?type={phone_help.pk}&days=7"


def starts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["starts"] for item in response.json()["items"]]


def nine_to_noon() -> list[str]:
    return [at(h, m).isoformat() for h in (9, 10, 11) for m in (0, 30)]


def test_a_page_is_served_again_without_a_query(client, token, path):
    _token, headers = token
    first = client.get(path, headers=headers)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(path, headers=headers)

    # The token's owner and the page are kept under the stamp, read moments ago.
    assert (starts(first), again.content, len(queries)) == (nine_to_noon(), first.content, 0)


def test_a_booking_through_the_api_shows_at_once(client, token, path, hana, central, phone_help):
    _token, headers = token
    client.get(path, headers=headers)

    booked = client.post(
        "/api/v1/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(9)),
        content_type="application/json",
        headers=headers,
    )

    assert (booked.status_code, starts(client.get(path, headers=headers))) == (
        201,
        nine_to_noon()[1:],
    )


def test_hours_changed_by_a_queryset_update_show_at_once(client, token, path, hana, central):
    _token, headers = token
    client.get(path, headers=headers)

    WeeklyHours.objects.filter(helper=hana).update(ends=time(10))

    assert starts(client.get(path, headers=headers)) == nine_to_noon()[:2]


def test_a_closure_and_new_hours_show_at_once(client, token, path, hana, central, branch):
    _token, headers = token
    client.get(path, headers=headers)

    Closure.objects.create(location=central, starts=at(9), ends=at(11), reason="Weather")
    WeeklyHoursFactory(
        helper=hana, location=central, weekday=DAY.weekday(), starts=time(13), ends=time(14)
    )

    assert starts(client.get(path, headers=headers)) == [
        at(h, m).isoformat() for h, m in ((11, 0), (11, 30), (13, 0), (13, 30))
    ]


def test_a_revoked_token_is_refused_on_the_next_call(client, token, path, front_desk):
    api_token, headers = token
    client.get(path, headers=headers)

    revoke_api_token(api_token, by=front_desk)

    assert client.get(path, headers=headers).status_code == 401


def test_an_ended_membership_is_refused_on_the_next_call(client, token, path, front_desk):
    _token, headers = token
    client.get(path, headers=headers)

    Membership.objects.filter(user=front_desk).delete()

    assert client.get(path, headers=headers).status_code == 401


def test_a_page_cached_for_one_person_is_never_served_to_another(client, token, path, outsider):
    _token, headers = token
    _other, key = create_api_token(outsider, name="script", by=outsider)
    stamp = freshness.current()
    client.get(path, headers=headers)

    response = client.get(path, headers={"Authorization": f"Bearer {key}"})

    assert (response.status_code, freshness.current()) == (404, stamp)


def test_each_span_and_page_size_has_its_own_page(client, token, path):
    _token, headers = token
    week = client.get(path, headers=headers)

    two = client.get(f"{path}&page_size=2", headers=headers)
    second_page = client.get(f"{path}&page_size=2&page=2", headers=headers)
    one_day = client.get(path.replace("days=7", "days=1"), headers=headers)

    assert (starts(week), starts(two), starts(second_page), starts(one_day)) == (
        nine_to_noon(),
        nine_to_noon()[:2],
        nine_to_noon()[2:4],
        [],
    )


def test_a_page_is_worked_out_again_in_the_next_minute(client, token, path, monkeypatch):
    _token, headers = token
    moment = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as same_minute:
        client.get(path, headers=headers)

    moment += timedelta(minutes=1)
    with CaptureQueriesContext(connection) as next_minute:
        response = client.get(path, headers=headers)

    assert (len(same_minute), len(next_minute) > 1, starts(response)) == (
        0,
        True,
        nine_to_noon(),
    )
