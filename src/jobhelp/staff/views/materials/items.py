"""Sending a material, its page (the download, who it went to and what each location
confirmed), a location's confirmations and taking one back, and withdrawing it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.materials import domain, queries, rules
from jobhelp.materials.enums import Step
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.forms import ConfirmForm, MaterialForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.materials.lookups import acting_for, door, found, refused, takes_material


@staff_member_required
@takes_material
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, *, upload_limit) -> HttpResponse:
    door(request)
    organizations = acting_for(request.user)
    first = organizations.first()
    if first is None:
        raise Http404
    posted = request.method == "POST"
    form = MaterialForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organizations=organizations,
        locations=queries.targetable_locations(first),
        groups=queries.target_groups(first),
        too_large=upload_limit.too_large,
    )
    if posted and form.is_valid():
        try:
            material = domain.upload_material(
                form.cleaned_data["organization"],
                by=request.user,
                upload=form.cleaned_data["file"],
                details=form.details(),
                targets=form.cleaned_data["locations"],
            )
        except MaterialError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            count = len(form.cleaned_data["locations"])
            messages.success(
                request,
                ngettext(
                    "“%(title)s” is sent to %(count)s location.",
                    "“%(title)s” is sent to %(count)s locations.",
                    count,
                )
                % {"title": material.title, "count": count},
            )
            return redirect("staff:materials:detail", material.pk)
    return render(request, "staff/materials/upload.html", {"form": form})


@staff_member_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    material = found(queries.material_for_user(request.user, pk))
    rows = [
        {"target": target, "may_confirm": rules.can_confirm(request.user, target.location)}
        for target in material.my_targets
    ]
    return render(
        request,
        "staff/materials/detail.html",
        {
            "material": material,
            "rows": rows,
            "steps": Step,
            "may_manage": material.is_sender and rules.can_manage_material(request.user, material),
        },
    )


def _my_target(user, material, location_id: int):
    for target in material.my_targets:
        if target.location_id == location_id:
            return target
    raise Http404


@staff_member_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    material = found(queries.material_for_user(request.user, pk))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return refused(request, " ".join(errors), "staff:materials:detail", pk)
    target = _my_target(request.user, material, form.cleaned_data["location"])
    step = form.cleaned_data["step"]
    try:
        domain.confirm(
            material,
            location=target.location,
            step=step,
            by=request.user,
            copies=form.cleaned_data["copies"],
        )
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:detail", pk)
    messages.success(
        request,
        _("%(location)s: %(step)s.") % {"location": target.location.name, "step": Step(step).label},
    )
    return redirect("staff:materials:detail", pk)


@staff_member_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    material = found(queries.material_for_user(request.user, pk))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose what to take back."), "staff:materials:detail", pk)
    target = _my_target(request.user, material, form.cleaned_data["location"])
    try:
        domain.undo_confirmation(
            material, location=target.location, step=form.cleaned_data["step"], by=request.user
        )
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:detail", pk)
    messages.success(request, _("Taken back."))
    return redirect("staff:materials:detail", pk)


@staff_member_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    material = found(queries.material_for_user(request.user, pk))
    try:
        domain.withdraw_material(material, by=request.user)
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:detail", pk)
    messages.success(request, _("“%(title)s” is withdrawn.") % {"title": material.title})
    return redirect("staff:materials:library")
