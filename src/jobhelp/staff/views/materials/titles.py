"""Reference titles: the combined list across the partners that share with the user's
organizations (searchable, as a CSV file too), a partner's own titles added, changed and
removed, and the printable list of a shelf of partner resources."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.materials import queries, rules
from jobhelp.materials.enums import TitleFormat
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.exports import titles_csv
from jobhelp.materials.forms import TitleForm
from jobhelp.materials.titles import TitleInvalid, add_title, remove_title, update_title
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import page_of, results_page
from jobhelp.staff.views.materials.lookups import acting_for, door, found, refused

PER_PAGE = 50


def _filtered(request: HttpRequest):
    search = request.GET.get("q", "")[:200]
    title_format = request.GET.get("format", "")
    if title_format not in TitleFormat.values:
        title_format = ""
    titles = queries.titles_for_user(request.user, search=search, title_format=title_format)
    return search, title_format, titles


@staff_member_required
@require_GET
def title_list(request: HttpRequest) -> HttpResponse:
    door(request)
    search, title_format, titles = _filtered(request)
    page = page_of(request, titles, PER_PAGE)
    editable = {org.pk for org in acting_for(request.user)}
    for title in page.object_list:
        title.editable = title.organization_id in editable
    return results_page(
        request,
        "staff/materials/titles.html",
        {
            "page": page,
            "q": search,
            "format": title_format,
            "formats": TitleFormat.choices,
            "query": request.GET.urlencode(),
        },
    )


@staff_member_required
@require_GET
def title_csv(request: HttpRequest) -> StreamingHttpResponse:
    door(request)
    _search, _format, titles = _filtered(request)
    response = StreamingHttpResponse(titles_csv(titles), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reference-titles.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form(request: HttpRequest, organizations, *, title=None, initial=None) -> TitleForm:
    posted = request.method == "POST"
    organization = title.organization if title else organizations.first()
    return TitleForm(
        request.POST if posted else None,
        organizations=organizations,
        locations=queries.listing_locations(organization),
        initial=initial,
    )


def _add_errors(form: TitleForm, error: MaterialError) -> None:
    if isinstance(error, TitleInvalid):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(error.field if error.field in form.fields else None, error.message)


@staff_member_required
@require_http_methods(["GET", "POST"])
def title_new(request: HttpRequest) -> HttpResponse:
    door(request)
    organizations = acting_for(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = _form(request, organizations)
    if request.method == "POST" and form.is_valid():
        try:
            title = add_title(
                form.cleaned_data["organization"], by=request.user, details=form.details()
            )
        except MaterialError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is listed.") % {"title": title.title})
            return redirect("staff:materials:titles")
    return render(request, "staff/materials/title_form.html", {"form": form, "title": None})


def _initial(title) -> dict:
    return {
        "organization": title.organization_id,
        "title": title.title,
        "author": title.author,
        "isbn": title.isbn,
        "format": title.format,
        "location": title.location_id,
        "shelf": title.shelf,
        "partner_shelf": title.partner_shelf,
        "circulation": title.circulation,
        "copies": title.copies,
        "times_asked": title.times_asked,
    }


def _editable_or_403(request: HttpRequest, pk: int):
    title = found(queries.title_for_user(request.user, pk))
    if not rules.can_edit_titles(request.user, title.organization):
        raise PermissionDenied
    return title


@staff_member_required
@require_http_methods(["GET", "POST"])
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    title = _editable_or_403(request, pk)
    organizations = acting_for(request.user).filter(pk=title.organization_id)
    form = _form(request, organizations, title=title, initial=_initial(title))
    if request.method == "POST" and form.is_valid():
        try:
            update_title(title, by=request.user, details=form.details())
        except MaterialError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” is saved.") % {"title": form.cleaned_data["title"]}
            )
            return redirect("staff:materials:titles")
    return render(request, "staff/materials/title_form.html", {"form": form, "title": title})


@staff_member_required
@require_POST
def title_remove(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    title = _editable_or_403(request, pk)
    try:
        remove_title(title, by=request.user)
    except MaterialError as error:
        return refused(request, error.message, "staff:materials:title_edit", pk)
    messages.success(request, _("“%(title)s” is removed from the list.") % {"title": title.title})
    return redirect("staff:materials:titles")


@staff_member_required
@require_GET
def shelf(request: HttpRequest) -> HttpResponse:
    """The printable list of a shelf of partner resources (the center's shelf of library
    resources); ?location= chooses among the shelves the user may read."""
    door(request)
    shelves = list(queries.partner_shelves_for_user(request.user))
    chosen = shelves[0] if shelves else None
    wanted = request.GET.get("location", "")
    for location in shelves:
        if str(location.pk) == wanted:
            chosen = location
    titles = queries.shelf_list(request.user, location=chosen) if chosen else []
    return render(
        request,
        "staff/materials/shelf.html",
        {"shelves": shelves, "chosen": chosen, "titles": titles},
    )
