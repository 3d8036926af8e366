from datetime import UTC, datetime, timedelta

from jobhelp.core import periodic, ratelimit
from jobhelp.core.models import RateLimitBucket

T = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_the_eraser_deletes_counters_older_than_their_period(db, retention):
    retention(rate_limits=1)
    # The last hits of two scopes nobody has used since, and one in use.
    ratelimit.hit("help_form", "192.0.2.1", limit=10, window_seconds=3600, now=T - timedelta(2))
    ratelimit.hit("lookup", "192.0.2.2", limit=10, window_seconds=600, now=T - timedelta(1.1))
    ratelimit.hit("class_form", "192.0.2.3", limit=10, window_seconds=3600, now=T)

    outcomes = periodic.run_jobs(names=["core.rate_limit_eraser"], now=T)

    assert [(o.job, o.counts) for o in outcomes] == [("core.rate_limit_eraser", {"deleted": 2})]
    assert list(RateLimitBucket.objects.values_list("scope", "window_start")) == [("class_form", T)]


def test_a_browser_counts_its_own_sends_over_a_sliding_hour():
    session = {}
    for minutes in (0, 10, 20):
        ratelimit.browser_hit(
            session, "help_form", window_seconds=3600, now=T + timedelta(minutes=minutes)
        )

    def used_up(at):
        return ratelimit.browser_used_up(session, "help_form", limit=3, window_seconds=3600, now=at)

    assert [
        used_up(T + timedelta(minutes=30)),
        used_up(T + timedelta(minutes=61)),
        ratelimit.browser_used_up(
            session, "class_registration", limit=1, window_seconds=3600, now=T
        ),
    ] == [True, False, False]


def test_an_address_is_counted_only_by_hit(db):
    assert ratelimit.used_up("help_form", "192.0.2.1", limit=1, window_seconds=3600, now=T) is False
    ratelimit.hit("help_form", "192.0.2.1", limit=1, window_seconds=3600, now=T)
    assert ratelimit.used_up("help_form", "192.0.2.1", limit=1, window_seconds=3600, now=T) is True
