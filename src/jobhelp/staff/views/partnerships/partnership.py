"""The partnerships a person takes part in, and a partnership's page: every partner with its
tier, contacts, what it offers and the obligations it takes part in, so that "reduced level"
is visible."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobhelp.partnerships import queries, rules
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.partnerships.lookups import in_the_area_or_403, partnership_or_404


@staff_member_required
@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    in_the_area_or_403(request.user)
    partnerships = (
        queries.partnerships_for_user(request.user)
        .select_related("convener", "liaison")
        .order_by("name", "pk")
    )
    return render(request, "staff/partnerships/index.html", {"partnerships": list(partnerships)})


@staff_member_required
@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    return render(
        request,
        "staff/partnerships/detail.html",
        {
            "partnership": partnership,
            "partners": queries.partners_overview(request.user, partnership),
            "agreements": list(queries.agreement_list(request.user, partnership)),
            "keeps_log": rules.can_keep_log(request.user, partnership),
        },
    )
