"""Trainings: the list, scheduling one, its page with the roster and attendance."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jobhelp.crosstraining import queries, rules
from jobhelp.crosstraining.domain import TrainingDetails, mark_attendance, schedule_training
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import AttendanceForm, TrainingForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.views.crosstraining.lookups import training_or_404


@staff_member_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    trainings = list(queries.training_list(request.user)[:200])
    for training in trainings:
        training.local_start = in_zone(training.starts_at, training.location.zone)
    return render(
        request,
        "staff/crosstraining/trainings.html",
        {
            "trainings": trainings,
            "schedules": rules.schedules_anywhere(request.user),
            "manages": rules.manages_anywhere(request.user),
            "lends": rules.lends_anywhere(request.user),
        },
    )


def _training_form(user, data=None):
    return TrainingForm(
        data,
        organizations=queries.schedulable_organizations(user),
        trainers=queries.trainer_choices(user),
        audiences=queries.audience_choices(user),
        locations=queries.location_choices(user),
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    if not rules.schedules_anywhere(request.user):
        raise PermissionDenied
    form = _training_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training = schedule_training(
                data["organization"],
                by=request.user,
                trainer=data["trainer"],
                details=TrainingDetails(
                    title=data["title"],
                    title_es=data["title_es"],
                    kind=data["kind"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    location=data["location"],
                    place=data["place"],
                    online_link=data["online_link"],
                    capacity=data["capacity"],
                    audience=list(data["audience"]),
                ),
            )
        except CrosstrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Training “%(title)s” scheduled.") % {"title": training})
            return redirect("staff:crosstraining:training", training.pk)
    return render(request, "staff/crosstraining/training_form.html", {"form": form})


@staff_member_required
@require_http_methods(["GET", "POST"])
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = training_or_404(request.user, pk)
    takes = rules.can_take_attendance(request.user, training)
    roster = queries.roster(training) if takes else []
    present = queries.present_ids(training) if takes else set()
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        roster=roster,
        initial={"present": sorted(present)},
    )
    if request.method == "POST":
        if not takes:
            raise PermissionDenied
        if form.is_valid():
            chosen = set(form.cleaned_data["present"])
            try:
                mark_attendance(
                    training, by=request.user, present=[p for p in roster if p.pk in chosen]
                )
            except CrosstrainingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(count)d present.") % {"count": len(chosen)},
                )
                return redirect("staff:crosstraining:training", training.pk)
    return render(
        request,
        "staff/crosstraining/training.html",
        {
            "training": training,
            "local_start": in_zone(training.starts_at, training.location.zone),
            "takes": takes,
            "started": training.starts_at <= timezone.now(),
            "form": form,
            "present_count": len(present),
            "materials": list(queries.materials_of(training)),
            "edits": rules.can_edit_training(request.user, training),
        },
    )
