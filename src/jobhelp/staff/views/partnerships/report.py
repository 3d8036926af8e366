"""The quarterly partnership activity report: a page to print (the browser's Print command;
print CSS hides the rest) and the same report as a CSV file."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jobhelp.partnerships.enums import Activity
from jobhelp.partnerships.obligations import add_months
from jobhelp.partnerships.report import activity_report, report_csv
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.partnerships import ReportPeriodForm
from jobhelp.staff.views.partnerships.lookups import partnership_or_404


def _period(request) -> tuple[ReportPeriodForm, dict | None]:
    """The form bound to the query string (this quarter when it names none) and the period it
    names, or None when it is wrong."""
    given = "year" in request.GET or "quarter" in request.GET
    form = ReportPeriodForm(request.GET if given else ReportPeriodForm.current())
    return form, (form.cleaned_data if form.is_valid() else None)


@staff_member_required
@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    form, period = _period(request)
    report = None
    if period is not None:
        report = activity_report(
            request.user, partnership, year=period["year"], quarter=period["quarter"]
        )
    return render(
        request,
        "staff/partnerships/report.html",
        {
            "partnership": partnership,
            "form": form,
            "report": report,
            "activities": Activity,
            "query": request.GET.urlencode() if period else "",
            "months": [add_months(report.starts, n) for n in range(3)] if report else [],
            "by_activity": [
                (Activity(code).label, minutes)
                for code, minutes in (report.time_by_activity.items() if report else [])
            ],
        },
    )


@staff_member_required
@require_GET
def report_csv_file(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    _form, period = _period(request)
    if period is None:
        # The report's page says what is wrong with the period.
        url = reverse("staff:partnerships:report", args=[partnership.pk])
        return redirect(f"{url}?{request.GET.urlencode()}")
    report = activity_report(
        request.user, partnership, year=period["year"], quarter=period["quarter"]
    )
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    name = f"partnership-report-{report.year}-q{report.quarter}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
