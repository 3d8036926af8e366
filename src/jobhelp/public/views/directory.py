"""The public directory and the public computers page: thin layers over directory.queries,
directory.waits and directory.computers.

- `/directory/`: the search (need, language, town or ZIP code, open now, words), a GET form
  that works without JavaScript; `/directory/<uuid>/`, a listed service with its locations,
  hours and coming exceptions, links to ask for help and to the classes on its topics.
- `/computers/`: every location's public computers with its wait, hours and whether it is open,
  and the place with the shortest wait near a town or ZIP code. Its data is cached by the
  domain (directory.waits, under versions a new count raises), so a count shows on the next
  load.
- `/computers/<location>/kiosk/<secret>/`: a kiosk's page to post the location's counts. The
  secret is the key (core.links): unknown ones are 404 and rate-limited, another location's is
  refused, and the page is kept out of caches and Referer headers.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from jobhelp.core.links import LinkProblem, guarded_lookup, secret_page
from jobhelp.directory import queries, waits
from jobhelp.directory.computers import CountError, open_kiosk, record_kiosk_count
from jobhelp.directory.display import service_labels, software_labels, weekly_lines
from jobhelp.directory.forms import CountForm
from jobhelp.directory.places import PlaceUnknown
from jobhelp.public.common.pagecache import public_page
from jobhelp.public.forms.directory import DirectorySearchForm, NearestForm

# --- The directory --------------------------------------------------------------------------


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Listed services, narrowed as the visitor asks. An unknown town or ZIP code is an error
    on its field; nothing else is refused (a value not offered is not kept by the form)."""
    now = timezone.now()
    form = DirectorySearchForm(request.GET or None)
    searched = form.is_bound and form.is_valid()
    results = []
    if searched:
        data = form.cleaned_data
        try:
            results = queries.search_services(
                now=now,
                need=data["need"],
                language=data["language"],
                place=data["place"],
                open_now=data["open_now"],
                text=data["text"],
            )
        except PlaceUnknown as problem:
            form.add_error("place", str(problem))
            searched = False
    elif not form.is_bound:
        results = queries.search_services(now=now)
    return render(
        request,
        "public/directory/search.html",
        {
            "form": form,
            "searched": searched,
            "invalid": form.is_bound and not searched,
            "results": [{"match": match, **service_labels(match.service)} for match in results],
        },
    )


@require_safe
def service(request: HttpRequest, service_id) -> HttpResponse:
    """A listed service's page; 404 for an unknown id or one not listed."""
    page = queries.service_page(service_id, now=timezone.now())
    if page is None:
        raise Http404
    entry = page.service
    classes_url = reverse("public:classes:list")
    if entry.needs:
        classes_url += "?" + urlencode({"need": entry.needs[0]})
    return render(
        request,
        "public/directory/service.html",
        {
            "page": page,
            "service": entry,
            **service_labels(entry),
            "places": [
                {"hours": hours, "weekly": weekly_lines(hours.weekly)} for hours in page.places
            ],
            "help_url": reverse("public:help:form_for", args=[entry.organization.slug])
            if entry.organization.accepts_public_requests
            else reverse("public:help:form"),
            "classes_url": classes_url,
        },
    )


# --- Public computers -------------------------------------------------------------------------


def _computer_row(row) -> dict:
    return {
        "row": row,
        "software": software_labels(row.software),
        "free": None if row.estimate.in_use is None else row.computers - row.estimate.in_use,
    }


@require_safe
@public_page(numbers=waits.overview_numbers)
def computers(request: HttpRequest) -> HttpResponse:
    """Every location's computers and wait; with a town or ZIP code, the nearest first. Its
    data is cached (directory.waits), under the versions a count raises; a plain visit's whole
    page is kept under the same versions and the minute (public.common.pagecache), so a new
    count shows on the next load."""
    now = timezone.now()
    form = NearestForm(request.GET or None)
    suggestion = None
    if form.is_bound and form.is_valid() and form.cleaned_data["place"]:
        try:
            suggestion = waits.nearest_computers(form.cleaned_data["place"], now=now)
        except PlaceUnknown as problem:
            form.add_error("place", str(problem))
    return render(
        request,
        "public/directory/computers.html",
        {
            "form": form,
            "suggestion": suggestion,
            "options": [
                {**_computer_row(option.location), "option": option}
                for option in (suggestion.options if suggestion else ())
            ],
            "rows": [_computer_row(row) for row in waits.computer_overview(now=now)],
        },
    )


def _kiosk_page(request, location, token, *, form, done=False, error="", status=200):
    row = waits.location_computers(location.pk, now=timezone.now())
    return render(
        request,
        "public/directory/kiosk.html",
        {
            "location": location,
            "token": token,
            "form": form,
            "row": row and _computer_row(row),
            "done": done,
            "error": error,
        },
        status=status,
    )


@secret_page
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest, location_id, token: str) -> HttpResponse:
    """A kiosk's count form for its location. A count that cannot be right is shown on the form
    with nothing written (400)."""
    location = queries.public_location(location_id)
    if location is None:
        raise Http404
    try:
        guarded_lookup(request, lambda: open_kiosk(location, token))
    except LinkProblem as problem:
        return render(
            request,
            "public/directory/kiosk_unavailable.html",
            {"problem": problem, "location": location},
            status=problem.status,
        )
    except CountError as error:
        return render(
            request,
            "public/directory/kiosk_unavailable.html",
            {"error": str(error), "location": location},
            status=403,
        )
    if request.method != "POST":
        done = request.GET.get("counted") == "1"
        return _kiosk_page(request, location, token, form=CountForm(), done=done)
    form = CountForm(request.POST)
    if not form.is_valid():
        return _kiosk_page(request, location, token, form=form, status=400)
    try:
        record_kiosk_count(
            location=location,
            token=token,
            in_use=form.cleaned_data["in_use"],
            waiting=form.cleaned_data["waiting"],
        )
    except (CountError, LinkProblem) as error:
        form.add_error(None, str(error))
        return _kiosk_page(request, location, token, form=form, error=str(error), status=400)
    # After a POST, a GET: reloading the page does not send the count again.
    response = HttpResponseRedirect(request.path + "?counted=1")
    response.status_code = 303
    return response
