"""A referral as other systems read it: the body of the webhook and the API's answer. The
person's details are those referrals.sharing gives the receiving side (None without a live
consent); the rest is what the receiving partner always sees: the code, the service, both
organizations, why, how urgent, the need, the note, the state and its FHIR Task status."""

from datetime import UTC, datetime

from jobhelp.referrals.models import Referral
from jobhelp.referrals.sharing import SharedDetails


def instant(value: datetime | None) -> str | None:
    """An instant in UTC as RFC 3339 (2026-03-02T16:00:00Z)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _organization(organization) -> dict:
    return {"id": str(organization.uuid), "name": organization.name}


def patron_document(shared: SharedDetails | None) -> dict | None:
    if shared is None:
        return None
    return {
        "name": shared.name or None,
        "phone": shared.phone or None,
        "email": shared.email or None,
        "language": shared.language or None,
        "needs": list(shared.needs) if "needs" in shared.fields else None,
        "notes": shared.notes or None,
    }


def consent_document(shared: SharedDetails | None) -> dict | None:
    if shared is None:
        return None
    return {
        "fields": sorted(shared.fields),
        "purpose": shared.purpose,
        "until": instant(shared.expires_at),
    }


def referral_document(referral: Referral, *, shared: SharedDetails | None) -> dict:
    return {
        "code": referral.code,
        "display_code": referral.display_code,
        "state": referral.state,
        "fhir_status": referral.fhir_status,
        "service": {"id": str(referral.service.uuid), "name": referral.service.name},
        "from_organization": _organization(referral.from_organization),
        "to_organization": _organization(referral.to_organization),
        "reason": referral.reason,
        "need": referral.need,
        "urgency": referral.urgency,
        "note": referral.note,
        "sent_at": instant(referral.sent_at),
        "respond_by": instant(referral.respond_by),
        "expires_at": instant(referral.expires_at),
        "first_response_at": instant(referral.first_response_at),
        "decline_reason": referral.decline_reason or None,
        "outcome": referral.outcome or None,
        "closed_at": instant(referral.closed_at),
        "patron": patron_document(shared),
        "consent": consent_document(shared),
    }
