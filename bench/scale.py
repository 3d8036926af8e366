"""`make bench-scale` (outside CI: it takes longer than CI allows): a state-wide network.

300 library systems and workforce boards on PostgreSQL, each with two helpers, requests written
by the database itself (INSERT ... SELECT over generate_series) in steps up to each point of
BENCH_SCALE_POINTS (default 100,000, 1,000,000 and 10,000,000 requests). Each organization
receives about 100 requests a month, so a bigger point is a longer history, as an installation
that grows by years does; requests more than 90 days old are finished.

At each point, medians of repeated runs, each as a ratio to an authenticated staff page that
does nothing but render the menu measured beside it (so that a busier machine at one point
does not count): the queue's first page for a front desk, a request's staff page, and the
monthly report (reports.queries.compute_report, as the page and the API run it) for a manager.
Then each ratio against its own at the first point (target: within 1.5x), and the database's
size per 100,000 requests. It prints; it never fails on a missed target.

Beside them the HSDS list (`GET /api/hsds/services`, issue 15) for anyone, over the state
directory bench.scale_directory writes once (about 8,100 services; it does not grow with the
points, and its docstring says why): the first page as partners' systems read it, the same
page fully nested (`full=true`: locations, schedules, languages, terms) and the list of one
taxonomy term; with each list's number of queries for 50 services and for 3 (the same when it
does not grow with the rows).

At the largest point, jobhelp served by gunicorn with one sync worker (bench.served, DEBUG
off, wrk): the requests a second of each of the queue for a signed-in front desk, a request's
staff page, the public form, /computers/ and the HSDS list alone, and of a mix of them
(MIX_WEIGHTS): the sizing figure "requests a second per worker" of docs/deploy.md.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORGANIZATIONS = 300
HELPERS_EACH = 2
PER_DAY = ORGANIZATIONS * 100 / 30
TARGET_RATIO = 1.5
REPEAT = 15
CHUNK = 1_000_000

SEED_REQUESTS = """
INSERT INTO intake_helprequest (
    organization_id, reference, state, closing_reason, name, phone, email, preferred_contact,
    best_time, voicemail_ok, language, modality, note, channel, assigned_to_id, consent_at,
    created_at, updated_at, finished_at)
SELECT
    (%(orgs)s::bigint[])[1 + i %% %(n_orgs)s],
    'S' || lpad(to_hex(i), 7, '0'),
    state,
    CASE state WHEN 'resolved' THEN 'helped' WHEN 'closed' THEN 'no_response' ELSE '' END,
    'Patron ' || i,
    '+1763555' || lpad((i %% 10000)::text, 4, '0'),
    CASE WHEN i %% 3 = 0 THEN 'patron' || i || '@example.net' ELSE '' END,
    'phone', 'any', false,
    CASE WHEN random() < 0.75 THEN 'en' ELSE 'es' END,
    (ARRAY['phone', 'email', 'video', 'in_person'])[1 + (i / 10) %% 4],
    '',
    (ARRAY['web', 'web', 'phone', 'email', 'walk_in'])[1 + (i / 7) %% 5],
    CASE WHEN state = 'new' THEN NULL
         ELSE (%(helpers)s::bigint[])[1 + (i %% %(n_orgs)s) * 2 + (i / 3) %% 2] END,
    created, created, created,
    CASE WHEN state IN ('resolved', 'closed') THEN created + interval '5 days' END
FROM (
    SELECT i, created,
        CASE
            WHEN created > now() - interval '14 days' THEN
                CASE WHEN r < 0.35 THEN 'new' WHEN r < 0.5 THEN 'assigned'
                     WHEN r < 0.65 THEN 'in_progress' WHEN r < 0.7 THEN 'scheduled'
                     WHEN r < 0.95 THEN 'resolved' ELSE 'closed' END
            WHEN created > now() - interval '90 days' THEN
                CASE WHEN r < 0.02 THEN 'in_progress' WHEN r < 0.8 THEN 'resolved'
                     ELSE 'closed' END
            ELSE CASE WHEN r < 0.79 THEN 'resolved' ELSE 'closed' END
        END AS state
    FROM (
        SELECT i, random() AS r, now() - (i / %(per_day)s) * interval '1 day' AS created
        FROM generate_series(%(first)s, %(last)s - 1) AS i
    ) AS drawn
) AS g
"""

SEED_NEEDS = """
INSERT INTO intake_requestneed (request_id, need)
SELECT id, (ARRAY['resume', 'applications', 'coaching', 'digital', 'interview'])[1 + id %% 5]
FROM intake_helprequest WHERE id > %(after)s
"""


def setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench.scale needs PostgreSQL: make bench-scale")
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver"]))
    import django

    django.setup()


def seed_small_tables():
    from django.contrib.auth.hashers import make_password

    from bench.scale_directory import seed_directory
    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, User
    from jobhelp.organizations.enums import OrganizationKind
    from jobhelp.organizations.models import Organization

    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Scale Partner {n:03d}",
            slug=f"scale-{n:03d}",
            kind=OrganizationKind.LIBRARY_SYSTEM if n % 3 else OrganizationKind.WORKFORCE_CENTER,
            accepts_public_requests=bool(n % 3),
        )
        for n in range(ORGANIZATIONS)
    )
    directory = seed_directory([o.pk for o in organizations])
    password = make_password(None)
    helpers = User.objects.bulk_create(
        User(username=f"scale-helper-{n:04d}", first_name=f"H{n}", password=password)
        for n in range(ORGANIZATIONS * HELPERS_EACH)
    )
    Membership.objects.bulk_create(
        Membership(user=h, organization=organizations[n // HELPERS_EACH], role=Role.HELPER)
        for n, h in enumerate(helpers)
    )
    desk = User.objects.create(username="scale-desk", password=password)
    manager = User.objects.create(username="scale-manager", password=password)
    Membership.objects.create(user=desk, organization=organizations[1], role=Role.FRONT_DESK)
    Membership.objects.create(user=manager, organization=organizations[1], role=Role.MANAGER)
    print(", ".join(f"{n:,} {name}" for name, n in directory.items()))
    return organizations, helpers, desk, manager


def grow(organizations, helpers, first: int, last: int) -> float:
    """Write requests first to last - 1 with their needs, a million at a time (printing the
    progress), then VACUUM ANALYZE as autovacuum soon would; the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for chunk in range(first, last, CHUNK):
            cursor.execute("SELECT coalesce(max(id), 0) FROM intake_helprequest")
            (after,) = cursor.fetchone()
            cursor.execute(
                SEED_REQUESTS,
                {
                    "orgs": [o.pk for o in organizations],
                    "n_orgs": len(organizations),
                    "helpers": [h.pk for h in helpers],
                    "per_day": PER_DAY,
                    "first": chunk,
                    "last": min(chunk + CHUNK, last),
                },
            )
            cursor.execute(SEED_NEEDS, {"after": after})
            if last - first > CHUNK:
                print(
                    f"  {min(chunk + CHUNK, last):,} written"
                    f" ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def requests_bytes() -> int:
    """The requests' own tables with their indexes and TOAST: intake_helprequest and
    intake_requestneed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('intake_helprequest')"
            " + pg_total_relation_size('intake_requestneed')"
        )
        return cursor.fetchone()[0]


def last_full_month() -> tuple[date, date]:
    first_of_this = date.today().replace(day=1)
    end = first_of_this - timedelta(days=1)
    return end.replace(day=1), end


HSDS_LIST = "/api/hsds/services"


def hsds_paths(term: str) -> dict[str, str]:
    return {
        "HSDS services, first page": HSDS_LIST,
        "HSDS services, full": f"{HSDS_LIST}?full=true",
        "HSDS services, one term": f"{HSDS_LIST}?taxonomy_term_id={term}",
    }


def query_counts(client, paths: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Each HSDS list's queries for its first page (50 services) and for a page of 3: equal
    when the count does not grow with the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in paths.items():
        pair = []
        for query in (path, f"{path}{'&' if '?' in path else '?'}per_page=3"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(query).status_code == 200
            pair.append(len(queries))
        counts[name] = (pair[0], pair[1])
    return counts


def measure(desk, manager, organization, term: str) -> dict[str, float]:
    from django.test import Client

    from bench.harness import paired_medians
    from jobhelp.intake.models import HelpRequest
    from jobhelp.reports.filters import ReportFilters
    from jobhelp.reports.queries import compute_report, report_scope

    desk_client, manager_client, public_client = Client(), Client(), Client()
    desk_client.force_login(desk)
    manager_client.force_login(manager)
    recent = HelpRequest.objects.filter(organization=organization).order_by("-created_at").first()
    start, end = last_full_month()
    filters = ReportFilters(start=start, end=end)
    scope = report_scope(manager)

    def page(client, path):
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        return lambda: client.get(path)

    menu = page(desk_client, "/bench/staff-menu/")
    measured = {
        "the queue, first page": page(desk_client, "/staff/queue/"),
        "a request's staff page": page(desk_client, f"/staff/requests/{recent.reference}/"),
        "the monthly report": lambda: compute_report(scope, filters),
    }
    hsds = hsds_paths(term)
    measured |= {name: page(public_client, path) for name, path in hsds.items()}
    ratios = {}
    for name, fn in measured.items():
        took, baseline = paired_medians(fn, menu, repeat=REPEAT)
        ratios[name] = took / baseline
        print(
            f"  {name:<26} {took * 1000:8.1f} ms  menu page {baseline * 1000:6.1f} ms  "
            f"ratio {took / baseline:6.2f}x"
        )
    for name, (full_page, small_page) in query_counts(public_client, hsds).items():
        same = "the same" if full_page == small_page else "MORE: it grows with the rows"
        print(f"  {name:<26} {full_page} queries for 50 services, {small_page} for 3 ({same})")
    return ratios


# The mix served at the largest point, each endpoint repeated for its share: the desk's pages
# most, then the public form, the computers page and partners' systems reading the directory.
MIX_WEIGHTS = {
    "the queue (front desk)": 3,
    "a request's staff page": 3,
    "the public form": 2,
    "/computers/": 1,
    "the HSDS list": 1,
}


def served_rates(desk, organization) -> None:
    """Requests a second of one gunicorn sync worker (DEBUG off, wrk with HTTP_CONNECTIONS
    connections): each endpoint alone, then the mix (MIX_WEIGHTS)."""
    import statistics

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench import served
    from jobhelp.intake.models import HelpRequest

    client = Client()
    client.force_login(desk)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    signed_in = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    recent = HelpRequest.objects.filter(organization=organization).order_by("-created_at").first()
    paths = {
        "the queue (front desk)": ("/staff/queue/", signed_in),
        "a request's staff page": (f"/staff/requests/{recent.reference}/", signed_in),
        "the public form": (f"/help/{organization.slug}/", {}),
        "/computers/": ("/computers/", {}),
        "the HSDS list": (HSDS_LIST, {}),
    }
    endpoints = [(name, path, headers) for name, (path, headers) in paths.items()]
    mix = [(name, *paths[name]) for name, weight in MIX_WEIGHTS.items() for _ in range(weight)]
    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
    connection.close()
    # The server signs with this process's secret, so that the desk's session holds there.
    alone: dict[str, list[float]] = {name: [] for name in paths}
    mixed: list[float] = []
    # The server signs with this process's secret, so that the desk's session holds there.
    with served.gunicorn(workers=1, SECRET_KEY=settings.SECRET_KEY) as port:
        # Each round every endpoint alone, then the mix, so that a noisy neighbour slows both.
        for _ in range(served.HTTP_ROUNDS):
            for name, rates in served.request_rates(
                port, endpoints, seconds=seconds, rounds=1
            ).items():
                alone[name] += rates
            mixed += served.mix_rates(port, mix, seconds=seconds, rounds=1)
    print(
        f"  one gunicorn sync worker ({served.load_tool()}), median of {served.HTTP_ROUNDS} runs"
        f" of {seconds} s:"
    )
    medians = {name: statistics.median(rates) for name, rates in alone.items()}
    for name, rate in medians.items():
        print(f"    {name:<26} {rate:7.1f} req/s alone ({1000 / rate:5.1f} ms each)")
    rate = statistics.median(mixed)
    expected = sum(MIX_WEIGHTS.values()) / sum(w / medians[n] for n, w in MIX_WEIGHTS.items())
    shares = ", ".join(f"{name} {weight}" for name, weight in MIX_WEIGHTS.items())
    print(
        f"    the mix ({shares} in {sum(MIX_WEIGHTS.values())}): {rate:.1f} req/s per worker"
        f" (from the rates alone one would expect {expected:.1f})"
    )


def main() -> None:
    setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command

    from bench.scale_directory import measured_term

    if settings.DEBUG:
        sys.exit("DEBUG is on; benchmarks measure production settings. Unset DEBUG.")
    logging.getLogger("axes").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    points = [
        int(p) for p in os.environ.get("BENCH_SCALE_POINTS", "100000,1000000,10000000").split(",")
    ]
    started = time.perf_counter()
    organizations, helpers, desk, manager = seed_small_tables()
    print(
        f"organizations, people and the directory written in {time.perf_counter() - started:.0f} s"
    )
    term = measured_term()
    empty = database_bytes()
    first_ratios, done = None, 0
    print(f"{ORGANIZATIONS} organizations, about {PER_DAY:.0f} requests a day between them")
    for point in points:
        took = grow(organizations, helpers, done, point)
        done = point
        size, own = database_bytes() - empty, requests_bytes()
        print(
            f"== {point:,} requests (written in {took:.0f} s); database {size / 1e6:,.0f} MB, "
            f"{size / point * 100_000 / 1e6:.1f} MB per 100,000 requests (their two tables "
            f"{own / 1e6:,.0f} MB, {own / point * 100_000 / 1e6:.1f} MB per 100,000)"
        )
        ratios = measure(desk, manager, organizations[1], term)
        if first_ratios is None:
            first_ratios = ratios
        else:
            for name, ratio in ratios.items():
                growth = ratio / first_ratios[name]
                verdict = (
                    "meets target" if growth <= TARGET_RATIO else f"MISSES target ≤{TARGET_RATIO}x"
                )
                print(f"  {name:<26} {growth:5.2f}x its time at {points[0]:,}  {verdict}")
    served_rates(desk, organizations[1])


if __name__ == "__main__":
    main()
