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
