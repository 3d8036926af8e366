from collections import Counter

import pytest
from django.core.management import call_command

from jobhelp.referrals.models import Referral
from jobhelp.referrals.sharing import shared_details


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)


def test_the_demo_has_referrals_in_several_states_both_ways(seeded):
    directions = Counter(
        (r.from_organization.root_id == r.to_organization.root_id, r.to_organization.slug)
        for r in Referral.objects.select_related("from_organization", "to_organization")
    )
    assert directions == {(False, "riverbend-workforce"): 7, (False, "riverbend-library"): 2}
    states = Counter(Referral.objects.values_list("state", flat=True))
    assert states == {
        "requested": 4,
        "in_progress": 1,
        "completed": 2,
        "declined": 1,
        "expired": 1,
    }
    walk_in = Referral.objects.get(request__isnull=True)
    assert (walk_in.from_organization.slug, walk_in.language) == ("northtown", "so")


def test_one_demo_referral_shares_name_and_phone_with_consent(seeded):
    from django.utils import timezone

    shared = [s for r in Referral.objects.all() if (s := shared_details(r, now=timezone.now()))]
    assert [(sorted(s.fields), bool(s.name and s.phone)) for s in shared] == [
        (["name", "phone"], True)
    ]


def test_loading_the_demo_again_adds_no_referral(seeded):
    before = Referral.objects.count()
    call_command("seed_demo", "--force", verbosity=0)
    assert Referral.objects.count() == before
