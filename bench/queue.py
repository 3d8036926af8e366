"""The triage queue and a helper's own list, with many requests across organizations, against an
authenticated staff page that does nothing but render the menu (/bench/staff-menu/: the
session, the user, their roles and the header every staff page pays for).

The queue's first page for front desk staff, worked out afresh on every load as it always is
(no cache; target: at most three times the baseline, in a fixed number of queries), the
suggestion ranking alone for the requests of that page (a pool of helpers built and 25 requests
ranked), and "My requests" for a helper with 30 open requests. Then, on PostgreSQL, the desk's
history grows to BENCH_SCALE_REQUESTS (1,000,000 by default; finished requests, with the same
open ones) and the queue is measured again: target at most 1.3 times its own time before,
each time taken as a ratio to the menu page measured beside it, so that a machine busier in
one half than in the other does not count.
"""

import os

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import paired_medians, report, report_ratio
from bench.seed import BUSY_HELPER_OPEN, BenchData, grow_history

QUEUE_TARGET = 3.0
SCALE_TARGET = 1.3


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
    from jobhelp.intake.queries import mine_for_user, queue_for_user
    from jobhelp.intake.routing import pool_for_requests

    desk = Client()
    desk.force_login(data.front_desk)
    helper = Client()
    helper.force_login(data.busy_helper)
    assert len(mine_for_user(data.busy_helper)) == BUSY_HELPER_OPEN

    menu = _page(desk, "/bench/staff-menu/")
    queue = _page(desk, "/staff/queue/")
    mine = _page(helper, "/staff/mine/")
    first_page = list(queue_for_user(data.front_desk)[:25])
    assert len(first_page) == 25

    def rank():
        pool = pool_for_requests(first_page)
        return [pool.suggest(r) for r in first_page]

    report(
        f"staff page with the menu only ({_queries(menu)} queries)",
        *paired_medians(menu, menu),
    )
    queries = _queries(queue)
    queue_time, menu_time = paired_medians(queue, menu)
    report(
        f"queue, first page ({queries} queries)",
        queue_time,
        menu_time,
        target_ratio=QUEUE_TARGET,
        baseline_name="menu page",
    )
    report(
        f"suggestions for the {len(first_page)} requests of that page",
        *paired_medians(rank, menu),
    )
    report(
        f"my requests, {BUSY_HELPER_OPEN} open ({_queries(mine)} queries)",
        *paired_medians(mine, menu),
    )

    scale = int(os.environ.get("BENCH_SCALE_REQUESTS", "1000000"))
    if connection.vendor != "postgresql" or scale <= data.total:
        print(f"queue at {scale:,} requests: skipped (PostgreSQL only, above {data.total:,})")
        return
    before = data.total
    added = grow_history(data, scale)
    print(f"history grown by {added:,} finished requests to {data.total:,}")
    scaled_queries = _queries(queue)
    scaled_time, scaled_menu = paired_medians(queue, menu)
    report(
        f"queue at {data.total:,} ({scaled_queries} queries), to menu",
        scaled_time,
        scaled_menu,
        target_ratio=QUEUE_TARGET,
        baseline_name="menu page",
    )
    report_ratio(
        f"queue at {data.total:,} / at {before:,}",
        (scaled_time / scaled_menu) / (queue_time / menu_time),
        target_ratio=SCALE_TARGET,
        baseline_name="its ratio at the first size",
    )
