"""What the drills share: the demo county in the database, gunicorn serving it as production
would (DEBUG off), a load generator that sends mixed public, staff and API traffic at a fixed
rate, the workers' memory, and the throwaway PostgreSQL cluster's controls.

A drill prints its figures and ends with `claim(...)` lines; `finish()` exits non-zero when any
claim failed, after everything was printed.
"""

import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
STAFF_PASSWORD = "jobhelp-demo"

_failed: list[str] = []


# --- Claims ----------------------------------------------------------------------------------


def claim(text: str, holds: bool) -> None:
    print(f"  {'ok  ' if holds else 'FAIL'}  {text}")
    if not holds:
        _failed.append(text)


def target(text: str, holds: bool) -> None:
    """A speed target: a claim in `make drills`; with DRILL_TIMING=report (CI on a shared
    runner) printed as met or missed like the benchmarks' ratios, without failing the drill."""
    if os.environ.get("DRILL_TIMING") == "report":
        print(f"  {'ok  ' if holds else 'MISS'}  {text} (a target; reported, not a claim, here)")
        return
    claim(text, holds)


def finish(name: str) -> None:
    if _failed:
        print(f"== {name}: {len(_failed)} claim(s) failed")
        sys.exit(1)
    print(f"== {name}: every claim holds")


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value else default


# --- Django in this process ------------------------------------------------------------------


def server_env(**extra: str) -> dict[str, str]:
    """The environment gunicorn and the management commands run with: production settings
    (DEBUG off) with the static files served from the finders, and the public forms' limits
    raised, since every simulated patron comes from 127.0.0.1."""
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.update(
        DJANGO_SETTINGS_MODULE="jobhelp.settings",
        PYTHONPATH=str(ROOT / "src"),
        STATIC_MANIFEST="false",
        JOBHELP_FORM_RATE_LIMIT="1000000",
        JOBHELP_FORM_BROWSER_RATE_LIMIT="1000000",
        LOG_LEVEL="WARNING",
        # Persistent connections, checked before reuse, as docs/deploy.md sets them.
        DATABASE_CONN_MAX_AGE="60",
    )
    env.update(extra)
    return env


def setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        sys.exit("The drills run against PostgreSQL: use `make drills` (scripts/drills.sh).")
    os.environ.update(server_env())
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def manage(*args: str, env: dict | None = None, quiet: bool = True) -> str:
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env or server_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(
            f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def seed_demo(env: dict | None = None) -> None:
    """Migrate and load the demo county (it loads only with DEBUG on, for its well-known
    passwords; the server itself runs with DEBUG off)."""
    env = env or server_env()
    manage("migrate", "--no-input", env=env)
    manage("seed_demo", env={**env, "DEBUG": "true"})


@dataclass
class World:
    """What the traffic needs from the demo: a staff member who sees the queue, a request of
    theirs, an API key, a class session, the form's choices."""

    username: str
    reference: str
    api_key: str
    session_id: int
    appointment_type_id: int
    form_fields: dict[str, str]


def demo_world() -> World:
    from django.utils import timezone

    from jobhelp.accounts.domain import create_api_token
    from jobhelp.accounts.models import User
    from jobhelp.core.enums import Language, Modality, Need
    from jobhelp.intake.enums import OPEN_STATES, BestTime, ContactMethod
    from jobhelp.intake.queries import requests_for_user
    from jobhelp.scheduling.queries import appointment_types_for_request
    from jobhelp.workshops import queries as class_queries

    # Staff traffic signs in as the front desk: a manager must pass a second factor first, and
    # the drill would measure the redirect to it. The API token is a manager's (who may hold one).
    user = User.objects.get(username="frontdesk")
    manager = User.objects.get(username="mgarcia")
    help_request = (
        requests_for_user(user)
        .filter(state__in=OPEN_STATES, pk__in=requests_for_user(manager).values("pk"))
        .order_by("pk")
        .first()
    )
    _token, key = create_api_token(manager, name="drill", by=manager)
    session = class_queries.public_sessions(now=timezone.now()).first()
    return World(
        username=user.username,
        reference=help_request.display_reference,
        api_key=key,
        session_id=session.pk,
        appointment_type_id=appointment_types_for_request(help_request).first().pk,
        form_fields={
            "phone": "",
            "preferred_contact": ContactMethod.EMAIL,
            "best_time": BestTime.ANY,
            "needs": Need.values[0],
            "language": Language.ENGLISH,
            "preferred_location": "",
            "modality": Modality.PHONE,
            "note": "",
            "consent": "on",
            "homepage": "",
        },
    )


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving jobhelp.wsgi on a free port; `with Server() as server:`."""

    def __init__(self, *, workers: int = 2, threads: int = 4, env: dict | None = None):
        self.workers, self.threads = workers, threads
        self.env = env or server_env()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="jobhelp-drill-"))
        self.log = self.folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                [
                    gunicorn,
                    "jobhelp.wsgi:application",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={self.workers}",
                    f"--threads={self.threads}",
                    "--worker-class=gthread",
                    "--timeout=30",
                    "--graceful-timeout=5",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped:\n{self.log.read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health/")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer within a minute:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker, from /proc (Linux)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        sizes = []
        for child in children:
            status = Path(f"/proc/{child}/status").read_text()
            kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            sizes.append(kilobytes / 1024)
        return sorted(sizes)

    def log_tail(self) -> str:
        return self.log.read_text()[-2000:]


# --- Traffic -------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    status: int  # 0 when the connection itself failed
    started: float  # seconds since the load began, when the request was due
    latency: float  # seconds from when it was due until the answer was read
    body: bytes = b""


class Visitor:
    """One browser or API client: its own cookies and CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def log_in(self, username: str) -> None:
        self.request("GET", "/staff/login/")
        status, _ = self.request(
            "POST",
            "/staff/login/",
            body={
                "username": username,
                "password": STAFF_PASSWORD,
                "csrfmiddlewaretoken": self.csrf(),
            },
        )
        if status != 302:
            sys.exit(f"logging in as {username} answered {status}")
        status, _ = self.request("GET", "/staff/")
        if status != 200:
            sys.exit(f"{username}'s staff home answered {status} after signing in")


@dataclass
class Mix:
    """The share of each kind of request: a patron at the form (GET, then POST with a fresh
    name), the class list and a class, staff at the queue and a request page, the API's slots,
    requests and classes."""

    world: World
    weights: dict[str, int] = field(
        default_factory=lambda: {
            "form_get": 10,
            "form_post": 5,
            "classes": 10,
            "class_page": 10,
            "queue": 15,
            "request_page": 15,
            "api_slots": 15,
            "api_requests": 10,
            "api_classes": 10,
        }
    )

    def send(self, kind: str, visitor: Visitor, staff: Visitor, rng: random.Random):
        world = self.world
        bearer = {"Authorization": f"Bearer {world.api_key}"}
        if kind == "form_get":
            return visitor.request("GET", "/help/")
        if kind == "form_post":
            if not visitor.csrf():
                visitor.request("GET", "/help/")
            name = f"Drill {rng.randrange(10**9)}"
            fields = {
                **world.form_fields,
                "name": name,
                "email": f"drill{rng.randrange(10**9)}@example.org",
                "csrfmiddlewaretoken": visitor.csrf(),
            }
            return visitor.request("POST", "/help/", body=fields)
        if kind == "classes":
            return visitor.request("GET", "/classes/")
        if kind == "class_page":
            return visitor.request("GET", f"/classes/{world.session_id}/")
        if kind == "queue":
            return staff.request("GET", "/staff/queue/")
        if kind == "request_page":
            return staff.request("GET", f"/staff/requests/{world.reference}/")
        if kind == "api_slots":
            return visitor.request(
                "GET",
                f"/api/v1/requests/{world.reference}/slots?type={world.appointment_type_id}",
                headers=bearer,
            )
        if kind == "api_requests":
            return visitor.request("GET", "/api/v1/requests", headers=bearer)
        if kind == "api_classes":
            return visitor.request("GET", "/api/v1/classes/sessions")
        raise ValueError(kind)


def run_load(
    port: int,
    mix: Mix,
    *,
    rate: float,
    seconds: float,
    threads: int = 16,
    seed: int = 7,
    start: float | None = None,
) -> list[Result]:
    """Send `rate` requests a second for `seconds`, each due at its own moment whatever the
    server's pace (an open model: a slow answer does not slow the next request, so queueing
    shows in the latencies, which count from when each request was due)."""
    total = int(rate * seconds)
    kinds = random.Random(seed).choices(
        list(mix.weights), weights=list(mix.weights.values()), k=total
    )
    results: list[Result] = []
    lock = threading.Lock()
    next_index = iter(range(total))
    # Signing in costs a password hash (a deliberate fraction of a second): the staff sign in
    # once, before the clock starts, and share the session as a desk's browsers would.
    staff_template = Visitor(port)
    staff_template.log_in(mix.world.username)
    start = start or time.monotonic() + 0.5

    def worker(slot: int) -> None:
        rng = random.Random(seed * 1000 + slot)
        visitor = Visitor(port)
        staff = Visitor(port)
        staff.cookies = dict(staff_template.cookies)
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            due = start + index / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            kind = kinds[index]
            try:
                status, body = mix.send(kind, visitor, staff, rng)
            except (OSError, http.client.HTTPException):
                status, body = 0, b""
            result = Result(kind, status, due - start, time.monotonic() - due, body[:4000])
            with lock:
                results.append(result)

    workers = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return sorted(results, key=lambda r: r.started)


def serial_times(port: int, mix: Mix, *, rounds: int = 10) -> dict[str, float]:
    """Median time of each kind of request sent alone, one after another: what one request
    costs the server with nothing queued (its service time), and so how many a second one
    worker thread can serve."""
    rng = random.Random(1)
    visitor, staff = Visitor(port), Visitor(port)
    staff.log_in(mix.world.username)
    times: dict[str, list[float]] = {kind: [] for kind in mix.weights}
    for _ in range(rounds):
        for kind in mix.weights:
            started = time.perf_counter()
            status, _ = mix.send(kind, visitor, staff, rng)
            times[kind].append(time.perf_counter() - started)
            if not 200 <= status < 400:
                sys.exit(f"{kind} answered {status} with nothing else running")
    return {kind: statistics.median(values) for kind, values in times.items()}


def print_serial_times(times: dict[str, float], weights: dict[str, int]) -> float:
    """Prints the times and returns the mix's mean service time in seconds."""
    mean = sum(times[k] * w for k, w in weights.items()) / sum(weights.values())
    print(
        "  alone, one at a time (median ms): "
        + ", ".join(f"{kind} {seconds * 1000:.0f}" for kind, seconds in times.items())
    )
    print(
        f"  the mix's mean service time {mean * 1000:.1f} ms: about {1 / mean:.0f} requests/s "
        "per busy core"
    )
    return mean


def written_since(first_request_id: int) -> dict[str, int]:
    """What the requests for help written since an id left behind, to tell a whole write from
    a half-written one: every request has its audit entry, its needs and its message."""
    from django.db.models import Count

    from jobhelp.core.models import AuditEntry
    from jobhelp.intake.models import HelpRequest
    from jobhelp.notifications.models import OutboundMessage

    requests = HelpRequest.objects.filter(pk__gt=first_request_id)
    ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    return {
        "requests": len(ids),
        "audit entries": AuditEntry.objects.filter(
            action="jobhelp.request.created", object_id__in=ids
        ).count(),
        "with needs": requests.annotate(n=Count("needs")).filter(n__gt=0).count(),
        "messages": OutboundMessage.objects.filter(
            template="request_received", object_id__in=ids
        ).count(),
    }


def is_success(result: Result) -> bool:
    """A posted form answers with its redirect; every other request with its page (a redirect
    elsewhere, e.g. to sign in, is a failure)."""
    return result.status == (302 if result.kind == "form_post" else 200)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_latencies(results: list[Result]) -> None:
    kinds = sorted({r.kind for r in results})
    print(f"  {'kind':<14} {'n':>6} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in [*kinds, "all"]:
        chosen = [r for r in results if kind in ("all", r.kind)]
        times = [r.latency * 1000 for r in chosen]
        errors = sum(not is_success(r) for r in chosen)
        print(
            f"  {kind:<14} {len(chosen):>6} {errors:>7} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {max(times):>8.1f}"
        )


# --- The throwaway PostgreSQL cluster -------------------------------------------------------


def cluster() -> tuple[list[str], str, str]:
    """(the prefix that runs a server binary as the cluster's owner, the binaries' folder, the
    data folder), from scripts/with-postgres.sh's JOBHELP_PG_* variables."""
    data = os.environ.get("JOBHELP_PG_DATA", "")
    binaries = os.environ.get("JOBHELP_PG_BIN", "")
    if not data or not binaries:
        sys.exit("This drill controls the database server: run it under scripts/with-postgres.sh.")
    as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    return as_owner, binaries, data


def pg_stop() -> None:
    as_owner, binaries, data = cluster()
    subprocess.run(  # noqa: S603
        [*as_owner, f"{binaries}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pg_start() -> None:
    as_owner, binaries, data = cluster()
    subprocess.run(  # noqa: S603
        [
            *as_owner,
            f"{binaries}/pg_ctl",
            "-D",
            data,
            "-l",
            str(Path(data).parent / "log"),
            "-w",
            "-t",
            "30",
            "-o",
            os.environ["JOBHELP_PG_OPTIONS"],
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
