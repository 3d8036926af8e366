"""The one secret-link mechanism: issuing, finding, revoking, and the guarded lookup views use.
Its own table is abstract, so these tests use the calendar feed's, the plainest of the real ones
(a helper and nothing else); the apps' tests cover their own rules on top."""

import hashlib
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jobhelp.core import links
from jobhelp.core.models import RateLimitBucket
from jobhelp.core.tokens import hash_token, new_token
from jobhelp.scheduling.models import CalendarFeed

NOW = timezone.now().replace(minute=30, second=0, microsecond=0)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The rate limit counts per clock hour; a test must not straddle two of them.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def feeds():
    return CalendarFeed.objects.all()


def altered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_issue_stores_only_the_tokens_hash(helper):
    feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    _other, other_token = links.issue(CalendarFeed, expires_at=NOW, helper=helper)

    stored = CalendarFeed.objects.values().get(pk=feed.pk)
    assert (len(token), stored["token_hash"], stored["expires_at"], stored["revoked_at"]) == (
        43,
        hashlib.sha256(token.encode()).hexdigest(),
        None,
        None,
    )
    assert token not in [str(value) for value in stored.values()]
    assert other_token != token


def test_find_opens_the_row_of_a_good_token(helper):
    feed, token = links.issue(CalendarFeed, expires_at=NOW + timedelta(days=1), helper=helper)

    assert links.find(feeds(), token, now=NOW) == feed


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda token: new_token(), id="never issued"),
        pytest.param(altered, id="altered"),
        pytest.param(lambda token: token + "x", id="longer"),
        pytest.param(lambda token: "", id="empty"),
    ],
)
def test_find_refuses_a_token_that_was_not_issued(helper, make_bad):
    _feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)

    with pytest.raises(links.LinkUnknown) as problem:
        links.find(feeds(), make_bad(token), now=NOW)
    assert (problem.value.reason, problem.value.status) == ("unknown", 404)


def test_find_refuses_an_overlong_token_without_looking(helper):
    # Even one whose hash were stored: nothing we issue is that long.
    overlong = "a" * (links.MAX_TOKEN_LENGTH + 1)
    feed, _token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=hash_token(overlong))

    with pytest.raises(links.LinkUnknown):
        links.find(feeds(), overlong, now=NOW)


def test_find_refuses_a_revoked_token_as_unknown(helper):
    feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    links.revoke(CalendarFeed.objects.filter(pk=feed.pk), now=NOW)

    with pytest.raises(links.LinkUnknown):
        links.find(feeds(), token, now=NOW)


def test_find_refuses_a_token_outside_the_queryset(helper):
    _feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)

    with pytest.raises(links.LinkUnknown):
        links.find(feeds().exclude(helper=helper), token, now=NOW)


def test_a_token_expires_at_its_time_and_says_which_row_it_was(helper):
    feed, token = links.issue(CalendarFeed, expires_at=NOW, helper=helper)

    before = links.find(feeds(), token, now=NOW - timedelta(microseconds=1))
    with pytest.raises(links.LinkExpired) as expired:
        links.find(feeds(), token, now=NOW)
    assert (before, expired.value.link, expired.value.reason, expired.value.status) == (
        feed,
        feed,
        "expired",
        410,
    )


def test_a_token_without_an_expiry_lasts(helper):
    feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)

    assert links.find(feeds(), token, now=NOW + timedelta(days=3650)) == feed


def test_revoke_turns_off_live_links_once(helper):
    first, _ = links.issue(CalendarFeed, expires_at=None, helper=helper)
    second, _ = links.issue(CalendarFeed, expires_at=None, helper=helper)
    links.revoke(CalendarFeed.objects.filter(pk=first.pk), now=NOW - timedelta(days=1))

    counts = [links.revoke(feeds(), now=NOW), links.revoke(feeds(), now=NOW)]

    assert counts == [1, 0]
    assert list(CalendarFeed.objects.order_by("pk").values_list("pk", "revoked_at")) == [
        (first.pk, NOW - timedelta(days=1)),
        (second.pk, NOW),
    ]


# --- The guarded lookup ---------------------------------------------------------------------------


def visitor(address: str):
    return RequestFactory().get("/some/link/", REMOTE_ADDR=address)


def look_up(address: str, token: str):
    """What a view does: the lookup, guarded, for a visitor at `address`."""
    return links.guarded_lookup(visitor(address), lambda: links.find(feeds(), token))


def reason(address: str, token: str) -> str:
    try:
        look_up(address, token)
    except links.LinkProblem as problem:
        return problem.reason
    return "ok"


def test_unknown_links_from_one_address_are_refused_after_the_limit(helper):
    _feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    guesses = [reason("203.0.113.7", new_token()) for _ in range(links.GUESS_LIMIT)]

    assert guesses == ["unknown"] * links.GUESS_LIMIT
    assert (
        reason("203.0.113.7", new_token()),
        # Once refused, the address is refused whatever it asks, or a good guess would show.
        reason("203.0.113.7", token),
        reason("198.51.100.2", new_token()),
        reason("198.51.100.2", token),
    ) == ("too_many", "too_many", "unknown", "ok")


def test_the_refusal_ends_with_the_hour(helper):
    _feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    for _ in range(links.GUESS_LIMIT):
        reason("203.0.113.7", "guess")
    later = NOW + timedelta(seconds=links.GUESS_WINDOW_SECONDS)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: later)
        assert reason("203.0.113.7", token) == "ok"


def test_good_and_expired_links_never_count(helper):
    _good, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
    _old, old_token = links.issue(CalendarFeed, expires_at=NOW, helper=helper)

    results = {
        reason("203.0.113.7", t) for _ in range(links.GUESS_LIMIT) for t in (token, old_token)
    }

    assert (results, reason("203.0.113.7", token), RateLimitBucket.objects.count()) == (
        {"ok", "expired"},
        "ok",
        0,
    )


def test_the_address_is_not_stored(helper):
    reason("203.0.113.7", "guess")

    assert "203.0.113.7" not in RateLimitBucket.objects.get().key
