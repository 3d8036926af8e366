"""What the directory's pages share: finding a location the person acts for (another
organization's is a 404), and the managers' shared lists (categories, towns and ZIP codes):
the list with a form to add one, and removing one, where a DirectoryError says why not."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jobhelp.directory import queries, rules
from jobhelp.directory.domain import DirectoryError


def location_or_404(user, pk: int):
    location = queries.location_for_user(user, pk)
    if location is None:
        raise Http404
    return location


def list_and_add(
    request: HttpRequest,
    *,
    form_class,
    save: Callable,
    saved: Callable[[object], str],
    back: str,
    template: str,
    context: dict,
) -> HttpResponse:
    """A shared list any staff read, with a form to add to it for managers
    (directory.rules.can_manage_places): `save(by=, **cleaned_data)` is the domain function, its
    refusal shows on the form (400, what was typed kept); on success `saved(obj)` is said and the
    page (`back`) shown again."""
    may_add = rules.can_manage_places(request.user)
    form, status = None, 200
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        form = form_class(request.POST)
        if form.is_valid():
            try:
                obj = save(by=request.user, **form.cleaned_data)
            except DirectoryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, saved(obj))
                return redirect(back)
        status = 400
    elif may_add:
        form = form_class()
    return render(request, template, {**context, "form": form}, status=status)


def remove_from_list(
    request: HttpRequest,
    model,
    pk: int,
    *,
    remove: Callable,
    removed: Callable[[object], str],
    back: str,
) -> HttpResponse:
    """Managers: remove one row of a shared list with `remove(obj, by=)`; a refusal says why,
    nothing removed."""
    if not rules.can_manage_places(request.user):
        raise PermissionDenied
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    try:
        remove(obj, by=request.user)
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, removed(obj))
    return redirect(back)
