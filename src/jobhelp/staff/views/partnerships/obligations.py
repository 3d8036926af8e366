"""An agreement's obligations (by the tier of the parties the person acts for), one
obligation's occurrences, setting one up or changing it, and marking an occurrence kept with
its evidence: a note, a file, or the record that fulfilled it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.organizations.models import Organization
from jobhelp.partnerships import evidence, queries, rules
from jobhelp.partnerships.enums import ACTIVE_AGREEMENT_STATES
from jobhelp.partnerships.errors import AlreadyDone, PartnershipError
from jobhelp.partnerships.forms import ObligationForm, OccurrenceDoneForm
from jobhelp.partnerships.models import Obligation
from jobhelp.partnerships.obligations import (
    add_obligation,
    mark_occurrence_done,
    reopen_occurrence,
    update_obligation,
)
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.uploads import serve_file, takes_upload
from jobhelp.staff.views.partnerships.agreements import only_managers
from jobhelp.staff.views.partnerships.lookups import (
    agreement_or_404,
    in_the_area_or_403,
    obligation_or_404,
    occurrence_or_404,
    refused,
)


def _form(agreement, data=None, **kwargs) -> ObligationForm:
    return ObligationForm(
        data,
        organizations=Organization.objects.filter(agreement_parties__agreement=agreement).order_by(
            "name", "pk"
        ),
        people=queries.party_staff(agreement),
        **kwargs,
    )


def _change_refused(request, agreement, back):
    if not rules.can_edit_agreement(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status not in ACTIVE_AGREEMENT_STATES:
        return refused(
            request,
            _("This agreement is %(status)s: its obligations can no longer change.")
            % {"status": agreement.get_status_display().lower()},
            *back,
        )
    return None


@staff_member_required
@require_GET
def obligation_list(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    return render(
        request,
        "staff/partnerships/obligations.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "obligations": list(queries.obligation_list(request.user, agreement)),
            "may_add": rules.can_edit_agreement(request.user, agreement)
            and agreement.status in ACTIVE_AGREEMENT_STATES,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def obligation_new(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    back = ("staff:partnerships:obligations", agreement.pk)
    if answer := _change_refused(request, agreement, back):
        return answer
    form = _form(agreement, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = add_obligation(agreement, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Obligation “%(title)s” added.") % {"title": obligation.title}
            )
            return redirect("staff:partnerships:obligation", obligation.pk)
    return render(
        request,
        "staff/partnerships/obligation_form.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "obligation": None,
            "form": form,
        },
    )


@staff_member_required
@require_GET
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = obligation_or_404(request.user, pk)
    agreement = obligation.agreement
    return render(
        request,
        "staff/partnerships/obligation.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "obligation": obligation,
            "occurrences": list(queries.occurrence_list(request.user, obligation)),
            "today": timezone.localdate(),
            "live": evidence.live_evidence(obligation, today=timezone.localdate()),
            "may_record": rules.can_record_evidence(request.user, obligation),
            "may_edit": rules.can_edit_agreement(request.user, agreement)
            and agreement.status in ACTIVE_AGREEMENT_STATES,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = obligation_or_404(request.user, pk)
    agreement = obligation.agreement
    back = ("staff:partnerships:obligation", obligation.pk)
    if answer := _change_refused(request, agreement, back):
        return answer
    initial = {name: getattr(obligation, name) for name in ObligationForm.base_fields}
    form = _form(agreement, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_obligation(obligation, by=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The obligation is saved."))
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/obligation_form.html",
        {
            "partnership": agreement.partnership,
            "agreement": agreement,
            "obligation": obligation,
            "form": form,
        },
    )


def _records(user, obligation: Obligation) -> list[tuple[str, str]]:
    """The records that may show an occurrence was kept: the partnership's meetings that took
    place (other apps' records join them as they register)."""
    meetings = queries.meeting_list(user, obligation.agreement.partnership).filter(
        starts__lte=timezone.now(), cancelled_at__isnull=True
    )
    choices = []
    for meeting in meetings.order_by("-starts", "-pk"):
        day = meeting.starts.astimezone(meeting.location.zone).date()
        label = _("Meeting: %(title)s, %(day)s") % {
            "title": meeting.title,
            "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
        }
        choices.append((evidence.choice_value(meeting), label))
    return choices


@staff_member_required
@takes_upload
@require_http_methods(["GET", "POST"])
def occurrence_done(request: HttpRequest, pk: int, *, upload_limit) -> HttpResponse:
    occurrence = occurrence_or_404(request.user, pk)
    obligation = occurrence.obligation
    back = ("staff:partnerships:obligation", obligation.pk)
    if occurrence.done:
        return refused(request, AlreadyDone(occurrence), *back)
    if not rules.can_record_evidence(request.user, obligation):
        return refused(
            request,
            _("Only managers and liaisons of the agreement's parties can record this."),
            *back,
        )
    posted = request.method == "POST"
    form = OccurrenceDoneForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        user=request.user,
        records=_records(request.user, obligation),
        too_large=upload_limit.too_large,
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            mark_occurrence_done(
                occurrence,
                by=request.user,
                note=form.cleaned_data["note"],
                upload=upload or None,
                evidence=form.cleaned_data["record"],
            )
        except AlreadyDone as error:
            # Someone else pressed "done" first: theirs is the record, and the page says whose.
            messages.warning(request, str(error))
            return redirect(*back)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Marked kept: %(title)s, due %(day)s.")
                % {"title": obligation.title, "day": occurrence.due_on.isoformat()},
            )
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/occurrence_done.html",
        {
            "partnership": obligation.agreement.partnership,
            "agreement": obligation.agreement,
            "obligation": obligation,
            "occurrence": occurrence,
            "form": form,
        },
    )


@staff_member_required
@require_POST
def occurrence_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_or_404(request.user, pk)
    back = ("staff:partnerships:obligation", occurrence.obligation_id)
    try:
        reopen_occurrence(occurrence, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("It is due again; its evidence is removed."))
    return redirect(*back)


@staff_member_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    in_the_area_or_403(request.user)
    try:
        stored = queries.evidence_file_for_user(request.user, pk)
    except FileNotFoundError:
        raise Http404 from None
    if stored is None:
        raise Http404
    return serve_file(stored)
