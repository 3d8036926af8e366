"""The patron's consent to let some of their details travel to the receiving partner: recorded
by the sending side, confirmed through the patron's link when it was not given aloud, withdrawn
by either side's staff at the patron's word or by the patron through their link.

Which details (enums.ConsentField), to which partner (the referral's receiving organization),
for what purpose, until when (a day, on the referring organization's clock), and how it was
given (spoken and attested by the staff member, or confirmed through the link) are recorded
with the details themselves, copied at that moment; referrals.sharing lets the receiving side
read them only while the consent is live. Withdrawing empties the copied details at once.

Every consent has a secret link (core.links, decision 0013) that the patron gets by the channel
of their request, or by a text to a number typed for it, or on paper: it shows what is shared
with whom and until when, and lets them confirm or withdraw. Opening it changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit, links
from jobhelp.core.enums import Language
from jobhelp.intake.queries import zone_for
from jobhelp.notifications import sms
from jobhelp.referrals import messages, rules, webhooks
from jobhelp.referrals.enums import (
    MAX_CONSENT_DAYS,
    WALK_IN_FIELDS,
    ConsentField,
    ConsentMethod,
    ConsentStatus,
    EventKind,
    WebhookEvent,
    WithdrawnVia,
)
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Consent, ConsentLink, Referral, ReferralEvent
from jobhelp.referrals.validators import reject_contact_details


@dataclass(frozen=True, kw_only=True)
class Person:
    """A walk-in's details, typed when their consent is recorded (there is no request to copy
    them from). Phone numbers in E.164 form, as intake stores them."""

    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""


@dataclass(frozen=True)
class Recorded:
    consent: Consent
    # The patron's link, shown once to the staff member (to read out or print) and sent to
    # the patron when they can be written to; never stored.
    token: str
    url: str
    # How the link went to the patron: "email", "sms", or "" (it did not).
    sent_by: str


def consent_end(referral: Referral, until: date) -> datetime:
    """The consent lasts through `until` on the referring organization's clock."""
    zone = zone_for(referral.from_organization)
    return datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)


def _values(referral: Referral, fields: list[str], person: Person | None) -> dict:
    """The details to copy, only those chosen; refused when one is missing."""
    request = referral.request
    if request is not None:
        if request.erased_at is not None:
            raise ReferralError(_("This request's details were erased."))
        available = {
            ConsentField.NAME: ("name", request.name),
            ConsentField.PHONE: ("phone", request.phone),
            ConsentField.EMAIL: ("email", request.email),
            ConsentField.LANGUAGE: ("patron_language", request.language),
            ConsentField.NEEDS: ("needs", sorted(n.need for n in request.needs.all())),
            ConsentField.NOTES: ("notes", request.note),
        }
    else:
        walk_in_only = set(fields) - WALK_IN_FIELDS
        if walk_in_only:
            raise ReferralError(_("Needs and notes come from a request; this referral has none."))
        person = person or Person()
        available = {
            ConsentField.NAME: ("name", person.name.strip()),
            ConsentField.PHONE: ("phone", person.phone),
            ConsentField.EMAIL: ("email", person.email.strip()),
            ConsentField.LANGUAGE: ("patron_language", person.language),
        }
    values = {}
    for field in fields:
        attribute, value = available[field]
        if not value:
            raise ReferralError(
                _("There is no %(detail)s to share. Leave it out, or type it in.")
                % {"detail": ConsentField(field).label.lower()}
            )
        values[attribute] = value
    if values.get("patron_language", Language.ENGLISH) not in Language.values:
        raise ReferralError(_("Choose the patron's language."))
    return values


def _live_or_pending(referral: Referral, now: datetime) -> Consent | None:
    for consent in referral.consents.filter(withdrawn_at__isnull=True, expires_at__gt=now):
        return consent
    return None


def record_consent(
    referral: Referral,
    *,
    by,
    fields: list[str],
    purpose: str,
    until: date,
    method: str,
    person: Person | None = None,
    send_to_phone: str = "",
    now: datetime | None = None,
) -> Recorded:
    """Record the patron's consent to share `fields` with the receiving organization for
    `purpose` through the day `until` (at most MAX_CONSENT_DAYS ahead).

    Spoken: given now, attested by `by`. Link: asked, live once the patron confirms through
    their link. The details are copied from the referral's request, or for a walk-in from
    `person` (needs and notes need a request). Refused: someone of the other side, a closed
    referral, a referral that already has a consent not ended (withdraw it first), an empty or
    unknown field, a missing detail, a purpose with contact details.

    Side effects: history ("consent given" or "consent asked"); audit
    ``jobhelp.referral_consent.recorded`` (fields, method, days); the link to the patron by
    the channel of their request (referral_consent), or as a text to `send_to_phone`; for a
    spoken consent, the receiving organization told and its webhook
    ``referral.consent_changed``.
    """
    now = now or timezone.now()
    if not rules.can_record_consent(by, referral):
        raise ReferralError(
            _("Only staff of %(organization)s can record the patron's consent.")
            % {"organization": referral.from_organization}
        )
    if not referral.is_open:
        raise ReferralError(_("This referral is closed; nothing more travels with it."))
    fields = sorted(set(fields))
    if not fields or not set(fields) <= set(ConsentField.values):
        raise ReferralError(_("Choose at least one detail the patron agrees to share."))
    if method not in ConsentMethod.values:
        raise ReferralError(_("Say how the patron gave their consent."))
    purpose = purpose.strip()
    if not purpose:
        raise ReferralError(_("Say what the details are shared for."))
    try:
        reject_contact_details(purpose)
    except ValidationError as error:
        raise ReferralError(" ".join(error.messages)) from None
    today = timezone.localdate(now, zone_for(referral.from_organization))
    if not today <= until <= today + timedelta(days=MAX_CONSENT_DAYS):
        raise ReferralError(
            _("A consent lasts from today up to %(days)d days.") % {"days": MAX_CONSENT_DAYS}
        )
    if send_to_phone and not sms.is_configured():
        raise ReferralError(_("Text messages are turned off here; give the patron the link."))
    values = _values(referral, fields, person)
    spoken = method == ConsentMethod.SPOKEN
    with transaction.atomic():
        # The referral's row, locked: two consents recorded at once cannot both pass the check.
        Referral.objects.select_for_update().filter(pk=referral.pk).first()
        if _live_or_pending(referral, now) is not None:
            raise ReferralError(
                _("This referral already has a consent. Withdraw it before recording another.")
            )
        consent = Consent.objects.create(
            referral=referral,
            shared_with=referral.to_organization,
            fields=fields,
            purpose=purpose[:300],
            method=method,
            recorded_by=by,
            created_at=now,
            expires_at=consent_end(referral, until),
            confirmed_at=now if spoken else None,
            **values,
        )
        _link, token = links.issue(ConsentLink, expires_at=consent.expires_at, consent=consent)
        url = messages.consent_url(token)
        ReferralEvent.objects.create(
            referral=referral,
            kind=EventKind.CONSENT_GIVEN if spoken else EventKind.CONSENT_ASKED,
            by=by,
            organization=referral.from_organization,
        )
        audit.record(
            "jobhelp.referral_consent.recorded",
            actor=by,
            organization=referral.from_organization,
            obj=referral,
            data={
                "consent": consent.pk,
                "fields": fields,
                "method": method,
                "days": (until - today).days + 1,
            },
        )
        address = messages.text_to(send_to_phone) if send_to_phone else None
        address = address or messages.patron_channel(referral)
        if address is not None:
            messages.to_patron(
                referral,
                address,
                template="referral_consent",
                context={"consent": consent, "link": url, "spoken": spoken},
            )
        if spoken:
            _consent_changed(referral, given=True, by=by)
    return Recorded(consent, token, url, address.channel if address else "")


def _consent_changed(referral: Referral, *, given: bool, by=None) -> None:
    messages.tell_receiver(
        referral, template="referral_consent_changed", context={"given": given}, by=by
    )
    webhooks.queue_event(referral, WebhookEvent.CONSENT_CHANGED)


def _links():
    return ConsentLink.objects.select_related(
        "consent__referral__service",
        "consent__referral__from_organization",
        "consent__referral__to_organization",
        "consent__shared_with",
    )


def open_consent(token: str, *, now: datetime | None = None) -> Consent:
    """The consent a patron's link opens (core.links.find: LinkUnknown, LinkExpired once the
    consent has ended). Changes nothing."""
    return links.find(_links(), token, now=now).consent


def confirm_consent(token: str, *, now: datetime | None = None) -> Consent:
    """The patron agrees through their link. Confirming twice changes nothing the second
    time. Refused once withdrawn, or when the referral is closed. Side effects: history
    "consent given" (no actor); audit ``jobhelp.referral_consent.confirmed``; the receiving
    organization told; its webhook."""
    now = now or timezone.now()
    consent = open_consent(token, now=now)
    referral = consent.referral
    if consent.withdrawn_at is not None:
        raise ReferralError(_("You withdrew this consent. Nothing is shared."))
    if not referral.is_open:
        raise ReferralError(_("This referral is closed; nothing more is shared."))
    with transaction.atomic():
        confirmed = Consent.objects.filter(
            pk=consent.pk, confirmed_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
        ).update(confirmed_at=now)
        if confirmed:
            ReferralEvent.objects.create(referral=referral, kind=EventKind.CONSENT_GIVEN)
            audit.record(
                "jobhelp.referral_consent.confirmed",
                organization=referral.from_organization,
                obj=referral,
                data={"consent": consent.pk},
            )
            _consent_changed(referral, given=True)
    consent.refresh_from_db()
    return consent


def withdraw_consent(consent: Consent, *, by=None, now: datetime | None = None) -> Consent:
    """The patron no longer agrees: said to staff of either side (`by`), or through their
    link (`by` None). The details copied with the consent are emptied at once; the receiving
    side reads none of them on its next page, API call or export. Withdrawing twice changes
    nothing the second time.

    Side effects: history "consent withdrawn"; audit ``jobhelp.referral_consent.withdrawn``
    (via staff or patron); the receiving organization told, and the sender when the patron
    withdrew through the link; the webhook."""
    now = now or timezone.now()
    referral = consent.referral
    if by is not None and not rules.can_withdraw_consent(by, referral):
        raise ReferralError(_("Only staff of the two partners can withdraw this consent."))
    via = WithdrawnVia.STAFF if by is not None else WithdrawnVia.PATRON
    with transaction.atomic():
        withdrawn = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now,
            withdrawn_by=by,
            withdrawn_via=via,
            name="",
            phone="",
            email="",
            patron_language="",
            needs=[],
            notes="",
        )
        if withdrawn:
            acting_for = None
            if by is not None:
                acting_for = (
                    referral.from_organization
                    if rules.acts_for_sender(by, referral)
                    else referral.to_organization
                )
            ReferralEvent.objects.create(
                referral=referral,
                kind=EventKind.CONSENT_WITHDRAWN,
                by=by,
                organization=acting_for,
            )
            audit.record(
                "jobhelp.referral_consent.withdrawn",
                actor=by,
                organization=acting_for or referral.from_organization,
                obj=referral,
                data={"consent": consent.pk, "via": via},
            )
            _consent_changed(referral, given=False, by=by)
            if by is None:
                messages.tell_sender(
                    referral, template="referral_consent_changed", context={"given": False}
                )
    consent.refresh_from_db()
    return consent


def withdraw_by_link(token: str, *, now: datetime | None = None) -> Consent:
    """The patron withdraws through their link (still open while the consent lasts)."""
    return withdraw_consent(open_consent(token, now=now), by=None, now=now)


def status_of(consent: Consent, *, now: datetime | None = None) -> ConsentStatus:
    return consent.status_at(now or timezone.now())
