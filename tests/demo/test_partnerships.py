"""The demo county's partnership, loaded by seed_demo through the partnerships domain."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobhelp.accounts.models import User
from jobhelp.core.models import AuditEntry
from jobhelp.demo.partnerships import seed_partnership
from jobhelp.partnerships import checklist, queries
from jobhelp.partnerships.models import (
    ActionItem,
    LogEntry,
    Meeting,
    Obligation,
    Occurrence,
    Partnership,
)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)
    return Partnership.objects.get()


def test_the_county_agreement_is_executed_and_renews_on_june_30_of_next_year(seeded):
    agreement = seeded.agreements.get()
    parties = Counter(
        (p.organization.kind, p.role, p.tier, p.signed_on is not None)
        for p in agreement.parties.select_related("organization")
    )
    assert (agreement.status, agreement.renewal_on) == (
        "executed",
        date(timezone.localdate().year + 1, 6, 30),
    )
    assert parties == {
        ("workforce_center", "local_board", "full", True): 1,
        ("library_system", "additional_partner", "full", True): 1,
        ("affiliate", "additional_partner", "reduced", True): 2,
    }
    assert checklist.missing_contents(agreement) == []
    assert seeded.liaison.username == "lbrooks"


def test_the_seeds_obligations_have_a_year_of_occurrences_some_overdue(seeded):
    today = timezone.localdate()
    assert Obligation.objects.count() == 6
    past = Occurrence.objects.filter(due_on__lt=today)
    # From the first of the month a year ago to today.
    assert past.filter(obligation__frequency="monthly").count() == 12 + (today.day > 1)
    assert 0 < past.filter(done_at__isnull=True).count() < past.count()
    lbrooks = User.objects.get(username="lbrooks")
    assert queries.overdue_occurrences_for_user(lbrooks).exists()
    meeting_evidence = Occurrence.objects.filter(
        evidence_id__isnull=False, obligation__kind="meeting"
    )
    assert {o.evidence.__class__ for o in meeting_evidence} == {Meeting}


def test_two_quarterly_meetings_with_action_items_and_a_year_of_the_log(seeded):
    assert Meeting.objects.filter(minutes__gt="").count() == 2
    assert Counter(ActionItem.objects.values_list("status", flat=True)) == {"open": 3, "done": 1}
    months = Counter()
    for entry in LogEntry.objects.all():
        months[entry.occurred_on.replace(day=1)] += entry.minutes
    full_months = [m for m in months if m < timezone.localdate().replace(day=1)]
    assert len(full_months) == 12
    assert all(90 <= months[m] <= 140 for m in full_months)


def test_everything_was_made_by_the_demos_staff_through_the_domain(seeded):
    actors = set(
        AuditEntry.objects.filter(action__startswith="jobhelp.agreement").values_list(
            "actor__username", flat=True
        )
    )
    assert actors == {"cortiz", "mgarcia"}
    assert AuditEntry.objects.filter(action="jobhelp.agreement.executed").count() == 1


def test_loading_it_again_changes_nothing(seeded):
    before = (Occurrence.objects.count(), LogEntry.objects.count(), AuditEntry.objects.count())
    assert seed_partnership() == seeded
    assert (
        Occurrence.objects.count(),
        LogEntry.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_the_demos_liaison_and_managers_open_the_partnership_pages(seeded, client):
    """The README's tour: lbrooks, mgarcia and cortiz find the partnership, its agreement and
    obligations, its meetings, grants, log and report, and their partnership work at home."""
    agreement = seeded.agreements.get()
    meeting = seeded.meetings.order_by("starts").first()
    obligation = agreement.obligations.order_by("pk").first()
    pages = [
        "/staff/partnerships/",
        f"/staff/partnerships/{seeded.pk}/",
        f"/staff/partnerships/{seeded.pk}/agreements/",
        f"/staff/partnerships/agreements/{agreement.pk}/",
        f"/staff/partnerships/agreements/{agreement.pk}/obligations/",
        f"/staff/partnerships/obligations/{obligation.pk}/",
        f"/staff/partnerships/{seeded.pk}/meetings/",
        f"/staff/partnerships/meetings/{meeting.pk}/",
        f"/staff/partnerships/{seeded.pk}/grants/",
        f"/staff/partnerships/{seeded.pk}/log/",
        f"/staff/partnerships/{seeded.pk}/report/",
    ]
    for username in ("lbrooks", "mgarcia", "cortiz"):
        user = User.objects.get(username=username)
        client.force_login(user)
        answers = {path: client.get(path).status_code for path in pages}
        assert set(answers.values()) == {200}, (username, answers)
        home = client.get("/staff/")
        assert home.context["partnership_overdue"], username
    client.force_login(User.objects.get(username="lbrooks"))
    (total,) = client.get("/staff/").context["liaison_totals"]
    assert (total.partnership, total.expected) == (seeded, 120)
    page = client.get(f"/staff/partnerships/agreements/{agreement.pk}/")
    assert page.context["missing"] == []
