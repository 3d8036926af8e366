"""Finding what the person may see (a 404 otherwise), the door of the area (a 403 for someone
in no partnership), uploads with the size limit, and going back with a message when a change
is refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect

from jobhelp.partnerships import queries, rules


def in_the_area_or_403(user) -> None:
    """The partnership pages are for people who act for a partner of some partnership."""
    if not rules.in_a_partnership(user):
        raise PermissionDenied


def _found(value):
    if value is None:
        raise Http404
    return value


def partnership_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.partnership_for_user(user, pk))


def agreement_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.agreement_for_user(user, pk))


def party_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.party_for_user(user, pk))


def cost_share_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.cost_share_for_user(user, pk))


def attachment_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.attachment_for_user(user, pk))


def obligation_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.obligation_for_user(user, pk))


def occurrence_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.occurrence_for_user(user, pk))


def meeting_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.meeting_for_user(user, pk))


def action_item_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.action_item_for_user(user, pk))


def grant_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.grant_for_user(user, pk))


def log_entry_or_404(user, pk: int):
    in_the_area_or_403(user)
    return _found(queries.log_entry_for_user(user, pk))


def refused(request, message, to, *args) -> HttpResponseRedirect:
    """Back to `to` with the reason a change was refused (the person sees the object, but may
    not make this change, or its status does not allow it now)."""
    messages.error(request, str(message))
    return redirect(to, *args)
