"""A person's own training record, and managers entering training taken elsewhere."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.domain import record_training_elsewhere
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import RecordElsewhereForm
from jobhelp.staff.common.decorators import staff_member_required


@staff_member_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/crosstraining/my_record.html",
        {
            "records": list(queries.own_records(request.user)),
            "standings": queries.my_standings(request.user),
            "loans": list(queries.my_loans(request.user)),
            "manages": rules.manages_anywhere(request.user),
            "lends": rules.lends_anywhere(request.user),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    if not rules.manages_anywhere(request.user):
        raise PermissionDenied
    form = RecordElsewhereForm(request.POST or None, people=queries.managed_people(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_training_elsewhere(
                data["person"],
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                completed_on=data["completed_on"],
                given_by=data["given_by"],
                today=timezone.localdate(),
            )
        except CrosstrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Training recorded."))
            return redirect("staff:crosstraining:matrix")
    return render(request, "staff/crosstraining/record_form.html", {"form": form})
