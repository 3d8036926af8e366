"""The slot endpoint keeps each page under the versions of the request's library system
(core.versions): served again without being computed, and computed afresh on the very next call
after any booking, triage move or set-up change, whichever worker made it. Who may see the
request is read afresh on every call. Transactional, because the cache is not used inside a
transaction."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.accounts.models import Membership
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.domain import book_appointment
from jobhelp.scheduling.models import WeeklyHours
from tests.api.test_scheduling import DAY, assigned, at, booking, hours  # noqa: F401
from tests.factories.accounts import UserFactory

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


def queries_for(client, path, headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return len(queries), response


def test_a_page_served_again_reads_only_who_asks_the_request_and_the_versions(client, token, path):
    _token, headers = token
    computed, first = queries_for(client, path, headers)

    again, response = queries_for(client, path, headers)

    # The token with its owner and whether they work for an organization; the request, scoped
    # to the owner's organizations, with the versions of its library system. Nothing of the
    # slots themselves.
    assert (starts(first), response.content, again) == (nine_to_noon(), first.content, 2)
    assert computed > again


def test_a_booking_made_on_another_worker_shows_on_the_very_next_call(
    client,
    token,
    path,
    hana,
    central,
    phone_help,
    assigned,  # noqa: F811
):
    _token, headers = token
    client.get(path, headers=headers)

    def another_worker():
        # Its own thread, its own database connection: another process as far as the
        # database and this process's cache are concerned.
        book_appointment(
            request=HelpRequest.objects.select_related("organization").get(pk=assigned.pk),
            helper=hana,
            location=central,
            appointment_type=phone_help,
            starts=at(9),
            by=None if phone_help.self_service else hana,
        )
        connection.close()

    worker = threading.Thread(target=another_worker)
    worker.start()
    worker.join(10)

    assert starts(client.get(path, headers=headers)) == nine_to_noon()[1:]


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


def test_hours_changed_in_the_admin_show_at_once(client, token, path, hana, central):
    _token, headers = token
    client.get(path, headers=headers)
    weekly = WeeklyHours.objects.get(helper=hana)
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(admin)

    changed = admin_client.post(
        f"/admin/scheduling/weeklyhours/{weekly.pk}/change/",
        {
            "helper": hana.pk,
            "location": central.pk,
            "weekday": DAY.weekday(),
            "starts": "09:00",
            "ends": "10:00",
        },
    )

    assert (changed.status_code, starts(client.get(path, headers=headers))) == (
        302,
        nine_to_noon()[:2],
    )


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


def test_a_cached_page_is_never_served_to_someone_who_may_not_see_the_request(
    client, token, path, outsider
):
    _token, headers = token
    _other, key = create_api_token(outsider, name="script", by=outsider)
    client.get(path, headers=headers)

    response = client.get(path, headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 404


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
    computed, _first = queries_for(client, path, headers)
    same_minute, _again = queries_for(client, path, headers)

    moment += timedelta(minutes=1)
    next_minute, response = queries_for(client, path, headers)

    # The first call also notes when the token was last used (at most once a minute).
    assert (same_minute, next_minute > same_minute, starts(response)) == (2, True, nine_to_noon())
    assert computed > same_minute


def test_an_unknown_type_is_refused_every_time(client, token, assigned, hours):  # noqa: F811
    _token, headers = token
    path = "/api/v1/requests/AAA222/slots?type=999999&days=7"

    first, again = client.get(path, headers=headers), client.get(path, headers=headers)

    assert (first.status_code, again.status_code) == (422, 422)
