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

The HSDS list (issue 15) is not measured yet: it is not on this branch.
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

    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, User
    from jobhelp.organizations.enums import OrganizationKind
    from jobhelp.organizations.models import Location, Organization

    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Scale Partner {n:03d}",
            slug=f"scale-{n:03d}",
            kind=OrganizationKind.LIBRARY_SYSTEM if n % 3 else OrganizationKind.WORKFORCE_CENTER,
        )
        for n in range(ORGANIZATIONS)
    )
    Location.objects.bulk_create(
        Location(
            organization=org,
            name=f"{org.name} building",
            street="1 Main St",
            city="Riverbend",
            state="MN",
            postal_code="55400",
            time_zone="America/Chicago",
        )
        for org in organizations
    )
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
    return organizations, helpers, desk, manager


def grow(organizations, helpers, first: int, last: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM intake_helprequest")
        (after,) = cursor.fetchone()
        cursor.execute(
            SEED_REQUESTS,
            {
                "orgs": [o.pk for o in organizations],
                "n_orgs": len(organizations),
                "helpers": [h.pk for h in helpers],
                "per_day": PER_DAY,
                "first": first,
                "last": last,
            },
        )
        cursor.execute(SEED_NEEDS, {"after": after})
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def last_full_month() -> tuple[date, date]:
    first_of_this = date.today().replace(day=1)
    end = first_of_this - timedelta(days=1)
    return end.replace(day=1), end


def measure(desk, manager, organization) -> dict[str, float]:
    from django.test import Client

    from bench.harness import paired_medians
    from jobhelp.intake.models import HelpRequest
    from jobhelp.reports.filters import ReportFilters
    from jobhelp.reports.queries import compute_report, report_scope

    desk_client, manager_client = Client(), Client()
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
    ratios = {}
    for name, fn in measured.items():
        took, baseline = paired_medians(fn, menu, repeat=REPEAT)
        ratios[name] = took / baseline
        print(
            f"  {name:<26} {took * 1000:8.1f} ms  menu page {baseline * 1000:6.1f} ms  "
            f"ratio {took / baseline:6.2f}x"
        )
    return ratios


def main() -> None:
    setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command

    if settings.DEBUG:
        sys.exit("DEBUG is on; benchmarks measure production settings. Unset DEBUG.")
    logging.getLogger("axes").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    points = [
        int(p) for p in os.environ.get("BENCH_SCALE_POINTS", "100000,1000000,10000000").split(",")
    ]
    organizations, helpers, desk, manager = seed_small_tables()
    empty = database_bytes()
    first_ratios, done = None, 0
    print(f"{ORGANIZATIONS} organizations, about {PER_DAY:.0f} requests a day between them")
    for point in points:
        took = grow(organizations, helpers, done, point)
        done = point
        size = database_bytes() - empty
        print(
            f"== {point:,} requests (written in {took:.0f} s); database {size / 1e6:,.0f} MB, "
            f"{size / point * 100_000 / 1e6:.1f} MB per 100,000 requests"
        )
        ratios = measure(desk, manager, organizations[1])
        if first_ratios is None:
            first_ratios = ratios
            continue
        for name, ratio in ratios.items():
            growth = ratio / first_ratios[name]
            verdict = (
                "meets target" if growth <= TARGET_RATIO else f"MISSES target ≤{TARGET_RATIO}x"
            )
            print(f"  {name:<26} {growth:5.2f}x its time at {points[0]:,}  {verdict}")


if __name__ == "__main__":
    main()
