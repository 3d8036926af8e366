"""Titles popular at the partners that share with the user's library system or center, which
it does not hold, with "ordered" and "received" marks; ordering, receiving, cancelling."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobhelp.materials import queries
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.forms import OrderForm
from jobhelp.materials.titles import cancel_order, mark_received, order_title
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.materials.lookups import door, found, ordering_for, refused


def _organization(request: HttpRequest):
    organizations = list(ordering_for(request.user))
    wanted = request.GET.get("organization") or request.POST.get("organization", "")
    for organization in organizations:
        if str(organization.pk) == wanted:
            return organization, organizations
    return (organizations[0] if organizations else None), organizations


@staff_member_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    door(request)
    organization, organizations = _organization(request)
    rows = orders = []
    if organization is not None:
        rows = queries.suggestions_for_user(request.user, organization=organization)
        orders = list(queries.orders_for_user(request.user, organization=organization))
    return render(
        request,
        "staff/materials/suggestions.html",
        {
            "organization": organization,
            "organizations": organizations,
            "suggestions": rows,
            "orders": orders,
        },
    )


@staff_member_required
@require_POST
def order(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    source = found(queries.title_for_user(request.user, pk))
    organization, _all = _organization(request)
    form = OrderForm(request.POST)
    if organization is None or not form.is_valid():
        message = " ".join(e for errs in form.errors.values() for e in errs) or _(
            "Titles are ordered by a library system or a center, by its own staff."
        )
        return refused(request, message, "staff:materials:suggestions")
    try:
        order_title(
            source,
            organization=organization,
            by=request.user,
            copies=form.cleaned_data["copies"] or 1,
        )
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:suggestions")
    messages.success(request, _("“%(title)s” is marked ordered.") % {"title": source.title})
    return redirect("staff:materials:suggestions")


@staff_member_required
@require_POST
def received(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    title_order = found(queries.order_for_user(request.user, pk))
    try:
        mark_received(title_order, by=request.user)
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:suggestions")
    messages.success(request, _("“%(title)s” is marked received.") % {"title": title_order.title})
    return redirect("staff:materials:suggestions")


@staff_member_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    title_order = found(queries.order_for_user(request.user, pk))
    try:
        cancel_order(title_order, by=request.user)
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:suggestions")
    messages.success(
        request, _("The order of “%(title)s” is cancelled.") % {"title": title_order.title}
    )
    return redirect("staff:materials:suggestions")
