"""Help sessions: recording what was done, what came of it, follow-ups and the patron's
feedback. One function per change; each is audited and says its side effects."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.casework import rules
from jobhelp.casework.enums import Activity, FeedbackVia, Modality, OutcomeKind
from jobhelp.casework.models import (
    MAX_MINUTES,
    FeedbackInvitation,
    FeedbackResponse,
    FollowUp,
    HelpSession,
    Outcome,
    SessionActivity,
)
from jobhelp.core import audit, links
from jobhelp.intake.patrons import message_patron, patron_address
from jobhelp.scheduling.attendance import mark_attended
from jobhelp.scheduling.domain import BookingError, unschedule_request
from jobhelp.scheduling.enums import AppointmentState

# A survey link works this long after the session; a patron answers within days or not at all.
SURVEY_LIFETIME = timedelta(days=14)
# A session may be recorded a little ahead of the clock (a slow clock on a desk computer).
CLOCK_SLACK = timedelta(minutes=10)


class CaseworkError(Exception):
    """Bad input or a refused change; the message is shown to the person acting."""


class AlreadyAnswered(links.LinkProblem):
    """The patron's answers for the session are recorded already (by link or by phone);
    `link` is the invitation, when the link was opened, for the page to say it in the
    patron's language."""

    reason = "used"
    status = 409

    def __init__(self, link: FeedbackInvitation | None = None):
        super().__init__()
        self.link = link


@dataclass(frozen=True, kw_only=True)
class SessionDetails:
    happened_at: datetime
    modality: str
    minutes: int
    activities: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    private_note: str = ""
    follow_up_on: date | None = None
    follow_up_note: str = ""


def _check(details: SessionDetails, *, help_request, appointment, now: datetime) -> None:
    if timezone.is_naive(details.happened_at):
        raise CaseworkError(_("The time must include its time zone."))
    if details.happened_at > now + CLOCK_SLACK:
        raise CaseworkError(_("A session cannot be recorded before it has happened."))
    if details.happened_at < help_request.created_at - timedelta(days=1):
        raise CaseworkError(_("The session cannot be before the request was made."))
    if not 1 <= details.minutes <= MAX_MINUTES:
        raise CaseworkError(
            _("Minutes spent must be between 1 and %(max)d.") % {"max": MAX_MINUTES}
        )
    if details.modality not in Modality.values:
        raise CaseworkError(_("Choose how the help was given."))
    if set(details.activities) - set(Activity.values):
        raise CaseworkError(_("Choose what was done from the list."))
    if set(details.outcomes) - set(OutcomeKind.values):
        raise CaseworkError(_("Choose outcomes from the list."))
    if details.follow_up_on is not None:
        if details.follow_up_on < timezone.localdate(now):
            raise CaseworkError(_("A follow-up date cannot be in the past."))
        if not details.follow_up_note.strip():
            raise CaseworkError(_("Say what to follow up, for example “ask about the interview”."))
    if appointment is not None and appointment.request_id != help_request.pk:
        raise CaseworkError(_("That appointment belongs to another request."))


def record_session(
    help_request,
    *,
    by,
    details: SessionDetails,
    appointment=None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> HelpSession:
    """Record a session of help given for `help_request` by `by` (who becomes its helper).
    The same `idempotency_key` again (a double click) returns the first session.

    Raises CaseworkError for bad input or when `by` may not record for the request; nothing
    is written then. Side effects: audit ``jobhelp.help_session.recorded``; with a follow-up
    date, a follow-up in the helper's list; a survey invitation to the patron by email, or by
    text when they chose texts and gave no email (a patron who can be written neither way can
    answer by phone, recorded by staff). For a session on an appointment still booked that has
    started, the appointment is marked attended (scheduling.attendance.mark_attended) and a
    scheduled request with no booked appointment left moves back in progress, for the helper to
    follow up or resolve.
    """
    now = now or timezone.now()
    if not rules.can_record(by, help_request):
        raise CaseworkError(
            _("Only the person helping, front desk staff and managers can record help.")
        )
    if idempotency_key and len(idempotency_key) > 64:
        raise CaseworkError(_("This form is out of date. Please reload the page and try again."))
    earlier = _earlier(idempotency_key, help_request)
    if earlier is not None:
        return earlier
    _check(details, help_request=help_request, appointment=appointment, now=now)
    try:
        with transaction.atomic():
            session = HelpSession.objects.create(
                idempotency_key=idempotency_key or None,
                organization=help_request.organization,
                request=help_request,
                appointment=appointment,
                helper=by,
                happened_at=details.happened_at,
                modality=details.modality,
                minutes=details.minutes,
                private_note=details.private_note.strip(),
            )
            SessionActivity.objects.bulk_create(
                SessionActivity(session=session, activity=a)
                for a in sorted(set(details.activities))
            )
            achieved_on = timezone.localdate(details.happened_at)
            Outcome.objects.bulk_create(
                Outcome(session=session, kind=k, achieved_on=achieved_on, recorded_by=by)
                for k in sorted(set(details.outcomes))
            )
            if details.follow_up_on is not None:
                FollowUp.objects.create(
                    session=session,
                    helper=by,
                    due_on=details.follow_up_on,
                    note=details.follow_up_note.strip()[:200],
                )
            audit.record(
                "jobhelp.help_session.recorded",
                actor=by,
                organization=help_request.organization,
                obj=session,
                data={
                    "request": help_request.pk,
                    "minutes": details.minutes,
                    "modality": details.modality,
                    "activities": sorted(set(details.activities)),
                    "outcomes": sorted(set(details.outcomes)),
                },
            )
            _invite_feedback(session, now=now)
            if appointment is not None:
                _attended(appointment, by=by, now=now)
    except IntegrityError:
        # The same form committed a moment ago, or the appointment's one record made by
        # someone else.
        earlier = _earlier(idempotency_key, help_request)
        if earlier is not None:
            return earlier
        raise CaseworkError(_("This appointment already has a session record.")) from None
    return session


def _attended(appointment, *, by, now: datetime) -> None:
    """The help was given at this appointment, so the patron came: mark it, when it is still
    booked and has started (an appointment marked already, or by someone who may not, is left
    as it is), and let the request move on from "Appointment scheduled"."""
    if appointment.state == AppointmentState.BOOKED and appointment.starts <= now:
        try:
            mark_attended(appointment, by=by, now=now)
        except BookingError:
            return
    unschedule_request(appointment.request_id, by=by)


def _earlier(idempotency_key: str | None, help_request) -> HelpSession | None:
    if not idempotency_key:
        return None
    return HelpSession.objects.filter(idempotency_key=idempotency_key, request=help_request).first()


def _invite_feedback(session: HelpSession, *, now: datetime) -> None:
    """The survey link, by the patron's one channel (intake.patrons.patron_address): email, or
    a text for a patron without email who chose texts. No link is made for a patron nobody can
    write to; they can answer by phone."""
    request = session.request
    if patron_address(request) is None:
        return
    _invitation, token = links.issue(
        FeedbackInvitation, expires_at=now + SURVEY_LIFETIME, session=session
    )
    message_patron(
        request,
        template="feedback_invitation",
        context={
            "request": request,
            "survey_url": settings.PUBLIC_BASE_URL.rstrip("/")
            + reverse("public:survey:form", args=[token]),
            "days": SURVEY_LIFETIME.days,
        },
        organization=session.organization,
    )


def update_outcomes(
    session: HelpSession, *, by, outcomes: list[str], achieved_on: date | None = None
) -> tuple[list[str], list[str]]:
    """Make the session's outcomes exactly `outcomes`: new ones dated `achieved_on` (today by
    default), ones left out withdrawn. Returns (added, withdrawn).

    Side effects: audit ``jobhelp.help_session.outcomes_updated`` when anything changed.
    """
    if not rules.can_change(by, session):
        raise CaseworkError(
            _("Only the person who helped, front desk staff and managers can do this.")
        )
    wanted = set(outcomes)
    if wanted - set(OutcomeKind.values):
        raise CaseworkError(_("Choose outcomes from the list."))
    achieved_on = achieved_on or timezone.localdate()
    if achieved_on > timezone.localdate() or achieved_on < timezone.localdate(session.happened_at):
        raise CaseworkError(_("The date must be between the session and today."))
    with transaction.atomic():
        have = set(
            Outcome.objects.select_for_update()
            .filter(session=session)
            .values_list("kind", flat=True)
        )
        added = sorted(wanted - have)
        withdrawn = sorted(have - wanted)
        Outcome.objects.filter(session=session, kind__in=withdrawn).delete()
        Outcome.objects.bulk_create(
            Outcome(session=session, kind=k, achieved_on=achieved_on, recorded_by=by) for k in added
        )
        if added or withdrawn:
            HelpSession.objects.filter(pk=session.pk).update(updated_at=timezone.now())
            audit.record(
                "jobhelp.help_session.outcomes_updated",
                actor=by,
                organization=session.organization,
                obj=session,
                data={"added": added, "withdrawn": withdrawn},
            )
    return added, withdrawn


def schedule_follow_up(session: HelpSession, *, by, due_on: date, note: str) -> FollowUp:
    """Side effects: audit ``jobhelp.follow_up.scheduled``."""
    if not rules.can_change(by, session):
        raise CaseworkError(
            _("Only the person who helped, front desk staff and managers can do this.")
        )
    if due_on < timezone.localdate():
        raise CaseworkError(_("A follow-up date cannot be in the past."))
    if not note.strip():
        raise CaseworkError(_("Say what to follow up, for example “ask about the interview”."))
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            session=session, helper=session.helper, due_on=due_on, note=note.strip()[:200]
        )
        audit.record(
            "jobhelp.follow_up.scheduled",
            actor=by,
            organization=session.organization,
            obj=follow_up,
            data={"due_on": due_on.isoformat()},
        )
    return follow_up


def complete_follow_up(follow_up: FollowUp, *, by) -> FollowUp:
    """Side effects: audit ``jobhelp.follow_up.done``. Doing it twice changes nothing."""
    session = follow_up.session
    if not rules.can_change(by, session):
        raise CaseworkError(
            _("Only the person who helped, front desk staff and managers can do this.")
        )
    with transaction.atomic():
        if FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
            done_at=timezone.now()
        ):
            audit.record(
                "jobhelp.follow_up.done",
                actor=by,
                organization=session.organization,
                obj=follow_up,
            )
    follow_up.refresh_from_db()
    return follow_up


def open_survey(token: str, *, now: datetime | None = None) -> FeedbackInvitation:
    """The invitation behind a survey link, if it can still be answered. Raises
    core.links.LinkUnknown or LinkExpired, or AlreadyAnswered, also for an answered link that
    has expired since (being told it was answered says more)."""
    queryset = FeedbackInvitation.objects.select_related(
        "session__organization", "session__request"
    )
    try:
        invitation = links.find(queryset, token, now=now)
    except links.LinkExpired as expired:
        if expired.link.used_at is not None:
            raise AlreadyAnswered(expired.link) from None
        raise
    if invitation.used_at is not None:
        raise AlreadyAnswered(invitation)
    return invitation


@dataclass(frozen=True, kw_only=True)
class Answers:
    helpful: int
    would_recommend: bool
    comment: str = ""
    may_quote: bool = False


def _check_answers(answers: Answers) -> None:
    if answers.helpful not in range(1, 6):
        raise CaseworkError(_("Choose a number from 1 to 5."))
    if len(answers.comment) > 1000:
        raise CaseworkError(_("Please keep the comment under 1,000 characters."))


def submit_feedback(
    token: str, *, answers: Answers, now: datetime | None = None
) -> FeedbackResponse:
    """The patron answers through their link, once. Raises a core.links.LinkProblem for an
    unknown, expired or already used (AlreadyAnswered) link; nothing is stored twice.

    Side effects: audit ``jobhelp.feedback.received`` (no actor: the patron is anonymous).
    """
    now = now or timezone.now()
    _check_answers(answers)
    invitation = open_survey(token, now=now)
    with transaction.atomic():
        # One conditional UPDATE: of two submits at once, one uses the link.
        if not FeedbackInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now
        ):
            raise AlreadyAnswered
        return _store(invitation.session, answers=answers, via=FeedbackVia.LINK, by=None)


def record_phone_feedback(session: HelpSession, *, by, answers: Answers) -> FeedbackResponse:
    """Staff record the patron's answers given by phone; the survey link, if any, stops
    working. Side effects: audit ``jobhelp.feedback.received``."""
    if not rules.can_change(by, session):
        raise CaseworkError(
            _("Only the person who helped, front desk staff and managers can do this.")
        )
    _check_answers(answers)
    with transaction.atomic():
        FeedbackInvitation.objects.filter(session=session, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        return _store(session, answers=answers, via=FeedbackVia.PHONE, by=by)


def _store(session, *, answers: Answers, via: str, by) -> FeedbackResponse:
    if FeedbackResponse.objects.filter(session=session).exists():
        raise AlreadyAnswered
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                session=session,
                helpful=answers.helpful,
                would_recommend=answers.would_recommend,
                comment=answers.comment.strip(),
                may_quote=answers.may_quote and bool(answers.comment.strip()),
                via=via,
                recorded_by=by,
            )
    except IntegrityError:
        raise AlreadyAnswered from None
    audit.record(
        "jobhelp.feedback.received",
        actor=by,
        organization=session.organization,
        obj=response,
        data={"helpful": answers.helpful, "via": via},
    )
    return response


def mark_testimonial(response: FeedbackResponse, *, by, testimonial: bool) -> FeedbackResponse:
    """A manager marks (or unmarks) a comment the patron agreed to have quoted.
    Side effects: audit ``jobhelp.feedback.testimonial_marked`` or ``..._unmarked``."""
    session = response.session
    if not rules.can_curate_feedback(by, session.organization):
        raise CaseworkError(_("Only managers can choose testimonials."))
    if testimonial and not response.may_quote:
        raise CaseworkError(_("The patron did not agree to have this comment quoted."))
    with transaction.atomic():
        FeedbackResponse.objects.filter(pk=response.pk).update(testimonial=testimonial)
        audit.record(
            "jobhelp.feedback.testimonial_marked"
            if testimonial
            else "jobhelp.feedback.testimonial_unmarked",
            actor=by,
            organization=session.organization,
            obj=response,
        )
    response.refresh_from_db()
    return response


def erase_expired_notes(*, now: datetime | None = None) -> dict[str, int]:
    """Erase what staff and patrons wrote about help given on requests finished longer ago than
    RETENTION["notes"] (the periodic job casework.note_eraser, daily): the sessions' private
    notes, their follow-ups' notes, and the survey comments not chosen as (anonymous,
    consented) testimonials. By default that is the requests' own retention period, so they go
    with the request's personal details. Returns how many of each changed; a second run
    changes none."""
    now = now or timezone.now()
    cutoff = now - settings.RETENTION["notes"]
    with transaction.atomic():
        notes = (
            HelpSession.objects.filter(request__finished_at__lt=cutoff)
            .exclude(private_note="")
            .update(private_note="")
        )
        follow_ups = (
            FollowUp.objects.filter(session__request__finished_at__lt=cutoff)
            .exclude(note="")
            .update(note="")
        )
        comments = (
            FeedbackResponse.objects.filter(
                session__request__finished_at__lt=cutoff, testimonial=False
            )
            .exclude(comment="")
            .update(comment="", may_quote=False)
        )
    return {"notes": notes, "follow_ups": follow_ups, "comments": comments}
