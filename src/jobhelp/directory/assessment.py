"""The resource assessment of a location (the partnership's recommended first step): a guided
checklist (directory.checklist) saved as it is filled in, submitted, and approved or sent back
by a manager. Approval writes what the answers say: the location's public computers, its
opening hours and accessibility notes, and its directory entries (public computers, a quiet
room for video interviews, job help from staff, job-search collections, Wi-Fi), created or
updated, and withdrawn (made inactive, never deleted) when an answer turns to no.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.directory import checklist, rules
from jobhelp.directory.computers import set_public_computers
from jobhelp.directory.domain import (
    DirectoryError,
    create_service,
    set_service_locations,
    update_service,
)
from jobhelp.directory.enums import (
    OPEN_ASSESSMENT_STATES,
    AccessMethod,
    AssessmentState,
    Collection,
    ServiceStatus,
)
from jobhelp.directory.models import Assessment, Service
from jobhelp.organizations import domain as places
from jobhelp.organizations.models import Location


class AssessmentError(DirectoryError):
    """A step the assessment cannot take now; the message says why."""


_COLLECTION_NEEDS = {
    Collection.RESUME_BOOKS: "resume",
    Collection.TEST_PREP: "adult_ed",
    Collection.OCCUPATIONAL: "coaching",
    Collection.CAREER_EXPLORATION: "coaching",
    Collection.JOB_CENTER_SHELF: "applications",
}


def _check_staff(by, location: Location) -> None:
    if not rules.can_edit_location(by, location):
        raise PermissionDenied(_("Only staff of the location's organization can do this."))


def _check_manager(by, location: Location) -> None:
    if not rules.can_approve_assessment(by, location):
        raise PermissionDenied(_("Only a manager of the location's organization can do this."))


def _record(action: str, assessment: Assessment, by, data=None) -> None:
    audit.record(
        action,
        actor=by,
        organization=assessment.location.organization,
        obj=assessment,
        data=data or {"state": assessment.state},
    )


def start_assessment(location: Location, *, by) -> Assessment:
    """The location's assessment being filled in or reviewed, or a new one (answers start from
    the last approved one's, so a yearly check is quick).

    Side effects: audit ``jobhelp.assessment.started`` when a new one is made.
    """
    _check_staff(by, location)
    current = location.assessments.filter(state__in=sorted(OPEN_ASSESSMENT_STATES)).first()
    if current is not None:
        return current
    last = location.assessments.filter(state=AssessmentState.APPROVED).first()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                location=location, started_by=by, answers=dict(last.answers) if last else {}
            )
            _record("jobhelp.assessment.started", assessment, by)
    except IntegrityError:
        # Someone started one at the same moment (one open assessment per location).
        return location.assessments.get(state__in=sorted(OPEN_ASSESSMENT_STATES))
    return assessment


def save_answers(
    assessment: Assessment, *, by, answers: dict, now: datetime | None = None
) -> Assessment:
    """Save some answers as they are given (None clears one); the others are kept. Raises
    checklist.AnswerError with a message for each bad answer, and saves none of them.

    Side effects: audit ``jobhelp.assessment.answers_saved`` (data: `questions`, the codes).
    """
    _check_staff(by, assessment.location)
    cleaned = checklist.clean_answers(answers)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if current.state != AssessmentState.DRAFT:
            raise AssessmentError(_("This assessment is with a manager; it cannot change now."))
        merged = {**current.answers, **cleaned}
        current.answers = {k: v for k, v in merged.items() if v is not None}
        current.updated_at = now or timezone.now()
        current.save(update_fields=["answers", "updated_at"])
        _record("jobhelp.assessment.answers_saved", current, by, {"questions": sorted(cleaned)})
    return current


def _move(assessment, *, by, frm, to, action, now, **fields) -> Assessment:
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if current.state != frm:
            raise AssessmentError(_("This assessment has moved on; reload the page."))
        current.state = to
        current.updated_at = now
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        if action:
            _record(action, current, by)
    return current


def submit_assessment(assessment: Assessment, *, by, now: datetime | None = None) -> Assessment:
    """Send a completed checklist to the managers. Refused, listing the questions, while a
    required one has no answer.

    Side effects: audit ``jobhelp.assessment.submitted``.
    """
    _check_staff(by, assessment.location)
    missing = checklist.missing(Assessment.objects.get(pk=assessment.pk).answers)
    if missing:
        raise AssessmentError(
            _("Answer these questions first: %(questions)s")
            % {"questions": "; ".join(str(checklist.BY_CODE[c].label) for c in missing)}
        )
    now = now or timezone.now()
    return _move(
        assessment,
        by=by,
        frm=AssessmentState.DRAFT,
        to=AssessmentState.SUBMITTED,
        action="jobhelp.assessment.submitted",
        now=now,
        submitted_at=now,
    )


def return_assessment(assessment: Assessment, *, by, now: datetime | None = None) -> Assessment:
    """A manager sends a submitted assessment back to be corrected.

    Side effects: audit ``jobhelp.assessment.returned``.
    """
    _check_manager(by, assessment.location)
    return _move(
        assessment,
        by=by,
        frm=AssessmentState.SUBMITTED,
        to=AssessmentState.DRAFT,
        action="jobhelp.assessment.returned",
        now=now or timezone.now(),
    )


def _entries(location: Location, answers: dict) -> dict[str, dict | None]:
    """The directory entries the answers call for, by topic; None where the answer is no.
    Written in the site's language, whatever the approving manager reads the pages in: the
    entries are for everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return _entries_in_site_language(location, answers)


def _entries_in_site_language(location: Location, answers: dict) -> dict[str, dict | None]:
    computers = answers.get("computers") or 0
    skills = answers.get("staff_skills") or []
    collections = answers.get("collections") or []
    languages = answers.get("staff_languages") or ["en"]
    here = {"languages": languages}
    return {
        "computers": {
            "name": _("Public computers"),
            "description": _("Computers for job searching, applications and resumés."),
            "needs": ["digital", "applications"],
            "access": [AccessMethod.WALK_IN],
            **here,
        }
        if computers
        else None,
        "quiet_room": {
            "name": _("Quiet room for video interviews"),
            "description": _("A private room for a video or phone interview. Ask at the desk."),
            "needs": ["interview"],
            "access": [AccessMethod.APPOINTMENT, AccessMethod.WALK_IN],
            **here,
        }
        if answers.get("quiet_room")
        else None,
        "staff_help": {
            "name": _("Job help from library staff"),
            "description": _("Staff help with your job search, one to one."),
            "needs": skills,
            "access": [AccessMethod.WALK_IN, AccessMethod.APPOINTMENT],
            **here,
        }
        if skills
        else None,
        "collections": {
            "name": _("Job-search books and references"),
            "description": ", ".join(str(Collection(c).label) for c in collections),
            "needs": list(dict.fromkeys(_COLLECTION_NEEDS[c] for c in collections)),
            "access": [AccessMethod.WALK_IN],
            **here,
        }
        if collections
        else None,
        "wifi": {
            "name": _("Free Wi-Fi"),
            "description": _("Free wireless internet for your own laptop or phone."),
            "needs": ["digital"],
            "access": [AccessMethod.WALK_IN],
            "languages": [],
        }
        if answers.get("wifi")
        else None,
    }


def approve_assessment(assessment: Assessment, *, by, now: datetime | None = None) -> Assessment:
    """A manager approves a submitted assessment, and its answers become the location's
    public computers, opening hours, accessibility notes and directory entries.

    Side effects: set_public_computers; organizations.domain.set_opening_hours and
    update_location (accessibility); create_service / update_service and
    set_service_locations for each entry the answers call for (owned by the location's
    organization, keyed "assessment:<location id>:<topic>", marked as reviewed today), and an
    entry whose answer turned to no made inactive; each audited by its own function; then audit
    ``jobhelp.assessment.approved`` (data: `created`, `updated`, `withdrawn`).
    """
    location = assessment.location
    _check_manager(by, location)
    now = now or timezone.now()
    organization = location.organization
    created = updated = withdrawn = 0
    with transaction.atomic():
        current = _move(
            assessment,
            by=None,
            frm=AssessmentState.SUBMITTED,
            to=AssessmentState.APPROVED,
            # Audited once, below, with what the approval wrote.
            action="",
            now=now,
            approved_by=by,
            approved_at=now,
        )
        answers = current.answers
        set_public_computers(
            location,
            by=by,
            count=answers.get("computers") or 0,
            software=answers.get("software") or [],
            printing=bool(answers.get("printing")),
            scanning=bool(answers.get("scanning")),
            wifi=bool(answers.get("wifi")),
        )
        places.set_opening_hours(location, by=by, hours=checklist.hours_of(answers))
        if answers.get("accessibility_notes"):
            places.update_location(location, by=by, accessibility=answers["accessibility_notes"])
        today = timezone.localdate(now)
        for topic, fields in _entries(location, answers).items():
            key = f"assessment:{location.uuid}:{topic}"
            service = Service.objects.filter(organization=organization, source_key=key).first()
            if fields is None:
                if service is not None and service.status == ServiceStatus.ACTIVE:
                    update_service(service, by=by, now=now, status=ServiceStatus.INACTIVE)
                    withdrawn += 1
                continue
            fields = {**fields, "status": ServiceStatus.ACTIVE, "reviewed_on": today}
            if service is None:
                service = create_service(organization, by=by, now=now, source_key=key, **fields)
                created += 1
            else:
                updated += bool(update_service(service, by=by, now=now, **fields)[1])
            set_service_locations(service, by=by, locations=[location], now=now)
        audit.record(
            "jobhelp.assessment.approved",
            actor=by,
            organization=organization,
            obj=current,
            data={"created": created, "updated": updated, "withdrawn": withdrawn},
        )
    return current
