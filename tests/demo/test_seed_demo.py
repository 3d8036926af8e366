from collections import Counter

import pytest
from django.core.management import call_command

from jobhelp.accounts.models import Membership, SpokenLanguage
from jobhelp.intake.models import HelpRequest
from jobhelp.organizations.models import Organization
from jobhelp.scheduling.models import Appointment


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)


def test_demo_county_has_the_partnership_of_the_seed(seeded):
    kinds = Counter(Organization.objects.values_list("kind", "participation_tier"))
    assert kinds == {
        ("library_system", "full"): 1,
        ("branch", "full"): 8,
        ("affiliate", "reduced"): 2,
        ("workforce_center", "full"): 1,
    }
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "front_desk",
        "helper",
        "career_coach",
        "liaison",
        "partner_staff",
        "manager",
        "privacy_officer",
    }
    assert set(SpokenLanguage.objects.values_list("language", flat=True)) >= {"en", "es", "ht"}


def test_demo_has_requests_in_every_state(seeded):
    # Appointments are booked relative to the day the demo is loaded, so a request meant to be
    # scheduled stays assigned when its helpers have no free time left that week.
    counts = Counter(HelpRequest.objects.values_list("state", flat=True))
    assert sorted(counts) == sorted(
        ["new", "assigned", "in_progress", "scheduled", "resolved", "closed"]
    )
    assert (counts["new"], counts["resolved"], counts["closed"]) == (8, 8, 8)


def test_demo_scheduled_requests_are_the_ones_with_appointments(seeded):
    with_appointments = set(
        Appointment.objects.filter(state__in=["booked", "attended"]).values_list(
            "request_id", flat=True
        )
    )
    scheduled = set(HelpRequest.objects.filter(state="scheduled").values_list("pk", flat=True))
    assert (scheduled, len(scheduled) >= 4) == (with_appointments, True)


def test_seed_demo_is_idempotent(seeded):
    before = (Organization.objects.count(), Membership.objects.count(), HelpRequest.objects.count())
    call_command("seed_demo", "--force", verbosity=0)
    assert (
        Organization.objects.count(),
        Membership.objects.count(),
        HelpRequest.objects.count(),
    ) == before


def test_seed_demo_refuses_without_debug(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
