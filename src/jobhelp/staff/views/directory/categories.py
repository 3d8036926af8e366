"""Categories besides jobhelp's own needs and ways of access (HSDS taxonomy terms): the list,
with how many entries each files, for any staff; a new category, for managers
(directory.rules.can_manage_places), or removes one nobody uses (directory.domain.remove_term,
audited); and an entry's categories, for the staff of the
organization that offers it (directory.domain.update_service with `terms`, audited)."""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.directory import domain, queries
from jobhelp.directory.models import TaxonomyTerm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import ServiceTermsForm, TermForm
from jobhelp.staff.views.directory.lookups import list_and_add, remove_from_list


def _terms():
    return TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name", "pk")


@staff_member_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The categories; managers add one (a name that is empty stays on the form)."""
    return list_and_add(
        request,
        form_class=partial(TermForm, terms=_terms()),
        save=domain.create_term,
        saved=lambda term: _("Category “%(name)s” added.") % {"name": term.name},
        back="staff:directory:categories",
        template="staff/directory/categories.html",
        context={"terms": queries.terms_with_use()},
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def service_terms(request: HttpRequest, service_id: str) -> HttpResponse:
    """File an entry under categories; a category that does not exist is an error on the
    form, nothing written. Another organization's entry is a 404."""
    service = queries.service_for_user(request.user, service_id)
    if service is None:
        raise Http404
    if request.method == "POST":
        form = ServiceTermsForm(request.POST, terms=_terms())
        if form.is_valid():
            _service, changed = domain.update_service(
                service, by=request.user, terms=list(form.cleaned_data["terms"])
            )
            messages.success(
                request,
                _("The categories are saved.") if changed else _("Nothing changed."),
            )
            return redirect("staff:directory:detail", service.uuid)
        status = 400
    else:
        form = ServiceTermsForm(
            initial={"terms": list(service.terms.values_list("pk", flat=True))}, terms=_terms()
        )
        status = 200
    return render(
        request,
        "staff/directory/service_terms.html",
        {"service": service, "form": form},
        status=status,
    )


@staff_member_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers: remove a category; one still in use is refused with the reason, nothing
    removed."""
    return remove_from_list(
        request,
        TaxonomyTerm,
        pk,
        remove=domain.remove_term,
        removed=lambda term: _("Category “%(name)s” removed.") % {"name": term.name},
        back="staff:directory:categories",
    )
