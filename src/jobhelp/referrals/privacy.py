"""What referrals hold about a patron (core.privacy): the referrals of their requests (sent or
received) and the consents that copied their details, found by request or by phone or email,
on either side of the referral. Erasing does what the retention eraser does for a closed
referral (referrals.retention): the note, the language, the consents' details and the
history's notes go, the consent links stop working, and the messages about the referral are
erased; the code, the organizations, the service, the states and times stay for the reports."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core import links, privacy
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.referrals import messages
from jobhelp.referrals.domain import cancel_for_erasure, decline_for_erasure
from jobhelp.referrals.enums import ReferralState
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Consent, ConsentLink, Referral, ReferralEvent


def _referrals(person: privacy.Person, organizations: QuerySet) -> QuerySet[Referral]:
    ids = sorted(person.request_ids)
    consented = Consent.objects.filter(person.contact_q(), referral__isnull=False).values(
        "referral_id"
    )
    return Referral.objects.filter(
        Q(request_id__in=ids) | Q(receiving_request_id__in=ids) | Q(pk__in=consented),
        Q(from_organization__in=organizations) | Q(to_organization__in=organizations),
    )


@privacy.provider("referrals.referrals", label=_("Referrals"), order=50)
class Referrals:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        referrals = (
            _referrals(person, organizations)
            .select_related("from_organization", "to_organization", "service", "request")
            .prefetch_related("consents__shared_with", "events")
            .order_by("sent_at", "pk")
        )
        return [
            privacy.record(
                r,
                [
                    "code",
                    "request.reference",
                    "from_organization.name",
                    "to_organization.name",
                    "service.name",
                    "reason",
                    "need",
                    "urgency",
                    "note",
                    "language",
                    "state",
                    "sent_at",
                    "closed_at",
                    "outcome",
                ],
                consents=[
                    privacy.record(
                        c,
                        [
                            "shared_with.name",
                            "purpose",
                            "method",
                            "name",
                            "phone",
                            "email",
                            "patron_language",
                            "needs",
                            "notes",
                            "created_at",
                            "confirmed_at",
                            "expires_at",
                            "withdrawn_at",
                        ],
                    )
                    for c in r.consents.all()
                ],
                history=[
                    {"at": privacy.value(e.at), "kind": e.kind, "note": e.note}
                    for e in r.events.all()
                ],
            )
            for r in referrals
        ]

    def cancel(self, person, *, organizations, by, now: datetime) -> int:
        """Referrals still waiting for an answer end: one we sent is called off; one another
        organization sent us is declined by us, "the person's data was erased at their
        request", so the sender sees a decline and is told as for any decline."""
        pending = list(
            _referrals(person, organizations)
            .filter(state=ReferralState.REQUESTED)
            .select_related("from_organization", "to_organization")
            .order_by("pk")
        )
        ours = set(
            organizations.filter(pk__in={r.from_organization_id for r in pending}).values_list(
                "pk", flat=True
            )
        )
        done = 0
        for referral in pending:
            end = (
                cancel_for_erasure if referral.from_organization_id in ours else decline_for_erasure
            )
            try:
                end(referral, by=by, now=now)
            except ReferralError:  # answered a moment before (AlreadyMoved is one)
                continue
            done += 1
        return done

    def erase(self, person, *, organizations, now: datetime) -> int:
        ids = list(_referrals(person, organizations).values_list("pk", flat=True))
        Referral.objects.filter(pk__in=ids).update(language="", note="")
        Referral.objects.filter(pk__in=ids, details_erased_at__isnull=True).update(
            details_erased_at=now
        )
        consents = Consent.objects.filter(referral_id__in=ids)
        links.revoke(ConsentLink.objects.filter(consent__in=consents), now=now)
        consents.update(name="", phone="", email="", patron_language="", needs=[], notes="")
        consents.filter(erased_at__isnull=True).update(erased_at=now)
        ReferralEvent.objects.filter(referral_id__in=ids).exclude(note="").update(note="")
        # The other organization's notices (a cancellation or decline just queued) name
        # nobody and still go out.
        erase_messages_about(Referral, ids, keep_templates=messages.STATE_NOTICES)
        return len(ids)
