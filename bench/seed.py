"""The benchmark data set: organizations, helpers with qualifications and languages, routing
rules and many help requests, written with bulk_create. 100,000 requests take about half a
minute on PostgreSQL here, most of it Django preparing the rows' values.

Everything is drawn from a seeded random generator, so two runs build the same data.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

ORGANIZATIONS = 10
HELPERS = 200
BUSY_HELPER_OPEN = 30

# A desk in its steady state: the newest requests (about two weeks' worth) are mostly open;
# older ones are mostly finished, with a few forgotten ones still open, which the queue then
# shows first (oldest first).
RECENT_SHARE = 0.03
RECENT_STATES = {
    "new": 35,
    "assigned": 15,
    "in_progress": 15,
    "scheduled": 5,
    "resolved": 25,
    "closed": 5,
}
OLDER_STATES = {
    "new": 10,
    "assigned": 10,
    "in_progress": 15,
    "scheduled": 5,
    "resolved": 750,
    "closed": 210,
}
LANGUAGE_WEIGHTS = {"en": 70, "es": 18, "so": 4, "hmn": 3, "vi": 3, "ht": 2}


@dataclass
class BenchData:
    total: int
    front_desk: object
    busy_helper: object
    organizations: list


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed(total: int) -> BenchData:
    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, Qualification, SpokenLanguage, User
    from jobhelp.core.enums import Need
    from jobhelp.intake.enums import OPEN_STATES, ContactOutcome, RuleLocationScope
    from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNeed, RoutingRule
    from jobhelp.organizations.enums import OrganizationKind
    from jobhelp.organizations.models import Location, Organization

    rng = random.Random(7)
    now = timezone.now()
    today = timezone.localdate()

    # Organization 0 is a library system with two branches (1 and 2): its staff see all three.
    organizations = []
    for i in range(ORGANIZATIONS):
        branch = i in (1, 2)
        organizations.append(
            Organization.objects.create(
                name=f"Bench Library {i}",
                slug=f"bench-{i}",
                kind=OrganizationKind.BRANCH if branch else OrganizationKind.LIBRARY_SYSTEM,
                parent=organizations[0] if branch else None,
                accepts_public_requests=i == 0,
            )
        )
    locations = {
        org.pk: Location.objects.bulk_create(
            Location(
                organization=org,
                name=f"{org.name}, building {n}",
                street=f"{n} Main St",
                city="Riverbend",
                state="MN",
                postal_code="55400",
                time_zone="America/Chicago",
            )
            for n in range(2)
        )
        for org in organizations
    }

    password = make_password(None)
    front_desk = User.objects.create(username="bench-desk", first_name="Desk", password=password)
    Membership.objects.create(user=front_desk, organization=organizations[0], role=Role.FRONT_DESK)

    helpers = User.objects.bulk_create(
        User(
            username=f"bench-helper-{n:03d}",
            first_name=f"Helper{n:03d}",
            last_name="Bench",
            email=f"helper{n}@bench.example.org",
            password=password,
        )
        for n in range(HELPERS)
    )
    helping_roles = [Role.HELPER, Role.CAREER_COACH, Role.LIAISON, Role.PARTNER_STAFF]
    needs = [n.value for n in Need]
    languages = list(LANGUAGE_WEIGHTS)
    memberships, qualifications, spoken = [], [], []
    helpers_by_org: dict[int, list] = {org.pk: [] for org in organizations}
    for n, helper in enumerate(helpers):
        org = organizations[n % ORGANIZATIONS]
        role = Role.CAREER_COACH if n == 0 else helping_roles[n % len(helping_roles)]
        memberships.append(
            Membership(
                user=helper, organization=org, role=role, home_location=locations[org.pk][n % 2]
            )
        )
        helpers_by_org[org.pk].append(helper)
        if n % 10 == 3:
            # Some people help at a second organization too.
            other = organizations[(n + 1) % ORGANIZATIONS]
            memberships.append(Membership(user=helper, organization=other, role=Role.HELPER))
            helpers_by_org[other.pk].append(helper)
        for k, need in enumerate(rng.sample(needs, rng.randint(2, 4))):
            # About one qualification in eight waits for a training that is still to come.
            future = k > 0 and rng.random() < 0.125
            qualifications.append(
                Qualification(
                    user=helper,
                    need=need,
                    qualified_from=today + timedelta(days=rng.randint(1, 60)) if future else None,
                )
            )
        spoken_here = {"en"} if rng.random() < 0.8 else set()
        spoken_here |= set(rng.sample(languages, rng.randint(1, 3)))
        for language in sorted(spoken_here)[:3]:
            spoken.append(SpokenLanguage(user=helper, language=language))
    Membership.objects.bulk_create(memberships)
    Qualification.objects.bulk_create(qualifications)
    SpokenLanguage.objects.bulk_create(spoken)

    spanish_speakers = {s.user.pk for s in spoken if s.language == "es"}
    rules = []
    for org in organizations:
        people = helpers_by_org[org.pk]
        spanish = next((h for h in people if h.pk in spanish_speakers), people[0])
        rules += [
            RoutingRule(
                organization=org,
                position=0,
                name="Coaching to the coaches",
                needs=["coaching", "interview"],
                target_role=Role.CAREER_COACH,
            ),
            RoutingRule(
                organization=org,
                position=1,
                name="Spanish speakers",
                language="es",
                target_helper=spanish,
            ),
            RoutingRule(
                organization=org,
                position=2,
                name="First building's team",
                location_scope=RuleLocationScope.LOCATION,
                location=locations[org.pk][0],
                target_location=locations[org.pk][0],
            ),
            RoutingRule(
                organization=org,
                position=3,
                name="Everyone else",
                is_fallback=True,
                target_role=Role.HELPER,
            ),
        ]
    RoutingRule.objects.bulk_create(rules)

    busy_helper = helpers[0]
    # Only the requests set aside below go to the busy helper.
    assignable = {
        org_pk: [h.pk for h in people if h is not busy_helper]
        for org_pk, people in helpers_by_org.items()
    }
    location_ids = {org_pk: [loc.pk for loc in locs] for org_pk, locs in locations.items()}
    channels = ["web", "web", "phone", "email", "walk_in"]
    requests = []
    for i in range(total):
        org = organizations[i % ORGANIZATIONS]
        state = _weighted(rng, RECENT_STATES if i < total * RECENT_SHARE else OLDER_STATES)
        assigned_to = None if state == "new" else rng.choice(assignable[org.pk])
        finished = state in ("resolved", "closed")
        created_at = now - timedelta(minutes=7 * i + rng.randint(0, 6))
        requests.append(
            # Ids rather than objects: assigning a related object is a descriptor call per row.
            HelpRequest(
                organization_id=org.pk,
                reference=f"B{i:07d}",
                name=f"Patron {i}",
                phone=f"+1763555{i % 10000:04d}",
                email=f"patron{i}@example.net" if i % 3 == 0 else "",
                preferred_contact="phone",
                language=_weighted(rng, LANGUAGE_WEIGHTS),
                preferred_location_id=rng.choice(location_ids[org.pk])
                if rng.random() < 0.3
                else None,
                modality=rng.choice(["phone", "email", "video", "in_person"]),
                channel=rng.choice(channels),
                consent_at=created_at,
                created_at=created_at,
                updated_at=created_at,
                state=state,
                closing_reason={"resolved": "helped", "closed": "no_response"}.get(state, ""),
                finished_at=created_at + timedelta(days=3) if finished else None,
                assigned_to_id=assigned_to,
            )
        )
    # The busy helper's own list: exactly this many open requests, some already called.
    for help_request in requests[: BUSY_HELPER_OPEN * 3 : 3]:
        help_request.organization_id = organizations[0].pk
        help_request.assigned_to_id = busy_helper.pk
        help_request.state = rng.choice(["assigned", "in_progress"])
        help_request.closing_reason = ""
        help_request.finished_at = None
    HelpRequest.objects.bulk_create(requests, batch_size=2000)
    if requests[0].pk is None:
        pks = dict(HelpRequest.objects.values_list("reference", "pk"))
        for help_request in requests:
            help_request.pk = help_request.id = pks[help_request.reference]
    # Every hundredth open request looks like an earlier one from the same person.
    duplicates = []
    for i in range(100, total, 100):
        if requests[i].state in OPEN_STATES and requests[i].assigned_to_id is None:
            requests[i].possible_duplicate_of_id = requests[i - 10].pk
            duplicates.append(requests[i])
    HelpRequest.objects.bulk_update(duplicates, ["possible_duplicate_of"], batch_size=500)

    common = ["resume", "applications", "coaching", "digital", "interview"]
    RequestNeed.objects.bulk_create(
        (
            RequestNeed(request_id=r.pk, need=need)
            for r in requests
            for need in rng.sample(common, 1 if rng.random() < 0.7 else 2)
        ),
        batch_size=5000,
    )
    attempts = []
    for r in requests:
        if r.assigned_to_id is None or r.state == "assigned":
            continue
        tries = rng.randint(0, 3) if r.assigned_to_id == busy_helper.pk else rng.randint(0, 1)
        for _n in range(tries):
            attempts.append(
                ContactAttempt(
                    request_id=r.pk,
                    by_id=r.assigned_to_id,
                    channel="phone",
                    outcome=rng.choice(list(ContactOutcome)).value,
                    created_at=r.created_at + timedelta(hours=rng.randint(1, 48)),
                )
            )
    ContactAttempt.objects.bulk_create(attempts, batch_size=5000)

    if connection.vendor == "postgresql":
        # What autovacuum soon does on a live database: statistics for the planner, and the
        # visibility map that lets counts read an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return BenchData(
        total=total, front_desk=front_desk, busy_helper=busy_helper, organizations=organizations
    )


GROW_REQUESTS = """
INSERT INTO intake_helprequest (
    organization_id, reference, state, closing_reason, name, phone, email, preferred_contact,
    best_time, voicemail_ok, language, modality, note, channel, assigned_to_id, consent_at,
    created_at, updated_at, finished_at)
SELECT
    (%(orgs)s::bigint[])[1 + i %% array_length(%(orgs)s::bigint[], 1)],
    'H' || lpad(to_hex(i), 7, '0'),
    CASE WHEN i %% 5 = 0 THEN 'closed' ELSE 'resolved' END,
    CASE WHEN i %% 5 = 0 THEN 'no_response' ELSE 'helped' END,
    'Patron ' || i,
    '+1763556' || lpad((i %% 10000)::text, 4, '0'),
    '', 'phone', 'any', false, 'en', 'phone', '', 'web',
    (%(helpers)s::bigint[])[1 + i %% array_length(%(helpers)s::bigint[], 1)],
    created, created, created, created + interval '3 days'
FROM (
    SELECT i, %(oldest)s::timestamptz - i * interval '2 minutes' AS created
    FROM generate_series(1, %(count)s) AS i
) AS g
"""

GROW_NEEDS = """
INSERT INTO intake_requestneed (request_id, need)
SELECT id, (ARRAY['resume', 'applications', 'coaching', 'digital', 'interview'])[1 + id %% 5]
FROM intake_helprequest WHERE reference LIKE 'H%%'
"""


def grow_history(data: BenchData, total: int) -> int:
    """Add finished requests, older than every other, until the desk holds `total`: the history
    a desk builds up over years. Open requests stay as they are, as on a real desk, where the
    queue is what is waiting now, however long the history behind it. PostgreSQL only (set-based
    SQL); returns how many were added."""
    from jobhelp.intake.models import HelpRequest

    count = total - data.total
    if count <= 0:
        return 0
    if connection.vendor != "postgresql":
        raise RuntimeError("growing the history needs PostgreSQL (generate_series)")
    oldest = HelpRequest.objects.order_by("created_at").values_list("created_at", flat=True)[0]
    helpers = list(
        HelpRequest.objects.exclude(assigned_to=None)
        .order_by()
        .values_list("assigned_to_id", flat=True)
        .distinct()
    )
    params = {
        "orgs": [org.pk for org in data.organizations],
        "helpers": helpers,
        "oldest": oldest,
        "count": count,
    }
    with connection.cursor() as cursor:
        cursor.execute(GROW_REQUESTS, params)
        cursor.execute(GROW_NEEDS, {})
        cursor.execute("VACUUM ANALYZE")
    data.total = total
    return count
