"""Erasing what a referral kept of the person once it has been closed for the retention period
(settings.RETENTION["referrals"], 90 days by default): the periodic job
referrals.detail_eraser, daily. Counts stay: the referral's code, service, organizations,
need, reason, urgency, states and their times, decline reason and outcome, which the reports
read."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobhelp.core import audit, links
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.referrals.models import Consent, ConsentLink, Referral, ReferralEvent


def erase_closed_referral_details(*, now: datetime | None = None) -> int:
    """Referrals closed longer ago than the retention period lose every personal detail: the
    consents' copied details (and their links stop working), the patron's language, the note
    for the partner and the notes of the history, and the recipients and subjects of the
    messages about them (the slip sent to a typed phone number among them). One conditional
    UPDATE each, so a second run finds nothing. Side effects: audit
    ``jobhelp.referral.erased`` per referral. Returns how many were erased."""
    now = now or timezone.now()
    cutoff = now - settings.RETENTION["referrals"]
    erased = 0
    due = Referral.objects.filter(closed_at__lt=cutoff, details_erased_at__isnull=True)
    for referral in due.select_related("from_organization").iterator(chunk_size=500):
        with transaction.atomic():
            updated = Referral.objects.filter(
                pk=referral.pk, details_erased_at__isnull=True
            ).update(details_erased_at=now, language="", note="")
            if not updated:
                continue
            consents = Consent.objects.filter(referral=referral)
            consents.update(
                name="", phone="", email="", patron_language="", needs=[], notes="", erased_at=now
            )
            links.revoke(ConsentLink.objects.filter(consent__in=consents), now=now)
            ReferralEvent.objects.filter(referral=referral).exclude(note="").update(note="")
            erase_messages_about(Referral, [referral.pk])
            audit.record(
                "jobhelp.referral.erased", organization=referral.from_organization, obj=referral
            )
            erased += 1
    return erased
