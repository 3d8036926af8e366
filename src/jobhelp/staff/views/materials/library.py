"""The materials library: the current materials sent by or to the user's organizations and the
flyers of classes to come, with the picture of their first page, and their files as downloads
through permission-checked views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobhelp.core.enums import Language
from jobhelp.materials import queries
from jobhelp.materials.enums import MaterialKind
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.views.materials.lookups import door, serve_download, serve_picture


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


@staff_member_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    door(request)
    kinds = [*MaterialKind.values, queries.CLASS_FLYER]
    kind = _choice(request.GET.get("kind", ""), kinds)
    language = _choice(request.GET.get("language", ""), Language.values)
    names = dict(Language.choices)
    items = [
        (item, names.get(item.language, item.language))
        for item in queries.library_for_user(request.user, kind=kind, language=language)
    ]
    return render(
        request,
        "staff/materials/library.html",
        {
            "items": items,
            "kind": kind,
            "language": language,
            "kinds": [*MaterialKind.choices, (queries.CLASS_FLYER, None)],
            "languages": Language.choices,
        },
    )


@staff_member_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    return serve_download(queries.material_file_for_user(request.user, pk))


@staff_member_required
@require_GET
def picture(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    return serve_picture(queries.thumbnail_for_user(request.user, pk))


@staff_member_required
@require_GET
def class_flyer_download(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    return serve_download(queries.class_flyer_file_for_user(request.user, pk))


@staff_member_required
@require_GET
def class_flyer_picture(request: HttpRequest, pk: int) -> HttpResponse:
    door(request)
    found = queries.class_flyer_file_for_user(request.user, pk)
    if found is None:
        return serve_picture(None)
    found.file.close()
    return serve_picture(queries.class_flyer_thumbnail(found.kind))
