"""The patron's own appointment pages, behind the secret link the messages carry
(scheduling.links): see the appointment, move it, cancel it, or choose a time from an offer;
and, for a patron without email, a page that finds the appointment by reference code and
phone number and issues a fresh link.

Reading a link never changes anything, because email scanners and link previews open links:
every change is a POST made from a form on these pages. The pages never reveal whether a link
or a code exists beyond "this does not work", and tell the browser not to keep them, index
them or pass their address on (`core.links.secret_page`). The token is in the path, which
Django's own request log shows for a 4xx answer; nothing here logs it.

Status codes: a form with a mistake is shown again with 200, as the request form is; a time
someone else took first is shown again with 409 and the next free times marked; an unknown,
altered or revoked link is a 404 and an expired one a 410; too many lookups by reference code,
or too many unknown links from one address (core.links.guarded_lookup), are a 429.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from jobhelp.core.clientip import client_ip
from jobhelp.core.enums import Modality
from jobhelp.core.i18n import activate_patron_language
from jobhelp.core.links import LinkProblem, guarded_lookup, secret_page
from jobhelp.core.ratelimit import hit, used_up
from jobhelp.intake.enums import BestTime
from jobhelp.organizations.queries import phone_for_patrons, public_organization
from jobhelp.public.forms.appointments import (
    ANYONE,
    AppointmentLookupForm,
    CancelForm,
    ChosenSlot,
    DayChoiceForm,
    OfferViewForm,
    TimeChoiceForm,
    slot_value,
)
from jobhelp.scheduling import availability, links, rules
from jobhelp.scheduling.choosing import find_choice, helper_choices, plan_days
from jobhelp.scheduling.domain import (
    BookingError,
    SlotTaken,
    cancel_appointment,
    reschedule_appointment,
)
from jobhelp.scheduling.enums import ACTIVE_STATES, AppointmentState
from jobhelp.scheduling.models import Appointment
from jobhelp.scheduling.offers import book_from_offer
from jobhelp.scheduling.search import slots_for_request

# The lookup is a guessing target (a six-character code and a phone number): ten tries per
# address per ten minutes is plenty for a person and nothing for a script.
LOOKUP_RATE_LIMIT = 10
LOOKUP_RATE_WINDOW_SECONDS = 10 * 60
LOOKUP_SCOPE = "appointment_lookup"
NOT_FOUND = gettext_lazy(
    "We could not find an appointment with that code and phone number. Use the reference code "
    "from your appointment message, or the one you were given when you asked for help (both "
    "look like ABC-DEF), and the phone number you gave us."
)


def _link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    # An expired link still says whose it was; an unknown one says nothing, and gets the
    # library system's number.
    link = getattr(problem, "link", None)
    organization = _helping(link.request, link.appointment) if link is not None else None
    if link is not None:
        help_request = link.request or (link.appointment and link.appointment.request)
        if help_request is not None:
            activate_patron_language(request, help_request.language)
    organization = organization or public_organization(settings.PUBLIC_ORGANIZATION_SLUG)
    return render(
        request,
        "public/appointments/link_problem.html",
        {
            "problem": problem,
            "organization": organization,
            "phone": phone_for_patrons(organization),
        },
        status=problem.status,
    )


def _helping(help_request, appointment):
    """The organization helping the patron: their request's, or (for an appointment without a
    request) the one of the appointment's place."""
    help_request = help_request or (appointment.request if appointment is not None else None)
    if help_request is not None:
        return help_request.organization
    return appointment.location.organization if appointment is not None else None


def _open(request: HttpRequest, token: str, now: datetime):
    """(opened link, None), or (None, the page that explains why the link does not work). The
    pages behind a good link are in the language the patron chose on their request."""
    try:
        opened = guarded_lookup(request, lambda: links.open_link(token, now=now))
    except LinkProblem as problem:
        return None, _link_problem(request, problem)
    help_request = opened.link.request or (opened.appointment and opened.appointment.request)
    if help_request is not None:
        activate_patron_language(request, help_request.language)
    return opened, None


def _is_upcoming(appointment: Appointment, now: datetime) -> bool:
    # Once it has started, what happened is for staff to record; the patron can only look.
    return appointment.state in ACTIVE_STATES and appointment.starts > now


def _may_reschedule(appointment: Appointment, now: datetime) -> bool:
    return _is_upcoming(appointment, now) and rules.may_act(
        None,
        help_request=appointment.request,
        organization=appointment.location.organization,
        appointment_type=appointment.appointment_type,
    )


def _appointment_url(token: str) -> str:
    return reverse("public:appointments:detail", args=[token])


def _situation(appointment: Appointment, now: datetime) -> str:
    """What happened to the appointment, in a sentence for the patron."""
    match appointment.state:
        case AppointmentState.BOOKED if appointment.starts > now:
            return _("Your appointment is booked.")
        case AppointmentState.BOOKED:
            return _("The time of this appointment has passed.")
        case AppointmentState.ATTENDED:
            return _("You came to this appointment. Thank you!")
        case AppointmentState.NO_SHOW:
            return _("This appointment was missed. Call us if you want a new time.")
        case _:
            return _("This appointment was cancelled. Call us if you want a new time.")


def _where(appointment: Appointment) -> list[str]:
    """Where it happens, one line each, as the patron needs to know it."""
    location = appointment.location
    match appointment.appointment_type.modality:
        case Modality.IN_PERSON:
            return [
                location.name,
                location.street,
                f"{location.city}, {location.state} {location.postal_code}",
            ]
        case Modality.PHONE:
            return [_("By phone. We will call you at the number you gave us.")]
        case Modality.VIDEO:
            return [_("By video call. Your helper will send you the link to join.")]
        case _:
            return [_("By email. Your helper will write to you.")]


# --- Showing -------------------------------------------------------------------------------


@secret_page
@require_safe
def appointment(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment the link belongs to, or the times an offer lets the patron choose."""
    now = timezone.now()
    opened, problem = _open(request, token, now)
    if problem is not None:
        return problem
    if opened.is_offer:
        return _offer_page(request, opened, token=token, now=now)
    return _appointment_page(request, opened.appointment, token=token, now=now)


def _appointment_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    token: str,
    now: datetime,
    cancel_form: CancelForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    upcoming = _is_upcoming(appointment, now)
    return render(
        request,
        "public/appointments/detail.html",
        {
            "token": token,
            "appointment": appointment,
            "when": appointment.starts.astimezone(appointment.location.zone),
            "upcoming": upcoming,
            "situation": _situation(appointment, now),
            "where": _where(appointment),
            "in_person": appointment.appointment_type.modality == Modality.IN_PERSON,
            "may_reschedule": _may_reschedule(appointment, now),
            "phone": phone_for_patrons(_helping(None, appointment)),
            "cancel_form": cancel_form or CancelForm(),
            "error": error,
        },
        status=status,
    )


def _day_groups(rows, *, chosen=None, next_free=()) -> list[dict]:
    """Times grouped by their day on the clock of their location, in order. `rows` are
    (helper or None, location, starts UTC); `next_free` are rows to mark as the next free
    times after a time was taken."""
    marked = set(next_free)
    days: dict = {}
    for helper, location, starts in rows:
        when = starts.astimezone(location.zone)
        value = slot_value(starts, helper=helper, location=location if helper else None)
        days.setdefault(when.date(), []).append(
            {
                "value": value,
                "when": when,
                "helper": helper,
                "location": location,
                "next_free": (helper, location, starts) in marked,
                "checked": value == chosen,
            }
        )
    return [{"day": slots[0]["when"], "slots": slots} for _day, slots in sorted(days.items())]


def _offered(opened: links.OpenedLink, now: datetime) -> list[tuple]:
    link = opened.link
    return slots_for_request(
        link.request,
        link.appointment_type,
        now=now,
        days=availability.window_days(link.appointment_type),
    )


def _offer_page(
    request: HttpRequest,
    opened: links.OpenedLink,
    *,
    token: str,
    now: datetime,
    offered: list[tuple] | None = None,
    form: TimeChoiceForm | None = None,
    taken: SlotTaken | None = None,
    taken_slot: ChosenSlot | None = None,
    status: int = 200,
) -> HttpResponse:
    """The offer's times: whose (the helper assigned to the request first; scheduling.choosing),
    the days that have free times, and the times of one day, the patron's best time of day
    first. `?helper=` and `?day=` choose; the booking form keeps them in its address, so a
    refused choice comes back to the same day."""
    link = opened.link
    help_request = link.request
    if offered is None:
        offered = _offered(opened, now)
    choices = helper_choices(help_request)
    viewing = OfferViewForm(request.GET, choices=choices, language=help_request.language)
    viewing.is_valid()
    helper_value = viewing.cleaned_data.get("helper") or (
        str(choices[0].helper.pk) if choices else ANYONE
    )
    viewing.data = viewing.data.copy()
    viewing.data["helper"] = helper_value
    chosen_helper = find_choice(choices, helper_value)
    shown = (
        [row for row in offered if row[0].pk == chosen_helper.helper.pk]
        if chosen_helper is not None
        else offered
    )
    plan = plan_days(
        shown,
        local=lambda row: row[2].astimezone(row[1].zone),
        best_time=help_request.best_time,
        day=viewing.cleaned_data.get("day"),
    )
    next_free = []
    if taken is not None and taken_slot is not None:
        next_free = [
            row
            for row in offered
            if row[0].pk == taken_slot.helper_id
            and row[1].pk == taken_slot.location_id
            and row[2] in taken.next_starts
        ]
    chosen = form.data.get("slot") if form is not None and taken is None else None
    picked = _days_and_times(
        request,
        plan,
        chosen=chosen,
        best_time=help_request.best_time,
        next_free=next_free,
        errors=viewing.errors,
        keep={"helper": helper_value},
    )
    return render(
        request,
        "public/appointments/offer.html",
        {
            "token": token,
            "help_request": help_request,
            "phone": phone_for_patrons(help_request.organization),
            "appointment_type": link.appointment_type,
            "viewing": viewing,
            **picked,
            "next_free": _day_groups(next_free),
            "form": form
            if form is not None and taken is None
            else TimeChoiceForm(with_helper=True),
            "taken": taken,
            "idempotency_key": secrets.token_urlsafe(24),
            "action": reverse("public:appointments:book", args=[token]) + picked["query"],
        },
        status=status,
    )


def _days_and_times(request, plan, *, best_time, chosen, next_free, errors, keep) -> dict:
    """The day picker's links, the shown day's times in parts (the best time of day first),
    what was wrong with the choice of day or person, and the query that keeps them (for the
    booking form's address, so a refused choice comes back to the same day)."""
    problems = [str(e) for field_errors in errors.values() for e in field_errors]
    if plan.not_offered and "day" not in errors:
        problems.append(_("There are no free times on that day. Choose one of the days listed."))
    query = request.GET.copy()
    for name, value in keep.items():
        query[name] = value
    day_links = []
    for day in plan.days:
        query["day"] = day.date.isoformat()
        day_links.append({"day": day, "query": query.urlencode(), "current": day.date == plan.day})
    query.pop("day", None)
    if plan.day is not None and request.GET.get("day"):
        query["day"] = plan.day.isoformat()
    best_label = (
        _("your best time: %(when)s") % {"when": BestTime(best_time).label} if plan.best else ""
    )
    other_label = _("other times") if plan.best else ""
    parts = [
        _day_part(plan.best, plan.day, best_label, chosen, next_free),
        _day_part(plan.other, plan.day, other_label, chosen, next_free),
    ]
    return {
        "problems": problems,
        "day_links": day_links,
        "days": [part for part in parts if part["slots"]],
        "query": "?" + query.urlencode() if query else "",
    }


def _day_part(rows, day, label, chosen, next_free) -> dict:
    """One group of a day's times, for time_choices.html: the day (and which part of it)
    as the legend."""
    groups = _day_groups(rows, chosen=chosen, next_free=next_free)
    return {
        "day": groups[0]["day"] if groups else day,
        "part": label,
        "slots": groups[0]["slots"] if groups else [],
    }


# --- Booking from an offer -------------------------------------------------------------------


@secret_page
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, token: str) -> HttpResponse:
    """Book the time chosen from an offer. A GET (a reload, a scanner) only goes back to the
    link's page."""
    now = timezone.now()
    opened, problem = _open(request, token, now)
    if problem is not None:
        return problem
    if request.method == "GET":
        return redirect(_appointment_url(token))
    if not opened.is_offer:
        # The offer was used already, most likely by this very form sent twice.
        if opened.appointment.idempotency_key == request.POST.get("idempotency_key"):
            messages.success(request, _("Thank you! This time is booked for you."))
        else:
            messages.info(request, _("An appointment was already booked with this link."))
        return redirect(_appointment_url(token))

    form = TimeChoiceForm(request.POST, with_helper=True)
    offered = _offered(opened, now)
    if not form.is_valid():
        return _offer_page(request, opened, token=token, now=now, offered=offered, form=form)
    chosen = form.cleaned_data["slot"]
    # Only the helpers and places this offer lists; the booking checks the time itself.
    places = {(helper.pk, location.pk): (helper, location) for helper, location, _s in offered}
    place = places.get((chosen.helper_id, chosen.location_id))
    if place is None:
        form.add_error("slot", _("Choose one of the times offered."))
        return _offer_page(request, opened, token=token, now=now, offered=offered, form=form)
    helper, location = place
    try:
        book_from_offer(
            opened,
            helper=helper,
            location=location,
            starts=chosen.starts,
            idempotency_key=form.cleaned_data["idempotency_key"],
            now=now,
        )
    except SlotTaken as taken:
        return _offer_page(
            request,
            opened,
            token=token,
            now=now,
            taken=taken,
            taken_slot=chosen,
            status=409,
        )
    except BookingError as error:
        form.add_error(None, str(error))
        return _offer_page(request, opened, token=token, now=now, offered=offered, form=form)
    messages.success(request, _("Thank you! This time is booked for you."))
    return redirect(_appointment_url(token))


# --- Rescheduling ----------------------------------------------------------------------------


def _reschedule_times(appointment: Appointment, now: datetime) -> list[tuple]:
    """Free times with the same helper, place and type within the type's booking window."""
    days = availability.window_days(appointment.appointment_type)
    return [
        (None, appointment.location, s)
        for s in availability.move_slots(appointment, now=now, days=days)
    ]


def _reschedule_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    token: str,
    now: datetime,
    form: TimeChoiceForm | None = None,
    taken: SlotTaken | None = None,
    status: int = 200,
) -> HttpResponse:
    times = _reschedule_times(appointment, now)
    next_free = [row for row in times if taken is not None and row[2] in taken.next_starts]
    chosen = form.data.get("slot") if form is not None and taken is None else None
    viewing = DayChoiceForm(request.GET)
    viewing.is_valid()
    best_time = appointment.request.best_time if appointment.request else BestTime.ANY
    plan = plan_days(
        times,
        local=lambda row: row[2].astimezone(row[1].zone),
        best_time=best_time,
        day=viewing.cleaned_data.get("day"),
    )
    picked = _days_and_times(
        request,
        plan,
        best_time=best_time,
        chosen=chosen,
        next_free=next_free,
        errors=viewing.errors,
        keep={},
    )
    return render(
        request,
        "public/appointments/reschedule.html",
        {
            "token": token,
            "appointment": appointment,
            "phone": phone_for_patrons(_helping(None, appointment)),
            "when": appointment.starts.astimezone(appointment.location.zone),
            **picked,
            "next_free": _day_groups(next_free),
            "form": form
            if form is not None and taken is None
            else TimeChoiceForm(with_helper=False),
            "taken": taken,
            "idempotency_key": secrets.token_urlsafe(24),
            "action": reverse("public:appointments:reschedule", args=[token]) + picked["query"],
        },
        status=status,
    )


@secret_page
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    """GET lists the free times of the same helper at the same place; POST moves the
    appointment to the chosen one."""
    now = timezone.now()
    opened, problem = _open(request, token, now)
    if problem is not None:
        return problem
    if opened.is_offer:
        return redirect(_appointment_url(token))
    appointment = opened.appointment
    form = TimeChoiceForm(request.POST, with_helper=False) if request.method == "POST" else None
    if not _may_reschedule(appointment, now):
        if form is not None:
            messages.error(request, _("This appointment cannot be moved. Nothing was changed."))
        return redirect(_appointment_url(token))
    if form is None:
        return _reschedule_page(request, appointment, token=token, now=now)
    if not form.is_valid():
        return _reschedule_page(request, appointment, token=token, now=now, form=form)
    try:
        reschedule_appointment(
            appointment,
            starts=form.cleaned_data["slot"].starts,
            by=None,
            idempotency_key=form.cleaned_data["idempotency_key"],
            now=now,
        )
    except SlotTaken as taken:
        return _reschedule_page(request, appointment, token=token, now=now, taken=taken, status=409)
    except BookingError as error:
        form.add_error(None, str(error))
        return _reschedule_page(request, appointment, token=token, now=now, form=form)
    messages.success(request, _("Your appointment has been moved."))
    return redirect(_appointment_url(token))


# --- Cancelling ------------------------------------------------------------------------------


@secret_page
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel after the patron ticked the confirmation box. A GET only goes back to the
    appointment."""
    now = timezone.now()
    opened, problem = _open(request, token, now)
    if problem is not None:
        return problem
    if request.method == "GET" or opened.is_offer:
        return redirect(_appointment_url(token))
    appointment = opened.appointment
    if not _is_upcoming(appointment, now):
        return _appointment_page(
            request,
            appointment,
            token=token,
            now=now,
            error=_("This appointment cannot be cancelled any more. Nothing was changed."),
        )
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _appointment_page(request, appointment, token=token, now=now, cancel_form=form)
    try:
        cancel_appointment(appointment, by=None, now=now)
    except BookingError as error:
        return _appointment_page(request, appointment, token=token, now=now, error=str(error))
    messages.success(request, _("Your appointment is cancelled."))
    return redirect(_appointment_url(token))


# --- Finding an appointment without the link ---------------------------------------------------


@secret_page
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """For a patron without email: a reference code (the appointment's, or the request's: one
    code per caller) and the phone number they gave open a fresh link to their appointment.
    Whatever does not match gets the same answer, which says which codes to use, so neither
    half can be guessed alone. Only lookups that found nothing count against the limit: a
    patron who mistypes the format is told so and not held back."""
    if request.method == "GET":
        return _lookup_page(request, AppointmentLookupForm())
    form = AppointmentLookupForm(request.POST)
    address = client_ip(request)
    limit = {"limit": LOOKUP_RATE_LIMIT, "window_seconds": LOOKUP_RATE_WINDOW_SECONDS}
    if used_up(LOOKUP_SCOPE, address, **limit):
        return _lookup_page(request, form, rate_limited=True, status=429)
    if not form.is_valid():
        return _lookup_page(request, form)
    found = links.link_by_reference(form.cleaned_data["reference"], form.cleaned_data["phone"])
    if found is None:
        hit(LOOKUP_SCOPE, address, **limit)
        form.add_error(None, NOT_FOUND)
        return _lookup_page(request, form)
    if found.token is None:
        # Their request, which has no appointment yet: say so, with its helpers' number.
        activate_patron_language(request, found.help_request.language)
        return _lookup_page(request, form, no_appointment=found.help_request)
    return redirect(_appointment_url(found.token))


def _lookup_page(
    request: HttpRequest,
    form: AppointmentLookupForm,
    *,
    rate_limited: bool = False,
    no_appointment=None,
    status: int = 200,
) -> HttpResponse:
    helping = no_appointment.organization if no_appointment is not None else None
    return render(
        request,
        "public/appointments/lookup.html",
        {
            "form": form,
            "rate_limited": rate_limited,
            "no_appointment": no_appointment,
            "helping": helping,
            "phone": phone_for_patrons(
                helping or public_organization(settings.PUBLIC_ORGANIZATION_SLUG)
            ),
            "window_minutes": LOOKUP_RATE_WINDOW_SECONDS // 60,
        },
        status=status,
    )
