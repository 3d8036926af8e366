"""Serving jobhelp with gunicorn and loading it with wrk, for the benchmarks that compare an
endpoint's request rate with the empty view's (/bench/empty/) on the same server: the API's free
times (bench.scheduling) and the public computers page (bench.computers).

    with gunicorn() as port:
        rates = request_rates(port, [("empty view", "/bench/empty/", {}), ...], seconds=5)

gunicorn runs HTTP_WORKERS sync workers with production settings (DEBUG off, a real secret,
persistent database connections as .env.example suggests; bench.settings only adds the
baselines' URLs). The endpoints take turns for HTTP_ROUNDS rounds, so that a noisy neighbour
slows each alike; compare medians.
"""

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTTP_WORKERS = 2
HTTP_CONNECTIONS = 8
HTTP_ROUNDS = 3

Endpoint = tuple[str, str, dict]  # a name, a path, headers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, str]:
    """One GET: the status and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if get(port, "/bench/empty/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within a minute:\n{log.read_text()[-3000:]}")


@contextmanager
def gunicorn(**environment: str) -> Iterator[int]:
    """jobhelp under gunicorn on a free port (yielded), with `environment` added; stopped after.
    Close the caller's database connection first, so that the server's are the only ones."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        **environment,
    }
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
                yield port
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_BAD = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _wrk(wrk: str, url: str, headers: dict, seconds: int) -> float:
    command = [wrk, "-t2", f"-c{HTTP_CONNECTIONS}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    bad = WRK_BAD.search(output)
    if bad:
        raise RuntimeError(f"{url} answered {bad.group(1)} requests with an error:\n{output}")
    return float(WRK_RATE.search(output).group(1))


def _python_load(port: int, path: str, headers: dict, seconds: int) -> float:
    """Requests per second from HTTP_CONNECTIONS threads, one connection each, reconnecting
    when the server closes (gunicorn's sync workers close after every response)."""
    done, failed = [0] * HTTP_CONNECTIONS, [0] * HTTP_CONNECTIONS
    stop = time.monotonic() + seconds

    def client(slot: int) -> None:
        while time.monotonic() < stop:
            try:
                status, _ = get(port, path, headers)
            except OSError:
                failed[slot] += 1
                continue
            if status == 200:
                done[slot] += 1
            else:
                failed[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(HTTP_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(failed):
        raise RuntimeError(f"{path}: {sum(failed)} requests failed")
    return sum(done) / (time.monotonic() - started)


def request_rates(port: int, endpoints: list[Endpoint], *, seconds: int) -> dict[str, list[float]]:
    """Each endpoint's requests per second, HTTP_ROUNDS times, taking turns; each must first
    answer 200."""
    for name, path, headers in endpoints:
        status, _ = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{name}: {path} answered {status}")
    wrk = shutil.which("wrk")
    rates: dict[str, list[float]] = {name: [] for name, _, _ in endpoints}
    for _ in range(HTTP_ROUNDS):
        for name, path, headers in endpoints:
            if wrk:
                rate = _wrk(wrk, f"http://127.0.0.1:{port}{path}", headers, seconds)
            else:
                rate = _python_load(port, path, headers, seconds)
            rates[name].append(rate)
    return rates


def load_tool() -> str:
    """What made the load, for the report."""
    if shutil.which("wrk"):
        return f"wrk, {HTTP_CONNECTIONS} connections"
    return (
        f"wrk not found: a Python client with {HTTP_CONNECTIONS} threads, which itself caps "
        "the rates (install the Debian package wrk for real numbers)"
    )
