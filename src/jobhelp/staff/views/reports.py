"""Reports for managers: the figures with their charts, a printable monthly or quarterly page,
and each table as a CSV file.

Someone who manages no organization gets a 403, as on the routing pages; naming an
organization or helper outside the manager's organizations in the filters is a 404. Bad dates
are a message on the form, never an error page. The figures come from reports.queries on its
read-only path; suppression is applied once, in reports.tables.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobhelp.reports.charts import bar_chart
from jobhelp.reports.exports import table_csv
from jobhelp.reports.filters import ReportFilters, Scope
from jobhelp.reports.forms import ReportFilterForm
from jobhelp.reports.queries import compute_report, period_headline, report_scope
from jobhelp.reports.tables import build_tables, find_table, headline_table
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.reports import PrintReportForm


def _scope_or_403(user) -> Scope:
    scope = report_scope(user)
    if not scope:
        raise PermissionDenied
    return scope


def _form(request: HttpRequest, scope: Scope, form_class=ReportFilterForm):
    """The filter form bound to the query string; 404 when it names an organization or a
    helper the manager may not see."""
    form = form_class.for_scope(request.GET, scope=scope)
    if form.names_foreign_object():
        raise Http404
    return form


def _other_filters(filters: ReportFilters) -> dict[str, str]:
    given = {
        "organization": filters.organization_id or "",
        "need": filters.need,
        "channel": filters.channel,
        "modality": filters.modality,
        "language": filters.language,
        "helper": filters.helper_id or "",
    }
    return {name: str(value) for name, value in given.items() if value}


def filter_query(filters: ReportFilters) -> str:
    """The query string of exactly these filters, dates included, so that a CSV file or the
    printed page shows the same figures as the page it was opened from."""
    return urlencode(
        {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
        | _other_filters(filters)
    )


def _sections(tables):
    return [{"table": table, "chart": bar_chart(table)} for table in tables]


@staff_member_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request.user)
    form = _form(request, scope)
    context = {"form": form, "sections": []}
    if form.is_valid():
        filters = form.filters()
        figures = compute_report(scope, filters)
        others = urlencode(_other_filters(filters))
        month = filters.start.strftime("%Y-%m")
        context.update(
            figures=figures,
            sections=_sections(build_tables(figures)),
            query=filter_query(filters),
            print_month_query=f"period=month&month={month}&{others}".rstrip("&"),
            print_quarter_query=f"period=quarter&month={month}&{others}".rstrip("&"),
        )
    return render(request, "staff/reports/index.html", context)


@staff_member_required
@require_GET
def reports_csv(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope_or_403(request.user)
    form = _form(request, scope)
    if not form.is_valid():
        # The report page shows what is wrong with the filters.
        return redirect(f"{reverse('staff:reports:index')}?{request.GET.urlencode()}")
    filters = form.filters()
    found = find_table(build_tables(compute_report(scope, filters)), table)
    if found is None:
        raise Http404
    response = HttpResponse(table_csv(found), content_type="text/csv; charset=utf-8")
    name = f"{found.key}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period_label(period: str, start, end) -> str:
    if period == "month":
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "YEAR_MONTH_FORMAT"),
        "end": formats.date_format(end, "YEAR_MONTH_FORMAT"),
    }


@staff_member_required
@require_GET
def reports_print(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request.user)
    form = _form(request, scope, PrintReportForm)
    context = {"form": form, "sections": []}
    if form.is_valid():
        filters = form.filters()
        period = form.cleaned_data["period"]
        before = form.cleaned_data["previous"]
        figures = compute_report(scope, filters)
        this_label = _period_label(period, filters.start, filters.end)
        before_label = _period_label(period, *before)
        headline = headline_table(
            period_headline(scope, filters, previous_period=before),
            [("current", this_label), ("previous", before_label)],
            title=_("Job help at a glance"),
        )
        context.update(
            figures=figures,
            period=period,
            period_label=this_label,
            headline=headline,
            sections=_sections(build_tables(figures)),
            query=filter_query(filters),
        )
    return render(request, "staff/reports/print.html", context)
