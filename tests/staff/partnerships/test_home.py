"""The staff home page's partnership work: overdue obligations for the managers and the
liaison of a party (not for front desk or helpers), the person's open action items, and for a
liaison the month's time against the expected two hours; in a fixed number of queries."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.partnerships.models import Occurrence
from tests.factories.partnerships import ActionItemFactory, LogEntryFactory, OccurrenceFactory
from tests.staff.partnerships.checks import queries_of


def overdue_titles(response) -> list[str]:
    return [o.obligation.title for o in response.context["partnership_overdue"]]


def test_managers_and_the_liaison_see_the_overdue_obligations(client, log_in, obligations):
    expected = list(
        Occurrence.objects.filter(due_on__lt=timezone.localdate(), done_at__isnull=True)
        .order_by("due_on", "pk")
        .values_list("obligation__title", flat=True)[:10]
    )
    assert expected  # the fixture's agreement started a year ago: some are overdue
    for persona in ("manager", "center_manager", "liaison"):
        log_in(persona)
        response = client.get("/staff/")
        assert overdue_titles(response) == expected, persona
        assert response.context["partnership_overdue_more"] is True
        assert "Overdue obligations" in response.content.decode()


def test_front_desk_and_helpers_are_not_asked_to_record_them(client, log_in, obligations):
    for persona in ("front_desk", "helper", "partner_staff", "affiliate_staff"):
        log_in(persona)
        response = client.get("/staff/")
        assert overdue_titles(response) == [], persona
        assert "Your partnership work" not in response.content.decode()


def test_an_affiliates_manager_sees_only_their_tiers_overdue_obligations(
    client, log_in, obligations
):
    log_in("affiliate_manager")
    shown = set(overdue_titles(client.get("/staff/")))
    assert shown == {"Liaison tours of the job center", "Monthly workshop flyers"}


def test_the_liaison_sees_the_months_total_against_the_expected(
    client, log_in, partnership, liaison, center
):
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center, minutes=50)
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center, minutes=40)
    log_in("liaison")

    response = client.get("/staff/")

    (total,) = response.context["liaison_totals"]
    assert (total.partnership, total.minutes, total.expected, total.share) == (
        partnership,
        90,
        120,
        75,
    )
    page = response.content.decode()
    assert "of 120 minutes expected this month" in page
    assert f'href="/staff/partnerships/{partnership.pk}/log/new/"' in page


def test_the_owner_sees_their_open_action_items(client, log_in, action_item):
    log_in("manager")
    assert client.get("/staff/").context["partnership_items"] == [action_item]
    log_in("center_manager")
    assert client.get("/staff/").context["partnership_items"] == []


def test_the_home_page_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, agreement, obligations, past_meeting, liaison, center
):
    """As the liaison (the most the section shows): overdue, action items, the month."""
    Occurrence.objects.all().delete()
    user = log_in("liaison")
    late = timezone.localdate() - timedelta(days=3)
    OccurrenceFactory(obligation=obligations.tours, due_on=late)
    ActionItemFactory(meeting=past_meeting, owner=user, owner_organization=center)
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    one = queries_of(client, "/staff/")
    for days in (4, 5):
        OccurrenceFactory(obligation=obligations.tours, due_on=late - timedelta(days=days))
        ActionItemFactory(meeting=past_meeting, owner=user, owner_organization=center)
        LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    assert queries_of(client, "/staff/") == one
    assert len(client.get("/staff/").context["partnership_overdue"]) == 3
