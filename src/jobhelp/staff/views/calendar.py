"""The staff calendar (a day or a week of one helper or one location) and a helper's own
calendar feed for Google, Outlook or Apple Calendar.

The calendar shows only appointments at the locations of the user's organizations; a helper or
location of another organization is a 404. The feed is read by calendar programs, which have no
session: its secret address is the only key, and it shows patrons' first names and reference
codes, nothing more (scheduling.ics.helper_feed).
"""

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.links import GUESS_WINDOW_SECONDS, LinkProblem, TooManyGuesses, guarded_lookup
from jobhelp.scheduling import ics, links
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.queries import (
    appointments_for_feed,
    calendar_for_user,
    helpers_for_user,
    locations_for_user,
)
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.forms.calendar import CalendarForm

CANCELLED_STATES = frozenset({AppointmentState.CANCELLED, AppointmentState.CANCELLED_LATE})
FEED_SCOPE = "calendar_feed"


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


@staff_member_required
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    helpers = helpers_for_user(user)
    locations = locations_for_user(user)
    form = CalendarForm(request.GET, helpers=helpers, locations=locations)
    form.is_valid()
    if "helper" in form.errors or "location" in form.errors:
        # Another organization's helper or location, or no such id: nothing to show either way.
        raise Http404
    data = form.cleaned_data
    helper = data.get("helper")
    location = data.get("location")
    if helper is None and location is None:
        if user.memberships.filter(role__in=HELPING_ROLES).exists():
            helper = user
        else:
            # Front desk staff see their own library's calendar first, if they have one.
            home = (
                user.memberships.filter(home_location__in=locations)
                .values_list("home_location_id", flat=True)
                .first()
            )
            location = (
                locations.filter(pk=home).first()
                if home
                else locations.order_by("name", "pk").first()
            )
    view = data.get("view") or "week"
    zone = location.zone if location is not None else timezone.get_current_timezone()
    day = data.get("date") or timezone.localdate(timezone=zone)
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    last = first + timedelta(days=6 if view == "week" else 0)

    days = _days(user, first, last, helper=helper, location=location)
    step = timedelta(days=7 if view == "week" else 1)
    keep = {
        "view": view,
        "helper": helper.pk if helper is not None else None,
        "location": location.pk if location is not None else None,
    }
    return render(
        request,
        "staff/calendar/index.html",
        {
            "form": CalendarForm(
                initial={
                    "view": view,
                    "date": day,
                    "helper": keep["helper"],
                    "location": keep["location"],
                },
                helpers=helpers,
                locations=locations,
            ),
            "date_errors": form.errors.get("date", []),
            "view": view,
            "first": first,
            "last": last,
            "days": days,
            "count": sum(len(d["rows"]) for d in days),
            "helper": helper,
            "location": location,
            "previous_url": _query(**keep, date=(day - step).isoformat()),
            "next_url": _query(**keep, date=(day + step).isoformat()),
            "today_url": _query(**keep),
            "week_url": _query(**{**keep, "view": "week"}, date=day.isoformat()),
            "day_url": _query(**{**keep, "view": "day"}, date=day.isoformat()),
        },
    )


def _days(user, first: date, last: date, *, helper, location) -> list[dict]:
    """Each local date from `first` to `last` with its appointments, each on the clock of its
    location. The query reaches a day further either side, which covers every zone's dates."""
    lower = datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)
    upper = datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC)
    visible = set(organizations_for(user).values_list("pk", flat=True))
    by_date: dict[date, list[dict]] = {}
    for appointment in calendar_for_user(
        user, lower=lower, upper=upper, helper=helper, location=location
    ):
        zone = appointment.location.zone
        starts = in_zone(appointment.starts, zone)
        if not first <= starts.date() <= last:
            continue
        request = appointment.request
        # A request at a sibling branch is not this person's to open, nor its patron's name.
        shown = request is not None and request.organization_id in visible
        by_date.setdefault(starts.date(), []).append(
            {
                "appointment": appointment,
                "starts": starts,
                "ends": in_zone(appointment.ends, zone),
                "request": request if shown else None,
                "first_name": ics.first_name(request.name) if shown else "",
                "cancelled": appointment.state in CANCELLED_STATES,
            }
        )
    result = []
    day = first
    while day <= last:
        rows = sorted(by_date.get(day, []), key=lambda r: (r["starts"], r["appointment"].pk))
        result.append({"date": day, "rows": rows})
        day += timedelta(days=1)
    return result


# --- A helper's calendar feed --------------------------------------------------------------------


def feed_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("staff:calendar:feed_ics", args=[token])


@staff_member_required
@require_http_methods(["GET", "POST"])
def feed(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the user's feed address, shown once, with how to subscribe."""
    address = None
    if request.method == "POST":
        _feed, token = links.create_feed(request.user, by=request.user)
        address = feed_url(token)
    current = request.user.calendar_feeds.filter(revoked_at__isnull=True).first()
    return render(
        request,
        "staff/calendar/feed.html",
        {
            "address": address,
            "webcal": "webcal://" + address.split("://", 1)[1] if address else None,
            "current": current,
        },
    )


@staff_member_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if links.revoke_feed(request.user, by=request.user):
        messages.success(
            request, _("Your calendar address is turned off. Calendars using it stop updating.")
        )
    else:
        messages.error(request, _("You have no calendar address to turn off."))
    return redirect("staff:calendar:feed")


@require_safe
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar programs: no login, the address is the key. Unknown
    addresses count against the caller's address apart from the patrons' links: calendar
    services fetch many people's feeds from a few shared addresses, and keep fetching an
    address that was turned off."""
    try:
        helper = guarded_lookup(request, lambda: links.helper_for_feed(token), scope=FEED_SCOPE)
    except TooManyGuesses:
        response = HttpResponse(
            _("Too many tries. Please try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(GUESS_WINDOW_SECONDS)
        return response
    except LinkProblem:
        raise Http404 from None
    appointments = appointments_for_feed(helper, now=timezone.now())
    body = ics.helper_feed(appointments, name=_("Job help: %(name)s") % {"name": helper})
    response = HttpResponse(body, content_type=f"{ics.CONTENT_TYPE}; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="jobhelp.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
