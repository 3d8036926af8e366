"""The triage queue and a helper's own list, with many requests across organizations, against a
template page that runs one simple query (the privacy page).

Four numbers: the queue's first page for front desk staff as it is served again and again
(its content kept under core.freshness's change stamp; target: at most twice the baseline),
the same page worked out afresh, as after any change (the cache emptied before each load),
the suggestion ranking alone for the requests of that page (a pool of helpers built and 25
requests ranked), and "My requests" for a helper with 30 open requests.
"""

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import paired_medians, report
from bench.seed import BUSY_HELPER_OPEN, BenchData

QUEUE_TARGET = 2.0


def _page(client: Client, path: str):
    """A function that fetches `path`, after checking once that it is really served."""
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return lambda: client.get(path)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def run(data: BenchData) -> None:
    from jobhelp.core import freshness
    from jobhelp.intake.queries import mine_for_user, queue_for_user
    from jobhelp.intake.routing import pool_for_requests

    desk = Client()
    desk.force_login(data.front_desk)
    helper = Client()
    helper.force_login(data.busy_helper)
    assert len(mine_for_user(data.busy_helper)) == BUSY_HELPER_OPEN

    privacy = _page(desk, "/privacy/")
    queue = _page(desk, "/staff/queue/")
    mine = _page(helper, "/staff/mine/")
    first_page = list(queue_for_user(data.front_desk)[:25])
    assert len(first_page) == 25

    def rank():
        pool = pool_for_requests(first_page)
        return [pool.suggest(r) for r in first_page]

    fragments = caches[freshness.CACHE_ALIAS]

    def queue_after_a_change():
        fragments.clear()
        return queue()

    report(
        f"queue, first page, served again ({_queries(queue)} queries)",
        *paired_medians(queue, privacy),
        target_ratio=QUEUE_TARGET,
    )
    report(
        f"queue, first page, after a change ({_queries(queue_after_a_change)} queries)",
        *paired_medians(queue_after_a_change, privacy),
    )
    report(
        f"suggestions for the {len(first_page)} requests of that page",
        *paired_medians(rank, privacy),
    )
    report(
        f"my requests, {BUSY_HELPER_OPEN} open ({_queries(mine)} queries)",
        *paired_medians(mine, privacy),
    )
