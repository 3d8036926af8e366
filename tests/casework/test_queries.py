"""Scoped reads of help sessions, follow-ups and feedback (casework.queries)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.casework.queries import (
    FeedbackFigures,
    FeedbackFilters,
    comments_for_user,
    feedback_for_user,
    feedback_organizations,
    follow_up_for_user,
    follow_ups_due,
    responses_for_user,
    session_access,
    session_for_user,
    sessions_for_request,
)
from jobhelp.casework.queries import testimonials_for_user as chosen_testimonials
from tests.factories.accounts import staff_member
from tests.factories.casework import FeedbackResponseFactory, FollowUpFactory, HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory


@pytest.fixture
def branch_helper(branch):
    return staff_member(branch, Role.HELPER, first_name="Bea")


@pytest.fixture
def sessions(library, branch, other_library, helper):
    """One session each at the library system, its branch and another organization."""
    return {
        "library": HelpSessionFactory(
            request=HelpRequestFactory(organization=library), helper=helper
        ),
        "branch": HelpSessionFactory(
            request=HelpRequestFactory(organization=branch), helper=helper
        ),
        "other": HelpSessionFactory(request=HelpRequestFactory(organization=other_library)),
    }


# --- Sessions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("front_desk", {"library", "branch"}),
        ("helper", {"library", "branch"}),
        ("branch_helper", {"branch"}),
        ("outsider", {"other"}),
        ("no_membership", set()),
    ],
)
def test_sessions_are_found_only_through_the_requests_one_sees(request, sessions, persona, visible):
    user = request.getfixturevalue(persona)

    found = {name for name, s in sessions.items() if session_for_user(user, s.pk) == s}
    listed = {
        name for name, s in sessions.items() if list(sessions_for_request(user, s.request)) == [s]
    }
    follow_ups = {
        name
        for name, s in sessions.items()
        if follow_up_for_user(user, FollowUpFactory(session=s).pk) is not None
    }

    assert (found, listed, follow_ups) == (visible, visible, visible)


def test_a_requests_sessions_newest_first(library, helper):
    help_request = HelpRequestFactory(organization=library)
    now = timezone.now()
    older = HelpSessionFactory(request=help_request, happened_at=now - timedelta(days=2))
    newer = HelpSessionFactory(request=help_request, happened_at=now - timedelta(hours=1))
    HelpSessionFactory(request=HelpRequestFactory(organization=library))

    assert list(sessions_for_request(helper, help_request)) == [newer, older]


@pytest.mark.parametrize(
    ("persona", "organizations", "managed"),
    [
        ("front_desk", {"library", "branch"}, set()),
        ("manager", {"library", "branch"}, {"library", "branch"}),
        ("outsider", {"other_library"}, set()),
        ("no_membership", set(), set()),
    ],
)
def test_session_access_names_the_organizations_once(
    request, library, branch, other_library, persona, organizations, managed
):
    user = request.getfixturevalue(persona)
    names = {library.pk: "library", branch.pk: "branch", other_library.pk: "other_library"}

    access = session_access(user)

    assert (
        {names[pk] for pk in access.organization_ids},
        {names[pk] for pk in access.managed_ids},
    ) == (organizations, managed)


def test_notes_and_comments_by_organization_and_helper(sessions, helper, manager, front_desk):
    ours, theirs = sessions["library"], sessions["other"]

    seen = {
        name: (
            access.sees_notes(ours),
            access.sees_notes(theirs),
            access.sees_comment(ours),
            access.sees_comment(theirs),
        )
        for name, access in (
            ("helper", session_access(helper)),
            ("manager", session_access(manager)),
            ("front_desk", session_access(front_desk)),
        )
    }

    assert seen == {
        "helper": (True, False, True, False),
        "manager": (True, False, True, False),
        "front_desk": (True, False, False, False),
    }


# --- Follow-ups ----------------------------------------------------------------------------------


def test_follow_ups_due_and_coming_up(library, other_library, helper, front_desk):
    today = timezone.localdate()
    session = HelpSessionFactory(request=HelpRequestFactory(organization=library), helper=helper)

    def follow_up(days, **fields):
        return FollowUpFactory(session=session, due_on=today + timedelta(days=days), **fields)

    late = follow_up(-5)
    due = follow_up(0)
    soon = follow_up(7)
    later = follow_up(8)
    follow_up(-1, done_at=timezone.now())
    follow_up(0, helper=front_desk)
    # A follow-up on a request the helper no longer sees (another organization's).
    FollowUpFactory(
        session=HelpSessionFactory(
            request=HelpRequestFactory(organization=other_library), helper=helper
        ),
        due_on=today,
    )

    near = follow_ups_due(helper, today)
    everything = follow_ups_due(helper, today, ahead=None)

    assert (near.due, near.upcoming) == ([late, due], [soon])
    assert (everything.due, everything.upcoming) == ([late, due], [soon, later])


# --- Feedback ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "organizations"),
    [
        ("front_desk", set()),
        ("helper", {"library", "branch"}),
        ("manager", {"library", "branch"}),
        ("branch_helper", {"branch"}),
    ],
)
def test_feedback_is_for_helpers_and_managers(request, library, branch, persona, organizations):
    user = request.getfixturevalue(persona)

    assert {o.slug for o in feedback_organizations(user)} == {
        {"library": "riverbend", "branch": "northtown"}[name] for name in organizations
    }


@pytest.mark.parametrize(
    ("count", "average", "recommend", "shown"),
    [
        (0, None, 0, ("0", "", None, False)),
        (1, 4.0, 1, ("<5", "", None, True)),
        (4, 2.5, 1, ("<5", "", None, True)),
        (5, 4.2, 4, ("5", "4.2", 80, False)),
        (12, 3.25, 11, ("12", "3.2", 92, False)),
    ],
)
def test_small_cells_are_suppressed(count, average, recommend, shown):
    figures = FeedbackFigures("Phone help", count, average, recommend)

    assert (
        figures.count_shown,
        figures.average_shown,
        figures.recommend_percent,
        figures.suppressed,
    ) == shown


def test_feedback_figures_per_service_and_helper(
    library, central, branch, other_library, helper, branch_helper, manager
):
    video = AppointmentTypeFactory(organization=library, name="Video help", modality="video")
    for day, score in enumerate((5, 4, 4, 3, 5), start=1):
        appointment = AppointmentFactory(
            request=HelpRequestFactory(organization=library),
            helper=helper,
            location=central,
            appointment_type=video,
            starts=timezone.now() - timedelta(days=day),
            state="attended",
        )
        FeedbackResponseFactory(
            session=HelpSessionFactory(
                request=appointment.request,
                helper=helper,
                appointment=appointment,
                modality="video",
            ),
            helpful=score,
            would_recommend=score > 3,
        )
    FeedbackResponseFactory(
        session=HelpSessionFactory(
            request=HelpRequestFactory(organization=branch), helper=branch_helper
        ),
        helpful=1,
        would_recommend=False,
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=other_library)),
        helpful=1,
    )

    summary = feedback_for_user(manager)
    at_branch = feedback_for_user(branch_helper)

    def rows(figures):
        return [(f.label, f.count, f.average_shown, f.recommend_percent) for f in figures]

    assert rows([summary.total]) == [("All", 6, "3.7", 67)]
    assert rows(summary.by_service) in (
        # NULL sorts first on SQLite and last on PostgreSQL.
        [("No appointment, by phone", 1, "", None), ("Video help", 5, "4.2", 80)],
        [("Video help", 5, "4.2", 80), ("No appointment, by phone", 1, "", None)],
    )
    assert rows(summary.by_helper) == [("Bea Member", 1, "", None), (str(helper), 5, "4.2", 80)]
    assert rows([at_branch.total, *at_branch.by_helper]) == [
        ("All", 1, "", None),
        ("Bea Member", 1, "", None),
    ]


def test_feedback_dates_are_local_days_both_included(library, manager):
    response = FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=library))
    )
    day = timezone.localdate(response.received_at)

    def count(**filters):
        return responses_for_user(manager, FeedbackFilters(**filters)).count()

    assert [
        count(since=day, until=day),
        count(since=day + timedelta(days=1)),
        count(until=day - timedelta(days=1)),
        count(organization_id=library.pk),
        count(organization_id=library.pk + 1000),
    ] == [1, 0, 0, 1, 0]


def test_comments_for_managers_and_the_sessions_helper(
    library, other_library, helper, manager, front_desk
):
    colleague = staff_member(library, Role.HELPER)
    own = FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=library), helper=helper),
        comment="Thank you",
    )
    other = FeedbackResponseFactory(
        session=HelpSessionFactory(
            request=HelpRequestFactory(organization=library), helper=colleague
        ),
        comment="Very kind",
        may_quote=True,
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=library), helper=helper),
        comment="",
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=other_library)),
        comment="Elsewhere",
        may_quote=True,
    )

    assert (
        list(comments_for_user(helper)),
        list(comments_for_user(colleague)),
        list(comments_for_user(manager)),
        list(comments_for_user(front_desk)),
    ) == ([own], [other], [other, own], [])


def test_testimonials_are_the_chosen_consented_comments_of_managed_organizations(
    library, other_library, manager, helper
):
    LocationFactory(organization=library)
    chosen = FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=library)),
        comment="Keep offering this type of service!!",
        may_quote=True,
        testimonial=True,
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=library)),
        comment="Not chosen",
        may_quote=True,
    )
    FeedbackResponseFactory(
        session=HelpSessionFactory(request=HelpRequestFactory(organization=other_library)),
        comment="Theirs",
        may_quote=True,
        testimonial=True,
    )

    assert (list(chosen_testimonials(manager)), list(chosen_testimonials(helper))) == (
        [chosen],
        [],
    )
