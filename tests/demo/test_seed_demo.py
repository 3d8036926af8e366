from collections import Counter

import pytest
from django.core.management import call_command

from jobhelp.accounts.models import Membership, SpokenLanguage
from jobhelp.intake.models import HelpRequest
from jobhelp.organizations.models import Organization


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
    assert roles == {"front_desk", "helper", "career_coach", "liaison", "partner_staff", "manager"}
    assert set(SpokenLanguage.objects.values_list("language", flat=True)) >= {"en", "es", "ht"}


def test_demo_has_requests_in_every_state(seeded):
    assert Counter(HelpRequest.objects.values_list("state", flat=True)) == {
        "new": 8,
        "assigned": 8,
        "in_progress": 8,
        "scheduled": 8,
        "resolved": 8,
        "closed": 8,
    }


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
