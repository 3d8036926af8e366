"""`python -m bench.reports`: the monthly report on a million requests, against the bare SQL it
needs, in the same run. PostgreSQL only (run it under scripts/with-postgres.sh).

The data is written by the database itself, INSERT ... SELECT over generate_series, with
`setseed` so that two runs build the same rows: a million requests take well under a minute,
where bulk_create would take a quarter of an hour. Ten organizations (the first a library
system with two branches), 200 helpers, three years of requests with their needs and first
calls, appointments, help sessions with what was done, outcomes and survey answers.

Then, for the library system's manager (the system and its branches, three tenths of the data)
and one full month, it times reports.queries.compute_report, as the staff page and the API run
it, against hand-written SQL that computes the same figures, and prints both, their ratio and
whether the target is met (within 3× and under a second); it never fails. It times the same
again after creating the indexes that reports might want on other apps' tables, to tell whether
they are worth adding there (they are created in this throwaway database only).

BENCH_REPORT_REQUESTS makes the data set smaller for a quick run (default 1,000,000).
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TARGET_SECONDS = 1.0
YEARS = 3
HELPERS = 200
ORGANIZATIONS = 10

# Indexes the report could use on tables of intake, scheduling and casework. Not in those apps'
# migrations: this benchmark measures whether they pay for themselves.
CANDIDATE_INDEXES = {
    "help requests by organization and arrival": (
        "CREATE INDEX IF NOT EXISTS bench_request_org_created"
        " ON intake_helprequest (organization_id, created_at)"
    ),
    "appointments by start": (
        "CREATE INDEX IF NOT EXISTS bench_appointment_starts ON scheduling_appointment (starts)"
    ),
    "outcomes by date": (
        "CREATE INDEX IF NOT EXISTS bench_outcome_achieved ON casework_outcome (achieved_on)"
    ),
}


def setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobhelp.settings")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench.reports needs PostgreSQL: scripts/with-postgres.sh .venv/bin/python -m "
            "bench.reports"
        )
    import django

    django.setup()


def seed_small_tables():
    """Organizations, locations, helpers and their memberships, appointment types and a
    manager, through the ORM: a few hundred rows."""
    from django.contrib.auth.hashers import make_password

    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, User
    from jobhelp.organizations.enums import OrganizationKind
    from jobhelp.organizations.models import Location, Organization
    from jobhelp.scheduling.models import AppointmentType

    organizations = []
    for i in range(ORGANIZATIONS):
        branch = i in (1, 2)
        organizations.append(
            Organization.objects.create(
                name=f"Bench Library {i}",
                slug=f"bench-report-{i}",
                kind=OrganizationKind.BRANCH if branch else OrganizationKind.LIBRARY_SYSTEM,
                parent=organizations[0] if branch else None,
            )
        )
    locations = [
        Location.objects.create(
            organization=org,
            name=f"{org.name} building",
            street="1 Main St",
            city="Riverbend",
            state="MN",
            postal_code="55400",
            time_zone="America/Chicago",
        )
        for org in organizations
    ]
    types = [
        AppointmentType.objects.create(
            organization=org, name="Job help", duration=30, modality="in_person"
        )
        for org in organizations
    ]
    password = make_password(None)
    # Helper h works for organization h % 10, so organization k's helpers are k, k+10, k+20...
    helpers = User.objects.bulk_create(
        User(
            username=f"report-helper-{n:03d}",
            first_name=f"Helper{n:03d}",
            last_name="Bench",
            password=password,
        )
        for n in range(HELPERS)
    )
    Membership.objects.bulk_create(
        Membership(user=h, organization=organizations[n % ORGANIZATIONS], role=Role.HELPER)
        for n, h in enumerate(helpers)
    )
    manager = User.objects.create(username="report-manager", password=password)
    Membership.objects.create(user=manager, organization=organizations[0], role=Role.MANAGER)
    return organizations, locations, types, helpers, manager


def seed(total: int):
    """The large tables, each in one INSERT ... SELECT."""
    from django.db import connection

    organizations, locations, types, helpers, manager = seed_small_tables()
    params = {
        "orgs": [o.pk for o in organizations],
        "locations": [loc.pk for loc in locations],
        "types": [t.pk for t in types],
        "helpers": [h.pk for h in helpers],
        "total": total,
        "span": f"{YEARS * 365} days",
    }
    statements = [
        ("requests", SEED_REQUESTS),
        ("needs", SEED_NEEDS),
        ("contact attempts", SEED_CONTACTS),
        ("appointments", SEED_APPOINTMENTS),
        ("help sessions", SEED_SESSIONS),
        ("activities", SEED_ACTIVITIES),
        ("outcomes", SEED_OUTCOMES),
        ("survey invitations", SEED_INVITATIONS),
        ("survey answers", SEED_ANSWERS),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        for name, sql in statements:
            started = time.perf_counter()
            cursor.execute(sql, params)
            print(
                f"  {name:<20} {cursor.rowcount:>10,} rows  {time.perf_counter() - started:6.1f} s"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return organizations, manager


SEED_REQUESTS = """
INSERT INTO intake_helprequest (
    organization_id, reference, state, closing_reason, name, phone, email, preferred_contact,
    best_time, voicemail_ok, language, modality, note, channel, assigned_to_id, consent_at,
    created_at, updated_at, finished_at)
SELECT
    (%(orgs)s::bigint[])[1 + i %% 10],
    'R' || lpad(to_hex(i), 7, '0'),
    state,
    CASE state WHEN 'resolved' THEN 'helped' WHEN 'closed' THEN 'no_response' ELSE '' END,
    'Patron ' || i,
    '+1763555' || lpad((i %% 10000)::text, 4, '0'),
    CASE WHEN i %% 3 = 0 THEN 'patron' || i || '@example.net' ELSE '' END,
    'phone', 'any', false,
    CASE WHEN r2 < 0.7 THEN 'en' WHEN r2 < 0.88 THEN 'es' WHEN r2 < 0.92 THEN 'so'
         WHEN r2 < 0.95 THEN 'hmn' WHEN r2 < 0.98 THEN 'vi' ELSE 'ht' END,
    (ARRAY['phone', 'email', 'video', 'in_person'])[1 + (i / 10) %% 4],
    '',
    (ARRAY['web', 'web', 'phone', 'email', 'walk_in'])[1 + floor(r3 * 5)::int],
    CASE WHEN state = 'new' THEN NULL
         ELSE (%(helpers)s::bigint[])[1 + i %% 10 + 10 * floor(r4 * 20)::int] END,
    created, created, created,
    CASE WHEN state IN ('resolved', 'closed') THEN created + r5 * interval '20 days' END
FROM (
    SELECT i, created, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
        CASE
            WHEN created > now() - interval '14 days' THEN
                CASE WHEN r1 < 0.35 THEN 'new' WHEN r1 < 0.5 THEN 'assigned'
                     WHEN r1 < 0.65 THEN 'in_progress' WHEN r1 < 0.7 THEN 'scheduled'
                     WHEN r1 < 0.95 THEN 'resolved' ELSE 'closed' END
            ELSE
                CASE WHEN r1 < 0.01 THEN 'new' WHEN r1 < 0.02 THEN 'assigned'
                     WHEN r1 < 0.035 THEN 'in_progress' WHEN r1 < 0.04 THEN 'scheduled'
                     WHEN r1 < 0.79 THEN 'resolved' ELSE 'closed' END
        END AS state
    FROM (
        SELECT i, random() AS r1,
            now() - (i::float8 / %(total)s) * %(span)s::interval AS created
        FROM generate_series(0, %(total)s - 1) AS i
    ) AS drawn
) AS g
"""

SEED_NEEDS = """
INSERT INTO intake_requestneed (request_id, need)
SELECT id, (ARRAY['resume', 'applications', 'coaching', 'digital', 'interview'])[1 + id %% 5]
FROM intake_helprequest WHERE organization_id = ANY(%(orgs)s::bigint[])
UNION ALL
SELECT id, (ARRAY['resume', 'applications', 'coaching', 'digital', 'interview'])
    [1 + (id %% 5 + 1 + (id / 7) %% 4) %% 5]
FROM intake_helprequest WHERE organization_id = ANY(%(orgs)s::bigint[]) AND id %% 10 < 3
"""

SEED_CONTACTS = """
INSERT INTO intake_contactattempt (request_id, by_id, channel, outcome, note, created_at)
SELECT id, assigned_to_id, 'phone', CASE WHEN random() < 0.7 THEN 'reached' ELSE 'voicemail' END,
    '', created_at + (0.5 + random() * 72) * interval '1 hour'
FROM intake_helprequest, generate_series(1, 2) AS attempt
WHERE organization_id = ANY(%(orgs)s::bigint[]) AND state <> 'new'
    AND (attempt = 1 AND random() < 0.9 OR attempt = 2 AND random() < 0.2)
"""

# Every appointment is in the past and none is left "booked", so PostgreSQL's exclusion
# constraint on a helper's booked times has nothing to check.
SEED_APPOINTMENTS = """
INSERT INTO scheduling_appointment (
    request_id, helper_id, location_id, appointment_type_id, starts, ends, blocked_from,
    blocked_until, state, uid, sequence, reference, created_at)
SELECT id, assigned_to_id, (%(locations)s::bigint[])[k], (%(types)s::bigint[])[k],
    starts, starts + interval '30 minutes', starts, starts + interval '30 minutes',
    CASE WHEN r < 0.7 THEN 'attended' WHEN r < 0.82 THEN 'no_show'
         WHEN r < 0.94 THEN 'cancelled' ELSE 'cancelled_late' END,
    gen_random_uuid(), 0, upper(substr(md5(id::text), 1, 8)), created_at
FROM (
    SELECT id, assigned_to_id, created_at, random() AS r,
        array_position(%(orgs)s::bigint[], organization_id) AS k,
        date_trunc('hour', created_at) + (24 + floor(random() * 96)) * interval '1 hour' AS starts
    FROM intake_helprequest
    WHERE organization_id = ANY(%(orgs)s::bigint[])
        AND assigned_to_id IS NOT NULL AND state <> 'closed' AND random() < 0.45
) AS picked
WHERE starts < now()
"""

SEED_SESSIONS = """
INSERT INTO casework_helpsession (
    organization_id, request_id, appointment_id, helper_id, happened_at, modality, minutes,
    private_note, created_at, updated_at)
SELECT r.organization_id, a.request_id, a.id, a.helper_id, a.starts, 'in_person',
    20 + (a.id %% 5) * 10, '', a.starts, a.starts
FROM scheduling_appointment a JOIN intake_helprequest r ON r.id = a.request_id
WHERE r.organization_id = ANY(%(orgs)s::bigint[]) AND a.state = 'attended'
UNION ALL
SELECT r.organization_id, r.id, NULL, r.assigned_to_id, r.created_at + interval '1 day',
    (ARRAY['phone', 'email', 'video'])[1 + r.id %% 3], 15 + (r.id %% 4) * 15, '',
    r.created_at, r.created_at
FROM intake_helprequest r
WHERE r.organization_id = ANY(%(orgs)s::bigint[]) AND r.state = 'resolved'
    AND r.created_at < now() - interval '1 day' AND random() < 0.3
    AND NOT EXISTS (SELECT 1 FROM scheduling_appointment a WHERE a.request_id = r.id)
"""

SEED_ACTIVITIES = """
INSERT INTO casework_sessionactivity (session_id, activity)
SELECT id, (activities)[1 + id %% 8]
FROM casework_helpsession, (
    SELECT ARRAY['resume_drafted', 'resume_reviewed', 'applications', 'interview_practice',
        'adult_ed', 'benefits', 'digital', 'referral'] AS activities
) AS a
WHERE organization_id = ANY(%(orgs)s::bigint[])
UNION ALL
SELECT id, (activities)[1 + (id %% 8 + 1 + (id / 8) %% 7) %% 8]
FROM casework_helpsession, (
    SELECT ARRAY['resume_drafted', 'resume_reviewed', 'applications', 'interview_practice',
        'adult_ed', 'benefits', 'digital', 'referral'] AS activities
) AS a
WHERE organization_id = ANY(%(orgs)s::bigint[]) AND id %% 3 = 0
"""

SEED_OUTCOMES = """
INSERT INTO casework_outcome (session_id, kind, achieved_on)
SELECT id,
    (ARRAY['resume_completed', 'applied', 'interview', 'hired', 'enrolled', 'referred'])
        [1 + id %% 6],
    LEAST(
        ((happened_at + (id %% 30) * interval '1 day') AT TIME ZONE 'America/Chicago')::date,
        (now() AT TIME ZONE 'America/Chicago')::date)
FROM casework_helpsession WHERE organization_id = ANY(%(orgs)s::bigint[]) AND random() < 0.5
"""

SEED_INVITATIONS = """
INSERT INTO casework_feedbackinvitation (session_id, token_hash, created_at, expires_at)
SELECT s.id, encode(sha256(('session-' || s.id)::bytea), 'hex'), s.happened_at,
    s.happened_at + interval '14 days'
FROM casework_helpsession s JOIN intake_helprequest r ON r.id = s.request_id
WHERE s.organization_id = ANY(%(orgs)s::bigint[]) AND r.email <> ''
"""

SEED_ANSWERS = """
INSERT INTO casework_feedbackresponse (
    session_id, helpful, would_recommend, comment, may_quote, testimonial, via, received_at)
SELECT s.id, CASE WHEN r < 0.05 THEN 2 WHEN r < 0.2 THEN 3 WHEN r < 0.5 THEN 4 ELSE 5 END,
    r > 0.12, '', false, false, CASE WHEN i.id IS NULL THEN 'phone' ELSE 'link' END,
    s.happened_at + interval '2 days'
FROM (
    SELECT id, happened_at, random() AS r, random() AS pick FROM casework_helpsession
    WHERE organization_id = ANY(%(orgs)s::bigint[])
) AS s
LEFT JOIN casework_feedbackinvitation i ON i.session_id = s.id
WHERE (i.id IS NOT NULL AND s.pick < 0.4) OR (i.id IS NULL AND s.pick < 0.08)
"""


# --- The bare SQL the monthly report needs --------------------------------------------------------

BARE_SQL = [
    """
    SELECT count(*),
        count(*) FILTER (WHERE channel = 'web'), count(*) FILTER (WHERE channel = 'phone'),
        count(*) FILTER (WHERE channel = 'email'), count(*) FILTER (WHERE channel = 'walk_in'),
        count(first_contact),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY first_contact - created_at),
        percentile_cont(0.9) WITHIN GROUP (ORDER BY first_contact - created_at),
        count(*) FILTER (WHERE state = 'resolved'),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY finished_at - created_at)
            FILTER (WHERE state = 'resolved'),
        percentile_cont(0.9) WITHIN GROUP (ORDER BY finished_at - created_at)
            FILTER (WHERE state = 'resolved')
    FROM intake_helprequest r
    LEFT JOIN LATERAL (
        SELECT min(created_at) AS first_contact FROM intake_contactattempt c
        WHERE c.request_id = r.id
    ) AS c ON true
    WHERE organization_id = ANY(%(ids)s) AND created_at >= %(since)s AND created_at < %(until)s
    """,
    """
    SELECT organization_id, count(*) FROM intake_helprequest
    WHERE organization_id = ANY(%(ids)s) AND created_at >= %(since)s AND created_at < %(until)s
    GROUP BY organization_id
    """,
    """
    SELECT count(*), count(*) FILTER (WHERE a.state = 'booked'),
        count(*) FILTER (WHERE a.state = 'attended'), count(*) FILTER (WHERE a.state = 'no_show'),
        count(*) FILTER (WHERE a.state = 'cancelled'),
        count(*) FILTER (WHERE a.state = 'cancelled_late')
    FROM scheduling_appointment a JOIN intake_helprequest r ON r.id = a.request_id
    WHERE r.organization_id = ANY(%(ids)s) AND a.starts >= %(since)s AND a.starts < %(until)s
        AND NOT EXISTS (SELECT 1 FROM scheduling_appointment n WHERE n.rescheduled_from_id = a.id)
    """,
    """
    SELECT count(*), coalesce(sum(s.minutes), 0),
        count(*) FILTER (WHERE i.id IS NOT NULL OR f.id IS NOT NULL), count(f.id),
        avg(f.helpful), count(*) FILTER (WHERE f.would_recommend)
    FROM casework_helpsession s
    LEFT JOIN casework_feedbackinvitation i ON i.session_id = s.id
    LEFT JOIN casework_feedbackresponse f ON f.session_id = s.id
    WHERE s.organization_id = ANY(%(ids)s)
        AND s.happened_at >= %(since)s AND s.happened_at < %(until)s
    """,
    """
    SELECT a.activity, count(*) FROM casework_sessionactivity a
    JOIN casework_helpsession s ON s.id = a.session_id
    WHERE s.organization_id = ANY(%(ids)s)
        AND s.happened_at >= %(since)s AND s.happened_at < %(until)s
    GROUP BY a.activity
    """,
    """
    SELECT s.helper_id, u.first_name, u.last_name, u.username, count(*), sum(s.minutes)
    FROM casework_helpsession s JOIN accounts_user u ON u.id = s.helper_id
    WHERE s.organization_id = ANY(%(ids)s)
        AND s.happened_at >= %(since)s AND s.happened_at < %(until)s
    GROUP BY s.helper_id, u.first_name, u.last_name, u.username
    """,
    """
    SELECT organization_id, count(*) FROM casework_helpsession
    WHERE organization_id = ANY(%(ids)s) AND happened_at >= %(since)s AND happened_at < %(until)s
    GROUP BY organization_id
    """,
    """
    SELECT o.kind, count(*) FROM casework_outcome o
    JOIN casework_helpsession s ON s.id = o.session_id
    WHERE s.organization_id = ANY(%(ids)s)
        AND o.achieved_on >= %(start)s AND o.achieved_on <= %(end)s
    GROUP BY o.kind
    """,
]


def already_seeded():
    from jobhelp.accounts.models import User
    from jobhelp.organizations.models import Organization

    manager = User.objects.filter(username="report-manager").first()
    if manager is None:
        return None
    organizations = list(Organization.objects.filter(slug__startswith="bench-report-"))
    organizations.sort(key=lambda o: int(o.slug.rsplit("-", 1)[1]))
    return organizations, manager


def bare_sql(params: dict):
    from django.db import connection

    with connection.cursor() as cursor:
        results = []
        for sql in BARE_SQL:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def last_full_month() -> tuple[date, date]:
    from django.utils import timezone

    from jobhelp.reports.filters import month_of, previous

    return previous(month_of(timezone.localdate()), "month")


def measure(label: str, scope, filters) -> None:
    from bench.harness import paired_medians, record, report
    from jobhelp.reports.filters import bounds
    from jobhelp.reports.queries import compute_report

    covered = scope.covered(filters.organization_id)
    since, until = bounds(filters.start, filters.end, scope.zone(filters.organization_id))
    params = {
        "ids": [o.pk for o in covered],
        "since": since,
        "until": until,
        "start": filters.start,
        "end": filters.end,
    }
    figures = compute_report(scope, filters)
    first = bare_sql(params)[0][0]
    # The same numbers both ways, or the comparison means nothing.
    assert figures.requests == first[0], (figures.requests, first[0])
    assert figures.first_contact.count == first[5]
    assert figures.first_contact.median == first[6]
    measured, baseline = paired_medians(
        lambda: compute_report(scope, filters), lambda: bare_sql(params), repeat=15, warmup=2
    )
    report(label, measured, baseline, target_ratio=TARGET_RATIO, baseline_name="bare SQL")
    verdict = "meets target" if measured < TARGET_SECONDS else "MISSES target"
    record(
        f"{label}, under a second",
        measured=f"{measured * 1000:.1f} ms",
        baseline="",
        target=f"< {TARGET_SECONDS:.0f} s",
        meets=measured < TARGET_SECONDS,
    )
    print(
        f"{'':<48} {figures.requests:,} requests, {figures.sessions:,} sessions in the month; "
        f"under {TARGET_SECONDS:.0f} s: {verdict}"
    )


def main() -> None:
    setup()
    from dataclasses import replace

    from django.core.management import call_command
    from django.db import connection

    from jobhelp.reports.filters import ReportFilters
    from jobhelp.reports.queries import report_scope

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    total = int(os.environ.get("BENCH_REPORT_REQUESTS", "1000000"))
    seeded = already_seeded()
    if seeded is None:
        started = time.perf_counter()
        organizations, manager = seed(total)
        elapsed = time.perf_counter() - started
        print(f"seeded {total:,} requests and what followed in {elapsed:.1f} s")
    else:
        # A database kept from an earlier run (DATABASE_URL set): measure what is there.
        organizations, manager = seeded
        print("using the data an earlier run seeded")

    scope = report_scope(manager)
    start, end = last_full_month()
    system = ReportFilters(start=start, end=end)
    branch = replace(system, organization_id=organizations[1].pk)
    print(f"monthly report for {start:%B %Y}:")
    measure("report: library system and 2 branches", scope, system)
    measure("report: one branch", scope, branch)

    with connection.cursor() as cursor:
        for name, sql in CANDIDATE_INDEXES.items():
            cursor.execute(sql)
            print(f"with a candidate index: {name}")
        cursor.execute("ANALYZE")
    measure("report: system, with the candidate indexes", scope, system)
    measure("report: one branch, with the candidate indexes", scope, branch)


if __name__ == "__main__":
    main()
