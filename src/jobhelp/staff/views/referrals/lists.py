"""The receiving organization's queue of incoming referrals (filtered by service and state,
the overdue ones flagged), the same as a CSV file, and the referrals one's organizations
sent. The person's details appear only where referrals.sharing gives them."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobhelp.core.phones import display_phone
from jobhelp.core.spreadsheets import BOM, safe
from jobhelp.referrals.queries import (
    filter_received,
    received_for_user,
    sent_for_user,
    services_received,
)
from jobhelp.referrals.sharing import shared_details
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import page_of, results_page
from jobhelp.staff.forms.referrals import QueueFilterForm

PER_PAGE = 25


def _queue(request: HttpRequest, now):
    form = QueueFilterForm(request.GET or None, services=services_received(request.user))
    referrals = filter_received(received_for_user(request.user, now=now), now=now, **form.filters())
    return form, referrals


@staff_member_required
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form, referrals = _queue(request, now)
    page = page_of(request, referrals, PER_PAGE)
    for referral in page.object_list:
        referral.shared = shared_details(referral, now=now)
    return results_page(request, "staff/referrals/received.html", {"page": page, "filters": form})


@staff_member_required
@require_GET
def received_csv(request: HttpRequest) -> HttpResponse:
    """The queue as filtered, for a spreadsheet: the person's name and phone only where a
    live consent shares them."""
    now = timezone.now()
    _form, referrals = _queue(request, now)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(
        [
            _("Code"),
            _("Service"),
            _("Referred by"),
            _("Need"),
            _("Urgency"),
            _("State"),
            _("Sent"),
            _("Answer expected by"),
            _("Overdue"),
            _("Name"),
            _("Phone"),
            _("Email"),
        ]
    )
    for referral in referrals:
        shared = shared_details(referral, now=now)
        writer.writerow(
            [
                safe(cell)
                for cell in (
                    referral.display_code,
                    referral.service.name,
                    referral.from_organization.name,
                    referral.get_need_display(),
                    referral.get_urgency_display(),
                    referral.get_state_display(),
                    timezone.localtime(referral.sent_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(referral.respond_by).strftime("%Y-%m-%d %H:%M"),
                    _("yes") if referral.overdue else "",
                    shared.name if shared else "",
                    display_phone(shared.phone) if shared and shared.phone else "",
                    shared.email if shared else "",
                )
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"referrals-received-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_member_required
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    page = page_of(request, sent_for_user(request.user), PER_PAGE)
    return render(request, "staff/referrals/sent.html", {"page": page})
