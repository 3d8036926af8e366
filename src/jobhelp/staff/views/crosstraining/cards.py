"""The temporary card pool, for the library's staff who lend cards: the pool, adding a card,
issuing one, and its return, loss or revocation. Numbers are shown by their last four digits
only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.enums import LoanState
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.evidence import pool_sentence
from jobhelp.crosstraining.forms import CardForm, IssueForm
from jobhelp.crosstraining.lending import add_card, end_loan, issue_card
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.crosstraining.lookups import card_or_404, loan_or_404


def _lenders_only(user):
    libraries = list(queries.lending_libraries(user))
    if not libraries:
        raise PermissionDenied
    return libraries


@staff_member_required
@require_GET
def pool(request: HttpRequest) -> HttpResponse:
    libraries = _lenders_only(request.user)
    today = timezone.localdate()
    cards = list(queries.pool(request.user))
    summaries = [(library, queries.pool_summary(library, today=today)) for library in libraries]
    # Counts only, in the words the MOU's obligation shows them.
    return render(
        request,
        "staff/crosstraining/pool.html",
        {
            "cards": cards,
            "summaries": [
                (library, pool_sentence(summary)) for library, summary in summaries if summary.cards
            ],
            "today": today,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def card_new(request: HttpRequest) -> HttpResponse:
    libraries = _lenders_only(request.user)
    # Cards join the pool of the library the person lends for (the first, by name).
    library = libraries[0]
    form = CardForm(request.POST or None, branches=queries.branch_choices(library))
    if request.method == "POST" and form.is_valid():
        try:
            card = add_card(
                library,
                by=request.user,
                number=form.cleaned_data["number"],
                branch=form.cleaned_data["branch"],
            )
        except CrosstrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Card %(card)s added to the pool.") % {"card": card})
            return redirect("staff:crosstraining:pool")
    return render(request, "staff/crosstraining/card_form.html", {"form": form, "library": library})


@staff_member_required
@require_http_methods(["GET", "POST"])
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = card_or_404(request.user, pk)
    current = card.current_loans[0] if card.current_loans else None
    today = timezone.localdate()
    form = IssueForm(
        request.POST if request.method == "POST" else None,
        holders=queries.holder_choices(card.library),
        initial={"issued_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = issue_card(
                card,
                by=request.user,
                holder=data["holder"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
        except CrosstrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Card %(card)s lent to %(holder)s.") % {"card": card, "holder": loan.holder},
            )
            return redirect("staff:crosstraining:card", card.pk)
    history = card.loans.select_related("holder", "issued_by", "ended_by")
    return render(
        request,
        "staff/crosstraining/card.html",
        {"card": card, "current": current, "form": form, "history": list(history), "today": today},
    )


_ENDINGS = {
    "returned": LoanState.RETURNED,
    "lost": LoanState.LOST,
    "revoked": LoanState.REVOKED,
}


@staff_member_required
@require_POST
def loan_end(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    loan = loan_or_404(request.user, pk)
    state = _ENDINGS.get(how)
    if state is None or not rules.can_lend_cards(request.user, loan.card.library):
        raise PermissionDenied
    try:
        end_loan(loan, by=request.user, state=state)
    except CrosstrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Card %(card)s is now %(state)s.")
            % {"card": loan.card, "state": state.label.lower()},
        )
    return redirect("staff:crosstraining:card", loan.card_id)
