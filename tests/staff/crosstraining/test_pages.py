"""The cross-training pages: bad input (clear errors, nothing written), query counts of the
lists, leaks, and the card number never shown in full after entry (page, admin)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining.models import Card, CardLoan, Training, TrainingRecord
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import (
    CardFactory,
    CardLoanFactory,
    RequirementFactory,
    TrainingFactory,
    card_number,
)
from tests.factories.organizations import LocationFactory
from tests.factories.partnerships import PartnerFactory, PartnershipFactory

NUMBER = card_number(5150)


@pytest.fixture
def partnership(library, center):
    partnership = PartnershipFactory()
    PartnerFactory(partnership=partnership, organization=library)
    PartnerFactory(partnership=partnership, organization=center)
    return partnership


@pytest.fixture
def branch_location(library):
    return LocationFactory(organization=library, name="Central Library")


def test_scheduling_a_training_in_the_past_says_why_and_writes_nothing(
    client, liaison, center_location, library, partnership
):
    client.force_login(liaison)
    day = timezone.localdate() - timedelta(days=2)
    response = client.post(
        "/staff/training/new/",
        {
            "title": "Job-center orientation",
            "kind": "orientation",
            "organization": liaison.memberships.get().organization_id,
            "trainer": liaison.pk,
            "audience": [library.pk],
            "location": center_location.pk,
            "day": day.isoformat(),
            "starts": "10:00",
            "duration_minutes": "60",
            "place": "Room 2",
        },
    )
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    assert 'value="Job-center orientation"' in response.content.decode()
    assert (Training.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_training_is_scheduled_from_the_page(
    client, liaison, center_location, library, partnership
):
    client.force_login(liaison)
    day = timezone.localdate() + timedelta(days=7)
    response = client.post(
        "/staff/training/new/",
        {
            "title": "Job-center orientation",
            "kind": "orientation",
            "organization": liaison.memberships.get().organization_id,
            "trainer": liaison.pk,
            "audience": [library.pk],
            "location": center_location.pk,
            "day": day.isoformat(),
            "starts": "10:00",
            "duration_minutes": "60",
            "place": "Room 2",
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert response.url == f"/staff/training/{training.pk}/"
    assert timezone.localtime(training.starts_at, center_location.zone).hour == 10


def test_an_unknown_card_format_says_why_and_writes_nothing(client, front_desk, branch_location):
    client.force_login(front_desk)
    response = client.post(
        "/staff/training/cards/new/", {"number": "1234 5678", "branch": branch_location.pk}
    )
    assert response.status_code == 200
    assert "A library card number has 14 digits." in response.content.decode()
    assert (Card.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_an_expiry_before_the_issue_says_why_and_writes_nothing(
    client, front_desk, partner_staff, library, partnership
):
    card = CardFactory(library=library)
    client.force_login(front_desk)
    response = client.post(
        f"/staff/training/cards/{card.pk}/",
        {"holder": partner_staff.pk, "issued_on": "2026-03-10", "expires_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "The expiry date must be after the issue date." in response.content.decode()
    assert CardLoan.objects.count() == 0


def test_a_card_is_issued_refused_for_a_second_person_returned_and_never_shown_in_full(
    client, front_desk, partner_staff, liaison, branch_location, partnership, admin_user
):
    client.force_login(front_desk)
    response = client.post(
        "/staff/training/cards/new/",
        {"number": f"{NUMBER[:7]} {NUMBER[7:]}", "branch": branch_location.pk},
    )
    assert response.status_code == 302
    card = Card.objects.get()
    issue = {"issued_on": "2026-03-01", "expires_on": "2026-06-01"}
    response = client.post(
        f"/staff/training/cards/{card.pk}/", {"holder": partner_staff.pk, **issue}
    )
    assert response.status_code == 302
    # The page no longer offers to lend it; a second lend (a stale page) is refused.
    response = client.post(f"/staff/training/cards/{card.pk}/", {"holder": liaison.pk, **issue})
    assert "already lent to someone" in response.content.decode()
    assert list(CardLoan.objects.values_list("holder", flat=True)) == [partner_staff.pk]
    loan = CardLoan.objects.get()
    client.post(f"/staff/training/cards/loans/{loan.pk}/returned/")
    loan.refresh_from_db()
    assert (loan.state, loan.ended_by) == ("returned", front_desk)
    pages = [
        client.get("/staff/training/cards/"),
        client.get(f"/staff/training/cards/{card.pk}/"),
    ]
    client.force_login(partner_staff)
    pages.append(client.get("/staff/training/mine/"))
    client.force_login(admin_user)
    pages += [
        client.get("/admin/crosstraining/card/"),
        client.get(f"/admin/crosstraining/card/{card.pk}/change/"),
        client.get("/admin/crosstraining/cardloan/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert NUMBER not in page.content.decode()
    assert f"•••• {NUMBER[-4:]}" in pages[0].content.decode()


def test_the_pool_costs_the_same_for_one_or_three_cards(
    client, front_desk, library, partner_staff, django_assert_num_queries
):
    client.force_login(front_desk)
    CardLoanFactory(card=CardFactory(library=library), holder=partner_staff)
    client.get("/staff/training/cards/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/training/cards/").status_code == 200
    for _ in range(2):
        CardLoanFactory(card=CardFactory(library=library), holder=partner_staff)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/staff/training/cards/").status_code == 200


def test_the_trainings_list_costs_the_same_for_one_or_three(
    client, liaison, center, library, center_location, django_assert_num_queries
):
    client.force_login(liaison)
    TrainingFactory(
        organization=center, trainer=liaison, location=center_location, audience=[library]
    )
    client.get("/staff/training/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/training/").status_code == 200
    for _ in range(2):
        TrainingFactory(
            organization=center, trainer=liaison, location=center_location, audience=[library]
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/staff/training/").status_code == 200


def test_the_matrix_page_costs_the_same_for_one_or_three(
    client, manager, library, django_assert_num_queries
):
    client.force_login(manager)
    RequirementFactory(organization=library, role=Role.FRONT_DESK)
    staff_member(library, Role.FRONT_DESK)
    client.get("/staff/training/matrix/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/training/matrix/").status_code == 200
    staff_member(library, Role.FRONT_DESK)
    staff_member(library, Role.FRONT_DESK)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/staff/training/matrix/")
    assert response.content.decode().count("jh-status--") == 3


def test_another_organizations_training_and_card_are_404(
    client, outsider, other_library, center_location, liaison, library
):
    training = TrainingFactory(
        organization=liaison.memberships.get().organization,
        trainer=liaison,
        location=center_location,
        audience=[library],
    )
    card = CardFactory(library=library)
    loan = CardLoanFactory(card=card)
    client.force_login(outsider)
    assert client.get(f"/staff/training/{training.pk}/").status_code == 404
    assert client.get(f"/staff/training/cards/{card.pk}/").status_code == 404
    assert client.post(f"/staff/training/cards/loans/{loan.pk}/returned/").status_code == 404
    pool = client.get("/staff/training/cards/")
    assert card.masked not in pool.content.decode()


def test_attendance_from_the_roster(client, liaison, center_location, library, desk):
    training = TrainingFactory(
        organization=liaison.memberships.get().organization,
        trainer=liaison,
        location=center_location,
        audience=[library],
    )
    client.force_login(liaison)
    page = client.get(f"/staff/training/{training.pk}/")
    assert str(desk) in page.content.decode()
    response = client.post(f"/staff/training/{training.pk}/", {"present": [desk.pk]})
    assert response.status_code == 302
    assert list(TrainingRecord.objects.values_list("person", flat=True)) == [desk.pk]
    bad = client.post(f"/staff/training/{training.pk}/", {"present": ["99999"]})
    assert "Mark only people on the roster." in bad.content.decode()
    assert TrainingRecord.objects.count() == 1


def test_the_overdue_card_is_on_the_library_managers_home(client, manager, library, partner_staff):
    loan = CardLoanFactory(
        card=CardFactory(library=library),
        holder=partner_staff,
        issued_on=timezone.localdate() - timedelta(days=90),
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(manager)
    page = client.get("/staff/").content.decode()
    assert "Temporary library cards past their expiry" in page
    assert loan.card.masked in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Riverbend County Library — 5 cards in the pool: 4 lent, 1 available, "
            "1 expiring within 45 days, 1 overdue.",
        ),
        (
            "es",
            "Riverbend County Library — 5 tarjetas en la reserva: prestadas 4, disponibles 1, "
            "por vencer en 45 días 1, vencidas 1.",
        ),
    ],
)
def test_the_pool_page_counts_the_cards_as_the_mou_evidence_does(
    client, front_desk, library, partner_staff, language, expected
):
    today = timezone.localdate()
    cards = [CardFactory(library=library) for _ in range(5)]
    # Four lent: two far off, one expiring within 45 days, one overdue; one in the pool.
    for card, days in zip(cards, [200, 100, 10, -3], strict=False):
        CardLoanFactory(
            card=card,
            holder=partner_staff,
            issued_by=front_desk,
            issued_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=days),
        )
    client.force_login(front_desk)

    page = client.get("/staff/training/cards/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert expected in page
