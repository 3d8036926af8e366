from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.core import links, periodic
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.referrals import domain
from jobhelp.referrals.consent import open_consent, record_consent
from jobhelp.referrals.models import Consent, Referral
from jobhelp.referrals.retention import erase_closed_referral_details
from tests.referrals.conftest import contains_any, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(agreement, wioa, rosa, helper, partner_staff):
    """A referral with a consent and a note, completed; and one still open."""
    referral = refer(rosa, wioa, helper, note="Interested in welding.")
    recorded = record_consent(
        referral,
        by=helper,
        fields=["name", "phone", "email", "notes"],
        purpose="Contact",
        until=timezone.localdate() + timedelta(days=60),
        method="spoken",
    )
    referral = domain.accept_referral(referral, by=partner_staff, note="Calling her Monday.")
    referral = domain.complete_referral(referral, by=partner_staff, outcome="got_help")
    open_one = refer(rosa, wioa, helper)
    return referral, recorded.token, open_one


def test_a_closed_referrals_details_go_after_the_retention_period_and_counts_stay(
    closed, retention
):
    retention(referrals=90)
    referral, token, open_one = closed
    assert erase_closed_referral_details(now=referral.closed_at + timedelta(days=89)) == 0
    later = referral.closed_at + timedelta(days=91)
    assert erase_closed_referral_details(now=later) == 1
    assert erase_closed_referral_details(now=later) == 0
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.need, referral.service_id) == (
        "completed",
        "got_help",
        "coaching",
        open_one.service_id,
    )
    assert (referral.note, referral.language, referral.details_erased_at) == ("", "", later)
    consent = Consent.objects.get(referral=referral)
    assert (consent.name, consent.phone, consent.email, consent.notes, consent.erased_at) == (
        "",
        "",
        "",
        "",
        later,
    )
    assert list(referral.events.exclude(note="").values_list("note", flat=True)) == []
    with pytest.raises(links.LinkUnknown):
        open_consent(token, now=later)
    messages = OutboundMessage.objects.filter(object_id=str(referral.pk))
    assert messages.exists()
    assert [contains_any(m.to + m.subject + m.body) for m in messages] == [[]] * messages.count()
    assert AuditEntry.objects.filter(action="jobhelp.referral.erased").count() == 1
    # The open one keeps what it has.
    assert Referral.objects.get(pk=open_one.pk).details_erased_at is None


def test_the_daily_job_erases(closed, retention):
    retention(referrals=1)
    referral, _token, _open = closed
    outcomes = periodic.run_jobs(
        names=["referrals.detail_eraser"], now=referral.closed_at + timedelta(days=2)
    )
    assert [(o.status, o.counts) for o in outcomes] == [("ran", {"erased": 1})]


def test_the_expiry_job_runs_every_quarter_hour(referral):
    outcomes = periodic.run_jobs(
        names=["referrals.expiry"], now=referral.expires_at + timedelta(minutes=1)
    )
    assert [(o.status, o.counts) for o in outcomes] == [("ran", {"expired": 1})]
    assert [j.every for j in periodic.registry.jobs(["referrals.expiry"])] == [
        timedelta(minutes=15)
    ]
