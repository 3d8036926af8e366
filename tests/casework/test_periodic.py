"""casework's periodic job: the note eraser, on its own retention period."""

from datetime import timedelta

from django.utils import timezone

from jobhelp.core import periodic
from tests.factories.casework import (
    FeedbackResponseFactory,
    FollowUpFactory,
    HelpSessionFactory,
)
from tests.factories.intake import HelpRequestFactory


def finished(library, days_ago: int, now):
    return HelpRequestFactory(
        organization=library,
        state="resolved",
        closing_reason="helped",
        finished_at=now - timedelta(days=days_ago),
        name="Rosa Martínez",
    )


def test_the_note_eraser_erases_notes_and_comments_after_their_period_only(library, retention):
    # Notes kept for 30 days, the request's own details for a year.
    retention(requests=365, notes=30)
    now = timezone.now()
    old, recent = finished(library, 31, now), finished(library, 29, now)
    old_session = HelpSessionFactory(request=old, private_note="Wants warehouse work")
    recent_session = HelpSessionFactory(request=recent, private_note="Has a forklift licence")
    FollowUpFactory(session=old_session, note="Ask about Acme")
    FeedbackResponseFactory(session=old_session, comment="Call me back")
    # A comment the patron let the library quote, chosen as a testimonial, stays.
    quoted = FeedbackResponseFactory(
        session=HelpSessionFactory(request=old),
        comment="Keep it up!",
        may_quote=True,
        testimonial=True,
    )

    outcomes = periodic.run_jobs(names=["casework.note_eraser"], now=now)

    assert [(o.job, o.counts) for o in outcomes] == [
        ("casework.note_eraser", {"notes": 1, "follow_ups": 1, "comments": 1})
    ]
    old_session.refresh_from_db()
    recent_session.refresh_from_db()
    assert (old_session.private_note, recent_session.private_note) == (
        "",
        "Has a forklift licence",
    )
    old_session.feedback.refresh_from_db()
    quoted.refresh_from_db()
    assert (old_session.feedback.comment, quoted.comment) == ("", "Keep it up!")
    assert list(old_session.follow_ups.values_list("note", flat=True)) == [""]
    # The request's details are intake's to erase, on its own period.
    old.refresh_from_db()
    assert (old.name, old.erased_at) == ("Rosa Martínez", None)
