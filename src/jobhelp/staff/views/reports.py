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
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobhelp.reports.charts import bar_chart
from jobhelp.reports.computers import computer_tables
from jobhelp.reports.exports import table_csv
from jobhelp.reports.filters import ReportFilters, Scope
from jobhelp.reports.forms import ReportFilterForm
from jobhelp.reports.queries import (
    compute_report,
    monthly_trend,
    period_headline,
    report_scope,
    testimonials,
)
from jobhelp.reports.referrals import referral_tables
from jobhelp.reports.tables import (
    build_tables,
    find_table,
    headline_sentence,
    headline_table,
    trend_table,
)
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


def _sections(tables, *, print_charts=()):
    """Each table with its chart. On paper a figure is shown once: as its table, or, for the
    tables named in `print_charts`, as its chart."""
    return [
        {
            "table": table,
            "chart": bar_chart(table),
            "print_as": "chart" if table.key in print_charts else "table",
        }
        for table in tables
    ]


def _who(scope: Scope, filters: ReportFilters) -> str:
    """Who the report is about, as a sentence names them: the organization chosen, or the
    library systems and centers at the top of the manager's scope."""
    covered = scope.covered(filters.organization_id)
    tops = [o.name for o in covered if o.parent_id is None] or [o.name for o in covered]
    return " & ".join(tops)


def _plain_words(scope, filters, figures, *, period: str) -> str:
    counts = period_headline(scope, filters, previous_period=(filters.start, filters.end))
    return headline_sentence(
        who=_who(scope, filters),
        period=period,
        helped=counts["current"].helped,
        attended=counts["current"].attended,
        outcomes=figures.outcomes_by_kind,
    )


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
        period = _("%(start)s to %(end)s") % {
            "start": formats.date_format(filters.start),
            "end": formats.date_format(filters.end),
        }
        context.update(
            figures=figures,
            sentence=_plain_words(scope, filters, figures, period=period),
            sections=_sections(
                [
                    trend_table(monthly_trend(scope, filters)),
                    *build_tables(figures),
                    *referral_tables(scope, filters),
                    *computer_tables(scope, filters),
                ]
            ),
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
    if table == "trend":
        found = trend_table(monthly_trend(scope, filters))
    elif table == "computers":
        found = computer_tables(scope, filters)[0]
    else:
        tables = build_tables(compute_report(scope, filters)) + referral_tables(scope, filters)
        found = find_table(tables, table)
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
        today = timezone.localdate(timezone=scope.zone(filters.organization_id))
        so_far = filters.end >= today
        if so_far:
            # A period not over yet: say so, and where its figures stop.
            this_label = _("%(period)s, so far (to %(today)s)") % {
                "period": this_label,
                "today": formats.date_format(today),
            }
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
            sentence=_plain_words(scope, filters, figures, period=this_label),
            testimonials=testimonials(scope, filters),
            sections=_sections(
                [
                    trend_table(monthly_trend(scope, filters)),
                    *build_tables(figures),
                    *referral_tables(scope, filters),
                    *computer_tables(scope, filters),
                ],
                print_charts={"trend"},
            ),
            query=filter_query(filters),
        )
    return render(request, "staff/reports/print.html", context)
