"""The public computers page, `/computers/`, while counts arrive, against the empty view
(/bench/empty/), both served by gunicorn (HTTP_WORKERS sync workers, DEBUG off) and loaded by
wrk as bench.scheduling's HTTP benchmarks are: target a request rate at least half the empty
view's. During the whole measurement a thread records a count at one of the locations every
BENCH_COUNT_SECONDS (2 by default), so the page's cached data (directory.waits, under versions
each count raises) keeps changing as on a busy afternoon. Then one more count is recorded and
the very next load must show it.
"""

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from django.db import connection

from bench.directory import seed_computers
from bench.scheduling import (
    HTTP_CONNECTIONS,
    HTTP_ROUNDS,
    HTTP_WORKERS,
    ROOT,
    _free_port,
    _get,
    _python_load,
    _wait_until_serving,
    _wrk,
)
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


def _fetch(port: int, path: str) -> str:
    import http.client

    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", path)
        return client.getresponse().read().decode()
    finally:
        client.close()


def run(data: BenchData) -> None:
    from jobhelp.directory.computers import record_count

    system = seed_computers(LOCATIONS)
    locations = list(system.locations.order_by("pk"))
    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "5"))
    every = float(os.environ.get("BENCH_COUNT_SECONDS", "2"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    # The home page, which renders the same layout and reads nothing of the directory, shows
    # what of the page's cost is the site's layout rather than the computers' data.
    endpoints = [
        ("empty view", "/bench/empty/"),
        ("home page (the layout alone)", "/"),
        ("/computers/", "/computers/"),
    ]
    wrk = shutil.which("wrk")
    connection.close()
    counts = Counts(locations, every)
    with tempfile.TemporaryDirectory(prefix="jobhelp-bench-") as folder:
        log = Path(folder) / "gunicorn.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(HTTP_WORKERS),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--chdir",
                    str(ROOT),
                    "--log-level",
                    "warning",
                    "jobhelp.wsgi:application",
                ],
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_serving(server, port, log)
                for name, path in endpoints:
                    if _get(port, path, {}) != 200:
                        raise RuntimeError(f"{name}: {path} did not answer 200")
                rates: dict[str, list[float]] = {name: [] for name, _ in endpoints}
                counts.start()
                try:
                    for _ in range(HTTP_ROUNDS):
                        for name, path in endpoints:
                            if wrk:
                                rate = _wrk(wrk, f"http://127.0.0.1:{port}{path}", {}, seconds)
                            else:
                                rate = _python_load(port, path, {}, seconds)
                            rates[name].append(rate)
                finally:
                    counts.stopped.set()
                    counts.join()
                record_count(locations[0], by=None, in_use=16, waiting=9)
                shown = _fetch(port, "/computers/")
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

    tool = f"wrk, {HTTP_CONNECTIONS} connections" if wrk else "a Python client (no wrk)"
    print(
        f"/computers/ with {LOCATIONS} locations under gunicorn, {HTTP_WORKERS} workers ({tool});"
        f" a count every {every:g} s ({counts.recorded} in all); median of {HTTP_ROUNDS} runs"
        f" of {seconds} s"
    )
    baseline = statistics.median(rates["empty view"])
    home = statistics.median(rates["home page (the layout alone)"])
    page = statistics.median(rates["/computers/"])
    ratio = page / baseline if baseline else 0.0
    verdict = "meets" if ratio >= TARGET_RATE_RATIO else "MISSES"
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
