from datetime import date, timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.casework import domain
from jobhelp.casework.domain import (
    Answers,
    CaseworkError,
    SessionDetails,
    complete_follow_up,
    erase_expired_notes,
    mark_testimonial,
    record_phone_feedback,
    record_session,
    submit_feedback,
    update_outcomes,
)
from jobhelp.casework.models import (
    FeedbackInvitation,
    FeedbackResponse,
    FollowUp,
    HelpSession,
    Outcome,
)
from jobhelp.core.links import LinkProblem
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory


@pytest.fixture
def assigned(library, helper):
    return HelpRequestFactory(
        organization=library,
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        email="rosa@example.org",
        language="es",
    )


def details(**overrides) -> SessionDetails:
    values = {
        "happened_at": timezone.now() - timedelta(hours=1),
        "modality": "phone",
        "minutes": 45,
        "activities": ["resume_reviewed", "applications"],
        "outcomes": ["resume_completed"],
        "private_note": "Wants warehouse work; forklift licence expired.",
    }
    return SessionDetails(**{**values, **overrides})


def token_from_invitation() -> str:
    body = OutboundMessage.objects.get(template="feedback_invitation").body
    return body.split("/survey/")[1].split("/")[0]


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_recording_a_session_keeps_what_was_done_and_invites_feedback(assigned, helper):
    session = record_session(assigned, by=helper, details=details())
    message = OutboundMessage.objects.get(template="feedback_invitation")
    assert (
        sorted(session.activities.values_list("activity", flat=True)),
        list(session.outcomes.values_list("kind", flat=True)),
        session.minutes,
        session.helper,
        message.language,
        message.subject,
        actions()[-1],
    ) == (
        ["applications", "resume_reviewed"],
        ["resume_completed"],
        45,
        helper,
        "es",
        "¿Cómo fue la ayuda de Riverbend County Library?",
        "jobhelp.help_session.recorded",
    )


def test_a_patron_without_email_is_not_sent_a_survey(library, helper):
    request = HelpRequestFactory(organization=library, state="in_progress", assigned_to=helper)
    record_session(request, by=helper, details=details())
    assert (OutboundMessage.objects.count(), FeedbackInvitation.objects.count()) == (0, 0)


def test_a_patron_who_chose_texts_gets_the_survey_link_by_text(library, helper, texting):
    request = HelpRequestFactory(
        organization=library,
        state="in_progress",
        assigned_to=helper,
        email="",
        phone="+17635550123",
        preferred_contact="text",
        language="es",
    )
    record_session(request, by=helper, details=details())

    message = OutboundMessage.objects.get()
    token = message.body.split("/survey/")[1].split("/")[0]
    assert (message.template, message.channel, message.to, message.language) == (
        "feedback_invitation",
        "sms",
        "+17635550123",
        "es",
    )
    assert message.body == (
        "Riverbend County Library: ¿cómo fue la ayuda? Son tres preguntas cortas y no le "
        f"pedimos su nombre: http://127.0.0.1:8000/survey/{token}/"
    )
    assert domain.open_survey(token).session.request == request


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes": 0}, "Minutes spent must be between 1 and 480."),
        ({"minutes": 481}, "Minutes spent must be between 1 and 480."),
        ({"modality": "fax"}, "Choose how the help was given."),
        ({"activities": ["magic"]}, "Choose what was done from the list."),
        ({"outcomes": ["famous"]}, "Choose outcomes from the list."),
        (
            {"happened_at": timezone.now() + timedelta(days=1)},
            "A session cannot be recorded before it has happened.",
        ),
        (
            {"follow_up_on": date(2000, 1, 1), "follow_up_note": "x"},
            "A follow-up date cannot be in the past.",
        ),
        (
            {"follow_up_on": timezone.localdate() + timedelta(days=14)},
            "Say what to follow up, for example “ask about the interview”.",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(assigned, helper, overrides, message):
    before = actions()
    with pytest.raises(CaseworkError) as caught:
        record_session(assigned, by=helper, details=details(**overrides))
    assert (str(caught.value), HelpSession.objects.count(), actions()) == (message, 0, before)


def test_someone_not_working_on_the_request_cannot_record(assigned, outsider, library):
    colleague = staff_member(library, Role.HELPER, needs=["resume"])
    for person in (outsider, colleague):
        with pytest.raises(CaseworkError):
            record_session(assigned, by=person, details=details())
    assert HelpSession.objects.count() == 0


def test_outcomes_can_be_updated_later(assigned, helper):
    session = record_session(assigned, by=helper, details=details())
    added, withdrawn = update_outcomes(session, by=helper, outcomes=["applied", "interview"])
    assert (added, withdrawn, sorted(Outcome.objects.values_list("kind", flat=True))) == (
        ["applied", "interview"],
        ["resume_completed"],
        ["applied", "interview"],
    )
    assert actions()[-1] == "jobhelp.help_session.outcomes_updated"


def test_outcomes_of_another_organization_cannot_be_changed(assigned, helper, outsider):
    session = record_session(assigned, by=helper, details=details())
    with pytest.raises(CaseworkError):
        update_outcomes(session, by=outsider, outcomes=["hired"])
    assert list(Outcome.objects.values_list("kind", flat=True)) == ["resume_completed"]


def test_a_follow_up_is_planned_and_done_once(assigned, helper):
    due = timezone.localdate() + timedelta(days=14)
    session = record_session(
        assigned,
        by=helper,
        details=details(follow_up_on=due, follow_up_note="Ask about the interview"),
    )
    follow_up = FollowUp.objects.get(session=session)
    complete_follow_up(follow_up, by=helper)
    complete_follow_up(follow_up, by=helper)
    assert (
        follow_up.due_on,
        follow_up.done_at is not None,
        actions().count("jobhelp.follow_up.done"),
    ) == (
        due,
        True,
        1,
    )


def test_the_survey_link_works_once(assigned, helper):
    record_session(assigned, by=helper, details=details())
    token = token_from_invitation()
    answers = Answers(
        helpful=5, would_recommend=True, comment="Keep offering this!", may_quote=True
    )
    response = submit_feedback(token, answers=answers)
    with pytest.raises(LinkProblem) as again:
        submit_feedback(token, answers=answers)
    assert (
        again.value.reason,
        FeedbackResponse.objects.count(),
        response.via,
        response.recorded_by,
    ) == (
        "used",
        1,
        "link",
        None,
    )


def test_an_expired_or_altered_survey_link_stores_nothing(assigned, helper):
    record_session(assigned, by=helper, details=details())
    token = token_from_invitation()
    answers = Answers(helpful=4, would_recommend=True)
    later = timezone.now() + domain.SURVEY_LIFETIME + timedelta(minutes=1)
    with pytest.raises(LinkProblem) as expired:
        submit_feedback(token, answers=answers, now=later)
    with pytest.raises(LinkProblem) as altered:
        submit_feedback(token[:-2] + "xx", answers=answers)
    assert (expired.value.reason, altered.value.reason, FeedbackResponse.objects.count()) == (
        "expired",
        "unknown",
        0,
    )


def test_staff_record_a_phone_answer_and_the_link_stops_working(assigned, helper):
    session = record_session(assigned, by=helper, details=details())
    token = token_from_invitation()
    record_phone_feedback(session, by=helper, answers=Answers(helpful=4, would_recommend=True))
    with pytest.raises(LinkProblem):
        submit_feedback(token, answers=Answers(helpful=1, would_recommend=False))
    assert list(FeedbackResponse.objects.values_list("helpful", "via")) == [(4, "phone")]


def test_only_consented_comments_become_testimonials_and_only_by_managers(
    assigned, helper, manager
):
    session = record_session(assigned, by=helper, details=details())
    response = record_phone_feedback(
        session, by=helper, answers=Answers(helpful=5, would_recommend=True, comment="Great")
    )
    with pytest.raises(CaseworkError) as no_consent:
        mark_testimonial(response, by=manager, testimonial=True)
    FeedbackResponse.objects.filter(pk=response.pk).update(may_quote=True)
    response.refresh_from_db()
    with pytest.raises(CaseworkError) as not_manager:
        mark_testimonial(response, by=helper, testimonial=True)
    marked = mark_testimonial(response, by=manager, testimonial=True)
    assert (str(no_consent.value), str(not_manager.value), marked.testimonial) == (
        "The patron did not agree to have this comment quoted.",
        "Only managers can choose testimonials.",
        True,
    )


def test_consent_without_a_comment_is_not_kept(assigned, helper):
    session = record_session(assigned, by=helper, details=details())
    response = record_phone_feedback(
        session, by=helper, answers=Answers(helpful=5, would_recommend=True, may_quote=True)
    )
    assert response.may_quote is False


def test_erasure_takes_private_notes_and_unchosen_comments(assigned, helper, retention):
    retention(notes=30)
    session = record_session(
        assigned,
        by=helper,
        details=details(
            follow_up_on=timezone.localdate() + timedelta(days=3),
            follow_up_note="Ask Rosa about Acme",
        ),
    )
    record_phone_feedback(
        session, by=helper, answers=Answers(helpful=3, would_recommend=True, comment="Call me")
    )
    now = timezone.now()
    HelpRequest.objects.filter(pk=assigned.pk).update(
        state=RequestState.CLOSED, finished_at=now - timedelta(days=29)
    )
    assert erase_expired_notes(now=now) == {"notes": 0, "follow_ups": 0, "comments": 0}

    HelpRequest.objects.filter(pk=assigned.pk).update(finished_at=now - timedelta(days=31))
    assert erase_expired_notes(now=now) == {"notes": 1, "follow_ups": 1, "comments": 1}
    session.refresh_from_db()
    assert (
        session.private_note,
        FeedbackResponse.objects.get().comment,
        FollowUp.objects.get().note,
    ) == ("", "", "")
    assert erase_expired_notes(now=now) == {"notes": 0, "follow_ups": 0, "comments": 0}


def test_the_same_form_saved_twice_records_one_session(assigned, helper):
    first = record_session(assigned, by=helper, details=details(), idempotency_key="form-1")
    again = record_session(assigned, by=helper, details=details(), idempotency_key="form-1")
    assert (
        again,
        HelpSession.objects.count(),
        actions().count("jobhelp.help_session.recorded"),
    ) == (
        first,
        1,
        1,
    )
