"""The public computers page, `/computers/`, while counts arrive, against the empty view
(/bench/empty/), both served by gunicorn (HTTP_WORKERS sync workers, DEBUG off) and loaded by
wrk as bench.scheduling's HTTP benchmarks are: target a request rate at least half the empty
view's. During the whole measurement a thread records a count at one of the locations every
BENCH_COUNT_SECONDS (2 by default), so the page's cached data (directory.waits, under versions
each count raises) keeps changing as on a busy afternoon. Then one more count is recorded and
the very next load must show it.
"""

import os
import statistics
import threading

from django.db import connection

from bench import served
from bench.directory import seed_computers
from bench.harness import record
from bench.seed import BenchData

TARGET_RATE_RATIO = 0.5
LOCATIONS = 10


class Counts(threading.Thread):
    """Counts arriving every `every` seconds, at the locations in turn, until stopped."""

    def __init__(self, locations, every: float):
        super().__init__(daemon=True)
        self.locations, self.every = locations, every
        self.stopped = threading.Event()
        self.recorded = 0

    def run(self) -> None:
        from jobhelp.directory.computers import record_count

        try:
            while not self.stopped.wait(self.every):
                location = self.locations[self.recorded % len(self.locations)]
                record_count(location, by=None, in_use=self.recorded % 17, waiting=1)
                self.recorded += 1
        finally:
            connection.close()


def run(data: BenchData) -> None:
    from jobhelp.directory.computers import record_count

    system = seed_computers(LOCATIONS)
    locations = list(system.locations.order_by("pk"))
    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "5"))
    every = float(os.environ.get("BENCH_COUNT_SECONDS", "2"))
    # The home page, which renders the same layout and reads nothing of the directory, shows
    # what of the page's cost is the site's layout rather than the computers' data.
    endpoints = [
        ("empty view", "/bench/empty/", {}),
        ("home page (the layout alone)", "/", {}),
        ("/computers/", "/computers/", {}),
    ]
    connection.close()
    counts = Counts(locations, every)
    with served.gunicorn() as port:
        counts.start()
        try:
            rates = served.request_rates(port, endpoints, seconds=seconds)
        finally:
            counts.stopped.set()
            counts.join()
        record_count(locations[0], by=None, in_use=16, waiting=9)
        _, shown = served.get(port, "/computers/")

    print(
        f"/computers/ with {LOCATIONS} locations under gunicorn, {served.HTTP_WORKERS} workers"
        f" ({served.load_tool()}); a count every {every:g} s ({counts.recorded} in all);"
        f" median of {served.HTTP_ROUNDS} runs of {seconds} s"
    )
    baseline = statistics.median(rates["empty view"])
    home = statistics.median(rates["home page (the layout alone)"])
    page = statistics.median(rates["/computers/"])
    ratio = page / baseline if baseline else 0.0
    verdict = "meets" if ratio >= TARGET_RATE_RATIO else "MISSES"
    record(
        "/computers/ while counts arrive (requests a second)",
        measured=f"{page:.0f} req/s",
        baseline=f"empty view {baseline:.0f} req/s",
        ratio=ratio,
        target=f"≥ {TARGET_RATE_RATIO}×",
        meets=ratio >= TARGET_RATE_RATIO,
    )
    print(f"  {'empty view':<34} {baseline:8.0f} req/s")
    print(
        f"  {'home page (the layout alone)':<34} {home:8.0f} req/s  ratio"
        f" {home / baseline if baseline else 0.0:4.2f}× the empty view"
    )
    print(
        f"  {'/computers/':<34} {page:8.0f} req/s  ratio {ratio:4.2f}× the empty"
        f" view  target ≥ {TARGET_RATE_RATIO}: {verdict};"
        f" {page / home if home else 0.0:4.2f}× the home page"
    )
    block = shown[shown.index(f'id="computers-{locations[0].uuid}"') :][:3000]
    fresh = "Wait: about" in block or "Wait: more than" in block
    print(f"  a new count shows on the next load: {'yes' if fresh else 'NO'}")
