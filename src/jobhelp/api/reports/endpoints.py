"""Reports: the figures of the staff reports page as JSON, for managers.

The filters go through the same form as the page (reports.forms.ReportFilterForm) and the
figures through the same tables (reports.tables), so suppression is the page's: a cell of 1 to
4, or an average or share based on fewer than 5, is the string "<5"; a figure with nothing to
measure is null. Someone who manages no organization gets a 403; an organization or helper
outside the manager's organizations is a 404; dates that are reversed or absurd are a 422.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut
from jobhelp.api.reports.schemas import ReportFiltersIn, ReportOut
from jobhelp.reports.computers import computer_tables
from jobhelp.reports.forms import ReportFilterForm
from jobhelp.reports.queries import compute_report, report_scope
from jobhelp.reports.referrals import referral_tables
from jobhelp.reports.tables import build_tables

router = Router(tags=["reports"])


@router.get(
    "/reports/summary",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def summary(request, filters: Query[ReportFiltersIn]):
    """Every table of the staff reports page for the period and filters given."""
    scope = report_scope(request.user)
    if not scope:
        return Status(403, {"detail": _("Only managers can read reports.")})
    data = {
        "start": filters.start.isoformat() if filters.start else "",
        "end": filters.end.isoformat() if filters.end else "",
        "organization": filters.organization_id or "",
        "need": filters.need or "",
        "channel": filters.channel or "",
        "modality": filters.modality or "",
        "language": filters.language or "",
        "helper": filters.helper_id or "",
    }
    form = ReportFilterForm.for_scope(data, scope=scope)
    if form.names_foreign_object():
        raise Http404
    if not form.is_valid():
        return invalid(form)
    figures = compute_report(scope, form.filters())
    return {
        "start": figures.start,
        "end": figures.end,
        "time_zone": figures.time_zone,
        "organizations": [{"id": o.pk, "name": o.name} for o in figures.organizations],
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "description": table.description,
                "columns": [{"key": c.key, "label": c.label} for c in table.columns],
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "values": {
                            column.key: cell.value
                            for column, cell in zip(table.columns, row.cells, strict=True)
                        },
                    }
                    for row in table.rows
                ],
            }
            for table in (
                build_tables(figures)
                + referral_tables(scope, form.filters())
                + computer_tables(scope, form.filters())
            )
        ],
    }
