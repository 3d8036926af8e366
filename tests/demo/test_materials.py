"""The demo county's materials and reference titles (src/jobhelp/demo/materials.py)."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum import isbn

from jobhelp.materials import queries
from jobhelp.materials.models import Material, ReferenceTitle, Sharing, TitleOrder
from jobhelp.organizations.models import Organization


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)


def test_the_demo_has_the_flyers_brochures_and_reference_lists_of_the_issue(seeded):
    people = {u.username: u for u in get_user_model().objects.all()}
    library = Organization.objects.get(slug="riverbend-library")
    center = Organization.objects.get(slug="riverbend-workforce")
    this_month = queries.current_month()

    assert set(Sharing.objects.values_list("organization__slug", "partner__slug")) == {
        ("riverbend-library", "riverbend-workforce"),
        ("riverbend-workforce", "riverbend-library"),
    }
    assert sorted(Material.objects.values_list("kind", "language", "audience")) == [
        ("flyer", "en", "all_branches"),
        ("flyer", "en", "all_branches"),
        ("marketing", "en", "all_branches"),
        ("marketing", "es", "all_branches"),
    ]
    grid = queries.flyer_grid(people["lbrooks"], month=this_month)
    assert (len(grid.flyers), len(grid.rows)) == (1, 10)
    assert [row.location.name for row in grid.not_posted] == [
        "Oak Hill Library",
        "Pine Ridge Community Library",
    ]
    last_month = queries.current_month(now=grid.flyers[0].created_at)
    assert queries.flyer_grid(people["lbrooks"], month=last_month).not_posted == ()
    # A branch front desk finds the center's flyer, though their branch did not send it.
    assert [item.kind for item in queries.library_for_user(people["kpatel"])] == [
        "flyer",
        "marketing",
        "marketing",
    ]

    counts = Counter(ReferenceTitle.objects.values_list("organization__slug", flat=True))
    assert counts["riverbend-library"] > 150 and counts["riverbend-workforce"] > 100
    assert all(
        isbn.is_valid(i)
        for i in ReferenceTitle.objects.exclude(isbn="").values_list("isbn", flat=True)
    )
    shared = set(
        ReferenceTitle.objects.filter(organization=library).values_list("isbn", flat=True)
    ) & set(ReferenceTitle.objects.filter(organization=center).values_list("isbn", flat=True))
    assert len(shared) > 20
    suggestions = queries.suggestions_for_user(people["mgarcia"], organization=library)
    assert len(suggestions) > 10
    assert Counter(s.order_state for s in suggestions)["received"] == 1
    assert sorted(TitleOrder.objects.values_list("state", flat=True)) == ["ordered", "received"]
    assert queries.suggestions_for_user(people["cortiz"], organization=center)
    assert len(queries.shelf_list(people["lbrooks"], location=center.locations.get())) == 13


def test_the_demo_s_materials_load_once(seeded):
    before = (Material.objects.count(), ReferenceTitle.objects.count(), TitleOrder.objects.count())

    call_command("seed_demo", "--force", verbosity=0)

    assert (
        Material.objects.count(),
        ReferenceTitle.objects.count(),
        TitleOrder.objects.count(),
    ) == before
