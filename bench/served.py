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
def gunicorn(*, workers: int = HTTP_WORKERS, **environment: str) -> Iterator[int]:
    """jobhelp under gunicorn on a free port (yielded), `workers` sync workers, with
    `environment` added; stopped after. Close the caller's database connection first, so that
    the server's are the only ones."""
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
                    str(workers),
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
    """Requests per second of one endpoint from HTTP_CONNECTIONS threads (_python_mix)."""
    return _python_mix(port, [(path, path, headers)], seconds, what=path)


def _wrk_mix(wrk: str, port: int, mix: list[Endpoint], seconds: int) -> float:
    """wrk sending the mix's requests in turn (a Lua script), each connection its own turn."""
    lines = ["local mix = {"]
    for _name, path, headers in mix:
        pairs = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())
        lines.append(f"  {{{_lua(path)}, {{{pairs}}}}},")
    lines += [
        "}",
        "local turn = 0",
        "request = function()",
        "  turn = turn % #mix + 1",
        '  return wrk.format("GET", mix[turn][1], mix[turn][2])',
        "end",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        command = [wrk, "-t2", f"-c{HTTP_CONNECTIONS}", f"-d{seconds}s", "-s", script.name]
        output = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [*command, f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    bad = WRK_BAD.search(output)
    if bad:
        raise RuntimeError(f"the mix had {bad.group(1)} requests answered with an error:\n{output}")
    return float(WRK_RATE.search(output).group(1))


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _python_mix(port: int, mix: list[Endpoint], seconds: int, *, what: str = "the mix") -> float:
    """The mix from HTTP_CONNECTIONS threads, one connection each, reconnecting when the server
    closes (gunicorn's sync workers close after every response), each sending its requests in
    turn."""
    done, failed = [0] * HTTP_CONNECTIONS, [0] * HTTP_CONNECTIONS
    stop = time.monotonic() + seconds

    def client(slot: int) -> None:
        turn = slot
        while time.monotonic() < stop:
            _name, path, headers = mix[turn % len(mix)]
            turn += 1
            try:
                status, _ = get(port, path, headers)
            except OSError:
                failed[slot] += 1
                continue
            done[slot] += status == 200
            failed[slot] += status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(HTTP_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(failed):
        raise RuntimeError(f"{what}: {sum(failed)} requests failed")
    return sum(done) / (time.monotonic() - started)


def mix_rates(
    port: int, mix: list[Endpoint], *, seconds: int, rounds: int = HTTP_ROUNDS
) -> list[float]:
    """Requests per second of a mix (each endpoint in turn, repeated for its weight), `rounds`
    times."""
    wrk = shutil.which("wrk")
    return [
        _wrk_mix(wrk, port, mix, seconds) if wrk else _python_mix(port, mix, seconds)
        for _ in range(rounds)
    ]


def request_rates(
    port: int, endpoints: list[Endpoint], *, seconds: int, rounds: int = HTTP_ROUNDS
) -> dict[str, list[float]]:
    """Each endpoint's requests per second, `rounds` times, taking turns; each must first
    answer 200."""
    for name, path, headers in endpoints:
        status, _ = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{name}: {path} answered {status}")
    wrk = shutil.which("wrk")
    rates: dict[str, list[float]] = {name: [] for name, _, _ in endpoints}
    for _ in range(rounds):
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
