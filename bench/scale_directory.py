"""The state directory that `make bench-scale` (bench.scale) publishes through the HSDS API:
written by the database itself (INSERT ... SELECT over generate_series), once, before the first
point.

Each of the 300 organizations has 1 to 3 locations (about 600), open six days a week with two
closures ahead (exceptions), public computers at the library systems' locations, and 20 to 40
services (about 8,100): needs, ways of access and languages as HSDS publishes them, a required
document, most offered at one location (every fourth at all of the organization's, every tenth
online only), some with hours of their own, each filed under one or two terms of a state
workforce taxonomy (8 broader terms, 32 narrower). Every id is a UUID (gen_random_uuid()).

The directory does not grow with the points: it is what the organizations offer today, while
the requests are their history, which grows by years (a bigger point is a longer history). A
state's directory grows with its organizations, not with the requests they have answered, so
at every point the HSDS list reads the same 8,100 services beside a bigger requests table; what
the points show is that nothing the list does depends on the requests.
"""

from django.db import connection

LOCATIONS = """
INSERT INTO organizations_location (
    organization_id, name, street, city, state, postal_code, phone, time_zone, is_active,
    latitude, longitude, accessibility, uuid)
SELECT
    o.id,
    o.name || CASE WHEN k = 1 THEN ' main building' ELSE ' branch ' || k END,
    k || ' Main St', 'Riverbend', 'MN', (55000 + o.id %% 1000)::text,
    '+1763554' || lpad(((o.id * 3 + k) %% 10000)::text, 4, '0'),
    'America/Chicago', true,
    43.5 + (o.id %% 300) / 100.0, -96.5 + k / 10.0 + (o.id %% 50) / 10.0,
    CASE WHEN k = 1 THEN 'Step-free entrance; a height-adjustable computer desk.' ELSE '' END,
    gen_random_uuid()
FROM organizations_organization o, generate_series(1, 1 + o.id %% 3) AS k
WHERE o.id = ANY(%(orgs)s::bigint[])
"""

OPENING_HOURS = """
INSERT INTO organizations_openinghours (location_id, weekday, opens, closes)
SELECT l.id, d, time '09:00', CASE WHEN d = 5 THEN time '13:00' ELSE time '20:00' END
FROM organizations_location l, generate_series(0, 5) AS d
WHERE l.organization_id = ANY(%(orgs)s::bigint[])
"""

HOURS_EXCEPTIONS = """
INSERT INTO directory_hoursexception (location_id, "on", opens, closes, note)
SELECT l.id, current_date + days::int, NULL, NULL, 'Closed for the holiday'
FROM organizations_location l, unnest(ARRAY[12, 45]) AS days
WHERE l.organization_id = ANY(%(orgs)s::bigint[])
"""

PUBLIC_COMPUTERS = """
INSERT INTO directory_publiccomputers (
    location_id, count, software, printing, scanning, wifi, notes, updated_at)
SELECT l.id, 6 + l.id %% 19, '["Microsoft Office", "Google Chrome"]'::jsonb, true,
    l.id %% 2 = 0, true, '', now()
FROM organizations_location l JOIN organizations_organization o ON o.id = l.organization_id
WHERE o.id = ANY(%(orgs)s::bigint[]) AND o.kind = 'library_system'
"""

TAXONOMY = """
INSERT INTO directory_taxonomy (uuid, name, description, uri, version)
VALUES (gen_random_uuid(), 'State workforce categories',
        'The state workforce board''s categories of job-seeker services.',
        'https://workforce.example.gov/categories', '2026')
RETURNING id
"""

BROADER_TERMS = """
INSERT INTO directory_taxonomyterm (uuid, taxonomy_id, parent_id, code, name, description, language)
SELECT gen_random_uuid(), %(taxonomy)s, NULL, 'WF-' || g, 'Workforce category ' || g,
    'Services of workforce category ' || g || '.', 'en'
FROM generate_series(1, 8) AS g
"""

NARROWER_TERMS = """
INSERT INTO directory_taxonomyterm (uuid, taxonomy_id, parent_id, code, name, description, language)
SELECT gen_random_uuid(), %(taxonomy)s, p.id, p.code || '.' || g, p.name || ', part ' || g,
    'A narrower part of ' || p.name || '.', 'en'
FROM directory_taxonomyterm p, generate_series(1, 4) AS g
WHERE p.taxonomy_id = %(taxonomy)s AND p.parent_id IS NULL
"""

SERVICES = """
INSERT INTO directory_service (
    uuid, organization_id, name, alternate_name, description, status, url, email, phone, needs,
    access, languages, application_process, eligibility, minimum_age, maximum_age, is_free,
    fees_description, required_documents, alert, reviewed_on, review_reminded_at, source_key,
    created_at, updated_at)
SELECT
    gen_random_uuid(), o.id,
    (ARRAY['Resumé help', 'Job applications', 'Career coaching', 'Interview practice',
           'GED preparation', 'Computer basics', 'Unemployment benefits help', 'Job club'])
        [1 + s %% 8] || CASE WHEN s > 8 THEN ' ' || (s + 7) / 8 ELSE '' END,
    '',
    'One-to-one help from trained staff and volunteers, in person, by phone or online. '
        || 'Bring what you have; we start from there.',
    CASE WHEN s %% 29 = 0 THEN 'temporarily closed' ELSE 'active' END,
    'https://' || o.slug || '.example.org/services/' || s,
    CASE WHEN s %% 4 = 0 THEN 'jobs@' || o.slug || '.example.org' ELSE '' END,
    '+1763553' || lpad(((o.id * 40 + s) %% 10000)::text, 4, '0'),
    jsonb_build_array(
        (ARRAY['resume', 'applications', 'coaching', 'interview', 'adult_ed', 'digital',
               'unemployment', 'other'])[1 + s %% 8])
        || CASE WHEN s %% 3 = 0 THEN '["digital"]'::jsonb ELSE '[]'::jsonb END,
    CASE WHEN s %% 10 = 0 THEN '["online", "phone"]'::jsonb
         WHEN s %% 2 = 0 THEN '["walk_in", "appointment"]'::jsonb
         ELSE '["appointment"]'::jsonb END,
    '["en"]'::jsonb
        || CASE WHEN s %% 2 = 0 THEN '["es"]'::jsonb ELSE '[]'::jsonb END
        || CASE WHEN s %% 5 = 0 THEN '["so", "hmn"]'::jsonb ELSE '[]'::jsonb END,
    'Call, send the form or walk in during open hours.',
    'Adults looking for work or a better job.',
    CASE WHEN s %% 8 = 4 THEN 16 END, NULL,
    s %% 7 <> 0,
    CASE WHEN s %% 7 = 0 THEN 'Printing is 10 cents a page.' ELSE '' END,
    '["A photo ID", "Your resumé, if you have one"]'::jsonb,
    '', current_date - ((s * 11) %% 365)::int, NULL, '',
    now() - interval '400 days', now() - ((o.id + s) %% 90) * interval '1 day'
FROM organizations_organization o, generate_series(1, 20 + (o.id * 7) %% 21) AS s
WHERE o.id = ANY(%(orgs)s::bigint[])
"""

# Most services at one of the organization's locations (in turn), every fourth at all of them,
# every tenth (the online ones) at none.
SERVICES_AT_LOCATIONS = """
INSERT INTO directory_serviceatlocation (uuid, service_id, location_id, description)
SELECT gen_random_uuid(), s.id, l.id, ''
FROM directory_service s
JOIN (
    SELECT id, organization_id,
        row_number() OVER (PARTITION BY organization_id ORDER BY id) - 1 AS k,
        count(*) OVER (PARTITION BY organization_id) AS n
    FROM organizations_location
) AS l ON l.organization_id = s.organization_id
WHERE s.organization_id = ANY(%(orgs)s::bigint[])
    AND NOT s.access @> '["online"]'::jsonb
    AND (s.id %% 4 = 0 OR l.k = s.id %% l.n)
"""

SERVICE_HOURS = """
INSERT INTO directory_servicehours (at_id, weekday, opens, closes)
SELECT a.id, d, time '13:00', time '16:30'
FROM directory_serviceatlocation a
JOIN directory_service s ON s.id = a.service_id, unnest(ARRAY[0, 2]) AS d
WHERE s.organization_id = ANY(%(orgs)s::bigint[]) AND a.id %% 5 = 0
"""

SERVICE_TERMS = """
INSERT INTO directory_service_terms (service_id, taxonomyterm_id)
SELECT s.id, t.id
FROM directory_service s
JOIN (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
    FROM directory_taxonomyterm WHERE taxonomy_id = %(taxonomy)s AND parent_id IS NOT NULL
) AS t ON t.k = s.id %% 32 OR (s.id %% 3 = 0 AND t.k = (s.id * 7 + 3) %% 32)
WHERE s.organization_id = ANY(%(orgs)s::bigint[])
ON CONFLICT DO NOTHING
"""


def seed_directory(organization_ids: list[int]) -> dict[str, int]:
    """Write the directory of these organizations; how many rows of each kind."""
    params = {"orgs": organization_ids}
    counts = {}
    with connection.cursor() as cursor:
        for name, sql in [
            ("locations", LOCATIONS),
            ("opening hours", OPENING_HOURS),
            ("exceptions", HOURS_EXCEPTIONS),
            ("public computers", PUBLIC_COMPUTERS),
        ]:
            cursor.execute(sql, params)
            counts[name] = cursor.rowcount
        cursor.execute(TAXONOMY)
        (taxonomy,) = cursor.fetchone()
        params["taxonomy"] = taxonomy
        cursor.execute(BROADER_TERMS, params)
        cursor.execute(NARROWER_TERMS, params)
        counts["taxonomy terms"] = 8 + cursor.rowcount
        for name, sql in [
            ("services", SERVICES),
            ("services at locations", SERVICES_AT_LOCATIONS),
            ("service hours", SERVICE_HOURS),
            ("service terms", SERVICE_TERMS),
        ]:
            cursor.execute(sql, params)
            counts[name] = cursor.rowcount
    return counts


def measured_term() -> str:
    """The UUID of a narrower term of the state taxonomy, for the filtered list."""
    from jobhelp.directory.models import TaxonomyTerm

    term = TaxonomyTerm.objects.filter(parent__isnull=False).order_by("pk")[5]
    return str(term.uuid)
