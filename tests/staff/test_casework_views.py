"""Help sessions from the staff side: recording help on a request, the request page's "Help
given" section, outcomes, follow-ups, the patron's answers by phone, and the feedback page.

Rosa's request (REFERENCE) is the library's and assigned to the `helper`; `colleague` is another
helper of the library, who sees the request but does not work on it. The real clock is used:
sessions are recorded an hour ago, on the library's clock (Central Library, America/Chicago).
"""

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.casework.domain import SessionDetails, record_session
from jobhelp.casework.models import FeedbackResponse, FollowUp, HelpSession, Outcome
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling.enums import AppointmentState
from tests.factories.accounts import staff_member
from tests.factories.casework import FeedbackResponseFactory, FollowUpFactory, HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory
from tests.forms_in_html import as_form_values, form_values

REFERENCE = "SES234"
REQUEST_URL = f"/staff/requests/{REFERENCE}/"
NEW_URL = f"/staff/requests/{REFERENCE}/sessions/new/"
NOTE = "Wants warehouse work; forklift licence expired."
COMMENT = "Keep offering this type of service!!"
THEIR_NOTE = "Elsewhere's secret about their patron."


@pytest.fixture
def colleague(library):
    return staff_member(library, Role.HELPER, needs=["resume"], first_name="Cole")


@pytest.fixture
def outsider_helper(other_library):
    return staff_member(other_library, Role.HELPER, needs=["resume"])


@pytest.fixture
def outsider_manager(other_library):
    return staff_member(other_library, Role.MANAGER)


@pytest.fixture
def rosa(library, central, helper):
    return HelpRequestFactory(
        organization=library,
        reference=REFERENCE,
        name="Rosa Lopez",
        email="",
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        preferred_location=central,
    )


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def details(**overrides) -> SessionDetails:
    values = {
        "happened_at": an_hour_ago(),
        "modality": "phone",
        "minutes": 45,
        "activities": ["resume_reviewed", "applications"],
        "outcomes": ["resume_completed"],
        "private_note": NOTE,
        "follow_up_on": timezone.localdate(),
        "follow_up_note": "Ask about the interview",
    }
    return SessionDetails(**{**values, **overrides})


@pytest.fixture
def session(rosa, helper):
    return record_session(rosa, by=helper, details=details())


@pytest.fixture
def theirs(other_library, outsider_helper):
    """A session of the other organization, with a note, a follow-up and a comment that must
    never reach our staff."""
    their_request = HelpRequestFactory(
        organization=other_library,
        reference="THR234",
        state=RequestState.IN_PROGRESS,
        assigned_to=outsider_helper,
    )
    their_session = record_session(
        their_request, by=outsider_helper, details=details(private_note=THEIR_NOTE)
    )
    FeedbackResponseFactory(session=their_session, comment="Elsewhere was great", may_quote=True)
    return their_session


def flashed(response) -> list[tuple[str, str]]:
    return [
        (kind, html.unescape(text))
        for kind, text in re.findall(
            r'usa-alert--(\w+) usa-alert--slim" role="status">\s*'
            r'<div class="usa-alert__body"><p class="usa-alert__text">(.*?)</p>',
            response.content.decode(),
        )
    ]


def snapshot() -> tuple:
    return (
        list(HelpSession.objects.order_by("pk").values()),
        list(Outcome.objects.order_by("pk").values("session", "kind", "achieved_on")),
        list(FollowUp.objects.order_by("pk").values("session", "due_on", "note", "done_at")),
        list(FeedbackResponse.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def session_post(**overrides) -> dict:
    when = timezone.localtime(an_hour_ago())
    data = {
        "idempotency_key": "form-drawn-once",
        "appointment": "",
        "day": when.strftime("%Y-%m-%d"),
        "clock": when.strftime("%H:%M"),
        "modality": "phone",
        "minutes": "45",
        "activities": ["resume_reviewed", "interview_practice"],
        "outcomes": ["resume_completed"],
        "private_note": NOTE,
        "follow_up_on": timezone.localdate().strftime("%Y-%m-%d"),
        "follow_up_note": "Ask about the interview",
    }
    data.update(overrides)
    return data


# --- Who may open what -------------------------------------------------------------------------


def every_path(session) -> list[tuple[str, str]]:
    follow_up = session.follow_ups.get()
    feedback = FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=True)
    return [
        ("get", NEW_URL),
        ("get", f"/staff/sessions/{session.pk}/outcomes/"),
        ("get", f"/staff/sessions/{session.pk}/follow-up/"),
        ("get", f"/staff/sessions/{session.pk}/phone-feedback/"),
        ("post", f"/staff/follow-ups/{follow_up.pk}/done/"),
        ("get", "/staff/follow-ups/"),
        ("get", "/staff/feedback/"),
        ("post", f"/staff/feedback/{feedback.pk}/testimonial/"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, session):
    for method, path in every_path(session):
        response = getattr(client, method)(path)
        assert (response.status_code, response.url) == (302, f"/staff/login/?next={path}")
    assert FollowUp.objects.get().done_at is None


def test_a_login_without_membership_is_refused(client, no_membership, session):
    client.force_login(no_membership)
    statuses = {
        path: getattr(client, method)(path).status_code for method, path in every_path(session)
    }
    assert set(statuses.values()) == {403}
    assert (FollowUp.objects.get().done_at, FeedbackResponse.objects.get().testimonial) == (
        None,
        False,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("front_desk", 200),
        ("helper", 200),
        ("manager", 200),
        ("colleague", 403),
        ("outsider", 404),
        ("outsider_manager", 404),
    ],
)
def test_who_may_open_the_record_form(client, log_in, rosa, persona, status):
    log_in(persona)

    response = client.get(NEW_URL)

    assert response.status_code == status
    if status == 404:
        assert rosa.name.encode() not in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("front_desk", 200),
        ("helper", 200),
        ("manager", 200),
        ("colleague", 403),
        ("outsider", 404),
        ("outsider_manager", 404),
    ],
)
@pytest.mark.parametrize("action", ["outcomes", "follow-up", "phone-feedback"])
def test_who_may_change_a_session(client, log_in, session, persona, status, action):
    log_in(persona)
    before = snapshot()

    page = client.get(f"/staff/sessions/{session.pk}/{action}/")
    posted = client.post(
        f"/staff/sessions/{session.pk}/{action}/",
        {
            "outcomes": ["hired"],
            "due_on": timezone.localdate().isoformat(),
            "note": "x",
            "helpful": "5",
            "would_recommend": "yes",
        },
    )

    assert page.status_code == status
    if status == 200:
        assert posted.status_code == 302
    else:
        assert (posted.status_code, snapshot()) == (status, before)
        assert NOTE.encode() not in page.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("helper", 302), ("front_desk", 302), ("colleague", 403), ("outsider", 404)],
)
def test_who_may_mark_a_follow_up_done(client, log_in, session, persona, status):
    log_in(persona)
    follow_up = session.follow_ups.get()

    response = client.post(f"/staff/follow-ups/{follow_up.pk}/done/")

    follow_up.refresh_from_db()
    assert (response.status_code, follow_up.done_at is not None) == (status, status == 302)
    if status == 302:
        assert response.url == f"{REQUEST_URL}#help-given"


def test_done_goes_back_to_the_page_it_was_pressed_on_and_nowhere_else(client, helper, session):
    client.force_login(helper)
    follow_up = session.follow_ups.get()

    there = client.post(f"/staff/follow-ups/{follow_up.pk}/done/", {"next": "/staff/follow-ups/"})
    away = client.post(f"/staff/follow-ups/{follow_up.pk}/done/", {"next": "https://evil.example/"})

    assert (there.url, away.url) == ("/staff/follow-ups/", f"{REQUEST_URL}#help-given")
    assert AuditEntry.objects.filter(action="jobhelp.follow_up.done").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("front_desk", 403),
        ("helper", 200),
        ("colleague", 200),
        ("manager", 200),
        ("outsider", 403),
        ("outsider_helper", 200),
    ],
)
def test_who_may_open_the_feedback_page(client, log_in, session, theirs, persona, status):
    FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=True)
    log_in(persona)

    response = client.get("/staff/feedback/")

    content = response.content.decode()
    comments = {"helper": COMMENT, "manager": COMMENT, "outsider_helper": "Elsewhere was great"}
    assert response.status_code == status
    assert (THEIR_NOTE in content, NOTE in content) == (False, False)
    assert [text for text in (COMMENT, "Elsewhere was great") if text in content] == (
        [comments[persona]] if persona in comments else []
    )
    if status == 200:
        assert response.context["summary"].total.count == 1


@pytest.mark.parametrize(
    ("persona", "status", "testimonial"),
    [
        ("manager", 302, True),
        ("helper", 403, False),
        ("colleague", 403, False),
        ("front_desk", 403, False),
        ("outsider_manager", 404, False),
    ],
)
def test_only_our_managers_choose_testimonials(
    client, log_in, session, persona, status, testimonial
):
    feedback = FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=True)
    log_in(persona)

    response = client.post(f"/staff/feedback/{feedback.pk}/testimonial/", {"testimonial": "on"})

    feedback.refresh_from_db()
    assert (response.status_code, feedback.testimonial) == (status, testimonial)


def test_a_manager_marks_and_removes_a_testimonial(client, manager, session):
    feedback = FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=True)
    client.force_login(manager)

    marked = client.post(
        f"/staff/feedback/{feedback.pk}/testimonial/",
        {"testimonial": "on", "next": "/staff/feedback/?since=2026-01-01"},
    )
    listed = client.get("/staff/feedback/")
    removed = client.post(f"/staff/feedback/{feedback.pk}/testimonial/", follow=True)

    assert marked.url == "/staff/feedback/?since=2026-01-01"
    assert [html.unescape(t.comment) for t in listed.context["testimonials"]] == [COMMENT]
    assert f"“{COMMENT}”" in html.unescape(listed.content.decode())
    assert flashed(removed) == [("success", "No longer a testimonial.")]
    assert removed.context["testimonials"] == []
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[-2:] == [
        "jobhelp.feedback.testimonial_marked",
        "jobhelp.feedback.testimonial_unmarked",
    ]


def test_a_comment_without_consent_cannot_become_a_testimonial(client, manager, session):
    feedback = FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=False)
    client.force_login(manager)

    response = client.post(
        f"/staff/feedback/{feedback.pk}/testimonial/", {"testimonial": "on"}, follow=True
    )

    feedback.refresh_from_db()
    assert feedback.testimonial is False
    assert flashed(response) == [("error", "The patron did not agree to have this comment quoted.")]
    assert "Mark as testimonial" not in response.content.decode()


# --- Recording a session -------------------------------------------------------------------------


def test_the_assigned_helper_records_a_session(client, helper, rosa):
    client.force_login(helper)

    response = client.post(NEW_URL, session_post(), follow=True)

    session = HelpSession.objects.get()
    assert response.redirect_chain == [(f"{REQUEST_URL}#help-given", 302)]
    assert flashed(response) == [("success", "The help you gave is recorded. Thank you!")]
    assert (
        session.request,
        session.helper,
        session.modality,
        session.minutes,
        session.private_note,
        timezone.localtime(session.happened_at).strftime("%Y-%m-%d %H:%M"),
        sorted(session.activities.values_list("activity", flat=True)),
        list(session.outcomes.values_list("kind", flat=True)),
        list(session.follow_ups.values_list("due_on", "note", "helper")),
    ) == (
        rosa,
        helper,
        "phone",
        45,
        NOTE,
        timezone.localtime(an_hour_ago()).strftime("%Y-%m-%d %H:%M"),
        ["interview_practice", "resume_reviewed"],
        ["resume_completed"],
        [(timezone.localdate(), "Ask about the interview", helper.pk)],
    )
    assert NOTE in html.unescape(response.content.decode())


def test_the_form_opens_with_today_and_the_requests_way_of_help(client, helper, rosa):
    client.force_login(helper)

    response = client.get(NEW_URL)

    form = response.context["form"]
    assert (form["day"].value(), form["modality"].value(), str(response.context["zone"])) == (
        timezone.localdate(),
        "phone",
        "America/Chicago",
    )
    assert "Only your organization's staff see this; it is erased with the request." in (
        html.unescape(response.content.decode())
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"minutes": "0"},
            {"minutes": ["Minutes spent must be a whole number between 1 and 480."]},
        ),
        (
            {"minutes": "lots"},
            {"minutes": ["Minutes spent must be a whole number between 1 and 480."]},
        ),
        ({"modality": ""}, {"modality": ["Choose how the help was given."]}),
        ({"day": "yesterday"}, {"day": ["Enter a date like 2026-03-02."]}),
        ({"day": "1026-01-01"}, {"day": ["Enter a date like 2026-03-02."]}),
        ({"clock": "25:00"}, {"clock": ["Enter a time like 14:30."]}),
        ({"activities": ["magic"]}, {"activities": ["Choose what was done from the list."]}),
        (
            {"follow_up_on": ""},
            {"follow_up_on": ["Give a date for the follow-up, or leave its note empty."]},
        ),
        (
            {"follow_up_note": ""},
            {"follow_up_note": ["Say what to follow up, for example “ask about the interview”."]},
        ),
        (
            {"day": (timezone.localdate() + timedelta(days=2)).isoformat()},
            {"__all__": ["A session cannot be recorded before it has happened."]},
        ),
        (
            {"follow_up_on": "2026-01-02"},
            {"__all__": ["A follow-up date cannot be in the past."]},
        ),
    ],
)
def test_bad_input_is_shown_with_everything_typed_and_nothing_saved(
    client, helper, rosa, overrides, errors
):
    client.force_login(helper)
    data = session_post(**overrides)
    before = snapshot()

    response = client.post(NEW_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    # An unticked radio and a box that is not on the page send nothing back.
    shown = {k: v for k, v in data.items() if v != "" or k != "modality"}
    if shown["activities"] == ["magic"]:
        del shown["activities"]
    assert form_values(response) == as_form_values(shown)
    assert snapshot() == before
    assert "Everything you typed is still here." in response.content.decode()


def test_saving_the_same_form_twice_records_one_session(client, helper, rosa):
    client.force_login(helper)
    first = client.post(NEW_URL, session_post())
    second = client.post(NEW_URL, session_post())
    assert (first.status_code, second.status_code, HelpSession.objects.count()) == (302, 302, 1)


def test_a_time_the_clocks_skipped_is_refused(client, helper, rosa, library):
    client.force_login(helper)
    # Recorded for a day long before the request: the domain would refuse it too, but the form
    # refuses first, with the reason that matters.
    response = client.post(NEW_URL, session_post(day="2026-03-08", clock="02:30"))

    assert response.context["form"].errors == {
        "clock": ["That time did not exist that day: the clocks went forward. Check it."]
    }
    assert HelpSession.objects.count() == 0


def test_an_attended_appointment_prefills_the_form_and_is_linked(
    client, helper, rosa, central, library
):
    kind = AppointmentTypeFactory(
        organization=library, name="Video help", modality="video", duration=60
    )
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    appointment = AppointmentFactory(
        request=rosa,
        helper=helper,
        location=central,
        appointment_type=kind,
        starts=starts,
        state=AppointmentState.ATTENDED,
    )
    client.force_login(helper)

    page = client.get(REQUEST_URL)
    link = f"{NEW_URL}?appointment={appointment.pk}"
    form = client.get(link).context["form"]
    client.post(
        link,
        session_post(
            appointment=str(appointment.pk),
            day=form["day"].value().isoformat(),
            clock=form["clock"].value().strftime("%H:%M"),
            modality="video",
            minutes="60",
        ),
    )
    again = client.get(REQUEST_URL)

    assert link in html.unescape(page.content.decode())
    assert (
        form["appointment"].value(),
        form["modality"].value(),
        form["minutes"].value(),
        form["day"].value(),
        form["clock"].value().strftime("%H:%M"),
    ) == (
        appointment.pk,
        "video",
        60,
        timezone.localtime(starts).date(),
        timezone.localtime(starts).strftime("%H:%M"),
    )
    assert HelpSession.objects.get().appointment == appointment
    assert link not in html.unescape(again.content.decode())
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("value", ["x", "99999", "-1"])
def test_an_appointment_that_is_not_the_requests_is_not_found(client, helper, rosa, value):
    client.force_login(helper)

    response = client.get(f"{NEW_URL}?appointment={value}")

    assert response.status_code == 404


def test_a_posted_appointment_of_another_request_is_refused(client, helper, rosa, central, library):
    other = HelpRequestFactory(organization=library, state=RequestState.IN_PROGRESS)
    appointment = AppointmentFactory(
        request=other,
        helper=helper,
        location=central,
        appointment_type=AppointmentTypeFactory(organization=library),
        starts=an_hour_ago(),
        state=AppointmentState.ATTENDED,
    )
    client.force_login(helper)

    response = client.post(NEW_URL, session_post(appointment=str(appointment.pk)))

    assert response.context["form"].errors == {
        "appointment": ["That appointment is not one of this request's. Reload the page."]
    }
    assert HelpSession.objects.count() == 0


# --- The request page ----------------------------------------------------------------------------


def test_the_request_page_shows_the_help_given(client, helper, session):
    FeedbackResponseFactory(
        session=session, helpful=4, would_recommend=True, comment=COMMENT, may_quote=True
    )
    client.force_login(helper)

    response = client.get(REQUEST_URL)

    (row,) = response.context["help_sessions"]
    content = html.unescape(response.content.decode())
    assert (
        row["session"],
        [a.activity for a in row["activities"]],
        [o.kind for o in row["outcomes"]],
        [f.note for f in row["follow_ups"]],
        row["sees_notes"],
        row["sees_comment"],
        row["can_change"],
        row["feedback_form"],
    ) == (
        session,
        ["resume_reviewed", "applications"],
        ["resume_completed"],
        ["Ask about the interview"],
        True,
        True,
        True,
        None,
    )
    for text in (
        "Help given",
        "Resumé reviewed",
        "Job applications submitted",
        "Resumé completed",
        "45 minutes",
        NOTE,
        "Ask about the interview",
        "Helpful: 4 of 5",
        COMMENT,
        "Update outcomes",
        "Plan a follow-up",
        "Record help given",
    ):
        assert text in content
    assert "Record the patron's answers given by phone" not in content


@pytest.mark.parametrize(
    ("persona", "sees_comment"),
    [("helper", True), ("manager", True), ("front_desk", False), ("colleague", False)],
)
def test_the_patrons_comment_is_for_managers_and_the_helper(
    client, log_in, session, persona, sees_comment
):
    FeedbackResponseFactory(session=session, helpful=4, comment=COMMENT, may_quote=False)
    log_in(persona)

    response = client.get(REQUEST_URL)

    content = html.unescape(response.content.decode())
    assert "Helpful: 4 of 5" in content
    assert (COMMENT in content) is sees_comment


def test_private_notes_never_reach_another_organizations_staff(
    client, outsider_helper, helper, session, theirs, rosa, other_library
):
    # A session on our request kept by the other organization (the patron was helped there):
    # our staff see that help was given, never its note.
    HelpSessionFactory(
        request=rosa, organization=other_library, helper=outsider_helper, private_note=THEIR_NOTE
    )
    client.force_login(outsider_helper)
    their_view = [
        client.get(REQUEST_URL),
        client.get(f"/staff/sessions/{session.pk}/outcomes/"),
        client.get("/staff/follow-ups/"),
        client.get("/staff/feedback/"),
        client.get("/staff/"),
    ]
    client.force_login(helper)
    our_page = client.get(REQUEST_URL)

    assert [r.status_code for r in their_view] == [404, 404, 200, 200, 200]
    for response in their_view:
        assert NOTE not in html.unescape(response.content.decode())
        assert rosa.name not in response.content.decode()
    # Newest first: the other organization's session was recorded after ours.
    assert [row["sees_notes"] for row in our_page.context["help_sessions"]] == [False, True]
    content = html.unescape(our_page.content.decode())
    assert (NOTE in content, THEIR_NOTE in content) == (True, False)


def test_who_sees_no_forms_on_the_request_page(client, colleague, session):
    client.force_login(colleague)

    response = client.get(REQUEST_URL)

    (row,) = response.context["help_sessions"]
    assert (row["can_change"], row["outcomes_form"], response.context["can_record_help"]) == (
        False,
        None,
        False,
    )
    content = response.content.decode()
    assert f"/staff/sessions/{session.pk}/" not in content
    assert NEW_URL not in content


def test_request_page_query_count_does_not_grow_with_the_sessions(
    client, front_desk, helper, rosa, session
):
    FeedbackResponseFactory(session=session, comment=COMMENT, may_quote=True)
    client.force_login(front_desk)
    client.get(REQUEST_URL)

    with CaptureQueriesContext(connection) as one:
        response = client.get(REQUEST_URL)
    assert len(response.context["help_sessions"]) == 1

    for minutes in (20, 30):
        more = record_session(rosa, by=helper, details=details(minutes=minutes))
        FeedbackResponseFactory(session=more, helpful=3)
    with CaptureQueriesContext(connection) as three:
        response = client.get(REQUEST_URL)
    assert len(response.context["help_sessions"]) == 3

    assert len(three) == len(one)


# --- Outcomes, follow-ups, answers by phone ----------------------------------------------------


def test_outcomes_are_updated_from_the_request_page(client, helper, session):
    client.force_login(helper)

    response = client.post(
        f"/staff/sessions/{session.pk}/outcomes/", {"outcomes": ["applied", "interview"]}
    )

    assert (response.status_code, response.url) == (302, f"{REQUEST_URL}#session-{session.pk}")
    assert sorted(Outcome.objects.values_list("kind", "achieved_on")) == [
        ("applied", timezone.localdate()),
        ("interview", timezone.localdate()),
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"outcomes": ["famous"]}, {"outcomes": ["Choose outcomes from the list."]}),
        (
            {"outcomes": ["hired"], "achieved_on": "2999-01-01"},
            {"achieved_on": ["Enter a date like 2026-03-02."]},
        ),
        (
            {"outcomes": ["hired"], "achieved_on": "2020-01-01"},
            {"__all__": ["The date must be between the session and today."]},
        ),
        (
            {"outcomes": ["hired"], "achieved_on": "soon"},
            {"achieved_on": ["Enter a date like 2026-03-02."]},
        ),
    ],
)
def test_bad_outcomes_are_refused_and_kept_on_the_page(client, helper, session, data, errors):
    client.force_login(helper)
    before = snapshot()

    response = client.post(f"/staff/sessions/{session.pk}/outcomes/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    shown = {"achieved_on": data.get("achieved_on", "")}
    if data["outcomes"] != ["famous"]:
        shown["outcomes"] = data["outcomes"]
    assert form_values(response) == as_form_values(shown)
    assert snapshot() == before


def test_a_follow_up_is_planned(client, front_desk, session, helper):
    client.force_login(front_desk)
    due = timezone.localdate() + timedelta(days=14)

    response = client.post(
        f"/staff/sessions/{session.pk}/follow-up/",
        {"due_on": due.isoformat(), "note": "Ask about the second interview"},
    )

    assert response.status_code == 302
    assert list(FollowUp.objects.order_by("due_on").values_list("due_on", "note", "helper"))[
        -1
    ] == (due, "Ask about the second interview", helper.pk)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"due_on": "", "note": "Ask about it"},
            {"due_on": ["Enter the date to follow up."]},
        ),
        (
            {"due_on": "2026-01-02", "note": "Ask about it"},
            {"__all__": ["A follow-up date cannot be in the past."]},
        ),
        (
            {"due_on": "next week", "note": "Ask about it"},
            {"due_on": ["Enter a date like 2026-03-02."]},
        ),
        (
            {"due_on": "2027-01-04", "note": ""},
            {"note": ["Say what to follow up, for example “ask about the interview”."]},
        ),
        (
            {"due_on": "2027-01-04", "note": "x" * 201},
            {"note": ["Ensure this value has at most 200 characters (it has 201)."]},
        ),
    ],
)
def test_bad_follow_ups_are_refused_and_kept_on_the_page(client, helper, session, data, errors):
    client.force_login(helper)
    before = snapshot()

    response = client.post(f"/staff/sessions/{session.pk}/follow-up/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert form_values(response) == as_form_values(data)
    assert snapshot() == before


def test_the_patrons_answers_by_phone_are_stored_once(client, helper, session):
    client.force_login(helper)
    answers = {
        "helpful": "4",
        "would_recommend": "yes",
        "comment": COMMENT,
        "may_quote": "on",
    }

    first = client.post(f"/staff/sessions/{session.pk}/phone-feedback/", answers, follow=True)
    again = client.post(f"/staff/sessions/{session.pk}/phone-feedback/", answers, follow=True)

    assert list(
        FeedbackResponse.objects.values_list(
            "session", "helpful", "would_recommend", "comment", "may_quote", "via", "recorded_by"
        )
    ) == [(session.pk, 4, True, COMMENT, True, "phone", helper.pk)]
    assert flashed(first) == [("success", "The patron's answers are recorded. Thank you!")]
    assert flashed(again) == [
        (
            "success",
            "The patron's answers for this session are already recorded; nothing was changed.",
        )
    ]
    assert AuditEntry.objects.filter(action="jobhelp.feedback.received").count() == 1
    assert "Record the patron's answers given by phone" not in html.unescape(first.content.decode())


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"would_recommend": "yes", "comment": "Good"},
            {"helpful": ["Choose a number from 1 to 5."]},
        ),
        (
            {"helpful": "9", "would_recommend": "yes", "comment": "Good"},
            {"helpful": ["Choose a number from 1 to 5."]},
        ),
        ({"helpful": "3", "comment": "Good"}, {"would_recommend": ["Choose yes or no."]}),
        (
            {"helpful": "3", "would_recommend": "no", "comment": "x" * 1001},
            {"comment": ["Please keep the comment under 1,000 characters."]},
        ),
    ],
)
def test_bad_answers_by_phone_are_refused_and_kept(client, helper, session, data, errors):
    client.force_login(helper)
    before = snapshot()

    response = client.post(f"/staff/sessions/{session.pk}/phone-feedback/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    kept = {k: v for k, v in data.items() if k != "helpful" or v in {"1", "2", "3", "4", "5"}}
    assert form_values(response) == as_form_values(kept)
    assert snapshot() == before


# --- Follow-ups lists ----------------------------------------------------------------------------


def test_the_helpers_follow_ups_due_first_then_coming_up(client, helper, session, colleague):
    today = timezone.localdate()
    late = FollowUpFactory(session=session, due_on=today - timedelta(days=3), note="Late one")
    later = FollowUpFactory(session=session, due_on=today + timedelta(days=30), note="Far-off")
    FollowUpFactory(session=session, due_on=today, note="Done", done_at=timezone.now())
    FollowUpFactory(
        session=HelpSessionFactory(request=session.request, helper=colleague),
        note="Cole's, not ours",
    )
    client.force_login(helper)

    page = client.get("/staff/follow-ups/")
    home = client.get("/staff/")

    today_one = session.follow_ups.get(note="Ask about the interview")
    assert (page.context["due"], page.context["upcoming"]) == ([late, today_one], [later])
    assert (home.context["follow_ups_due"], home.context["follow_ups_soon"]) == (
        [late, today_one],
        [],
    )
    content = html.unescape(home.content.decode())
    assert ("Late one" in content, "Far-off" in content, "Cole's" in content) == (
        True,
        False,
        False,
    )
    assert f'href="/staff/requests/{REFERENCE}/#session-{session.pk}"' in content


def test_a_follow_up_done_leaves_the_list(client, helper, session):
    client.force_login(helper)
    follow_up = session.follow_ups.get()

    response = client.post(
        f"/staff/follow-ups/{follow_up.pk}/done/", {"next": "/staff/follow-ups/"}, follow=True
    )

    assert (response.context["due"], response.context["upcoming"]) == ([], [])
    assert flashed(response) == [("success", "Follow-up done.")]


def test_follow_ups_query_count_does_not_grow_with_the_follow_ups(client, helper, rosa, session):
    client.force_login(helper)
    client.get("/staff/follow-ups/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/follow-ups/")
    assert len(response.context["due"]) == 1

    other = HelpRequestFactory(organization=rosa.organization, assigned_to=helper)
    FollowUpFactory(session=HelpSessionFactory(request=other, helper=helper))
    FollowUpFactory(session=session)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/follow-ups/")
    assert len(response.context["due"]) == 3

    assert len(three) == len(one)


# --- The feedback page ---------------------------------------------------------------------------


def test_figures_of_fewer_than_five_answers_are_suppressed(
    client, manager, helper, rosa, colleague
):
    for score in (5, 4, 4, 3, 5):
        FeedbackResponseFactory(
            session=HelpSessionFactory(request=rosa, helper=helper), helpful=score
        )
    for score in (1, 2):
        FeedbackResponseFactory(
            session=HelpSessionFactory(request=rosa, helper=colleague, modality="video"),
            helpful=score,
            would_recommend=False,
        )
    client.force_login(manager)

    response = client.get("/staff/feedback/")

    summary = response.context["summary"]
    shown = [
        (f.label, f.count_shown, f.average_shown, f.recommend_percent) for f in summary.by_helper
    ]
    assert shown == [
        ("Cole Member", "<5", "", None),
        (str(helper), "5", "4.2", 100),
    ]
    assert [(f.label, f.count_shown, f.average_shown) for f in summary.by_service] == [
        ("No appointment, by phone", "5", "4.2"),
        ("No appointment, by video call", "<5", ""),
    ]
    assert (summary.total.count_shown, summary.total.average_shown) == ("7", "3.4")
    content = response.content.decode()
    assert "&lt;5" in content
    assert "1.5" not in content


def test_reversed_dates_are_refused_with_a_message(client, manager, session):
    FeedbackResponseFactory(session=session)
    client.force_login(manager)

    response = client.get("/staff/feedback/", {"since": "2026-05-01", "until": "2026-04-01"})

    assert response.status_code == 200
    assert response.context["filters"].errors == {
        "until": ["The end date is before the start date."]
    }
    assert "summary" not in response.context
    assert form_values(response) == {
        "since": ["2026-05-01"],
        "until": ["2026-04-01"],
        "organization": [""],
    }


def test_dates_and_organization_filter_the_feedback(client, manager, session, branch):
    FeedbackResponseFactory(session=session)
    client.force_login(manager)
    today = timezone.localdate()

    now = client.get("/staff/feedback/", {"since": today.isoformat(), "until": today.isoformat()})
    before = client.get("/staff/feedback/", {"until": (today - timedelta(days=1)).isoformat()})
    at_branch = client.get("/staff/feedback/", {"organization": str(branch.pk)})
    elsewhere = client.get("/staff/feedback/", {"organization": "999999"})

    assert [r.context["summary"].total.count for r in (now, before, at_branch)] == [1, 0, 0]
    assert elsewhere.context["filters"].errors == {
        "organization": ["Choose one of your organizations."]
    }


def test_comments_are_for_managers_and_the_sessions_helper(
    client, log_in, helper, colleague, manager, rosa
):
    mine = FeedbackResponseFactory(
        session=HelpSessionFactory(request=rosa, helper=helper), comment="Helper's own"
    )
    coles = FeedbackResponseFactory(
        session=HelpSessionFactory(request=rosa, helper=colleague),
        comment="Cole's patron",
        may_quote=True,
    )
    seen = {}
    for persona in ("helper", "colleague", "manager"):
        log_in(persona)
        response = client.get("/staff/feedback/")
        seen[persona] = (
            list(response.context["page"].object_list),
            [f.can_curate for f in response.context["page"].object_list],
            "Mark as testimonial" in response.content.decode(),
        )

    assert seen == {
        "helper": ([mine], [False], False),
        "colleague": ([coles], [False], False),
        "manager": ([coles, mine], [True, False], True),
    }


def test_feedback_page_query_count_does_not_grow_with_the_answers(
    client, manager, helper, colleague, rosa, library, central
):
    kind = AppointmentTypeFactory(organization=library, name="Phone help")
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=rosa, helper=helper), comment="One", may_quote=True
    )
    client.force_login(manager)
    client.get("/staff/feedback/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/feedback/")
    assert len(response.context["page"].object_list) == 1

    appointment = AppointmentFactory(
        request=rosa,
        helper=colleague,
        location=central,
        appointment_type=kind,
        starts=an_hour_ago(),
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=rosa, helper=colleague, appointment=appointment),
        comment="Two",
        may_quote=True,
        testimonial=True,
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=rosa, helper=helper, modality="video"),
        comment="Three",
    )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/feedback/")
    assert len(response.context["page"].object_list) == 3

    assert len(three) == len(one)


def test_times_are_on_the_clock_of_the_requests_organization_without_a_library_chosen(client, db):
    mountain = OrganizationFactory(name="Mesa County Library", slug="mesa")
    LocationFactory(organization=mountain, name="Mesa Central", time_zone="America/Denver")
    desk = staff_member(mountain, Role.FRONT_DESK)
    HelpRequestFactory(organization=mountain, reference="MTN234", preferred_location=None)
    client.force_login(desk)
    when = timezone.now().astimezone(ZoneInfo("America/Denver")) - timedelta(hours=1)

    page = client.get("/staff/requests/MTN234/sessions/new/")
    client.post(
        "/staff/requests/MTN234/sessions/new/",
        session_post(day=when.strftime("%Y-%m-%d"), clock=when.strftime("%H:%M")),
    )

    assert str(page.context["zone"]) == "America/Denver"
    assert HelpSession.objects.get().happened_at == when.replace(second=0, microsecond=0)


def test_my_requests_lists_the_follow_ups_due(client, helper, library):
    from tests.factories.casework import FollowUpFactory, HelpSessionFactory

    session = HelpSessionFactory(helper=helper, request__organization=library, organization=library)
    FollowUpFactory(session=session, note="Ask Rosa about the warehouse interview")
    FollowUpFactory(
        session=session, note="Not yet", due_on=timezone.localdate() + timedelta(days=30)
    )
    client.force_login(helper)

    response = client.get("/staff/mine/")

    assert [f.note for f in response.context["follow_ups_due"]] == [
        "Ask Rosa about the warehouse interview"
    ]
