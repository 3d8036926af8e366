from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.audit import entries_for
from jobhelp.core.models import AuditEntry
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.enums import IntakeChannel
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNote
from jobhelp.intake.triage import (
    AlreadyTaken,
    TriageError,
    assign_request,
    claim_request,
    close_request,
    log_contact_attempt,
    reopen_request,
    resolve_request,
)
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory, RoutingRuleFactory
from tests.factories.organizations import BranchFactory, OrganizationFactory

NOW = datetime(2026, 4, 15, 14, 30, tzinfo=UTC)
EARLIER = datetime(2026, 4, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """Stop the clock so finished_at can be compared exactly."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def hana(library):
    """A helper who speaks Spanish and reads her email in Spanish."""
    return staff_member(
        library,
        Role.HELPER,
        needs=["resume"],
        languages=["en", "es"],
        first_name="Hana",
        last_name="Lee",
        email="hana@example.org",
        preferred_language="es",
    )


@pytest.fixture
def carlos(library):
    return staff_member(
        library,
        Role.CAREER_COACH,
        needs=["resume", "coaching"],
        languages=["en"],
        first_name="Carlos",
        last_name="Ruiz",
        email="carlos@example.org",
    )


@pytest.fixture
def stranger(other_library):
    """A qualified helper of another library system."""
    return staff_member(
        other_library,
        Role.HELPER,
        needs=["resume"],
        first_name="Ana",
        last_name="Ortiz",
        email="ana@example.org",
    )


@pytest.fixture
def fresh(library):
    """A new, unassigned request from a patron who wants a phone call."""
    return HelpRequestFactory(
        organization=library,
        reference="4K7M9Q",
        name="Rosa",
        phone="+17635550123",
        email="rosa@example.com",
        preferred_contact="phone",
        language="es",
    )


def assigned_to(person, **fields) -> HelpRequest:
    fields.setdefault("organization", person.memberships.get().organization)
    fields.setdefault("state", "assigned")
    return HelpRequestFactory(assigned_to=person, **fields)


def finished(state, reason, **fields) -> HelpRequest:
    return HelpRequestFactory(state=state, closing_reason=reason, finished_at=EARLIER, **fields)


def state_of(help_request) -> tuple:
    row = HelpRequest.objects.get(pk=help_request.pk)
    return (row.state, row.closing_reason, row.finished_at, row.assigned_to)


def history(help_request) -> list[tuple]:
    return [(e.action, e.actor, e.organization, e.data) for e in entries_for(help_request)]


def outbox() -> list[tuple[str, str, str]]:
    return list(OutboundMessage.objects.order_by("pk").values_list("template", "to", "language"))


def snapshot(help_request) -> tuple:
    return (
        HelpRequest.objects.filter(pk=help_request.pk).values().get(),
        AuditEntry.objects.count(),
        OutboundMessage.objects.count(),
        ContactAttempt.objects.count(),
        RequestNote.objects.count(),
    )


def refused(help_request, action, *, message: str, error=TriageError) -> TriageError:
    """Run `action`, expect it refused with exactly `message`, and check nothing changed."""
    before = snapshot(help_request)

    with pytest.raises(TriageError) as caught:
        action()

    assert (type(caught.value), str(caught.value)) == (error, message)
    assert snapshot(help_request) == before
    return caught.value


# --- Assigning ----------------------------------------------------------------------------------


def test_front_desk_assigns_a_new_request(fresh, front_desk, hana, library):
    result = assign_request(fresh, helper=hana, by=front_desk, expected_assignee=None)

    assert (result.state, result.assigned_to) == ("assigned", hana)
    assert state_of(fresh) == ("assigned", "", None, hana)
    assert history(fresh) == [
        ("jobhelp.request.assigned", front_desk, library, {"to": hana.pk, "from": None})
    ]
    assert RequestNote.objects.count() == 0


def test_the_helper_is_told_in_their_own_language(fresh, front_desk, hana, carlos):
    assign_request(fresh, helper=hana, by=front_desk)
    message = OutboundMessage.objects.get()

    assert (message.template, message.to, message.language) == (
        "request_assigned_helper",
        "hana@example.org",
        "es",
    )
    # The patron's name stays in the staff area.
    assert "Rosa" not in message.body


def test_an_english_reading_helper_is_told_in_english(fresh, front_desk, carlos):
    assign_request(fresh, helper=carlos, by=front_desk)

    assert outbox() == [("request_assigned_helper", "carlos@example.org", "en")]
    assert OutboundMessage.objects.get().subject == "New request for you: 4K7-M9Q"


def test_a_phone_first_patron_is_not_emailed(fresh, front_desk, hana):
    # Rosa gave an email address but asked to be called: she hears who helps on the first call.
    assign_request(fresh, helper=hana, by=front_desk)

    assert outbox() == [("request_assigned_helper", "hana@example.org", "es")]


def test_a_patron_who_chose_email_is_told_who_will_help(library, front_desk, hana):
    help_request = HelpRequestFactory(
        organization=library,
        phone="+17635550123",
        email="rosa@example.com",
        preferred_contact="email",
        language="es",
    )

    assign_request(help_request, helper=hana, by=front_desk)

    assert outbox() == [
        ("request_assigned_helper", "hana@example.org", "es"),
        ("request_assigned_patron", "rosa@example.com", "es"),
    ]


def test_a_patron_without_a_phone_is_emailed(library, front_desk, carlos):
    help_request = HelpRequestFactory(
        organization=library, phone="", email="rosa@example.com", preferred_contact="phone"
    )

    assign_request(help_request, helper=carlos, by=front_desk)

    assert outbox() == [
        ("request_assigned_helper", "carlos@example.org", "en"),
        ("request_assigned_patron", "rosa@example.com", "en"),
    ]


def test_a_patron_in_a_language_the_site_lacks_is_emailed_in_english(library, front_desk, hana):
    help_request = HelpRequestFactory(
        organization=library, email="farah@example.com", preferred_contact="email", language="so"
    )

    assign_request(help_request, helper=hana, by=front_desk)

    assert outbox() == [
        ("request_assigned_helper", "hana@example.org", "es"),
        ("request_assigned_patron", "farah@example.com", "en"),
    ]


def test_a_manager_assigns(fresh, manager, carlos):
    assign_request(fresh, helper=carlos, by=manager)

    assert state_of(fresh) == ("assigned", "", None, carlos)
    assert [h[:2] for h in history(fresh)] == [("jobhelp.request.assigned", manager)]


def test_library_system_front_desk_assigns_a_branch_request_to_a_system_helper(
    branch, front_desk, hana
):
    help_request = HelpRequestFactory(organization=branch)

    assign_request(help_request, helper=hana, by=front_desk)

    assert state_of(help_request) == ("assigned", "", None, hana)
    assert history(help_request) == [
        ("jobhelp.request.assigned", front_desk, branch, {"to": hana.pk, "from": None})
    ]


def test_the_system_assigns_without_an_actor(fresh, hana, library):
    assign_request(fresh, helper=hana, by=None)

    assert history(fresh) == [
        ("jobhelp.request.assigned", None, library, {"to": hana.pk, "from": None})
    ]


def test_reassigning_keeps_the_reason_as_a_staff_note(library, front_desk, hana, carlos):
    help_request = assigned_to(hana, state="in_progress")

    result = assign_request(
        help_request,
        helper=carlos,
        by=front_desk,
        note="  Hana is on leave.  ",
        expected_assignee=hana,
    )

    assert (result.state, result.assigned_to) == ("assigned", carlos)
    assert state_of(help_request) == ("assigned", "", None, carlos)
    assert list(RequestNote.objects.values_list("request", "author", "text")) == [
        (help_request.pk, front_desk.pk, "Hana is on leave.")
    ]
    assert history(help_request) == [
        ("jobhelp.request.reassigned", front_desk, library, {"to": carlos.pk, "from": hana.pk})
    ]
    assert outbox() == [("request_assigned_helper", "carlos@example.org", "en")]


def test_a_helper_cannot_assign(fresh, hana, carlos):
    refused(
        fresh,
        lambda: assign_request(fresh, helper=carlos, by=hana),
        message="Only front desk staff and managers can assign requests.",
    )


def test_front_desk_of_another_organization_cannot_assign(fresh, outsider, hana):
    refused(
        fresh,
        lambda: assign_request(fresh, helper=hana, by=outsider),
        message="Only front desk staff and managers can assign requests.",
    )


def test_cannot_assign_to_a_helper_of_another_organization(fresh, front_desk, stranger):
    refused(
        fresh,
        lambda: assign_request(fresh, helper=stranger, by=front_desk),
        message="Ana Ortiz does not help for Riverbend County Library, so cannot take this "
        "request.",
    )


def test_cannot_assign_to_someone_who_does_not_help_patrons(fresh, front_desk, library):
    colleague = staff_member(library, Role.FRONT_DESK, first_name="Dee", last_name="Desk")

    refused(
        fresh,
        lambda: assign_request(fresh, helper=colleague, by=front_desk),
        message="Dee Desk does not help for Riverbend County Library, so cannot take this request.",
    )


def test_branch_helpers_do_not_take_the_library_systems_requests(fresh, front_desk, branch):
    branch_helper = staff_member(
        branch, Role.HELPER, needs=["resume"], first_name="Bo", last_name="Branch"
    )

    refused(
        fresh,
        lambda: assign_request(fresh, helper=branch_helper, by=front_desk),
        message="Bo Branch does not help for Riverbend County Library, so cannot take this "
        "request.",
    )


@pytest.mark.parametrize("note", ["", "   \n "])
def test_reassigning_needs_a_note(front_desk, hana, carlos, note):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: assign_request(
            help_request, helper=carlos, by=front_desk, note=note, expected_assignee=hana
        ),
        message="Please say why you are reassigning this request.",
    )


def test_assigning_to_the_same_person_is_refused(front_desk, hana):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: assign_request(
            help_request, helper=hana, by=front_desk, note="Again", expected_assignee=hana
        ),
        message="This request is already with Hana Lee.",
    )


@pytest.mark.parametrize(("state", "reason"), [("closed", "withdrawn"), ("resolved", "helped")])
def test_a_finished_request_cannot_be_assigned(library, front_desk, hana, state, reason):
    help_request = finished(state, reason, organization=library)

    refused(
        help_request,
        lambda: assign_request(help_request, helper=hana, by=front_desk, expected_assignee=None),
        message=f"This request is {state}, so it cannot be changed that way.",
    )


def test_assigning_what_someone_else_just_took_names_who_has_it(fresh, front_desk, hana, carlos):
    # The page showed nobody; Carlos was given the request in the meantime.
    HelpRequest.objects.filter(pk=fresh.pk).update(state="assigned", assigned_to=carlos)
    current = HelpRequest.objects.get(pk=fresh.pk)

    error = refused(
        current,
        lambda: assign_request(current, helper=hana, by=front_desk, expected_assignee=None),
        message="Someone else just changed this request: it is now with Carlos Ruiz.",
        error=AlreadyTaken,
    )

    assert error.assigned_to == carlos


def test_a_stale_copy_of_the_request_cannot_overwrite_a_newer_assignment(
    fresh, front_desk, hana, carlos
):
    assign_request(HelpRequest.objects.get(pk=fresh.pk), helper=carlos, by=front_desk)
    stale = fresh  # still says nobody has it

    error = refused(
        fresh,
        lambda: assign_request(stale, helper=hana, by=front_desk, expected_assignee=None),
        message="Someone else just changed this request: it is now with Carlos Ruiz.",
        error=AlreadyTaken,
    )

    assert error.assigned_to == carlos
    assert state_of(fresh) == ("assigned", "", None, carlos)


def test_reassigning_from_someone_who_no_longer_has_it(front_desk, hana, carlos, library):
    help_request = assigned_to(carlos)
    colleague = staff_member(library, Role.HELPER, first_name="Kim", last_name="Park")

    error = refused(
        help_request,
        lambda: assign_request(
            help_request, helper=colleague, by=front_desk, note="Leave", expected_assignee=hana
        ),
        message="Someone else just changed this request: it is now with Carlos Ruiz.",
        error=AlreadyTaken,
    )

    assert error.assigned_to == carlos


# --- Claiming ----------------------------------------------------------------------------------


def test_a_qualified_helper_claims_a_new_request(fresh, hana, library):
    result = claim_request(fresh, by=hana)

    assert (result.state, result.assigned_to) == ("assigned", hana)
    assert state_of(fresh) == ("assigned", "", None, hana)
    assert history(fresh) == [("jobhelp.request.claimed", hana, library, {"to": hana.pk})]
    # Rosa asked to be called: nobody is emailed, and Hana knows, since she clicked.
    assert outbox() == []


def test_claiming_tells_a_patron_who_chose_email(library, hana):
    help_request = HelpRequestFactory(
        organization=library, email="rosa@example.com", preferred_contact="email", language="es"
    )

    claim_request(help_request, by=hana)

    assert outbox() == [("request_assigned_patron", "rosa@example.com", "es")]


def test_qualified_for_one_of_several_needs_is_enough(library, hana):
    help_request = HelpRequestFactory(organization=library, needs=["interview", "resume"])

    claim_request(help_request, by=hana)

    assert state_of(help_request) == ("assigned", "", None, hana)


def test_claiming_without_the_qualification_is_refused(library, hana):
    help_request = HelpRequestFactory(organization=library, needs=["unemployment"])

    refused(
        help_request,
        lambda: claim_request(help_request, by=hana),
        message="You can claim only requests you are qualified to help with.",
    )


def test_a_qualification_from_a_future_date_does_not_count_yet(fresh, library):
    trainee = staff_member(library, Role.HELPER)
    trainee.qualifications.create(need="resume", qualified_from=timezone.localdate() + timedelta(1))

    refused(
        fresh,
        lambda: claim_request(fresh, by=trainee),
        message="You can claim only requests you are qualified to help with.",
    )


def test_a_qualification_from_today_counts(fresh, library):
    trainee = staff_member(library, Role.HELPER)
    trainee.qualifications.create(need="resume", qualified_from=timezone.localdate())

    claim_request(fresh, by=trainee)

    assert state_of(fresh) == ("assigned", "", None, trainee)


def test_a_qualified_helper_of_another_organization_cannot_claim(fresh, stranger):
    refused(
        fresh,
        lambda: claim_request(fresh, by=stranger),
        message="You can claim only requests you are qualified to help with.",
    )


def test_front_desk_without_qualifications_cannot_claim(fresh, front_desk):
    refused(
        fresh,
        lambda: claim_request(fresh, by=front_desk),
        message="You can claim only requests you are qualified to help with.",
    )


def test_claiming_a_request_someone_has_names_them(library, hana, carlos):
    help_request = assigned_to(carlos)

    error = refused(
        help_request,
        lambda: claim_request(help_request, by=hana),
        message="Someone else just changed this request: it is now with Carlos Ruiz.",
        error=AlreadyTaken,
    )

    assert error.assigned_to == carlos


def test_a_closed_unassigned_request_cannot_be_claimed(library, hana):
    help_request = finished("closed", "duplicate", organization=library)

    refused(
        help_request,
        lambda: claim_request(help_request, by=hana),
        message="This request is closed, so it cannot be changed that way.",
    )


# --- Contact attempts ------------------------------------------------------------------------


def test_the_first_attempt_puts_the_request_in_progress(library, hana):
    help_request = assigned_to(hana)

    attempt = log_contact_attempt(
        help_request, by=hana, channel="phone", outcome="voicemail", note="  Left a message. "
    )

    assert (attempt.request, attempt.by, attempt.channel, attempt.outcome, attempt.note) == (
        help_request,
        hana,
        "phone",
        "voicemail",
        "Left a message.",
    )
    assert state_of(help_request) == ("in_progress", "", None, hana)
    assert history(help_request) == [
        (
            "jobhelp.request.contact_logged",
            hana,
            library,
            {"channel": "phone", "outcome": "voicemail"},
        )
    ]
    assert outbox() == []


@pytest.mark.parametrize("state", ["in_progress", "scheduled"])
def test_later_attempts_leave_the_state_alone(hana, state):
    help_request = assigned_to(hana, state=state)

    log_contact_attempt(help_request, by=hana, channel="email", outcome="email_sent")

    assert state_of(help_request) == (state, "", None, hana)
    assert list(ContactAttempt.objects.values_list("outcome", flat=True)) == ["email_sent"]


def test_front_desk_logs_a_call_on_a_new_request(fresh, front_desk):
    log_contact_attempt(fresh, by=front_desk, channel="phone", outcome="reached")

    assert state_of(fresh) == ("new", "", None, None)
    assert [h[:2] for h in history(fresh)] == [("jobhelp.request.contact_logged", front_desk)]


def test_another_helper_cannot_log_contact(library, hana, carlos):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: log_contact_attempt(help_request, by=carlos, channel="phone", outcome="reached"),
        message="Only the person helping, front desk staff and managers can log contact.",
    )


def test_no_contact_on_a_finished_request(library, hana):
    help_request = finished("resolved", "helped", organization=library, assigned_to=hana)

    refused(
        help_request,
        lambda: log_contact_attempt(help_request, by=hana, channel="phone", outcome="reached"),
        message="This request is finished; reopen it first.",
    )


# --- Resolving -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["assigned", "in_progress", "scheduled"])
def test_the_helper_resolves_their_request(clock, library, hana, state):
    help_request = assigned_to(hana, state=state)

    result = resolve_request(help_request, by=hana)

    assert (result.state, result.closing_reason, result.finished_at) == ("resolved", "helped", NOW)
    assert state_of(help_request) == ("resolved", "helped", NOW, hana)
    assert history(help_request) == [
        ("jobhelp.request.resolved", hana, library, {"reason": "helped"})
    ]
    assert outbox() == []


def test_a_manager_resolves_as_referred(clock, hana, manager):
    help_request = assigned_to(hana)

    resolve_request(help_request, by=manager, reason="referred")

    assert state_of(help_request) == ("resolved", "referred", NOW, hana)
    assert [h[:2] for h in history(help_request)] == [("jobhelp.request.resolved", manager)]


@pytest.mark.parametrize("reason", ["no_response", "duplicate", "withdrawn", "out_of_scope"])
def test_resolving_needs_a_reason_that_means_help_was_given(hana, reason):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: resolve_request(help_request, by=hana, reason=reason),
        message="A request is resolved when the patron was helped or referred.",
    )


def test_a_new_unassigned_request_cannot_be_resolved(fresh, front_desk):
    refused(
        fresh,
        lambda: resolve_request(fresh, by=front_desk),
        message="This request is new, so it cannot be changed that way.",
    )


def test_a_resolved_request_cannot_be_resolved_again(library, hana):
    help_request = finished("resolved", "helped", organization=library, assigned_to=hana)

    refused(
        help_request,
        lambda: resolve_request(help_request, by=hana),
        message="This request is resolved, so it cannot be changed that way.",
    )


def test_another_helper_cannot_resolve(hana, carlos):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: resolve_request(help_request, by=carlos),
        message="Only the person helping, front desk staff and managers can resolve a request.",
    )


# --- Closing ---------------------------------------------------------------------------------


def test_the_helper_closes_a_withdrawn_request(clock, library, hana):
    help_request = assigned_to(hana, state="in_progress")

    result = close_request(help_request, by=hana, reason="withdrawn")

    assert (result.state, result.closing_reason, result.finished_at) == (
        "closed",
        "withdrawn",
        NOW,
    )
    assert state_of(help_request) == ("closed", "withdrawn", NOW, hana)
    assert history(help_request) == [
        ("jobhelp.request.closed", hana, library, {"reason": "withdrawn"})
    ]


def test_front_desk_closes_a_new_duplicate(clock, fresh, front_desk):
    close_request(fresh, by=front_desk, reason="duplicate")

    assert state_of(fresh) == ("closed", "duplicate", NOW, None)


def test_a_closed_request_cannot_be_closed_again(library, hana):
    help_request = finished("closed", "withdrawn", organization=library, assigned_to=hana)

    refused(
        help_request,
        lambda: close_request(help_request, by=hana, reason="duplicate"),
        message="This request is closed, so it cannot be changed that way.",
    )


def test_helped_is_not_a_reason_to_close(hana):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: close_request(help_request, by=hana, reason="helped"),
        message="Choose why the request is being closed.",
    )


def test_another_helper_cannot_close(hana, carlos):
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: close_request(help_request, by=carlos, reason="withdrawn"),
        message="Only the person helping, front desk staff and managers can close a request.",
    )


def test_no_response_needs_the_organizations_number_of_failed_attempts(clock, library, hana):
    assert library.max_contact_attempts == 3
    help_request = assigned_to(hana, state="in_progress")
    for outcome in ["no_answer", "reached", "voicemail", "email_sent"]:
        ContactAttempt.objects.create(
            request=help_request, by=hana, channel="phone", outcome=outcome
        )

    refused(
        help_request,
        lambda: close_request(help_request, by=hana, reason="no_response"),
        message="Close as “no response” after 3 failed attempts to reach the patron.",
    )

    log_contact_attempt(help_request, by=hana, channel="phone", outcome="wrong_number")
    result = close_request(help_request, by=hana, reason="no_response")

    assert (result.state, result.closing_reason, result.finished_at) == (
        "closed",
        "no_response",
        NOW,
    )
    assert [(a, d) for a, _actor, _org, d in history(help_request)] == [
        ("jobhelp.request.contact_logged", {"channel": "phone", "outcome": "wrong_number"}),
        ("jobhelp.request.closed", {"reason": "no_response"}),
    ]


def test_an_organization_may_need_fewer_attempts(clock, hana, library):
    library.max_contact_attempts = 1
    library.save()
    help_request = assigned_to(hana)

    refused(
        help_request,
        lambda: close_request(help_request, by=hana, reason="no_response"),
        message="Close as “no response” after 1 failed attempts to reach the patron.",
    )

    log_contact_attempt(help_request, by=hana, channel="email", outcome="email_bounced")
    close_request(help_request, by=hana, reason="no_response")

    assert state_of(help_request) == ("closed", "no_response", NOW, hana)


# --- Reopening -------------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "reason"), [("resolved", "helped"), ("closed", "no_response")])
def test_reopening_goes_back_to_the_helper(library, hana, state, reason):
    help_request = finished(state, reason, organization=library, assigned_to=hana)

    result = reopen_request(help_request, by=hana)

    assert (result.state, result.closing_reason, result.finished_at) == ("assigned", "", None)
    assert state_of(help_request) == ("assigned", "", None, hana)
    assert history(help_request) == [
        ("jobhelp.request.reopened", hana, library, {"state": "assigned"})
    ]


def test_reopening_an_unassigned_request_makes_it_new(library, front_desk):
    help_request = finished("closed", "duplicate", organization=library)

    reopen_request(help_request, by=front_desk)

    assert state_of(help_request) == ("new", "", None, None)
    assert history(help_request) == [
        ("jobhelp.request.reopened", front_desk, library, {"state": "new"})
    ]


@pytest.mark.parametrize("state", ["new", "assigned", "in_progress", "scheduled"])
def test_an_open_request_cannot_be_reopened(library, manager, state):
    help_request = HelpRequestFactory(organization=library, state=state)

    refused(
        help_request,
        lambda: reopen_request(help_request, by=manager),
        message="This request is still open.",
    )


def test_an_erased_request_cannot_be_reopened(library, manager):
    help_request = finished(
        "resolved",
        "helped",
        organization=library,
        name="",
        phone="",
        email="",
        erased_at=EARLIER + timedelta(days=90),
    )

    refused(
        help_request,
        lambda: reopen_request(help_request, by=manager),
        message="This request's details were erased; take a new request instead.",
    )


def test_another_helper_cannot_reopen(library, hana, carlos):
    help_request = finished("resolved", "helped", organization=library, assigned_to=hana)

    refused(
        help_request,
        lambda: reopen_request(help_request, by=carlos),
        message="Only the person helping, front desk staff and managers can reopen a request.",
    )


def test_a_request_reopened_by_someone_else_meanwhile_is_not_reopened_twice(library, hana):
    help_request = finished("resolved", "helped", organization=library, assigned_to=hana)
    stale = HelpRequest.objects.get(pk=help_request.pk)
    reopen_request(help_request, by=hana)

    refused(
        help_request,
        lambda: reopen_request(stale, by=hana),
        message="This request is assigned, so it cannot be changed that way.",
    )


# --- The whole life cycle --------------------------------------------------------------------


def test_a_request_from_arrival_to_resolution(clock, fresh, front_desk, hana, carlos, library):
    assign_request(fresh, helper=hana, by=front_desk, expected_assignee=None)
    fresh.refresh_from_db()
    assign_request(
        fresh, helper=carlos, by=front_desk, note="Needs a coach", expected_assignee=hana
    )
    fresh.refresh_from_db()
    log_contact_attempt(fresh, by=carlos, channel="phone", outcome="reached")
    fresh.refresh_from_db()
    resolve_request(fresh, by=carlos)
    fresh.refresh_from_db()
    reopen_request(fresh, by=carlos)
    fresh.refresh_from_db()
    close_request(fresh, by=carlos, reason="withdrawn")

    assert state_of(fresh) == ("closed", "withdrawn", NOW, carlos)
    assert [(action, actor) for action, actor, _org, _data in history(fresh)] == [
        ("jobhelp.request.assigned", front_desk),
        ("jobhelp.request.reassigned", front_desk),
        ("jobhelp.request.contact_logged", carlos),
        ("jobhelp.request.resolved", carlos),
        ("jobhelp.request.reopened", carlos),
        ("jobhelp.request.closed", carlos),
    ]
    assert outbox() == [
        ("request_assigned_helper", "hana@example.org", "es"),
        ("request_assigned_helper", "carlos@example.org", "en"),
    ]


# --- Possible duplicates at submission --------------------------------------------------------


def details(**overrides) -> RequestDetails:
    fields = {
        "name": "Rosa",
        "phone": "+17635550123",
        "email": "",
        "preferred_contact": "phone",
        "best_time": "any",
        "voicemail_ok": False,
        "needs": ["resume"],
        "language": "en",
        "preferred_location": None,
        "modality": "phone",
        "note": "",
    }
    return RequestDetails(**{**fields, **overrides})


def submit(organization, **overrides) -> HelpRequest:
    return submit_request(
        organization=organization, details=details(**overrides), channel=IntakeChannel.WEB
    )


def test_same_phone_as_an_open_request_is_flagged(library):
    earlier = HelpRequestFactory(organization=library, phone="+17635550123", state="in_progress")

    later = submit(library, name="R. Gomez")

    assert HelpRequest.objects.get(pk=later.pk).possible_duplicate_of == earlier
    assert [(a, actor, org, d) for a, actor, org, d in history(later)] == [
        (
            "jobhelp.request.created",
            None,
            library,
            {"channel": "web", "needs": ["resume"], "language": "en"},
        ),
        ("jobhelp.request.duplicate_flagged", None, library, {"of": earlier.pk}),
    ]
    # Flagged, never merged: both requests stay as they were given.
    assert HelpRequest.objects.get(pk=earlier.pk).state == "in_progress"
    assert HelpRequest.objects.count() == 2


def test_same_email_as_an_open_request_is_flagged(library):
    earlier = HelpRequestFactory(organization=library, email="rosa@example.com")

    later = submit(library, phone="", email="rosa@example.com", preferred_contact="email")

    assert later.possible_duplicate_of == earlier


def test_the_oldest_open_request_is_pointed_to(library):
    first = HelpRequestFactory(organization=library, phone="+17635550123")
    HelpRequestFactory(organization=library, phone="+17635550123")

    later = submit(library)

    assert later.possible_duplicate_of == first


def test_requests_at_a_branch_and_its_system_are_compared(library, branch):
    earlier = HelpRequestFactory(organization=branch, phone="+17635550123")

    later = submit(library)

    assert later.possible_duplicate_of == earlier


def test_requests_of_two_branches_of_one_system_are_compared(library, branch):
    other_branch = BranchFactory(parent=library)
    earlier = HelpRequestFactory(organization=other_branch, phone="+17635550123")

    later = submit(branch)

    assert later.possible_duplicate_of == earlier


@pytest.mark.parametrize(("state", "reason"), [("closed", "no_response"), ("resolved", "helped")])
def test_same_phone_as_a_finished_request_is_not_flagged(library, state, reason):
    finished(state, reason, organization=library, phone="+17635550123")

    later = submit(library)

    assert later.possible_duplicate_of is None
    assert [h[0] for h in history(later)] == ["jobhelp.request.created"]


def test_same_phone_in_another_library_system_is_not_flagged(library, other_library):
    HelpRequestFactory(organization=other_library, phone="+17635550123")

    later = submit(library)

    assert later.possible_duplicate_of is None
    assert [h[0] for h in history(later)] == ["jobhelp.request.created"]


def test_a_different_phone_is_not_flagged(library):
    HelpRequestFactory(organization=library, phone="+17635550999")

    assert submit(library).possible_duplicate_of is None


# --- Routing at submission -------------------------------------------------------------------


def test_an_auto_assign_rule_assigns_at_once_to_the_best_suggestion(library, hana, carlos):
    second_coach = staff_member(library, Role.CAREER_COACH, needs=["resume"], languages=["es"])
    assigned_to(second_coach)  # busier than Carlos
    RoutingRuleFactory(
        organization=library,
        name="Resumés to coaches",
        needs=["resume"],
        target_role=Role.CAREER_COACH,
        auto_assign=True,
    )

    help_request = submit(library, language="en")

    assert (help_request.state, help_request.assigned_to) == ("assigned", carlos)
    assert state_of(help_request) == ("assigned", "", None, carlos)
    assert [(a, actor, d) for a, actor, _org, d in history(help_request)] == [
        (
            "jobhelp.request.created",
            None,
            {"channel": "web", "needs": ["resume"], "language": "en"},
        ),
        ("jobhelp.request.assigned", None, {"to": carlos.pk, "from": None}),
    ]
    assert outbox() == [("request_assigned_helper", "carlos@example.org", "en")]


def test_an_auto_assign_rule_prefers_a_target_who_speaks_the_language(library, carlos):
    ines = staff_member(
        library,
        Role.CAREER_COACH,
        needs=["resume"],
        languages=["es"],
        first_name="Inés",
        email="ines@example.org",
    )
    RoutingRuleFactory(organization=library, target_role=Role.CAREER_COACH, auto_assign=True)

    help_request = submit(library, language="es", email="rosa@example.com")

    assert help_request.assigned_to == ines
    assert outbox() == [
        ("request_received", "rosa@example.com", "es"),
        ("request_assigned_helper", "ines@example.org", "en"),
    ]


def test_a_rule_without_auto_assign_only_suggests(library, hana, carlos):
    RoutingRuleFactory(organization=library, target_role=Role.CAREER_COACH, auto_assign=False)

    help_request = submit(library)

    assert state_of(help_request) == ("new", "", None, None)
    assert [h[0] for h in history(help_request)] == ["jobhelp.request.created"]
    assert outbox() == []


def test_an_auto_assign_rule_that_does_not_match_does_nothing(library, carlos):
    RoutingRuleFactory(
        organization=library, needs=["interview"], target_role=Role.CAREER_COACH, auto_assign=True
    )

    help_request = submit(library, needs=["resume"])

    assert state_of(help_request) == ("new", "", None, None)


def test_an_auto_assign_rule_with_nobody_qualified_in_its_target_leaves_the_request_new(
    library, hana
):
    # Hana is qualified but is not a career coach, the rule's target.
    RoutingRuleFactory(organization=library, target_role=Role.CAREER_COACH, auto_assign=True)

    help_request = submit(library)

    assert state_of(help_request) == ("new", "", None, None)


def test_another_library_systems_auto_assign_rule_does_not_apply(library, other_library, stranger):
    RoutingRuleFactory(organization=other_library, target_role=Role.HELPER, auto_assign=True)

    help_request = submit(library)

    assert state_of(help_request) == ("new", "", None, None)


def test_a_system_rule_auto_assigns_a_branch_request(library, branch, carlos):
    location = branch.locations.get()
    RoutingRuleFactory(organization=library, target_role=Role.CAREER_COACH, auto_assign=True)

    help_request = submit(library, preferred_location=location)

    assert (help_request.organization, help_request.assigned_to) == (branch, carlos)


def test_an_organization_without_rules(db):
    organization = OrganizationFactory()

    help_request = submit(organization)

    assert state_of(help_request) == ("new", "", None, None)
