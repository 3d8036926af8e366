"""The resource assessment from the staff side: the locations with their assessments and, for
managers, the summary across the library system; a location's checklist, one section at a
time, each saved as it is sent; submitting it; a manager approving it (which writes the
location's computers, hours and directory entries) or sending it back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.directory import assessment as steps
from jobhelp.directory import checklist, queries, rules
from jobhelp.directory.checklist import AnswerError
from jobhelp.directory.domain import DirectoryError
from jobhelp.directory.enums import OPEN_ASSESSMENT_STATES, AssessmentState
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.directory import AssessmentSectionForm

SECTION_CODES = [code for code, _label in checklist.SECTIONS]


def _assessment_or_404(user, pk: int):
    found = queries.assessment_for_user(user, pk)
    if found is None:
        raise Http404
    return found


@staff_member_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    assessments = list(queries.assessments_for_user(user).order_by("-updated_at", "-pk"))
    open_by_location = {a.location_id: a for a in assessments if a.state in OPEN_ASSESSMENT_STATES}
    managed = organizations_for(user, roles=MANAGING_ROLES).filter(parent__isnull=True)
    summaries = [
        {"organization": organization, "summary": queries.assessment_summary(user, organization)}
        for organization in managed.order_by("name", "pk")
    ]
    return render(
        request,
        "staff/directory/assessments.html",
        {
            "locations": [
                {"location": location, "open": open_by_location.get(location.pk)}
                for location in queries.locations_for_user(user)
            ],
            "assessments": assessments,
            "summaries": [s for s in summaries if s["summary"] is not None],
        },
    )


@staff_member_required
@require_POST
def start(request: HttpRequest, location: int) -> HttpResponse:
    found = queries.location_for_user(request.user, location)
    if found is None:
        raise Http404
    started = steps.start_assessment(found, by=request.user)
    return redirect("staff:directory:assessment", started.pk)


def _section_of(request) -> str:
    section = request.GET.get("section") or request.POST.get("section") or SECTION_CODES[0]
    return section if section in SECTION_CODES else SECTION_CODES[0]


@staff_member_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One section of the checklist (?section=); sending it saves its answers and opens the
    next section. A wrong answer stays on the form with its message, none saved."""
    found = _assessment_or_404(request.user, pk)
    section = _section_of(request)
    editable = found.state == AssessmentState.DRAFT
    status = 200
    if request.method == "POST" and editable:
        form = AssessmentSectionForm(request.POST, section=section, answers=found.answers)
        if form.is_valid():
            try:
                steps.save_answers(found, by=request.user, answers=form.answers())
            except AnswerError as error:
                for code, message in error.errors.items():
                    form.add_error(code if code in form.fields else None, message)
            except DirectoryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                index = SECTION_CODES.index(section)
                following = SECTION_CODES[index + 1] if index + 1 < len(SECTION_CODES) else ""
                url = reverse("staff:directory:assessment", args=[found.pk])
                return redirect(f"{url}?section={following}" if following else f"{url}#finish")
        status = 400
    else:
        form = AssessmentSectionForm(section=section, answers=found.answers)
    missing = checklist.missing(found.answers)
    return render(
        request,
        "staff/directory/assessment.html",
        {
            "assessment": found,
            "location": found.location,
            "form": form,
            "section": section,
            "sections": [
                {
                    "code": code,
                    "label": label,
                    "current": code == section,
                    "answered": all(
                        found.answers.get(q.code) is not None
                        for q in checklist.QUESTIONS
                        if q.section == code and q.required
                    ),
                }
                for code, label in checklist.SECTIONS
            ],
            "editable": editable,
            "missing": [str(checklist.BY_CODE[c].label) for c in missing],
            "may_approve": found.state == AssessmentState.SUBMITTED
            and rules.can_approve_assessment(request.user, found.location),
        },
        status=status,
    )


def _step(request, pk: int, action, done: str) -> HttpResponse:
    found = _assessment_or_404(request.user, pk)
    try:
        action(found, by=request.user)
    except PermissionDenied:
        raise
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("staff:directory:assessment", found.pk)


@staff_member_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, steps.submit_assessment, _("Sent to a manager for review."))


@staff_member_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        steps.approve_assessment,
        _("Approved: the location's computers, hours and directory entries are updated."),
    )


@staff_member_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, steps.return_assessment, _("Sent back to be corrected."))
