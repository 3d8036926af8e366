"""Appointments from a request: booking a time for a caller, emailing the patron a link to
choose one, and rescheduling, cancelling and marking what happened.

The rules live in scheduling.domain, scheduling.attendance and scheduling.offers, which check
scheduling.rules themselves; these views only offer what the person may do (rules.can_book),
turn forms into calls and errors into messages. A request or appointment of another organization
is a 404; one the person sees but may not book for is a 403. The request page
(staff.views.requests) shows the request's appointments from `request_section`.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.core.phones import display_phone
from jobhelp.intake.enums import BestTime
from jobhelp.intake.patrons import patron_address
from jobhelp.scheduling import availability, rules
from jobhelp.scheduling.attendance import mark_attended, mark_no_show
from jobhelp.scheduling.choosing import (
    BEST_HOURS,
    default_type,
    find_choice,
    helper_choices,
    plan_days,
    types_for_modality,
)
from jobhelp.scheduling.domain import (
    BookingError,
    SlotTaken,
    book_appointment,
    can_be_scheduled,
    cancel_appointment,
    reschedule_appointment,
)
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.offers import offer_times_to_patron
from jobhelp.scheduling.queries import (
    appointment_types_for_request,
    appointments_for_request,
    find_appointment_for_user,
)
from jobhelp.scheduling.search import slots_for_request
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.forms import new_form_key, stored_key
from jobhelp.staff.common.views import form_errors, in_zone, request_or_404
from jobhelp.staff.forms.appointments import (
    BookForm,
    CancelForm,
    FindTimesForm,
    OfferForm,
    RescheduleForm,
    slot_value,
    start_value,
)

# The appointment just booked or moved, shown once on the request page with its reference code
# in large letters for the front desk to read out.
JUST_BOOKED = "jobhelp.staff.just_booked"


def when_text(moment: datetime, zone) -> str:
    return date_format(in_zone(moment, zone), _("l, F j, g:i A T"))


def _may_book_or_403(user, help_request) -> None:
    if not rules.can_book(user, help_request):
        raise PermissionDenied


def _appointment_or_403(user, pk: int):
    """The appointment (404 unless the user sees it), if the user may change it (403)."""
    appointment = find_appointment_for_user(user, pk)
    if appointment is None:
        raise Http404
    if not rules.may_act(
        user,
        help_request=appointment.request,
        organization=appointment.location.organization,
        appointment_type=appointment.appointment_type,
    ):
        raise PermissionDenied
    return appointment


def _back(request: HttpRequest, appointment) -> HttpResponse:
    if appointment.request_id:
        return redirect("staff:requests:detail", reference=appointment.request.reference)
    return redirect("staff:calendar:index")


def _group_by_day(slots) -> list[dict]:
    """(helper, location, start) rows, soonest first, grouped by the date on the location's
    clock."""
    days: list[dict] = []
    for helper, location, starts in slots:
        local = in_zone(starts, location.zone)
        if not days or days[-1]["date"] != local.date():
            days.append({"date": local.date(), "slots": []})
        days[-1]["slots"].append(
            {
                "value": slot_value(helper.pk, location.pk, starts),
                "starts": local,
                "helper": helper,
                "location": location,
            }
        )
    return days


def _booked(request: HttpRequest, appointment, *, moved: bool) -> None:
    request.session[JUST_BOOKED] = appointment.pk
    when = when_text(appointment.starts, appointment.location.zone)
    if moved:
        text = _("Appointment moved to %(when)s with %(helper)s.")
    else:
        text = _("Appointment booked for %(when)s with %(helper)s.")
    messages.success(request, text % {"when": when, "helper": appointment.helper})


# --- Booking from a request ----------------------------------------------------------------------


@staff_member_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = request_or_404(request.user, reference)
    _may_book_or_403(request.user, help_request)
    types = types_for_modality(help_request, appointment_types_for_request(help_request))
    if request.method == "GET":
        return _book_page(request, help_request, types)
    form = BookForm(request.POST, help_request=help_request, types=types)
    if not form.is_valid():
        return _book_page(request, help_request, types, posted=form)
    data = form.cleaned_data
    slot = data["slot"]
    try:
        appointment = book_appointment(
            request=help_request,
            helper=slot["helper"],
            location=slot["location"],
            appointment_type=data["type"],
            starts=slot["starts"],
            by=request.user,
            idempotency_key=stored_key(request.user, data["idempotency_key"]),
        )
    except SlotTaken as error:
        form.add_error(None, str(error))
        taken = [(slot["helper"], slot["location"], starts) for starts in error.next_starts]
        return _book_page(request, help_request, types, posted=form, taken=taken)
    except BookingError as error:
        form.add_error(None, str(error))
        return _book_page(request, help_request, types, posted=form)
    if appointment.request_id != help_request.pk:
        # The same form key came back from another request's page.
        form.add_error(None, _("This form was already used. Please reload the page."))
        return _book_page(request, help_request, types, posted=form)
    _booked(request, appointment, moved=False)
    return redirect("staff:requests:detail", reference=help_request.reference)


def _book_page(request, help_request, types, *, posted=None, taken=()) -> HttpResponse:
    """The booking page: the kind of appointment and the helper (a GET form, the way the
    patron asked and the assigned helper chosen already; scheduling.choosing), the days with
    free times, then that day's times, the caller's best time of day first (a POST form, drawn
    fresh with a new key). After a refused POST, its messages are shown and the time chosen
    stays chosen."""
    data = request.GET.copy()
    if posted is not None and posted.cleaned_data.get("type"):
        data["type"] = str(posted.cleaned_data["type"].pk)
    offered_types = list(types)
    if not data.get("type"):
        default = default_type(help_request, offered_types)
        if default is not None:
            data["type"] = str(default.pk)
    choices = helper_choices(help_request)
    finder = FindTimesForm(
        data if data.get("type") or data.get("helper") else None,
        types=types,
        choices=choices,
        language=help_request.language,
        auto_id="id_find_%s",
    )
    if finder.is_bound and not data.get("helper") and choices:
        # Before anyone chose, the first helper offered (the assigned one) is chosen.
        finder.data["helper"] = str(choices[0].helper.pk)
    appointment_type = None
    plan = None
    helper_label = ""
    can_schedule = can_be_scheduled(help_request)
    # A day that is not a date only loses the day: the first day with times is shown instead.
    usable = finder.is_bound and (finder.is_valid() or set(finder.errors) == {"day"})
    if can_schedule and usable and "type" in finder.cleaned_data:
        appointment_type = finder.cleaned_data["type"]
        slots = slots_for_request(
            help_request,
            appointment_type,
            now=timezone.now(),
            days=availability.window_days(appointment_type),
        )
        chosen = find_choice(choices, finder.cleaned_data.get("helper"))
        if chosen is not None:
            slots = [row for row in slots if row[0].pk == chosen.helper.pk]
            helper_label = str(chosen.helper)
        plan = plan_days(
            slots,
            local=lambda row: in_zone(row[2], row[1].zone),
            best_time=help_request.best_time,
            day=finder.cleaned_data.get("day"),
        )
    form = BookForm(
        initial={
            "type": appointment_type.pk if appointment_type else None,
            "idempotency_key": new_form_key(),
        },
        help_request=help_request,
        types=types,
    )
    return render(
        request,
        "staff/appointments/book.html",
        {
            "req": help_request,
            "finder": finder,
            "appointment_type": appointment_type,
            "plan": plan,
            "days": _day_links(request, plan) if plan else [],
            "best": _slot_rows(plan.best) if plan else [],
            "other": _slot_rows(plan.other) if plan else [],
            "helper_label": helper_label,
            "best_time_label": BestTime(help_request.best_time).label
            if help_request.best_time in BEST_HOURS
            else "",
            "day_error": finder.errors.get("day")
            or (
                [_("There are no free times on that day. Choose one of the days listed.")]
                if plan and plan.not_offered
                else []
            ),
            "form": form,
            "errors": form_errors(posted),
            "chosen": posted.data.get("slot", "") if posted is not None else "",
            "taken": _group_by_day(taken),
            "can_schedule": can_schedule,
            "has_types": bool(offered_types),
        },
    )


def _day_links(request: HttpRequest, plan) -> list[dict]:
    """The day picker: each day with free times, as a link that keeps the rest of the query."""
    links = []
    for day in plan.days:
        query = request.GET.copy()
        query["day"] = day.date.isoformat()
        links.append({"day": day, "query": query.urlencode(), "current": day.date == plan.day})
    return links


def _slot_rows(rows) -> list[dict]:
    return [
        {
            "value": slot_value(helper.pk, location.pk, starts),
            "starts": in_zone(starts, location.zone),
            "helper": helper,
            "location": location,
        }
        for helper, location, starts in rows
    ]


@staff_member_required
@require_POST
def offer(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = request_or_404(request.user, reference)
    _may_book_or_403(request.user, help_request)
    form = OfferForm(
        request.POST,
        types=types_for_modality(
            help_request, appointment_types_for_request(help_request).filter(self_service=True)
        ),
    )
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
    else:
        try:
            address = offer_times_to_patron(
                help_request, form.cleaned_data["type"], by=request.user
            )
        except BookingError as error:
            messages.error(request, str(error))
        else:
            if address.is_text:
                sent = _("We texted %(phone)s a link to choose a time for “%(type)s”.") % {
                    "phone": display_phone(address.to),
                    "type": form.cleaned_data["type"],
                }
            else:
                sent = _("We emailed %(email)s a link to choose a time for “%(type)s”.") % {
                    "email": address.to,
                    "type": form.cleaned_data["type"],
                }
            messages.success(request, sent)
    return redirect("staff:requests:detail", reference=help_request.reference)


# --- Changing an appointment ---------------------------------------------------------------------


@staff_member_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_or_403(request.user, pk)
    if appointment.state != AppointmentState.BOOKED:
        messages.error(
            request, _("This appointment is no longer booked, so it cannot be rescheduled.")
        )
        return _back(request, appointment)
    if request.method == "GET":
        return _reschedule_page(request, appointment)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return _reschedule_page(request, appointment, posted=form)
    try:
        moved = reschedule_appointment(
            appointment,
            starts=form.cleaned_data["starts"],
            by=request.user,
            idempotency_key=stored_key(request.user, form.cleaned_data["idempotency_key"]),
        )
    except SlotTaken as error:
        form.add_error(None, str(error))
        return _reschedule_page(request, appointment, posted=form, taken=error.next_starts)
    except BookingError as error:
        form.add_error(None, str(error))
        return _reschedule_page(request, appointment, posted=form)
    _booked(request, moved, moved=True)
    return _back(request, moved)


def _reschedule_page(request, appointment, *, posted=None, taken=()) -> HttpResponse:
    zone = appointment.location.zone
    return render(
        request,
        "staff/appointments/reschedule.html",
        {
            "appointment": appointment,
            "starts": in_zone(appointment.starts, zone),
            "days": _reschedule_days(appointment),
            "taken": [{"value": start_value(s), "starts": in_zone(s, zone)} for s in taken],
            "form": RescheduleForm(initial={"idempotency_key": new_form_key()}),
            "errors": form_errors(posted),
            "chosen": posted.data.get("starts", "") if posted is not None else "",
        },
    )


def _reschedule_days(appointment) -> list[dict]:
    """The helper's free times at the same location for the same type, its own time
    counting as free but not offered."""
    location = appointment.location
    starts = availability.move_slots(
        appointment, now=timezone.now(), days=availability.window_days(appointment.appointment_type)
    )
    days = _group_by_day([(appointment.helper, location, s) for s in starts])
    for day in days:
        for slot in day["slots"]:
            slot["value"] = start_value(slot["starts"])
    return days


@staff_member_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_or_403(request.user, pk)
    form = CancelForm(request.POST)
    late = form.is_valid() and form.cleaned_data["late"]
    try:
        cancel_appointment(appointment, by=request.user, late=late)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        done = _("The appointment is cancelled (late).") if late else None
        messages.success(request, done or _("The appointment is cancelled."))
    return _back(request, appointment)


def _mark(request: HttpRequest, pk: int, mark, done: str) -> HttpResponse:
    appointment = _appointment_or_403(request.user, pk)
    try:
        mark(appointment, by=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(request, appointment)


@staff_member_required
@require_POST
def attended(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(request, pk, mark_attended, _("Marked as attended."))


@staff_member_required
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(request, pk, mark_no_show, _("Marked as not come."))


# --- The request page's Appointments section ----------------------------------------------------


def request_section(request: HttpRequest, help_request) -> dict:
    """What the request page shows about appointments
    (staff/appointments/includes/request_section.html), in a fixed number of queries however
    many there are."""
    user = request.user
    can_book = rules.can_book(user, help_request)
    now = timezone.now()
    rows = []
    for appointment in appointments_for_request(help_request):
        zone = appointment.location.zone
        booked = appointment.state == AppointmentState.BOOKED
        rows.append(
            {
                "appointment": appointment,
                "starts": in_zone(appointment.starts, zone),
                "ends": in_zone(appointment.ends, zone),
                "changes": ngettext(
                    "moved %(count)d time", "moved %(count)d times", appointment.sequence
                )
                % {"count": appointment.sequence}
                if appointment.sequence
                else "",
                "can_change": can_book and booked,
                "can_mark": can_book and booked and appointment.starts <= now,
                "cancel_form": CancelForm(auto_id=f"id_cancel_{appointment.pk}_%s")
                if can_book and booked
                else None,
            }
        )
    just_booked = None
    booked_pk = request.session.pop(JUST_BOOKED, None)
    if booked_pk is not None:
        just_booked = next((r for r in rows if r["appointment"].pk == booked_pk), None)
    schedulable = can_be_scheduled(help_request)
    offer_form = None
    offer_to = patron_address(help_request)
    if can_book and schedulable and offer_to:
        offer_types = types_for_modality(
            help_request, appointment_types_for_request(help_request).filter(self_service=True)
        )
        if offer_types.exists():
            offer_form = OfferForm(types=offer_types, auto_id="id_offer_%s")
    return {
        "appointments": rows,
        "can_book": can_book,
        "can_schedule": schedulable,
        "just_booked": just_booked,
        "offer_form": offer_form,
        "offer_to": offer_to,
        "now": now,
    }
