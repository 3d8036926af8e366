"""What the receiving partner may read of the person referred: the one place that decides.

Every reader on the receiving side asks `shared_details` — the staff pages and their list,
search and CSV, the API, the webhook's body, the request opened in the receiver's desk — and
shows nothing of the person when it answers None. It answers with the details of a consent
that is **live at `now`**: confirmed by the patron (or attested by staff), not withdrawn, not
past its end, given to this referral's receiving organization; and only the fields that
consent names. A consent that ends or is withdrawn therefore hides the details on the very
next read, whether or not any job has run since.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from jobhelp.referrals.enums import CONTACT_FIELDS, ConsentField, ConsentStatus
from jobhelp.referrals.models import Consent, Referral


@dataclass(frozen=True)
class SharedDetails:
    """The details a live consent lets the receiving partner read; empty for fields it does
    not name."""

    consent_id: int
    fields: frozenset[str]
    purpose: str
    expires_at: datetime
    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""
    needs: tuple[str, ...] = field(default=())
    notes: str = ""

    @property
    def can_contact(self) -> bool:
        return bool(CONTACT_FIELDS & self.fields) and bool(self.phone or self.email)


def live(now: datetime, prefix: str = "") -> Q:
    """A consent (or, with `prefix` such as "consents__", a referral's consent) that lets
    details travel at `now`."""
    return Q(
        **{
            f"{prefix}confirmed_at__isnull": False,
            f"{prefix}withdrawn_at__isnull": True,
            f"{prefix}erased_at__isnull": True,
            f"{prefix}expires_at__gt": now,
        }
    )


def live_consents(now: datetime) -> QuerySet[Consent]:
    return Consent.objects.filter(live(now)).order_by("-created_at", "-pk")


def prefetch_live_consents(now: datetime) -> Prefetch:
    """For a list of referrals: their live consents in the same few queries, read by
    shared_details without another query per row."""
    return Prefetch("consents", queryset=live_consents(now), to_attr="live_consents")


def shared_details(referral: Referral, *, now: datetime) -> SharedDetails | None:
    """The person's details the receiving partner may read now, or None."""
    consents = getattr(referral, "live_consents", None)
    if consents is None:
        consents = live_consents(now).filter(referral=referral)
    for consent in consents:
        if (
            consent.shared_with_id == referral.to_organization_id
            and consent.status_at(now) == ConsentStatus.GIVEN
        ):
            return details_of(consent)
    return None


def details_of(consent: Consent) -> SharedDetails:
    chosen = frozenset(consent.fields)

    def value(name: str, attribute: str, empty=""):
        return getattr(consent, attribute) if name in chosen else empty

    return SharedDetails(
        consent_id=consent.pk,
        fields=chosen,
        purpose=consent.purpose,
        expires_at=consent.expires_at,
        name=value(ConsentField.NAME, "name"),
        phone=value(ConsentField.PHONE, "phone"),
        email=value(ConsentField.EMAIL, "email"),
        language=value(ConsentField.LANGUAGE, "patron_language"),
        needs=tuple(value(ConsentField.NEEDS, "needs", ())),
        notes=value(ConsentField.NOTES, "notes"),
    )
