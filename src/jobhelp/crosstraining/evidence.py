"""The card pool as the MOU's evidence: an obligation of kind `cards` is shown with the pool of
the organization that owes the cards as it is now (registered in apps.py with
partnerships.evidence.register_live). Counts only: nobody learns from it who holds a card."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobhelp.crosstraining.enums import POOL_EXPIRING_DAYS
from jobhelp.crosstraining.queries import PoolSummary, pool_summary_of_tree
from jobhelp.partnerships.evidence import Fact, LiveEvidence


def pool_sentence(summary: PoolSummary) -> str:
    """The pool in one sentence, counts only: the obligation's evidence and the pool's page."""
    cards = ngettext("%(count)d card in the pool", "%(count)d cards in the pool", summary.cards) % {
        "count": summary.cards
    }
    return _(
        "%(cards)s: %(lent)d lent, %(available)d available, %(expiring)d expiring within "
        "%(days)d days, %(overdue)d overdue."
    ) % {
        "cards": cards,
        "lent": summary.lent,
        "available": summary.available,
        "expiring": summary.expiring,
        "days": POOL_EXPIRING_DAYS,
        "overdue": summary.overdue,
    }


def card_pool_evidence(organization, *, today: date) -> LiveEvidence:
    summary = pool_summary_of_tree(organization, today=today)
    return LiveEvidence(
        heading=_("The card pool today"),
        sentence=pool_sentence(summary),
        facts=(
            Fact(_("Cards in the pool"), summary.cards),
            Fact(_("Cards lent"), summary.lent),
            Fact(_("Cards available"), summary.available),
            Fact(
                _("Cards expiring within %(days)d days") % {"days": POOL_EXPIRING_DAYS},
                summary.expiring,
            ),
            Fact(_("Cards overdue"), summary.overdue),
        ),
    )
