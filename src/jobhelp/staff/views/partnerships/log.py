"""The liaison's log: a month's entries of the partnership with the liaison's total against
the expected time, logging time, and correcting or deleting one's own entries."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.partnerships import queries, rules
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import LogEntryForm
from jobhelp.partnerships.log import delete_log_entry, record_log_entry, update_log_entry
from jobhelp.partnerships.obligations import add_months
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.partnerships import LogMonthForm, month_or_current
from jobhelp.staff.views.partnerships.lookups import (
    log_entry_or_404,
    partnership_or_404,
    refused,
)


def only_liaisons() -> str:
    return _("Only a liaison of one of the partners keeps this log.")


def _month_url(partnership, month: date) -> str:
    url = reverse("staff:partnerships:log", args=[partnership.pk])
    return f"{url}?month={month:%Y-%m}"


@staff_member_required
@require_GET
def log_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    form = LogMonthForm(request.GET if "month" in request.GET else None)
    first = month_or_current(form)
    first, last = queries.month_bounds(first.year, first.month)
    entries = list(queries.log_list(request.user, partnership, starts=first, ends=last))
    mine = [
        total
        for total in queries.month_totals_for_user(request.user, year=first.year, month=first.month)
        if total.partnership.pk == partnership.pk
    ]
    return render(
        request,
        "staff/partnerships/log.html",
        {
            "partnership": partnership,
            "form": form if form.is_bound else LogMonthForm(initial={"month": first}),
            "month": first,
            "entries": entries,
            "total": sum(entry.minutes for entry in entries),
            "mine": mine[0] if mine else None,
            "keeps_log": rules.can_keep_log(request.user, partnership),
            "previous_url": _month_url(partnership, add_months(first, -1)),
            "next_url": _month_url(partnership, add_months(first, 1)),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def log_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    if not rules.can_keep_log(request.user, partnership):
        return refused(request, only_liaisons(), "staff:partnerships:log", partnership.pk)
    form = LogEntryForm(
        request.POST or None,
        organizations=queries.partner_organizations(partnership, with_branches=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = record_log_entry(partnership, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(minutes)d minutes of %(activity)s logged.")
                % {"minutes": entry.minutes, "activity": entry.get_activity_display().lower()},
            )
            return redirect(_month_url(partnership, entry.occurred_on))
    return render(
        request,
        "staff/partnerships/log_form.html",
        {"partnership": partnership, "entry": None, "form": form},
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = log_entry_or_404(request.user, pk)
    partnership = entry.partnership
    if not rules.can_change_log_entry(request.user, entry):
        return refused(
            request,
            _("Only the liaison who logged it can change this entry."),
            _month_url(partnership, entry.occurred_on),
        )
    initial = {name: getattr(entry, name) for name in LogEntryForm.base_fields}
    form = LogEntryForm(
        request.POST or None,
        organizations=queries.partner_organizations(partnership, with_branches=True),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = update_log_entry(entry, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The entry is saved."))
            return redirect(_month_url(partnership, entry.occurred_on))
    return render(
        request,
        "staff/partnerships/log_form.html",
        {"partnership": partnership, "entry": entry, "form": form},
    )


@staff_member_required
@require_POST
def log_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = log_entry_or_404(request.user, pk)
    back = _month_url(entry.partnership, entry.occurred_on)
    try:
        delete_log_entry(entry, by=request.user)
    except PartnershipError as error:
        return refused(request, error, back)
    messages.success(request, _("The entry is deleted."))
    return redirect(back)
