"""Small helpers the views of several staff areas use. Each is here because two or more areas
need it; a helper one area needs stays in that area."""

from datetime import datetime

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.tz import do_timezone
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from jobhelp.casework.queries import follow_ups_due
from jobhelp.intake.models import HelpRequest
from jobhelp.intake.queries import find_request_for_user
from jobhelp.referrals.queries import waiting_on_partner


def request_or_404(user, reference: str) -> HelpRequest:
    """The help request with this reference code, if the user may see it: another
    organization's request is a 404, the same as one that does not exist."""
    help_request = find_request_for_user(user, reference)
    if help_request is None:
        raise Http404
    return help_request


def next_or(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page a button was pressed on (`next`, if it is on this site), or to
    `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def page_of(request: HttpRequest, items, per_page: int) -> Page:
    """The page of `items` that ?page= names; the last one for a number past the end, the
    first for anything else that is not a page number."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def results_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A list page with filters, or, when htmx asks as a filter changes, only its `results`
    partial. On "Back" with an empty history cache htmx asks again, with HX-Request set, and
    puts the answer in place of the whole body: that answer must be the full page."""
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    response = render(request, f"{template}#results" if partial else template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def form_errors(form) -> list[str]:
    """A form's messages, for a message at the top of a page; none for no form."""
    if form is None:
        return []
    return [e for errors in form.errors.values() for e in errors]


def in_zone(moment: datetime, zone) -> datetime:
    """`moment` on the wall clock of `zone`, marked so templates do not convert it again."""
    return do_timezone(moment, zone)


def follow_ups_box(request: HttpRequest) -> dict:
    """The "Follow-ups due" box (staff/includes/follow_ups_due.html) of the home page and My
    requests: the user's follow-ups due today or earlier, and those of the next days. One
    query."""
    rows = follow_ups_due(request.user, timezone.localdate())
    return {"follow_ups_due": rows.due, "follow_ups_soon": rows.upcoming}


def referrals_waiting_box(request: HttpRequest) -> dict:
    """My requests' "Referrals waiting on the other side" (staff/includes/referrals_waiting.html):
    the open referrals the user sent or sent from a request of theirs. One query."""
    return {"referrals_waiting": list(waiting_on_partner(request.user))}
