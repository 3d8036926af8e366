"""The staff list of requests, first page, with many requests across organizations, against a
template page that runs one simple query (the privacy page)."""

import os
import random

from django.test import Client
from django.utils import timezone

from bench.harness import median_seconds, report


def seed(total: int) -> object:
    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, User
    from jobhelp.intake.models import HelpRequest, RequestNeed
    from jobhelp.organizations.enums import OrganizationKind
    from jobhelp.organizations.models import Organization

    rng = random.Random(7)
    organizations = [
        Organization.objects.create(
            name=f"Bench Library {i}",
            slug=f"bench-{i}",
            kind=OrganizationKind.LIBRARY_SYSTEM,
            accepts_public_requests=i == 0,
        )
        for i in range(10)
    ]
    user = User.objects.create_user("bench", password="bench-password-1")
    Membership.objects.create(user=user, organization=organizations[0], role=Role.FRONT_DESK)
    now = timezone.now()
    batch = []
    for i in range(total):
        batch.append(
            HelpRequest(
                organization=organizations[i % 10],
                reference=f"B{i:07d}"[:8],
                name=f"Patron {i}",
                phone=f"+1763555{i % 10000:04d}",
                preferred_contact="phone",
                modality="phone",
                channel="web",
                consent_at=now,
                created_at=now - timezone.timedelta(minutes=i),
                state=rng.choice(["new", "assigned", "in_progress", "resolved"]),
            )
        )
    HelpRequest.objects.bulk_create(batch, batch_size=2000)
    needs = ["resume", "applications", "coaching", "digital"]
    RequestNeed.objects.bulk_create(
        (
            RequestNeed(request_id=pk, need=needs[pk % 4])
            for pk in HelpRequest.objects.values_list("pk", flat=True)
        ),
        batch_size=5000,
    )
    return user


def run() -> None:
    total = int(os.environ.get("BENCH_REQUESTS", "100000"))
    user = seed(total)
    client = Client()
    client.force_login(user)
    baseline = median_seconds(lambda: client.get("/privacy/"))
    measured = median_seconds(lambda: client.get("/staff/requests/"))
    filtered = median_seconds(lambda: client.get("/staff/requests/?state=new&need=resume"))
    report(f"staff request list, {total:,} requests", measured, baseline, target_ratio=2.0)
    report("staff request list filtered by state and need", filtered, baseline, target_ratio=2.0)
