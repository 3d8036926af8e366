"""Creating and editing a class, with its flyer."""

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.i18n import localized
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.classes.workshops import ClassForm
from jobhelp.staff.views.classes.lookups import workshop_or_404
from jobhelp.workshops import flyers
from jobhelp.workshops.catalog import create_workshop, set_flyer, update_workshop
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.seats import WorkshopError


def takes_flyer(view):
    """Put flyers.FlyerSizeLimit in front of the upload handlers before the body is read, and
    pass it to the view as `flyer_limit`. The CSRF check reads the body, so it runs after
    (csrf_protect inside) rather than in the middleware (csrf_exempt outside)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = flyers.FlyerSizeLimit(request)
        request.upload_handlers.insert(0, limit)
        return protected(request, *args, flyer_limit=limit, **kwargs)

    return csrf_exempt(wrapper)


@staff_member_required
@takes_flyer
@require_http_methods(["GET", "POST"])
def class_new(request: HttpRequest, *, flyer_limit) -> HttpResponse:
    organizations = organizations_for(request.user)
    form = ClassForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=organizations,
        too_large=flyer_limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.workshop_fields()
        try:
            workshop = create_workshop(form.cleaned_data["organization"], by=request.user, **fields)
        except WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Class “%(title)s” created. Now schedule its sessions.")
                % {"title": localized(workshop, "title")},
            )
            _store_flyer(request, workshop, form.cleaned_data["flyer"])
            return redirect("staff:classes:schedule", pk=workshop.pk)
    return render(request, "staff/classes/form.html", {"form": form, "workshop": None})


@staff_member_required
@takes_flyer
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int, *, flyer_limit) -> HttpResponse:
    workshop = workshop_or_404(request.user, pk)
    form = ClassForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=None,
        workshop=workshop,
        too_large=flyer_limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = update_workshop(workshop, by=request.user, **form.workshop_fields())
        except WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Class “%(title)s” saved.") % {"title": localized(workshop, "title")}
            )
            _store_flyer(request, workshop, form.cleaned_data["flyer"])
            return redirect(reverse("staff:classes:list") + f"#class-{workshop.pk}")
    return render(request, "staff/classes/form.html", {"form": form, "workshop": workshop})


def _store_flyer(request: HttpRequest, workshop: Workshop, upload) -> None:
    if not upload:
        return
    try:
        set_flyer(workshop, by=request.user, upload=upload)
    except WorkshopError as error:
        messages.error(request, _("The flyer was not saved: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Flyer saved."))
