"""Partnerships and their partners: starting one, the partners and their tiers, what each
offers, their contacts, and the designated liaison. One function per change, each checked
against partnerships.rules and audited (codes and ids only).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships import rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.enums import RUNNING_STATES
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import Partner, PartnerContact, Partnership

PARTNERSHIP_FIELDS = frozenset({"name", "expected_liaison_minutes"})
PARTNER_FIELDS = frozenset({"tier", "offers", "services", "joined_on"})
# What a partner's own managers may change; the tier is the partnership's managers' call.
OWN_PARTNER_FIELDS = frozenset({"offers", "services", "joined_on"})
MAX_EXPECTED_MINUTES = 24 * 60


def _refuse_manage() -> PartnershipError:
    return PartnershipError(
        _("Only managers of a partner at full participation can change the partnership.")
    )


def _check_minutes(value) -> None:
    if not isinstance(value, int) or not 0 <= value <= MAX_EXPECTED_MINUTES:
        raise PartnershipError(
            _("The liaison's expected time is between 0 and %(max)d minutes a month.")
            % {"max": MAX_EXPECTED_MINUTES}
        )


def create_partnership(
    *, by, name: str, convener, expected_liaison_minutes: int = 120
) -> Partnership:
    """Start a partnership convened by `convener`, which becomes its first partner at full
    participation.

    Side effects: audit ``jobhelp.partnership.created`` and ``jobhelp.partner.added``.
    """
    if not rules.can_create_partnership(by, convener):
        raise PartnershipError(
            _("You can start a partnership only for an organization you manage.")
        )
    _check_minutes(expected_liaison_minutes)
    partnership = Partnership(
        name=name.strip(), convener=convener, expected_liaison_minutes=expected_liaison_minutes
    )
    full_clean(partnership, exclude=["convener", "liaison"])
    text_checked(partnership)
    with transaction.atomic():
        partnership.save()
        partner = Partner.objects.create(
            partnership=partnership, organization=convener, tier=ParticipationTier.FULL
        )
        audit.record(
            "jobhelp.partnership.created", actor=by, organization=convener, obj=partnership
        )
        audit.record(
            "jobhelp.partner.added",
            actor=by,
            organization=convener,
            obj=partner,
            data={"partnership": partnership.pk, "tier": partner.tier},
        )
    return partnership


def update_partnership(partnership: Partnership, *, by, **fields) -> Partnership:
    """Change the partnership's name or the liaison's expected minutes a month. Nothing is
    written (nor audited) when nothing changes.

    Side effects: audit ``jobhelp.partnership.updated`` with the changed fields' names.
    """
    refuse_unknown(fields, PARTNERSHIP_FIELDS, "a partnership")
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    if "expected_liaison_minutes" in fields:
        _check_minutes(fields["expected_liaison_minutes"])
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
    with transaction.atomic():
        current = Partnership.objects.select_for_update().get(pk=partnership.pk)
        names = changed(current, fields)
        if not names:
            return current
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["convener", "liaison"])
        text_checked(current)
        current.save(update_fields=names)
        audit.record(
            "jobhelp.partnership.updated",
            actor=by,
            organization=current.convener,
            obj=current,
            data={"fields": names},
        )
    return current


def designate_liaison(partnership: Partnership, *, by, liaison) -> Partnership:
    """Name the partnership's liaison (None: nobody), a staff member who holds the liaison
    role at one of the partners.

    Side effects: audit ``jobhelp.partnership.liaison_designated`` (data: the person's id).
    """
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    if liaison is not None and rules.liaison_organization(liaison, partnership) is None:
        raise PartnershipError(_("The liaison must hold the liaison role at one of the partners."))
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(liaison=liaison)
        audit.record(
            "jobhelp.partnership.liaison_designated",
            actor=by,
            organization=partnership.convener,
            obj=partnership,
            data={"liaison": liaison.pk if liaison else None},
        )
    partnership.liaison = liaison
    return partnership


def add_partner(
    partnership: Partnership,
    *,
    by,
    organization,
    tier: str = ParticipationTier.FULL,
    offers: str = "",
    services: str = "",
    joined_on=None,
) -> Partner:
    """Add `organization` to the partnership at `tier`. An organization is a partner once.

    Side effects: audit ``jobhelp.partner.added`` (data: the partnership, the tier).
    """
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    partner = Partner(
        partnership=partnership,
        organization=organization,
        tier=tier,
        offers=offers.strip(),
        services=services.strip(),
        joined_on=joined_on,
    )
    full_clean(partner, exclude=["partnership", "organization"])
    text_checked(partner)
    if Partner.objects.filter(partnership=partnership, organization=organization).exists():
        raise PartnershipError(_("%(name)s is already a partner.") % {"name": organization})
    try:
        with transaction.atomic():
            partner.save()
            audit.record(
                "jobhelp.partner.added",
                actor=by,
                organization=organization,
                obj=partner,
                data={"partnership": partnership.pk, "tier": partner.tier},
            )
    except IntegrityError:
        raise PartnershipError(
            _("%(name)s is already a partner.") % {"name": organization}
        ) from None
    return partner


def update_partner(partner: Partner, *, by, **fields) -> Partner:
    """Change a partner's tier (the partnership's managers), or what it offers, its services
    and when it joined (its own managers too).

    Side effects: audit ``jobhelp.partner.updated`` with the changed fields' names.
    """
    refuse_unknown(fields, PARTNER_FIELDS, "a partner")
    allowed = (
        rules.can_manage_partnership(by, partner.partnership)
        if set(fields) - OWN_PARTNER_FIELDS
        else rules.can_edit_partner(by, partner)
    )
    if not allowed:
        raise _refuse_manage()
    for name in ("offers", "services"):
        if name in fields:
            fields[name] = str(fields[name]).strip()
    with transaction.atomic():
        current = Partner.objects.select_for_update().get(pk=partner.pk)
        names = changed(current, fields)
        if not names:
            return current
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["partnership", "organization"])
        text_checked(current)
        current.save(update_fields=names)
        audit.record(
            "jobhelp.partner.updated",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"fields": names},
        )
    return current


def remove_partner(partner: Partner, *, by) -> None:
    """Take a partner out of the partnership: never the convener, nor a party to one of its
    running agreements (amend the agreement first).

    Side effects: its contacts are deleted; audit ``jobhelp.partner.removed``.
    """
    partnership = partner.partnership
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    if partner.organization_id == partnership.convener_id:
        raise PartnershipError(_("The organization that convenes the partnership stays in it."))
    if partnership.agreements.filter(
        status__in=RUNNING_STATES, parties__organization=partner.organization_id
    ).exists():
        raise PartnershipError(
            _("%(name)s is a party to a current agreement. Amend the agreement first.")
            % {"name": partner.organization}
        )
    with transaction.atomic():
        audit.record(
            "jobhelp.partner.removed",
            actor=by,
            organization=partner.organization,
            obj=partner,
            data={"partnership": partnership.pk},
        )
        partner.delete()


def add_contact(
    partner: Partner, *, by, name: str, title: str = "", email: str = "", phone: str = "", user=None
) -> PartnerContact:
    """Add someone to call at a partner.

    Side effects: audit ``jobhelp.partner_contact.added`` (no name or address).
    """
    if not rules.can_edit_partner(by, partner):
        raise _refuse_manage()
    contact = PartnerContact(
        partner=partner,
        name=name.strip(),
        title=title.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        user=user,
    )
    full_clean(contact, exclude=["partner", "user"])
    text_checked(contact)
    with transaction.atomic():
        contact.save()
        audit.record(
            "jobhelp.partner_contact.added",
            actor=by,
            organization=partner.organization,
            obj=contact,
            data={"partner": partner.pk, "user": user.pk if user else None},
        )
    return contact


def remove_contact(contact: PartnerContact, *, by) -> None:
    """Side effects: audit ``jobhelp.partner_contact.removed``."""
    if not rules.can_edit_partner(by, contact.partner):
        raise _refuse_manage()
    with transaction.atomic():
        audit.record(
            "jobhelp.partner_contact.removed",
            actor=by,
            organization=contact.partner.organization,
            obj=contact,
            data={"partner": contact.partner_id},
        )
        contact.delete()
