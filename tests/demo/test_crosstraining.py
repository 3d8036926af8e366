"""The demo county's cross-training plan and card pool, loaded by seed_demo."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobhelp.accounts.models import User
from jobhelp.crosstraining import queries
from jobhelp.crosstraining.models import Card, Training
from jobhelp.intake.routing import HelperPool
from jobhelp.organizations.models import Organization
from tests.factories.intake import HelpRequestFactory


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)
    return Organization.objects.get(slug="riverbend-library")


def test_the_training_plan_and_the_matrix(seeded):
    kinds = Counter((t.kind, t.held_at is None) for t in Training.objects.all())
    assert kinds == {
        ("tour", False): 3,
        ("orientation", False): 3,
        ("orientation", True): 1,
        ("e_resources", False): 1,
    }
    manager = User.objects.get(username="mgarcia")
    statuses = {
        row.person.username: item.status
        for row in queries.matrix_for_user(manager)
        for item in row.standings
        if item.requirement.role == "front_desk"
    }
    assert statuses == {
        "frontdesk": "current",
        "kpatel": "due_soon",
        "lsmith": "due_soon",
        "ewalker": "lapsed",
    }


def test_the_held_trainings_are_the_mous_evidence(seeded):
    from jobhelp.partnerships.models import Occurrence

    kept = Occurrence.objects.filter(evidence_id__isnull=False).exclude(obligation__kind="meeting")
    assert {(o.obligation.kind, o.evidence.__class__) for o in kept} == {
        ("tour", Training),
        ("training", Training),
    }


def test_the_pool_has_five_cards_four_lent_one_expiring(seeded):
    summary = queries.pool_summary(seeded, today=timezone.localdate())
    assert (summary.cards, summary.lent, summary.expiring) == (5, 4, 1)
    assert Card.objects.count() == 5


def test_a_helper_trained_in_the_orientation_is_suggested_with_the_reason(seeded):
    help_request = HelpRequestFactory(organization=seeded, needs=["unemployment"])
    suggestions = HelperPool({seeded.pk}).suggest(help_request, limit=10)
    reasons = {s.helper.username: s.reasons for s in suggestions}
    assert any(r.startswith("completed Job-center orientation on") for r in reasons["aokafor"])
    # The helper trained 350 days ago is still qualified; nobody lapsed is suggested.
    assert "tnguyen" in reasons


def test_the_cards_obligation_shows_the_pool_as_its_evidence(seeded):
    from jobhelp.partnerships.evidence import live_evidence
    from jobhelp.partnerships.models import Obligation

    obligation = Obligation.objects.get(kind="cards")
    live = live_evidence(obligation, today=timezone.localdate())
    assert live.sentence == (
        "5 cards in the pool: 4 lent, 1 available, 1 expiring within 45 days, 0 overdue."
    )


def test_the_upcoming_orientation_has_its_handout(seeded):
    from jobhelp.crosstraining.models import TrainingMaterial

    material = TrainingMaterial.objects.get()
    assert material.training.held_at is None
    assert material.display_name == "orientation-handout.pdf"
    with material.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
