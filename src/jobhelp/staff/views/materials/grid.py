"""The month's flyers by location, with what each location confirmed: the liaison's view of
who has not posted yet (a branch sees its own row)."""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobhelp.materials import queries
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.materials.lookups import door


def _month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return queries.current_month()


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


@staff_member_required
@require_GET
def grid(request: HttpRequest) -> HttpResponse:
    door(request)
    month = _month(request.GET.get("month", ""))
    flyer_grid = queries.flyer_grid(request.user, month=month)
    return render(
        request,
        "staff/materials/grid.html",
        {
            "grid": flyer_grid,
            "month": month,
            "previous": _shift(month, -1),
            "next": _shift(month, 1),
        },
    )
