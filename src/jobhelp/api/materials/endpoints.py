"""Materials and reference titles: the materials library, a material with its targets, its
file, sending one, a location's confirmations, the month's grid; the combined list of titles,
a partner's own titles listed, changed and removed, suggestions and orders. Staff token
required.

The same rules as the staff pages, because the same code decides: input goes through
materials.forms (a 422 with messages by field), every change through one function of
materials.domain or materials.titles, which checks materials.rules itself (a refusal is a 409
with its message), and every read through materials.queries, so another organization's
material or title is a 404. Someone who works for no organization (an administrator without a
membership) gets a 403.
"""

from datetime import datetime
from functools import wraps

from django.db.models import F
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.accounts.tenancy import organizations_for, works_for_an_organization
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut, Id, place
from jobhelp.api.materials.schemas import (
    ConfirmIn,
    GridFilters,
    GridOut,
    LibraryFilters,
    LibraryItemOut,
    MaterialIn,
    MaterialOut,
    OrderIn,
    OrderOut,
    SuggestionFilters,
    SuggestionOut,
    TargetOut,
    TitleFilters,
    TitleIn,
    TitleOut,
)
from jobhelp.materials import domain, queries, rules
from jobhelp.materials.enums import TitleFormat
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.forms import MaterialForm, OrderForm, TitleForm
from jobhelp.materials.titles import (
    TitleInvalid,
    add_title,
    cancel_order,
    mark_received,
    order_title,
    remove_title,
    update_title,
)

router = Router(tags=["materials"])

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 409: ErrorOut, 422: ErrorOut}


def _acting(user):
    return organizations_for(user).order_by(F("parent").asc(nulls_first=True), "name", "pk")


def door(endpoint):
    """403 for someone who works for no organization; a refusal of the domain is a 409 with
    its message, input it found unusable a 422 by field (a title's broken columns, a file
    refused by its content, posted without copies); nothing was written."""

    @wraps(endpoint)
    def answer(request, *args, **kwargs):
        if not works_for_an_organization(request.user):
            raise HttpError(403, _("You do not work for any organization."))
        try:
            return endpoint(request, *args, **kwargs)
        except TitleInvalid as error:
            return Status(
                422,
                {
                    "detail": _("The request is not valid."),
                    "errors": {field: [message] for field, message in error.errors.items()},
                },
            )
        except MaterialError as error:
            if error.field:
                # Input the domain found unusable (a file refused by its content, no copies).
                return Status(
                    422,
                    {
                        "detail": _("The request is not valid."),
                        "errors": {error.field: [error.message]},
                    },
                )
            return Status(409, {"detail": error.message})

    return answer


def _found(value):
    if value is None:
        raise Http404
    return value


# --- Materials --------------------------------------------------------------------------------


def _target(target) -> dict:
    return {
        "location": place(target.location),
        "step": target.step,
        "downloaded_at": target.downloaded_at,
        "printed_at": target.printed_at,
        "printed_copies": target.printed_copies,
        "posted_at": target.posted_at,
        "posted_copies": target.posted_copies,
    }


def _material(material) -> dict:
    return {
        "id": material.pk,
        "kind": material.kind,
        "title": material.title,
        "description": material.description,
        "language": material.language,
        "organization": {"id": material.organization.pk, "name": material.organization.name},
        "valid_from": material.valid_from,
        "valid_until": material.valid_until,
        "audience": material.audience,
        "file_kind": material.file_kind,
        "file_size": material.file_size,
        "pages": material.pages,
        "is_sender": material.is_sender,
        "targets": [_target(t) for t in material.my_targets],
    }


@router.get("/materials", response={200: list[LibraryItemOut], **READ})
@door
def list_materials(request, filters: Query[LibraryFilters]):
    """The materials library: current materials sent to your locations or by your
    organizations, and the flyers of classes to come (`source` says which)."""
    items = queries.library_for_user(request.user, kind=filters.kind, language=filters.language)
    return [
        {
            "source": item.source,
            "id": item.pk,
            "title": item.title,
            "kind": item.kind,
            "language": item.language,
            "organization": {"id": item.organization.pk, "name": item.organization.name},
            "file_kind": item.file_kind.value,
            "valid_from": item.valid_from,
            "valid_until": item.valid_until,
            "next_session": item.next_session,
            "is_sender": item.is_sender,
            "targets": [_target(t) for t in item.targets],
        }
        for item in items
    ]


@router.get("/materials/month", response={200: GridOut, **READ})
@door
def flyer_grid(request, filters: Query[GridFilters]):
    """A month's flyers by location, with what each confirmed: every location for the
    sender's staff, your own otherwise."""
    try:
        month = datetime.strptime(filters.month, "%Y-%m").date()
    except ValueError:
        month = queries.current_month()
    grid = queries.flyer_grid(request.user, month=month)
    return {
        "month": grid.month,
        "flyers": [{"id": m.pk, "name": m.title} for m in grid.flyers],
        "rows": [
            {
                "location": place(row.location),
                "cells": [_target(c) if c is not None else None for c in row.cells],
            }
            for row in grid.rows
        ],
        "not_posted": [row.location.pk for row in grid.not_posted],
    }


@router.get("/materials/{material_id}", response={200: MaterialOut, **READ})
@door
def get_material(request, material_id: Id):
    return _material(_found(queries.material_for_user(request.user, material_id)))


@router.get("/materials/{material_id}/file", response={200: None, **READ})
@door
def material_file(request, material_id: Id):
    """The file, as an attachment whose type comes from its content (never sniffed)."""
    download = _found(queries.material_file_for_user(request.user, material_id))
    response = FileResponse(download.file)
    for name, value in download.headers.items():
        response[name] = value
    return response


@router.post("/materials", response={201: MaterialOut, **WRITE})
@door
def send_material(request, payload: Form[MaterialIn], file: File[UploadedFile]):
    """Send a material (multipart form): a PDF, PNG or JPEG checked by content, to
    `target_ids` and every location of `group_ids`."""
    organizations = _acting(request.user)
    first = organizations.first()
    form = MaterialForm(
        {
            "organization": payload.organization_id or "",
            "kind": payload.kind,
            "title": payload.title,
            "description": payload.description,
            "language": payload.language,
            "month": payload.month,
            "valid_from": payload.valid_from or "",
            "valid_until": payload.valid_until or "",
            "targets": [str(pk) for pk in payload.target_ids],
            "groups": [str(pk) for pk in payload.group_ids],
        },
        {"file": file},
        organizations=organizations,
        locations=queries.targetable_locations(first),
        groups=queries.target_groups(first),
    )
    if not form.is_valid():
        return invalid(form)
    material = domain.upload_material(
        form.cleaned_data["organization"],
        by=request.user,
        upload=form.cleaned_data["file"],
        details=form.details(),
        targets=form.cleaned_data["locations"],
    )
    return Status(201, _material(queries.material_for_user(request.user, material.pk)))


def _my_location(request, material, location_id: int):
    for target in material.my_targets:
        if target.location_id == location_id and rules.can_confirm(request.user, target.location):
            return target.location
    raise Http404


@router.post("/materials/{material_id}/confirm", response={200: TargetOut, **WRITE})
@door
def confirm(request, material_id: Id, payload: ConfirmIn):
    """Your location confirms a step: `downloaded`, `printed` (copies optional) or `posted`
    (with the copies put out). A step implies those before it."""
    material = _found(queries.material_for_user(request.user, material_id))
    location = _my_location(request, material, payload.location_id)
    target = domain.confirm(
        material, location=location, step=payload.step, by=request.user, copies=payload.copies
    )
    return _target(target)


@router.post("/materials/{material_id}/undo", response={200: TargetOut, **WRITE})
@door
def undo(request, material_id: Id, payload: ConfirmIn):
    """Take back a step confirmed by mistake, and the steps after it."""
    material = _found(queries.material_for_user(request.user, material_id))
    location = _my_location(request, material, payload.location_id)
    target = domain.undo_confirmation(
        material, location=location, step=payload.step, by=request.user
    )
    return _target(target)


@router.post("/materials/{material_id}/withdraw", response={204: None, **WRITE})
@door
def withdraw(request, material_id: Id):
    """Take a material your organization sent out of every list now."""
    material = _found(queries.material_for_user(request.user, material_id))
    domain.withdraw_material(material, by=request.user)
    return Status(204, None)


# --- Reference titles -------------------------------------------------------------------------


def _title(title) -> dict:
    return {
        "id": title.pk,
        "title": title.title,
        "author": title.author,
        "isbn": title.isbn,
        "format": title.format,
        "organization": {"id": title.organization.pk, "name": title.organization.name},
        "location": place(title.location),
        "shelf": title.shelf,
        "partner_shelf": title.partner_shelf,
        "circulation": title.circulation,
        "copies": title.copies,
        "times_asked": title.times_asked,
    }


class TitlePagination(PageNumberPagination):
    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "items": [_title(t) for t in page["items"]]}


@router.get("/titles", response={200: list[TitleOut], **READ})
@door
@paginate(TitlePagination, page_size=100)
def list_titles(request, filters: Query[TitleFilters]):
    """The combined list across the partners you read, by title; `q` finds every word in the
    title or author, or an ISBN however it is written."""
    title_format = filters.format if filters.format in TitleFormat.values else ""
    return queries.titles_for_user(request.user, search=filters.q[:200], title_format=title_format)


@router.get("/titles/suggestions", response={200: list[SuggestionOut], **READ})
@door
def list_suggestions(request, filters: Query[SuggestionFilters]):
    """Titles popular at the partners that share with your library system or center, which
    it does not hold, with the order marks."""
    organization = _ordering(request, filters.organization_id)
    return [
        {"title": _title(s.title), "order_id": s.order_id, "order_state": s.order_state}
        for s in queries.suggestions_for_user(request.user, organization=organization)
    ]


@router.get("/titles/{title_id}", response={200: TitleOut, **READ})
@door
def get_title(request, title_id: Id):
    return _title(_found(queries.title_for_user(request.user, title_id)))


def _title_form(request, payload: TitleIn, *, organizations, organization) -> TitleForm:
    return TitleForm(
        {
            "organization": payload.organization_id or "",
            "title": payload.title,
            "author": payload.author,
            "isbn": payload.isbn,
            "format": payload.format,
            "location": payload.location_id or "",
            "shelf": payload.shelf,
            **({"partner_shelf": "on"} if payload.partner_shelf else {}),
            "circulation": payload.circulation,
            "copies": payload.copies,
            "times_asked": payload.times_asked,
        },
        organizations=organizations,
        locations=queries.listing_locations(organization),
    )


@router.post("/titles", response={201: TitleOut, **WRITE})
@door
def add_a_title(request, payload: TitleIn):
    """List a title your organization holds."""
    organizations = _acting(request.user)
    form = _title_form(
        request, payload, organizations=organizations, organization=organizations.first()
    )
    if not form.is_valid():
        return invalid(form)
    title = add_title(form.cleaned_data["organization"], by=request.user, details=form.details())
    return Status(201, _title(queries.title_for_user(request.user, title.pk)))


def _editable(request, title_id: int):
    title = _found(queries.title_for_user(request.user, title_id))
    if not rules.can_edit_titles(request.user, title.organization):
        raise HttpError(403, _("Only staff of the organization that lists it can change it."))
    return title


@router.put("/titles/{title_id}", response={200: TitleOut, **WRITE})
@door
def change_a_title(request, title_id: Id, payload: TitleIn):
    """Change one of your organization's titles (every column, as listed)."""
    title = _editable(request, title_id)
    organizations = _acting(request.user).filter(pk=title.organization_id)
    form = _title_form(
        request,
        payload.model_copy(update={"organization_id": title.organization_id}),
        organizations=organizations,
        organization=title.organization,
    )
    if not form.is_valid():
        return invalid(form)
    update_title(title, by=request.user, details=form.details())
    return _title(queries.title_for_user(request.user, title_id))


@router.delete("/titles/{title_id}", response={204: None, **WRITE})
@door
def remove_a_title(request, title_id: Id):
    remove_title(_editable(request, title_id), by=request.user)
    return Status(204, None)


def _ordering(request, organization_id: int | None):
    organizations = organizations_for(request.user).filter(parent__isnull=True).order_by("pk")
    if organization_id:
        organizations = organizations.filter(pk=organization_id)
    organization = organizations.first()
    if organization is None:
        raise HttpError(
            403, _("Titles are ordered by a library system or a center, by its own staff.")
        )
    return organization


def _order(order) -> dict:
    return {
        "id": order.pk,
        "title": order.title,
        "author": order.author,
        "isbn": order.isbn,
        "copies": order.copies,
        "state": order.state,
        "ordered_at": order.ordered_at,
        "received_at": order.received_at,
    }


@router.post("/titles/{title_id}/order", response={201: OrderOut, **WRITE})
@door
def order_a_title(request, title_id: Id, payload: OrderIn):
    """Mark a partner's title ordered by your library system or center."""
    source = _found(queries.title_for_user(request.user, title_id))
    organization = _ordering(request, payload.organization_id)
    form = OrderForm({"copies": payload.copies})
    if not form.is_valid():
        return invalid(form)
    order = order_title(
        source, organization=organization, by=request.user, copies=form.cleaned_data["copies"]
    )
    return Status(201, _order(order))


@router.post("/titles/orders/{order_id}/received", response={200: OrderOut, **WRITE})
@door
def order_received(request, order_id: Id):
    order = _found(queries.order_for_user(request.user, order_id))
    return _order(mark_received(order, by=request.user))


@router.delete("/titles/orders/{order_id}", response={204: None, **WRITE})
@door
def cancel_an_order(request, order_id: Id):
    """Take back an order not yet received."""
    cancel_order(_found(queries.order_for_user(request.user, order_id)), by=request.user)
    return Status(204, None)
