"""The temporary card pool: the barcode checked, the number encrypted and shown by its last four
digits only, one holder at a time (a database constraint, raced in threads), returns, losses,
revocations, expiry reminders and the pool's summary."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from jobhelp.accounts.enums import Role
from jobhelp.core import crypto
from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining import queries
from jobhelp.crosstraining.enums import LoanState
from jobhelp.crosstraining.errors import CardTaken, CrosstrainingError
from jobhelp.crosstraining.lending import add_card, end_loan, issue_card, send_card_reminders
from jobhelp.crosstraining.models import Card, CardLoan
from jobhelp.notifications.models import OutboundMessage
from tests.concurrency import at_once
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import CardFactory, CardLoanFactory, card_number
from tests.factories.organizations import LocationFactory

NUMBER = card_number(4242)
ISSUED, EXPIRES = date(2026, 3, 1), date(2026, 6, 1)


@pytest.fixture
def desk_location(library):
    return LocationFactory(organization=library, name="Central Library")


@pytest.fixture
def card(library, front_desk, desk_location):
    return add_card(library, by=front_desk, number=NUMBER, branch=desk_location)


def test_a_card_is_stored_encrypted_with_its_last_four_digits(card, library):
    stored = Card.objects.get(pk=card.pk)
    assert NUMBER not in stored.number_encrypted
    assert crypto.decrypt(stored.number_encrypted) == NUMBER
    assert (stored.last_four, stored.masked, str(stored)) == (
        NUMBER[-4:],
        f"•••• {NUMBER[-4:]}",
        f"•••• {NUMBER[-4:]}",
    )
    entry = AuditEntry.objects.get(action="jobhelp.card.added")
    assert NUMBER not in str(entry.data) and NUMBER[-4:] not in str(entry.data)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("2000000004242", "14 digits"),
        ("2000000004242a", "14 digits"),
        ("30000000042424", "start with 2"),
        (NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10), "check the digits"),
    ],
)
def test_an_unknown_card_format_is_refused_and_nothing_written(
    library, front_desk, desk_location, number, message
):
    with pytest.raises(CrosstrainingError, match=message):
        add_card(library, by=front_desk, number=number, branch=desk_location)
    assert (Card.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_the_same_card_cannot_join_the_pool_twice(card, library, front_desk, desk_location):
    with pytest.raises(CrosstrainingError, match="already in a pool"):
        add_card(library, by=front_desk, number=f"{NUMBER[:7]} {NUMBER[7:]}", branch=desk_location)
    assert Card.objects.count() == 1


def test_the_prefix_comes_from_settings(library, front_desk, desk_location, settings):
    settings.CROSSTRAINING_CARD_PREFIX = "21234"
    with pytest.raises(CrosstrainingError, match="start with 21234"):
        add_card(library, by=front_desk, number=NUMBER, branch=desk_location)
    card = add_card(
        library, by=front_desk, number=card_number(77, prefix="21234"), branch=desk_location
    )
    assert card.last_four == card_number(77, prefix="21234")[-4:]


def test_only_the_librarys_lending_staff_manage_the_pool(
    library, partner_staff, outsider, helper, desk_location
):
    for person in (partner_staff, outsider, helper):
        with pytest.raises(CrosstrainingError):
            add_card(library, by=person, number=NUMBER, branch=desk_location)
    assert Card.objects.count() == 0


def test_a_card_is_issued_refused_for_a_second_person_and_returned(
    card, front_desk, partner_staff, liaison
):
    loan = issue_card(
        card, by=front_desk, holder=partner_staff, issued_on=ISSUED, expires_on=EXPIRES
    )
    with pytest.raises(CardTaken):
        issue_card(card, by=front_desk, holder=liaison, issued_on=ISSUED, expires_on=EXPIRES)
    assert list(CardLoan.objects.values_list("holder", "state")) == [(partner_staff.pk, "lent")]
    end_loan(loan, by=front_desk, state=LoanState.RETURNED)
    with pytest.raises(CrosstrainingError, match="no longer lent"):
        end_loan(loan, by=front_desk, state=LoanState.RETURNED)
    again = issue_card(card, by=front_desk, holder=liaison, issued_on=ISSUED, expires_on=EXPIRES)
    assert (again.holder, loan.state, loan.ended_by) == (liaison, LoanState.RETURNED, front_desk)
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.card.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "jobhelp.card.added",
        "jobhelp.card.issued",
        "jobhelp.card.returned",
        "jobhelp.card.issued",
    ]


def test_an_expiry_before_the_issue_is_refused_and_nothing_written(card, front_desk, partner_staff):
    with pytest.raises(CrosstrainingError, match="after the issue date"):
        issue_card(card, by=front_desk, holder=partner_staff, issued_on=EXPIRES, expires_on=ISSUED)
    assert CardLoan.objects.count() == 0


def test_cards_go_to_partner_staff_not_the_librarys_own(card, front_desk, helper):
    with pytest.raises(CrosstrainingError, match="partner staff"):
        issue_card(card, by=front_desk, holder=helper, issued_on=ISSUED, expires_on=EXPIRES)
    assert CardLoan.objects.count() == 0


def test_a_lost_card_leaves_the_pool(card, front_desk, partner_staff):
    loan = issue_card(
        card, by=front_desk, holder=partner_staff, issued_on=ISSUED, expires_on=EXPIRES
    )
    end_loan(loan, by=front_desk, state=LoanState.LOST)
    card.refresh_from_db()
    assert card.is_retired
    with pytest.raises(CrosstrainingError, match="lost"):
        issue_card(card, by=front_desk, holder=partner_staff, issued_on=ISSUED, expires_on=EXPIRES)


def test_the_database_refuses_two_lent_loans_of_one_card(card, partner_staff, front_desk):
    CardLoanFactory(card=card, holder=partner_staff, issued_by=front_desk)
    with pytest.raises(IntegrityError), transaction.atomic():
        CardLoanFactory(card=card, holder=front_desk, issued_by=front_desk)


@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_one_card_at_once_lend_it_once(library, center, desk_location):
    lenders = [staff_member(library, Role.FRONT_DESK) for _ in range(2)]
    holders = [staff_member(center, Role.PARTNER_STAFF) for _ in range(2)]
    for round_ in range(5):
        card = add_card(
            library, by=lenders[0], number=card_number(900 + round_), branch=desk_location
        )

        def press(lender, holder, pk=card.pk):
            seen = Card.objects.select_related("library").get(pk=pk)
            return issue_card(seen, by=lender, holder=holder, issued_on=ISSUED, expires_on=EXPIRES)

        results = at_once([lambda i=i: press(lenders[i], holders[i]) for i in range(2)])
        assert sorted(type(r).__name__ for r in results) == ["CardLoan", "CardTaken"]
        assert CardLoan.objects.filter(card=card, state=LoanState.LENT).count() == 1
        assert (
            AuditEntry.objects.filter(action="jobhelp.card.issued", data__card=card.pk).count() == 1
        )


def test_expiry_reminders_go_to_the_holder_and_the_librarys_liaison_once(
    card, front_desk, partner_staff, library
):
    partner_staff.email = "pat@center.example"
    partner_staff.save()
    staff_member(library, Role.LIAISON, email="lou@library.example")
    issue_card(card, by=front_desk, holder=partner_staff, issued_on=ISSUED, expires_on=EXPIRES)
    early = datetime(2026, 5, 1, 15, tzinfo=ZoneInfo("UTC"))
    assert send_card_reminders(now=early) == 0
    before = datetime(2026, 5, 20, 15, tzinfo=ZoneInfo("UTC"))
    assert send_card_reminders(now=before) == 2
    assert send_card_reminders(now=before + timedelta(days=1)) == 0
    subjects = set(OutboundMessage.objects.values_list("to", "subject"))
    masked = card.masked
    assert subjects == {
        ("pat@center.example", f"Temporary library card {masked} expires on June 1, 2026"),
        ("lou@library.example", f"Temporary library card {masked} expires on June 1, 2026"),
    }
    assert all(
        NUMBER not in body for body in OutboundMessage.objects.values_list("body", flat=True)
    )


def test_the_pool_summary_and_overdue_cards(library, manager, front_desk, partner_staff):
    today = date(2026, 3, 1)
    cards = [CardFactory(library=library) for _ in range(5)]
    for index, card in enumerate(cards[:4]):
        CardLoanFactory(
            card=card,
            holder=partner_staff,
            issued_by=front_desk,
            issued_on=date(2026, 1, 1),
            expires_on=[date(2026, 9, 1), date(2026, 9, 1), date(2026, 3, 20), date(2026, 2, 1)][
                index
            ],
        )
    assert queries.pool_summary(library, today=today) == queries.PoolSummary(
        cards=5, lent=4, available=1, expiring=1, overdue=1
    )
    assert [loan.card for loan in queries.overdue_loans_for_user(manager, today=today)] == [
        cards[3]
    ]
    assert list(queries.overdue_loans_for_user(front_desk, today=today)) == []


def test_nobody_else_sees_card_holders(card, front_desk, partner_staff, outsider, liaison, helper):
    loan = issue_card(
        card, by=front_desk, holder=partner_staff, issued_on=ISSUED, expires_on=EXPIRES
    )
    assert list(queries.pool(front_desk)) == [card]
    for person in (outsider, liaison, helper):
        assert list(queries.pool(person)) == []
        assert list(queries.loans_for_user(person)) == []
    assert list(queries.loans_for_user(partner_staff)) == [loan]
