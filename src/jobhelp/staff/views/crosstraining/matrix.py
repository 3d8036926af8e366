"""The organization's matrix (who is current, due soon, overdue or lapsed) and its
requirements, for managers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.domain import add_requirement, remove_requirement
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import RequirementForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.crosstraining.lookups import requirement_or_404


def _managers_only(user) -> None:
    if not rules.manages_anywhere(user):
        raise PermissionDenied


@staff_member_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    _managers_only(request.user)
    return render(
        request,
        "staff/crosstraining/matrix.html",
        {
            "rows": queries.matrix_for_user(request.user),
            "requirements": list(
                queries.requirements_for_user(request.user).filter(
                    organization__in=queries.managed_organizations(request.user)
                )
            ),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def requirement_new(request: HttpRequest) -> HttpResponse:
    _managers_only(request.user)
    form = RequirementForm(
        request.POST or None, organizations=queries.managed_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_requirement(
                data["organization"],
                by=request.user,
                role=data["role"],
                kind=data["kind"],
                title=data["title"],
                within_days=data["within_days"],
                refresh_months=data["refresh_months"],
                qualifies_for=data["qualifies_for"],
            )
        except CrosstrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Requirement added."))
            return redirect("staff:crosstraining:matrix")
    return render(request, "staff/crosstraining/requirement_form.html", {"form": form})


@staff_member_required
@require_POST
def requirement_remove(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = requirement_or_404(request.user, pk)
    try:
        remove_requirement(requirement, by=request.user)
    except CrosstrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Requirement removed."))
    return redirect("staff:crosstraining:matrix")
