"""The card pool as the MOU's evidence: the page of the cards obligation shows the pool of the
library that owes them as it is now, in counts (lent, available, expiring, overdue), to every
partner who sees the obligation, in English and Spanish; never who holds a card, nor a card's
number, to anyone, and in the same number of queries however many cards there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import CardFactory, CardLoanFactory
from tests.factories.organizations import LocationFactory
from tests.staff.partnerships.checks import queries_of


@pytest.fixture
def holder(center):
    return staff_member(center, Role.PARTNER_STAFF, first_name="Quintessa", last_name="Holder")


@pytest.fixture
def pool(library, holder, front_desk):
    """Five cards, four lent: one expiring in ten days, one overdue by five."""
    today = timezone.localdate()
    branch = LocationFactory(organization=library, name="Central Library")
    cards = [CardFactory(library=library, branch=branch) for _ in range(5)]
    for card, expires in zip(
        cards[:4],
        [
            today + timedelta(days=200),
            today + timedelta(days=200),
            today + timedelta(days=10),
            today - timedelta(days=5),
        ],
        strict=True,
    ):
        CardLoanFactory(
            card=card,
            holder=holder,
            issued_by=front_desk,
            issued_on=today - timedelta(days=100),
            expires_on=expires,
        )
    return cards


def page_of(client, obligation, language="en") -> str:
    response = client.get(
        f"/staff/partnerships/obligations/{obligation.pk}/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["liaison", "partner_staff", "manager", "front_desk"])
def test_every_partner_who_sees_the_obligation_sees_the_pool_in_counts_only(
    client, obligations, pool, holder, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    page = page_of(client, obligations.cards)

    assert "The card pool today" in page
    assert "5 cards in the pool: 4 lent, 1 available, 1 expiring within 45 days, 1 overdue." in page
    assert "Quintessa" not in page
    assert "Holder" not in page
    assert all(card.last_four not in page for card in pool)


def test_in_spanish(client, liaison, obligations, pool):
    client.force_login(liaison)

    page = page_of(client, obligations.cards, "es")

    assert "La reserva de tarjetas hoy" in page
    assert (
        "5 tarjetas en la reserva: prestadas 4, disponibles 1, por vencer en 45 días 1, vencidas 1."
    ) in page


def test_an_empty_pool_says_so_and_other_obligations_show_none(client, liaison, obligations):
    client.force_login(liaison)

    assert "0 cards in the pool: 0 lent, 0 available" in page_of(client, obligations.cards)
    assert "The card pool today" not in page_of(client, obligations.tours)


def test_another_librarys_cards_are_not_counted(client, liaison, obligations, other_library):
    CardLoanFactory(card=CardFactory(library=other_library))
    client.force_login(liaison)
    assert "0 cards in the pool" in page_of(client, obligations.cards)


def test_the_page_reads_the_pool_in_the_same_queries_for_1_or_3_loans(
    client, liaison, obligations, library, holder, front_desk
):
    client.force_login(liaison)
    path = f"/staff/partnerships/obligations/{obligations.cards.pk}/"

    def lend():
        CardLoanFactory(card=CardFactory(library=library), holder=holder, issued_by=front_desk)

    lend()
    one = queries_of(client, path)
    lend()
    lend()
    assert queries_of(client, path) == one
