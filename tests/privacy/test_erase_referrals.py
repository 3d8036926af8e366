"""Erasing a person ends their referrals still waiting for an answer by the side we are on: one
we sent is called off (the receiving organization is told); one another organization sent to
us is declined by us, "the person's data was erased at their request", so the sender sees a
decline and is told as a decline is always announced. The person is told nothing, and the
notices to the other side, which name no one, are not stopped by the erasure that follows."""

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.privacy.domain import Lookup, erase_person, find_person
from jobhelp.referrals.domain import decline_referral
from jobhelp.referrals.enums import DeclineReason, ReferralState
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.forms import DeclineForm
from jobhelp.referrals.models import Referral
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceFactory
from tests.factories.referrals import ConsentFactory, ReferralFactory
from tests.privacy.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

SENDER_EMAIL = "sam.sender@elsewhere.example.org"


def _erase(officer):
    return erase_person(officer, find_person(officer, Lookup(phone=PHONE)))


def _personal(rosa) -> list[str]:
    return [NAME, "Rosa", "Leak", PHONE, "555-0188", EMAIL, rosa.request.reference, "Anoka"]


@pytest.fixture
def received(rosa, library, other_library):
    """A referral of Rosa that the other library system sent to our library, still waiting
    for our answer, with her consent to share her name and phone with us."""
    sender = staff_member(
        other_library, Role.HELPER, first_name="Sam", email=SENDER_EMAIL, preferred_language="es"
    )
    referral = ReferralFactory(
        from_organization=other_library,
        service=ServiceFactory(organization=library, name="Resume lab"),
        request=rosa.elsewhere,
        sent_by=sender,
        notify_patron=True,
        note="Rosa, Anoka plant",
    )
    ConsentFactory(referral=referral, name=NAME, phone=PHONE, notes="Anoka plant")
    return referral


def test_a_referral_sent_to_us_is_declined_by_us_and_the_sender_told(
    rosa, received, privacy_officer
):
    before = set(OutboundMessage.objects.values_list("pk", flat=True))

    counts = _erase(privacy_officer)

    referral = Referral.objects.get(pk=received.pk)
    assert referral.state == ReferralState.DECLINED
    assert referral.decline_reason == DeclineReason.PERSON_ERASED
    assert referral.closed_at is not None
    # Ours (Rosa's referral from the library, fixture) is called off; the received one declined.
    assert Referral.objects.get(pk=rosa.referral.pk).state == ReferralState.CANCELLED
    assert counts["referrals_referrals_cancelled"] == 2
    entry = AuditEntry.objects.get(action="jobhelp.referral.declined")
    assert entry.actor == privacy_officer
    assert entry.organization_id == referral.to_organization_id
    assert entry.data == {
        "from": "requested",
        "to": "declined",
        "reason": "person_erased",
        "erased": True,
    }
    new = OutboundMessage.objects.exclude(pk__in=before)
    # The sender is told, in Spanish (their language), as any decline is announced, and the
    # notice still goes out after the erasure.
    notice = new.get(to=SENDER_EMAIL)
    assert (notice.template, notice.language, notice.state) == (
        "referral_changed",
        "es",
        MessageState.QUEUED,
    )
    assert "Rechazada" in notice.subject or "rechazada" in notice.subject
    assert "Se borraron los datos de la persona a petición suya" in notice.body
    for detail in _personal(rosa):
        assert detail not in f"{notice.subject}\n{notice.body}", detail
    # Rosa hears nothing, though she asked to hear of changes.
    assert not new.filter(template="referral_patron_update").exists()
    assert not new.filter(to__in=[PHONE, EMAIL]).exists()


def test_a_referral_we_sent_is_cancelled_and_the_receiver_still_told(
    rosa, received, privacy_officer
):
    manager = staff_member(
        rosa.referral.to_organization, Role.MANAGER, email="mo.manager@center.example.org"
    )
    before = set(OutboundMessage.objects.values_list("pk", flat=True))

    _erase(privacy_officer)

    referral = Referral.objects.get(pk=rosa.referral.pk)
    assert referral.state == ReferralState.CANCELLED
    assert referral.decline_reason == ""
    entry = AuditEntry.objects.get(action="jobhelp.referral.cancelled")
    assert (entry.actor, entry.data["erased"]) == (privacy_officer, True)
    notice = OutboundMessage.objects.exclude(pk__in=before).get(to=manager.email)
    assert (notice.template, notice.state) == ("referral_changed", MessageState.QUEUED)
    assert "Cancelled" in notice.body
    for detail in _personal(rosa):
        assert detail not in f"{notice.subject}\n{notice.body}", detail


def test_a_referral_between_two_of_our_organizations_is_cancelled(
    rosa, branch, library, privacy_officer
):
    inside = ReferralFactory(from_organization=branch, service=ServiceFactory(organization=library))
    ConsentFactory(referral=inside, phone=PHONE)

    _erase(privacy_officer)

    assert Referral.objects.get(pk=inside.pk).state == ReferralState.CANCELLED


def test_an_answered_received_referral_is_left_in_its_state(rosa, received, privacy_officer):
    Referral.objects.filter(pk=received.pk).update(state=ReferralState.ACCEPTED)

    _erase(privacy_officer)

    assert Referral.objects.get(pk=received.pk).state == ReferralState.ACCEPTED


def test_staff_cannot_give_the_erasure_as_their_reason(received, library):
    helper = staff_member(library, Role.HELPER)
    form = DeclineForm(data={"reason": DeclineReason.PERSON_ERASED})
    assert not form.is_valid()
    assert "reason" in form.errors
    with pytest.raises(ReferralError):
        decline_referral(received, by=helper, reason=DeclineReason.PERSON_ERASED)
    assert Referral.objects.get(pk=received.pk).state == ReferralState.REQUESTED


def test_the_sender_sees_it_declined_with_the_reason_on_the_referral_page(
    client, rosa, received, privacy_officer
):
    _erase(privacy_officer)
    client.force_login(received.sent_by)

    page = client.get(f"/staff/referrals/{received.code}/").content.decode()

    assert "The person&#x27;s data was erased at their request" in page
    assert NAME not in page and PHONE not in page
