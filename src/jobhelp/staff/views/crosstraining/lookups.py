"""Finding what the person may see in the cross-training area (a 404 otherwise)."""

from django.http import Http404

from jobhelp.crosstraining import queries


def _found(value):
    if value is None:
        raise Http404
    return value


def training_or_404(user, pk: int):
    return _found(queries.training_for_user(user, pk))


def requirement_or_404(user, pk: int):
    return _found(queries.requirement_for_user(user, pk))


def card_or_404(user, pk: int):
    return _found(queries.card_for_user(user, pk))


def loan_or_404(user, pk: int):
    return _found(queries.loan_for_lender(user, pk))


def material_or_404(user, pk: int):
    return _found(queries.material_for_user(user, pk))
