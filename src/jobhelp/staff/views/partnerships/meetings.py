"""The partnership's management meetings: the list, scheduling one on the place's wall clock,
its page (agenda, attendees, minutes, decisions, action items, grants discussed), changing or
cancelling it, the minutes and who came, its calendar file, attendees and action items."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.partnerships import ics, queries, rules
from jobhelp.partnerships.enums import ActionItemStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    MeetingForm,
    MinutesForm,
)
from jobhelp.partnerships.meetings import (
    add_action_item,
    add_attendee,
    cancel_meeting,
    change_meeting,
    record_minutes,
    remove_attendee,
    schedule_meeting,
    set_action_item_status,
)
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone, next_or
from jobhelp.staff.forms.partnerships import AttendeeForm
from jobhelp.staff.views.partnerships.lookups import (
    action_item_or_404,
    in_the_area_or_403,
    meeting_or_404,
    partnership_or_404,
    refused,
)


def only_partnership_managers() -> str:
    return _("Only managers of a partner at full participation can change the partnership.")


def _meeting_form(partnership, data=None, **kwargs) -> MeetingForm:
    return MeetingForm(
        data,
        locations=queries.partnership_locations(partnership),
        people=queries.partnership_staff(partnership),
        **kwargs,
    )


@staff_member_required
@require_GET
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    now = timezone.now()
    meetings = [
        {"meeting": m, "starts": in_zone(m.starts, m.location.zone)}
        for m in queries.meeting_list(request.user, partnership)
    ]
    return render(
        request,
        "staff/partnerships/meetings.html",
        {
            "partnership": partnership,
            "upcoming": [m for m in meetings if m["meeting"].starts > now],
            "past": [m for m in meetings if m["meeting"].starts <= now][::-1],
            "may_manage": rules.can_manage_partnership(request.user, partnership),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request.user, pk)
    if not rules.can_manage_partnership(request.user, partnership):
        return refused(
            request, only_partnership_managers(), "staff:partnerships:meetings", partnership.pk
        )
    form = _meeting_form(partnership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = schedule_meeting(
                partnership,
                by=request.user,
                title=data["title"],
                location=data["location"],
                day=data["day"],
                starts=data["starts"],
                minutes=data["minutes"],
                agenda=data["agenda"],
                attendees=list(data["attendees"]),
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Meeting “%(title)s” scheduled; the attendees are invited by email.")
                % {"title": meeting.title},
            )
            return redirect("staff:partnerships:meeting", meeting.pk)
    return render(
        request,
        "staff/partnerships/meeting_form.html",
        {"partnership": partnership, "meeting": None, "form": form},
    )


@staff_member_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    partnership = meeting.partnership
    may_manage = rules.can_manage_partnership(request.user, partnership)
    now = timezone.now()
    zone = meeting.location.zone
    items = [
        {"item": item, "may_change": may_manage or item.owner_id == request.user.pk}
        for item in meeting.action_items.all()
    ]
    return render(
        request,
        "staff/partnerships/meeting.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "starts": in_zone(meeting.starts, zone),
            "ends": in_zone(meeting.ends, zone),
            "ahead": not meeting.cancelled and meeting.starts > now,
            "started": not meeting.cancelled and meeting.starts <= now,
            "attendees": list(meeting.attendees.all()),
            "items": items,
            "grants": list(meeting.grants.select_related("lead_organization")),
            "may_manage": may_manage,
            "statuses": ActionItemStatus,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    partnership = meeting.partnership
    back = ("staff:partnerships:meeting", meeting.pk)
    if not rules.can_manage_partnership(request.user, partnership):
        return refused(request, only_partnership_managers(), *back)
    if meeting.cancelled or meeting.starts <= timezone.now():
        return refused(
            request, _("A meeting that has started or was cancelled can no longer change."), *back
        )
    local = meeting.starts.astimezone(meeting.location.zone)
    initial = {
        "title": meeting.title,
        "location": meeting.location_id,
        "day": local.date(),
        "starts": local.time(),
        "minutes": int((meeting.ends - meeting.starts).total_seconds() // 60),
        "agenda": meeting.agenda,
    }
    form = _meeting_form(partnership, request.POST or None, initial=initial)
    # Attendees are added and removed on the meeting's page.
    del form.fields["attendees"]
    if request.method == "POST" and form.is_valid():
        try:
            change_meeting(meeting, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/meeting_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
    )


@staff_member_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    back = ("staff:partnerships:meeting", meeting.pk)
    try:
        cancel_meeting(meeting, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("The meeting is cancelled; the attendees are told by email."))
    return redirect(*back)


@staff_member_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    back = ("staff:partnerships:meeting", meeting.pk)
    if not rules.can_manage_partnership(request.user, meeting.partnership):
        return refused(request, only_partnership_managers(), *back)
    if meeting.cancelled:
        return refused(request, _("This meeting is cancelled."), *back)
    if meeting.starts > timezone.now():
        return refused(request, _("Minutes are recorded once the meeting has started."), *back)
    attendees = list(meeting.attendees.all())
    initial = {
        "minutes": meeting.minutes,
        "decisions": meeting.decisions,
        "attended": [a.pk for a in attendees if a.attended],
    }
    form = MinutesForm(request.POST or None, attendees=attendees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_minutes(meeting, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/minutes.html",
        {"partnership": meeting.partnership, "meeting": meeting, "form": form},
    )


@staff_member_required
@require_GET
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    in_the_area_or_403(request.user)
    calendar = queries.meeting_calendar_for_user(request.user, pk)
    if calendar is None:
        raise Http404
    response = HttpResponse(calendar, content_type=f"{ics.CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.FILE_NAME}"'
    return response


@staff_member_required
@require_http_methods(["GET", "POST"])
def attendee_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    partnership = meeting.partnership
    back = ("staff:partnerships:meeting", meeting.pk)
    if not rules.can_manage_partnership(request.user, partnership):
        return refused(request, only_partnership_managers(), *back)
    form = AttendeeForm(
        request.POST or None,
        people=queries.partnership_staff(partnership),
        organizations=queries.partner_organizations(partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            attendee = add_attendee(meeting, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is on the list.") % {"name": attendee})
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/attendee_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
    )


@staff_member_required
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    attendee = get_object_or_404(meeting.attendees.all(), pk=attendee_pk)
    back = ("staff:partnerships:meeting", meeting.pk)
    try:
        remove_attendee(attendee, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("%(name)s is off the list.") % {"name": attendee})
    return redirect(*back)


@staff_member_required
@require_http_methods(["GET", "POST"])
def action_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    partnership = meeting.partnership
    back = ("staff:partnerships:meeting", meeting.pk)
    if not rules.can_manage_partnership(request.user, partnership):
        return refused(request, only_partnership_managers(), *back)
    form = ActionItemForm(request.POST or None, people=queries.partnership_staff(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            item = add_action_item(meeting, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Action item added for %(name)s, due %(day)s.")
                % {"name": item.owner, "day": item.due_on.isoformat()},
            )
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/action_item_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
    )


@staff_member_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = action_item_or_404(request.user, pk)
    default = ("staff:partnerships:meeting", item.meeting_id)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose a status from the list."), *default)
    try:
        item = set_action_item_status(item, by=request.user, status=form.cleaned_data["status"])
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is now: %(status)s.")
            % {"title": item.title, "status": item.get_status_display().lower()},
        )
    return next_or(request, reverse("staff:partnerships:meeting", args=[item.meeting_id]))
