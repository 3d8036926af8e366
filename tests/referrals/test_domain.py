from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.referrals import domain
from jobhelp.referrals.domain import ReferralDetails, send_referral
from jobhelp.referrals.enums import EventKind, ReferralState
from jobhelp.referrals.errors import AlreadyMoved, NotAPartner, ReferralError
from jobhelp.referrals.models import Referral, ReferralEvent
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import agreement_between, wioa_service
from tests.referrals.conftest import contains_any, refer

pytestmark = pytest.mark.django_db


def actions(referral) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_id=str(referral.pk), action__startswith="jobhelp.referral."
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def history(referral) -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.from_state, e.to_state) for e in ReferralEvent.objects.filter(referral=referral)
    ]


def test_a_referral_from_a_request_names_the_service_and_the_partner_and_no_person(
    referral, rosa, wioa, library, center, helper
):
    assert (referral.from_organization, referral.to_organization, referral.service) == (
        library,
        center,
        wioa,
    )
    assert (referral.state, referral.request, referral.sent_by, referral.language) == (
        ReferralState.REQUESTED,
        rosa,
        helper,
        "es",
    )
    assert len(referral.code) == 6
    assert history(referral) == [(EventKind.SENT, "", ReferralState.REQUESTED)]
    assert actions(referral) == ["jobhelp.referral.sent"]
    assert AuditEntry.objects.get(action="jobhelp.referral.sent").data == {
        "service": wioa.pk,
        "to": center.pk,
        "need": "coaching",
        "urgency": "soon",
        "reason": "program",
        "request": rosa.pk,
    }


def test_the_receiving_organization_is_told_without_the_persons_details(
    agreement, wioa, rosa, helper, center_manager, django_capture_on_commit_callbacks
):
    referral = refer(rosa, wioa, helper, note="Interested in the welding certificate.")
    message = OutboundMessage.objects.get(template="referral_received")
    assert message.to == center_manager.email
    assert referral.display_code in message.subject
    assert "welding" not in message.body
    assert contains_any(message.subject + message.body) == []


def test_a_walk_in_is_referred_with_no_record(agreement, wioa, library, front_desk):
    referral = send_referral(
        service=wioa,
        by=front_desk,
        from_organization=library,
        details=ReferralDetails(reason="not_offered", need="unemployment", language="so"),
    )
    assert (referral.request, referral.from_organization, referral.language) == (
        None,
        library,
        "so",
    )


def test_a_branch_refers_under_its_library_systems_agreement(agreement, wioa, branch):
    branch_staff = staff_member(branch, Role.HELPER)
    request = HelpRequestFactory(organization=branch)
    assert refer(request, wioa, branch_staff).from_organization == branch


def test_a_partner_outside_the_agreements_is_refused_and_nothing_is_written(
    agreement, library, other_library, helper, rosa
):
    elsewhere = ServiceFactory(organization=other_library, name="Elsewhere coaching")
    with pytest.raises(NotAPartner, match="is not a partner of Riverbend County Library"):
        refer(rosa, elsewhere, helper)
    assert (Referral.objects.count(), actions_all()) == (0, [])


def actions_all() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="jobhelp.referral").values_list(
            "action", flat=True
        )
    )


def test_an_agreement_still_a_draft_is_not_one_to_refer_under(library, center, helper, rosa):
    agreement_between(center, library, status=AgreementStatus.DRAFT)
    with pytest.raises(NotAPartner):
        refer(rosa, wioa_service(center), helper)


def test_an_agreement_of_other_organizations_does_not_count(
    library, center, other_library, helper, rosa
):
    agreement_between(center, other_library)
    with pytest.raises(NotAPartner):
        refer(rosa, wioa_service(center), helper)


def test_a_service_of_ones_own_library_system_is_assigned_not_referred(
    agreement, library, branch, helper, rosa
):
    own = ServiceFactory(organization=branch)
    with pytest.raises(ReferralError, match="your own library system"):
        refer(rosa, own, helper)


def test_a_service_no_longer_offered_is_refused(agreement, wioa, helper, rosa):
    wioa.status = "defunct"
    wioa.save()
    with pytest.raises(ReferralError, match="no longer offered"):
        refer(rosa, wioa, helper)


@pytest.mark.parametrize(
    "note",
    [
        "Call her at 763-555-0188",
        "her number is (763) 555 0188",
        "rosa@example.org",
        "SSN 123 45 6789",
    ],
)
def test_a_note_with_contact_details_is_refused(agreement, wioa, helper, rosa, note):
    with pytest.raises(ReferralError, match="Leave phone numbers, email addresses"):
        refer(rosa, wioa, helper, note=note)
    assert Referral.objects.count() == 0


def test_staff_of_another_organization_cannot_refer_its_patrons(agreement, wioa, rosa, outsider):
    with pytest.raises(ReferralError, match="You do not work for"):
        refer(rosa, wioa, outsider)


def test_telling_a_patron_nobody_can_write_to_is_refused(agreement, wioa, helper, library):
    no_email = HelpRequestFactory(organization=library, email="", preferred_contact="phone")
    with pytest.raises(ReferralError, match="cannot be told"):
        refer(no_email, wioa, helper, notify_patron=True)


def test_the_answer_is_due_and_the_referral_expires_in_the_receivers_business_days(
    agreement, wioa, rosa, helper, center
):
    from jobhelp.referrals.models import Receiver

    Receiver.objects.create(organization=center, expire_after_days=3)
    LocationFactory(organization=center, time_zone="America/Chicago")
    friday_noon = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # 12:00 in Chicago
    referral = send_referral(
        service=wioa,
        by=helper,
        help_request=rosa,
        details=ReferralDetails(reason="program", need="coaching"),
        now=friday_noon,
    )
    # Two business days (the center's response target), then three: over the weekend, and
    # across the change to daylight time on Sunday 8 March (noon stays noon).
    assert referral.respond_by == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert referral.expires_at == datetime(2026, 3, 11, 17, 0, tzinfo=UTC)


# --- Moves ------------------------------------------------------------------------------------


def test_the_partner_accepts_and_the_sender_is_told(referral, partner_staff, helper):
    accepted = domain.accept_referral(referral, by=partner_staff, note="We will call.")
    assert (accepted.state, accepted.accepted_by, accepted.fhir_status) == (
        ReferralState.ACCEPTED,
        partner_staff,
        "accepted",
    )
    assert accepted.first_response_at is not None
    assert history(accepted)[-1] == (
        EventKind.MOVED,
        ReferralState.REQUESTED,
        ReferralState.ACCEPTED,
    )
    assert accepted.events.last().note == "We will call."
    told = OutboundMessage.objects.get(template="referral_changed")
    assert (told.to, told.subject) == (
        helper.email,
        f"Referral {referral.display_code}: Accepted",
    )
    assert actions(referral)[-1] == "jobhelp.referral.accepted"


def test_only_the_receiving_side_answers_and_only_the_sending_side_cancels(
    referral, helper, partner_staff
):
    with pytest.raises(ReferralError, match="Only staff of Riverbend WorkForce Center"):
        domain.accept_referral(referral, by=helper)
    with pytest.raises(ReferralError, match="Only staff of Riverbend County Library"):
        domain.cancel_referral(referral, by=partner_staff)
    cancelled = domain.cancel_referral(referral, by=helper)
    assert (cancelled.state, cancelled.fhir_status) == (ReferralState.CANCELLED, "cancelled")
    assert cancelled.closed_at is not None


def test_a_decline_without_a_reason_is_refused(referral, partner_staff):
    with pytest.raises(ReferralError, match="Say why you decline"):
        domain.decline_referral(referral, by=partner_staff, reason="")
    with pytest.raises(ReferralError, match="Say in the note"):
        domain.decline_referral(referral, by=partner_staff, reason="other", note="  ")
    referral.refresh_from_db()
    assert (referral.state, referral.decline_reason, history(referral)[-1][0]) == (
        ReferralState.REQUESTED,
        "",
        EventKind.SENT,
    )


def test_the_database_refuses_a_decline_without_a_reason(referral):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            state=ReferralState.DECLINED, closed_at=timezone.now()
        )


def test_a_decline_names_its_reason_and_closes_the_referral(referral, partner_staff):
    declined = domain.decline_referral(referral, by=partner_staff, reason="no_capacity")
    assert (declined.state, declined.decline_reason, declined.fhir_status) == (
        ReferralState.DECLINED,
        "no_capacity",
        "rejected",
    )
    assert AuditEntry.objects.get(action="jobhelp.referral.declined").data == {
        "from": "requested",
        "to": "declined",
        "reason": "no_capacity",
    }


def test_the_whole_loop_to_got_help(referral, partner_staff):
    referral = domain.accept_referral(referral, by=partner_staff)
    referral = domain.start_referral(referral, by=partner_staff)
    referral = domain.hold_referral(referral, by=partner_staff, note="Waiting for her ID.")
    referral = domain.start_referral(referral, by=partner_staff)
    with pytest.raises(ReferralError, match="Choose what came of the referral"):
        domain.complete_referral(referral, by=partner_staff, outcome="")
    referral = domain.complete_referral(referral, by=partner_staff, outcome="got_help")
    assert (referral.state, referral.outcome, referral.fhir_status) == (
        ReferralState.COMPLETED,
        "got_help",
        "completed",
    )
    assert [(f, t) for _k, f, t in history(referral)] == [
        ("", "requested"),
        ("requested", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "on_hold"),
        ("on_hold", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert actions(referral) == [
        "jobhelp.referral.sent",
        "jobhelp.referral.accepted",
        "jobhelp.referral.started",
        "jobhelp.referral.put_on_hold",
        "jobhelp.referral.started",
        "jobhelp.referral.completed",
    ]


def test_a_move_the_table_does_not_allow_is_refused(referral, partner_staff):
    with pytest.raises(ReferralError, match="cannot be changed that way"):
        domain.complete_referral(referral, by=partner_staff, outcome="got_help")
    declined = domain.decline_referral(referral, by=partner_staff, reason="not_eligible")
    with pytest.raises(ReferralError, match="cannot be changed that way"):
        domain.accept_referral(declined, by=partner_staff)


def test_accepting_what_someone_else_just_accepted_says_who(referral, partner_staff, liaison):
    seen = Referral.objects.get(pk=referral.pk)
    domain.accept_referral(referral, by=liaison)
    with pytest.raises(AlreadyMoved, match=f"{liaison} made it “Accepted”"):
        domain.accept_referral(seen, by=partner_staff)


def test_history_is_append_only(referral):
    line = referral.events.get()
    line.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        line.save()


# --- Expiry -----------------------------------------------------------------------------------


def test_unanswered_referrals_expire_once_and_both_sides_hear(
    referral, helper, center_manager, partner_staff
):
    answered = refer(referral.request, referral.service, helper)
    domain.accept_referral(answered, by=partner_staff)
    later = referral.expires_at + timedelta(minutes=1)
    assert domain.expire_referrals(now=later) == 1
    assert domain.expire_referrals(now=later) == 0
    referral.refresh_from_db()
    assert (referral.state, referral.fhir_status, referral.closed_at) == (
        ReferralState.EXPIRED,
        "failed",
        later,
    )
    answered.refresh_from_db()
    assert answered.state == ReferralState.ACCEPTED
    told = OutboundMessage.objects.filter(template="referral_changed", object_id=referral.pk)
    assert sorted(told.values_list("to", flat=True)) == sorted([helper.email, center_manager.email])
    entry = AuditEntry.objects.get(action="jobhelp.referral.expired")
    assert (entry.actor, entry.organization) == (None, referral.to_organization)


def test_a_referral_not_yet_due_does_not_expire(referral):
    assert domain.expire_referrals(now=referral.expires_at - timedelta(seconds=1)) == 0


# --- The patron -------------------------------------------------------------------------------


def test_the_patron_who_chose_it_hears_of_the_answer_in_their_language(
    agreement, wioa, rosa, helper, partner_staff
):
    referral = refer(rosa, wioa, helper, notify_patron=True)
    domain.accept_referral(referral, by=partner_staff)
    message = OutboundMessage.objects.get(template="referral_patron_update")
    assert (message.to, message.language, message.channel) == (rosa.email, "es", "email")
    assert "aceptó" in message.body
    assert mail.outbox == []
