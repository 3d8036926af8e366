"""The library's pool of temporary cards lent to partner staff: adding a card, issuing it,
its return, loss or revocation, and expiry reminders. A card is held by one person at a time:
the partial unique index `card_lent_to_one_person` decides, not a check in Python. Nothing
about what a card is used for is stored.

A card's number is encrypted with core.crypto (the keys of JOBHELP_FIELD_ENCRYPTION_KEYS) and
fingerprinted (core.crypto.fingerprint) so the same card cannot join twice; nothing in the
project decrypts it again except `reencrypt_cards`, which rotate_encryption_keys runs."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import Role
from jobhelp.accounts.tenancy import acts_for
from jobhelp.core import audit, crypto
from jobhelp.crosstraining import messages, rules
from jobhelp.crosstraining.enums import CARD_REMINDER_DAYS_BEFORE, LoanState
from jobhelp.crosstraining.errors import CardTaken, CrosstrainingError
from jobhelp.crosstraining.models import Card, CardLoan
from jobhelp.crosstraining.validators import clean_card_number


def add_card(library, *, by, number: str, branch) -> Card:
    """Add a card to `library`'s pool. The number is checked as the library's barcode, stored
    encrypted, and from now on shown only as its last four digits.

    Side effects: audit ``jobhelp.card.added`` (never the number).
    """
    if not rules.can_lend_cards(by, library):
        raise CrosstrainingError(_("Only the library's staff who lend cards can do this."))
    try:
        number = clean_card_number(number)
    except ValidationError as error:
        raise CrosstrainingError(" ".join(error.messages)) from None
    if branch.organization_id != library.pk and branch.organization.parent_id != library.pk:
        raise CrosstrainingError(_("Choose one of the library's own branches."))
    if Card.objects.filter(number_digest__in=crypto.fingerprints(number)).exists():
        raise CrosstrainingError(_("This card is already in a pool."))
    try:
        with transaction.atomic():
            card = Card.objects.create(
                library=library,
                branch=branch,
                number_encrypted=crypto.encrypt(number),
                number_digest=crypto.fingerprint(number),
                last_four=number[-4:],
                added_by=by,
            )
            audit.record("jobhelp.card.added", actor=by, organization=library, obj=card)
    except IntegrityError:
        raise CrosstrainingError(_("This card is already in a pool.")) from None
    return card


def reencrypt_cards(*, batch: int = 500) -> int:
    """Write every card's number again, encrypted with the first key, and its fingerprint under
    that key (core.crypto.register_rotation; run by rotate_encryption_keys). Returns how many
    cards were rewritten. Safe to run twice and to stop midway: each row stays readable, and
    add_card finds a card by its fingerprint under any key."""
    rewritten = 0
    last = 0
    while True:
        rows = list(
            Card.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "number_encrypted")[:batch]
        )
        if not rows:
            return rewritten
        for pk, stored in rows:
            number = crypto.decrypt(stored)
            Card.objects.filter(pk=pk).update(
                number_encrypted=crypto.encrypt(number), number_digest=crypto.fingerprint(number)
            )
            rewritten += 1
        last = rows[-1][0]


def issue_card(card: Card, *, by, holder, issued_on: date, expires_on: date) -> CardLoan:
    """Lend `card` to `holder`, a partner's staff member (not the library's own).

    If the card is lent to someone else, even by a colleague at the same moment, raises
    CardTaken and nothing is written: the database's partial unique index decides.

    Side effects: audit ``jobhelp.card.issued``.
    """
    library = card.library
    if not rules.can_lend_cards(by, library):
        raise CrosstrainingError(_("Only the library's staff who lend cards can do this."))
    if card.is_retired:
        raise CrosstrainingError(_("This card was lost and is no longer lent."))
    if expires_on <= issued_on:
        raise CrosstrainingError(_("The expiry date must be after the issue date."))
    if not holder.is_active or acts_for(holder, library):
        raise CrosstrainingError(_("Cards are lent to partner staff, not the library's own."))
    if not holder.memberships.exists():
        raise CrosstrainingError(_("Cards are lent to partner staff, not the library's own."))
    try:
        with transaction.atomic():
            loan = CardLoan.objects.create(
                card=card,
                holder=holder,
                issued_on=issued_on,
                expires_on=expires_on,
                issued_by=by,
            )
            audit.record(
                "jobhelp.card.issued",
                actor=by,
                organization=library,
                obj=loan,
                data={"card": card.pk, "holder": holder.pk, "expires": expires_on.isoformat()},
            )
    except IntegrityError:
        raise CardTaken(
            _("This card is already lent to someone: it must be returned first.")
        ) from None
    return loan


_ENDINGS = {
    LoanState.RETURNED: "jobhelp.card.returned",
    LoanState.LOST: "jobhelp.card.lost",
    LoanState.REVOKED: "jobhelp.card.revoked",
}


def end_loan(loan: CardLoan, *, by, state: LoanState, now: datetime | None = None) -> CardLoan:
    """The card came back, was lost (it leaves the pool) or was revoked (the library asked for
    it back and closed it). One conditional UPDATE: of two people ending the same loan, the
    second is told it is already over.

    Side effects: a lost card is retired; audit ``jobhelp.card.returned`` / ``.lost`` /
    ``.revoked``.
    """
    now = now or timezone.now()
    library = loan.card.library
    if not rules.can_lend_cards(by, library):
        raise CrosstrainingError(_("Only the library's staff who lend cards can do this."))
    if state not in _ENDINGS:
        raise ValueError(state)
    with transaction.atomic():
        ended = CardLoan.objects.filter(pk=loan.pk, state=LoanState.LENT).update(
            state=state, ended_at=now, ended_by=by
        )
        if not ended:
            raise CrosstrainingError(_("This card is no longer lent."))
        if state == LoanState.LOST:
            Card.objects.filter(pk=loan.card_id).update(is_retired=True)
        audit.record(
            _ENDINGS[state],
            actor=by,
            organization=library,
            obj=loan,
            data={"card": loan.card_id},
        )
    loan.refresh_from_db()
    return loan


def send_card_reminders(*, now: datetime | None = None) -> int:
    """Remind the holder, and the library's liaisons, CARD_REMINDER_DAYS_BEFORE days before a
    lent card expires, and on the day; each once (dedupe key: loan, expiry, moment, recipient).
    Returns how many were queued.

    Side effects: messages ``card_expiring`` in the outbox.
    """
    today = timezone.localdate(now or timezone.now())
    queued = 0
    loans = CardLoan.objects.filter(
        state=LoanState.LENT,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=CARD_REMINDER_DAYS_BEFORE),
    ).select_related("card", "card__library", "holder")
    for loan in loans:
        on_the_day = loan.expires_on == today
        liaisons = messages.members_with(loan.card.library, {Role.LIAISON}).exclude(
            pk=loan.holder_id
        )
        with transaction.atomic():
            for to in [loan.holder, *liaisons]:
                sent = messages.to_staff(
                    to,
                    "card_expiring",
                    {
                        "loan": loan,
                        "masked": loan.card.masked,
                        "library": loan.card.library,
                        "on_the_day": on_the_day,
                        "for_holder": to.pk == loan.holder_id,
                    },
                    organization=loan.card.library,
                    related=loan,
                    key=(
                        f"card-expiry:{loan.pk}:{loan.expires_on:%Y%m%d}:"
                        f"{'due' if on_the_day else 'before'}:{to.pk}"
                    ),
                )
                queued += sent is not None
    return queued
