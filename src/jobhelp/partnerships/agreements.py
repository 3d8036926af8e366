"""Agreements (MOU): drafting the terms, the parties and their cost shares, negotiation and
signatures, amendments, attachments, renewal, and the two periodic pieces of work (reminding
the parties' managers of the renewal date, and expiring agreements past it).

Status changes follow enums.TRANSITIONS, each made by one conditional UPDATE that names the
states it may come from, so two people acting at once cannot both move an agreement.
Signatures lock the agreement's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions let one writer in at a time), so the last of two parties signing at once
executes it exactly once.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit, files
from jobhelp.core.attachments import add_file, remove_file
from jobhelp.partnerships import messages, rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.enums import (
    AMENDABLE_STATES,
    EDITABLE_STATES,
    FREQUENCY_MONTHS,
    MAX_REVIEW_CYCLE_MONTHS,
    RENEWAL_REMINDER_DAYS,
    AgreementStatus,
    AmendmentKind,
    Frequency,
    states_that_may_become,
)
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import (
    Agreement,
    Amendment,
    Attachment,
    CostShare,
    Obligation,
    Occurrence,
    Partner,
    Party,
)
from jobhelp.partnerships.obligations import add_months, sync_occurrences

# The terms of an agreement (not its status, parties or signatures).
TERM_FIELDS = frozenset(
    {
        "title",
        "effective_from",
        "renewal_on",
        "review_cycle_months",
        "services_coordination",
        "referral_methods",
        "needs_disability",
        "needs_language",
        "needs_technology",
        "cost_allocation_method",
        "data_sharing",
        "dispute_resolution",
        "amendment_procedure",
        "chief_elected_official",
        "chief_elected_official_agreed_on",
    }
)
DATE_FIELDS = frozenset({"effective_from", "renewal_on"})
PARTY_FIELDS = frozenset({"role", "tier", "services"})


def _refuse_edit() -> PartnershipError:
    return PartnershipError(_("Only managers of a party can change this agreement."))


def party_twice_message(organization) -> str:
    return _("%(name)s is already a party to this agreement.") % {"name": organization}


def check_dates(effective_from: date | None, renewal_on: date | None) -> None:
    if effective_from and renewal_on and renewal_on <= effective_from:
        raise PartnershipError(
            _("The renewal date must come after the date the agreement takes effect.")
        )


def check_review_cycle(months) -> None:
    if months is None:
        return
    if not isinstance(months, int) or months < 1:
        raise PartnershipError(_("Enter the review cycle in whole months, at least 1."))
    if months > MAX_REVIEW_CYCLE_MONTHS:
        raise PartnershipError(
            _(
                "An agreement must be reviewed at least every 36 months (20 CFR 678.500(b)(6)). "
                "Enter 36 months or fewer."
            )
        )


def _clean_terms(terms: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in terms.items()}


def _move(agreement: Agreement, target: AgreementStatus, *, from_states=None, **changes) -> bool:
    """Move to `target` if, at this moment, the agreement is in a status that may become it
    (and one of `from_states`, when given). True when it moved."""
    allowed = states_that_may_become(target)
    if from_states is not None:
        allowed = [state for state in allowed if state in from_states]
    return bool(
        Agreement.objects.filter(pk=agreement.pk, status__in=allowed).update(
            status=target, updated_at=timezone.now(), **changes
        )
    )


def _status_refused(agreement: Agreement) -> PartnershipError:
    current = Agreement.objects.get(pk=agreement.pk)
    return PartnershipError(
        _("This agreement is now %(status)s; that is no longer possible.")
        % {"status": current.get_status_display().lower()}
    )


# --- Drafting -----------------------------------------------------------------------------------


def create_agreement(
    partnership,
    *,
    by,
    title: str,
    organization,
    role: str,
    tier: str | None = None,
    services: str = "",
    **terms,
) -> Agreement:
    """Start a draft agreement of `partnership`, with `organization` (a partner the person
    manages) as its first party, and any of TERM_FIELDS.

    Side effects: audit ``jobhelp.agreement.created`` and ``jobhelp.agreement_party.added``.
    """
    refuse_unknown(terms, TERM_FIELDS - {"title"}, "an agreement")
    partner = Partner.objects.filter(partnership=partnership, organization=organization).first()
    if partner is None:
        raise PartnershipError(_("The first party must be a partner of the partnership."))
    if not rules.manages(by, organization):
        raise PartnershipError(_("You can start an agreement only for an organization you manage."))
    terms = _clean_terms(terms)
    check_dates(terms.get("effective_from"), terms.get("renewal_on"))
    check_review_cycle(terms.get("review_cycle_months"))
    agreement = Agreement(partnership=partnership, title=title.strip(), **terms)
    full_clean(agreement, exclude=["partnership", "supersedes"])
    text_checked(agreement)
    party = Party(
        organization=organization, role=role, tier=tier or partner.tier, services=services.strip()
    )
    full_clean(party, exclude=["agreement", "organization"])
    text_checked(party)
    with transaction.atomic():
        agreement.save()
        party.agreement = agreement
        party.save()
        audit.record(
            "jobhelp.agreement.created",
            actor=by,
            organization=organization,
            obj=agreement,
            data={"partnership": partnership.pk},
        )
        _audit_party(party, "added", by=by)
    return agreement


def update_agreement(agreement: Agreement, *, by, **terms) -> Agreement:
    """Change the terms of a draft or an agreement in negotiation (an executed one changes
    through amend_agreement). New dates move the obligations' due dates with them. Nothing is
    written when nothing changes.

    Side effects: occurrences added or dropped; audit ``jobhelp.agreement.updated`` with the
    changed fields' names.
    """
    refuse_unknown(terms, TERM_FIELDS, "an agreement")
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    terms = _clean_terms(terms)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status not in EDITABLE_STATES:
            raise PartnershipError(
                _("An executed agreement changes through an amendment.")
                if current.status == AgreementStatus.EXECUTED
                else _("This agreement can no longer change.")
            )
        names = _apply_terms(current, terms)
        if names:
            audit.record(
                "jobhelp.agreement.updated",
                actor=by,
                organization=current.partnership.convener,
                obj=current,
                data={"fields": names},
            )
    return current


def _apply_terms(current: Agreement, terms: dict) -> list[str]:
    """Check and write the changed terms on a locked agreement; returns their names."""
    names = changed(current, terms)
    if not names:
        return []
    check_dates(
        terms.get("effective_from", current.effective_from),
        terms.get("renewal_on", current.renewal_on),
    )
    check_review_cycle(terms.get("review_cycle_months", current.review_cycle_months))
    for name in names:
        setattr(current, name, terms[name])
    full_clean(current, exclude=["partnership", "supersedes"])
    text_checked(current)
    current.updated_at = timezone.now()
    current.save(update_fields=[*names, "updated_at"])
    if DATE_FIELDS & set(names):
        for obligation in current.obligations.select_related("agreement"):
            sync_occurrences(obligation)
    return names


def _audit_party(party: Party, verb: str, *, by, data=None) -> None:
    audit.record(
        f"jobhelp.agreement_party.{verb}",
        actor=by,
        organization=party.organization,
        obj=party,
        data={
            "agreement": party.agreement_id,
            "role": party.role,
            "tier": party.tier,
            **(data or {}),
        },
    )


def add_party(
    agreement: Agreement, *, by, organization, role: str, tier: str | None = None, services=""
) -> Party:
    """Add `organization` as a party (once: a second time is refused, by the form, here and by
    a unique constraint for two people adding it at once). Its tier defaults to its tier as a
    partner, or its organization's.

    Side effects: audit ``jobhelp.agreement_party.added`` (data: role, tier).
    """
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in EDITABLE_STATES:
        raise PartnershipError(
            _(
                "Parties change while the agreement is drafted or negotiated. Record a major "
                "amendment first."
            )
        )
    if tier is None:
        partner = Partner.objects.filter(
            partnership=agreement.partnership_id, organization=organization
        ).first()
        tier = partner.tier if partner else organization.participation_tier
    party = Party(
        agreement=agreement,
        organization=organization,
        role=role,
        tier=tier,
        services=services.strip(),
    )
    full_clean(party, exclude=["agreement", "organization"])
    text_checked(party)
    if agreement.parties.filter(organization=organization).exists():
        raise PartnershipError(party_twice_message(organization))
    try:
        with transaction.atomic():
            party.save()
            _audit_party(party, "added", by=by)
    except IntegrityError:
        raise PartnershipError(party_twice_message(organization)) from None
    return party


def update_party(party: Party, *, by, **fields) -> Party:
    """Change a party's role, tier or the services it provides, while the agreement is drafted
    or negotiated.

    Side effects: audit ``jobhelp.agreement_party.updated`` with the changed fields' names.
    """
    refuse_unknown(fields, PARTY_FIELDS, "a party")
    agreement = party.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in EDITABLE_STATES:
        raise PartnershipError(_("An executed agreement changes through an amendment."))
    fields = _clean_terms(fields)
    with transaction.atomic():
        current = Party.objects.select_for_update().select_related("organization").get(pk=party.pk)
        names = changed(current, fields)
        if not names:
            return current
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["agreement", "organization"])
        text_checked(current)
        current.save(update_fields=names)
        _audit_party(current, "updated", by=by, data={"fields": names})
    return current


def remove_party(party: Party, *, by) -> None:
    """Take a party off a draft or negotiated agreement, with its cost shares; not the last
    party, nor one that still does some of the agreement's obligations.

    Side effects: audit ``jobhelp.agreement_party.removed``.
    """
    agreement = party.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in EDITABLE_STATES:
        raise PartnershipError(_("An executed agreement changes through an amendment."))
    if agreement.parties.count() <= 1:
        raise PartnershipError(_("An agreement keeps at least one party."))
    if agreement.obligations.filter(owner_organization=party.organization_id).exists():
        raise PartnershipError(
            _(
                "%(name)s still does some of this agreement's obligations. "
                "Move or remove them first."
            )
            % {"name": party.organization}
        )
    with transaction.atomic():
        _audit_party(party, "removed", by=by)
        party.delete()


def add_cost_share(
    party: Party, *, by, category: str, contribution: str, description: str, annual_amount=None
) -> CostShare:
    """Record a party's contribution to infrastructure or shared costs.

    Side effects: audit ``jobhelp.cost_share.added`` (data: category, contribution).
    """
    agreement = party.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in EDITABLE_STATES:
        raise PartnershipError(_("An executed agreement changes through an amendment."))
    share = CostShare(
        party=party,
        category=category,
        contribution=contribution,
        description=description.strip(),
        annual_amount=annual_amount,
    )
    full_clean(share, exclude=["party"])
    text_checked(share)
    if annual_amount is not None and annual_amount < 0:
        raise PartnershipError(_("A contribution cannot be negative."))
    with transaction.atomic():
        share.save()
        audit.record(
            "jobhelp.cost_share.added",
            actor=by,
            organization=party.organization,
            obj=share,
            data={"agreement": agreement.pk, "category": category, "contribution": contribution},
        )
    return share


def remove_cost_share(share: CostShare, *, by) -> None:
    """Side effects: audit ``jobhelp.cost_share.removed``."""
    agreement = share.party.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in EDITABLE_STATES:
        raise PartnershipError(_("An executed agreement changes through an amendment."))
    with transaction.atomic():
        audit.record(
            "jobhelp.cost_share.removed",
            actor=by,
            organization=share.party.organization,
            obj=share,
            data={"agreement": agreement.pk},
        )
        share.delete()


# --- Negotiation and signatures ---------------------------------------------------------------


def open_negotiation(agreement: Agreement, *, by) -> Agreement:
    """Send a draft to the parties to negotiate and sign; it needs two parties at least.

    Side effects: audit ``jobhelp.agreement.negotiation_opened``.
    """
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.parties.count() < 2:
        raise PartnershipError(_("Add the other parties before opening the negotiation."))
    with transaction.atomic():
        if not _move(
            agreement, AgreementStatus.IN_NEGOTIATION, from_states={AgreementStatus.DRAFT}
        ):
            raise _status_refused(agreement)
        audit.record(
            "jobhelp.agreement.negotiation_opened",
            actor=by,
            organization=agreement.partnership.convener,
            obj=agreement,
        )
    agreement.refresh_from_db()
    return agreement


def return_to_draft(agreement: Agreement, *, by) -> Agreement:
    """Take an agreement in negotiation back to draft; the signatures already given go.

    Side effects: audit ``jobhelp.agreement.returned_to_draft``.
    """
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    with transaction.atomic():
        if not _move(agreement, AgreementStatus.DRAFT):
            raise _status_refused(agreement)
        cleared = agreement.parties.filter(signed_on__isnull=False).update(signed_on=None)
        audit.record(
            "jobhelp.agreement.returned_to_draft",
            actor=by,
            organization=agreement.partnership.convener,
            obj=agreement,
            data={"signatures_cleared": cleared},
        )
    agreement.refresh_from_db()
    return agreement


def record_signature(
    party: Party,
    *,
    by,
    signatory_name: str,
    signatory_title: str,
    signed_on: date,
    now: datetime | None = None,
) -> Party:
    """Record that `party` signed (by its own managers). When it is the last party to sign,
    the agreement is executed; an agreement it renews becomes superseded.

    Side effects: audit ``jobhelp.agreement_party.signed``; when executed, audit
    ``jobhelp.agreement.executed`` and, for a renewal, ``jobhelp.agreement.superseded`` on
    the agreement renewed, whose occurrences not kept from the renewal's start go.
    """
    now = now or timezone.now()
    if not rules.can_sign(by, party):
        raise PartnershipError(_("Only the party's own managers can record its signature."))
    if signed_on > timezone.localdate(now):
        raise PartnershipError(_("The signature date cannot be in the future."))
    probe = Party(
        agreement=party.agreement,
        organization=party.organization,
        role=party.role,
        tier=party.tier,
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
    )
    full_clean(probe, exclude=["agreement", "organization"])
    text_checked(probe)
    if not probe.signatory_name or not probe.signatory_title:
        raise PartnershipError(_("Enter the name and title of the person who signed."))
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update()
            .select_related("partnership__convener")
            .get(pk=party.agreement_id)
        )
        if agreement.status != AgreementStatus.IN_NEGOTIATION:
            raise PartnershipError(
                _("Signatures are recorded while the agreement is in negotiation.")
            )
        if not (
            agreement.effective_from and agreement.renewal_on and agreement.review_cycle_months
        ):
            raise PartnershipError(_("Set the dates and the review cycle before anyone signs."))
        signed = Party.objects.filter(pk=party.pk, signed_on__isnull=True).update(
            signatory_name=probe.signatory_name,
            signatory_title=probe.signatory_title,
            signed_on=signed_on,
        )
        if not signed:
            raise PartnershipError(_("This party's signature is already recorded."))
        current = Party.objects.select_related("organization").get(pk=party.pk)
        _audit_party(current, "signed", by=by)
        parties = list(agreement.parties.values_list("signed_on", flat=True))
        if len(parties) >= 2 and all(parties):
            _execute(agreement, by=by, now=now)
    return current


def _execute(agreement: Agreement, *, by, now: datetime) -> None:
    if not _move(agreement, AgreementStatus.EXECUTED, executed_at=now):
        raise _status_refused(agreement)
    audit.record(
        "jobhelp.agreement.executed",
        actor=by,
        organization=agreement.partnership.convener,
        obj=agreement,
        data={"renewal_on": agreement.renewal_on.isoformat()},
    )
    predecessor = agreement.supersedes
    if predecessor is not None and _move(predecessor, AgreementStatus.SUPERSEDED):
        dropped, _by_model = Occurrence.objects.filter(
            obligation__agreement=predecessor,
            done_at__isnull=True,
            due_on__gte=agreement.effective_from,
        ).delete()
        audit.record(
            "jobhelp.agreement.superseded",
            actor=by,
            organization=agreement.partnership.convener,
            obj=predecessor,
            data={"renewal": agreement.pk, "occurrences_dropped": dropped},
        )


# --- Amendments ---------------------------------------------------------------------------------


def amend_agreement(
    agreement: Agreement,
    *,
    by,
    kind: str,
    summary: str,
    effective_on: date,
    changes: dict | None = None,
) -> Amendment:
    """Record an amendment, with the terms it changes (`changes`, any of TERM_FIELDS). A major
    amendment reopens the signatures: every party's is cleared, and an executed agreement goes
    back to "in negotiation" until every party has signed again.

    Side effects: the terms changed (and the obligations' due dates with new dates); audit
    ``jobhelp.agreement.amended`` (data: kind, number, the changed fields' names); for a major
    one, audit ``jobhelp.agreement.signatures_reopened`` and an email to every manager of a
    party (``agreement_signatures_reopened``).
    """
    changes = _clean_terms(changes or {})
    refuse_unknown(changes, TERM_FIELDS, "an agreement")
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    summary = summary.strip()
    if not summary:
        raise PartnershipError(_("Say what the amendment changes."))
    if kind not in AmendmentKind.values:
        raise PartnershipError(_("Choose whether the amendment is minor or major."))
    with transaction.atomic():
        current = (
            Agreement.objects.select_for_update()
            .select_related("partnership__convener")
            .get(pk=agreement.pk)
        )
        if current.status not in AMENDABLE_STATES:
            raise PartnershipError(
                _("Only an agreement in negotiation or executed can be amended.")
            )
        names = _apply_terms(current, changes)
        number = (current.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
        amendment = Amendment(
            agreement=current,
            number=number,
            kind=kind,
            summary=summary,
            effective_on=effective_on,
            fields=names,
            recorded_by=by,
        )
        full_clean(amendment, exclude=["agreement", "recorded_by"])
        text_checked(amendment)
        amendment.save()
        audit.record(
            "jobhelp.agreement.amended",
            actor=by,
            organization=current.partnership.convener,
            obj=current,
            data={"kind": kind, "number": number, "fields": names},
        )
        if kind == AmendmentKind.MAJOR:
            cleared = current.parties.filter(signed_on__isnull=False).update(signed_on=None)
            Agreement.objects.filter(pk=current.pk).update(chief_elected_official_agreed_on=None)
            _move(current, AgreementStatus.IN_NEGOTIATION, from_states={AgreementStatus.EXECUTED})
            current.refresh_from_db()
            audit.record(
                "jobhelp.agreement.signatures_reopened",
                actor=by,
                organization=current.partnership.convener,
                obj=current,
                data={"amendment": number, "signatures_cleared": cleared, "status": current.status},
            )
            messages.signatures_reopened(current, amendment)
    agreement.refresh_from_db()
    return amendment


# --- Attachments --------------------------------------------------------------------------------


def add_attachment(agreement: Agreement, *, by, upload, title: str = "", name: str | None = None):
    """Attach a PDF to the agreement (checked by content and size, stored under a random
    name; `name`, or the upload's own, is kept only as a cleaned label and refused if it holds
    a path). Nothing is written when the file is refused.

    Side effects: the file written under MEDIA_ROOT; audit
    ``jobhelp.agreement.attachment_added`` (data: the kind and size, never the name).
    """
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    renewed = _("This agreement was renewed; attach the file to its renewal.")
    if agreement.status == AgreementStatus.SUPERSEDED:
        raise PartnershipError(renewed)
    try:
        with transaction.atomic():
            # The status as it is now, held until the file is recorded: an agreement renewed
            # since the page was loaded takes no new file.
            current = Agreement.objects.select_for_update().get(pk=agreement.pk)
            if current.status == AgreementStatus.SUPERSEDED:
                raise PartnershipError(renewed)
            return add_file(
                Attachment(agreement=agreement, title=title.strip()),
                by=by,
                upload=upload,
                name=name,
                validate=files.validate_pdf,
                check=_attachment_checked,
                action="jobhelp.agreement.attachment_added",
                organization=agreement.partnership.convener,
                obj=agreement,
                audit_key="attachment",
            )
    except ValidationError as error:
        raise PartnershipError(" ".join(error.messages)) from None


def _attachment_checked(attachment: Attachment) -> None:
    text_checked(attachment)
    full_clean(attachment, exclude=["agreement", "uploaded_by", "file"])


def remove_attachment(attachment: Attachment, *, by) -> None:
    """Remove an attachment of an agreement still being drafted or negotiated (an executed
    agreement's documents stay).

    Side effects: the file deleted once committed; audit
    ``jobhelp.agreement.attachment_removed``.
    """
    agreement = attachment.agreement
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    with transaction.atomic():
        # The status as it is now, held until the removal commits: an agreement executed
        # since the page was loaded keeps its documents.
        current = Agreement.objects.select_for_update().get(pk=attachment.agreement_id)
        if current.status not in EDITABLE_STATES:
            raise PartnershipError(_("The documents of an executed agreement are kept."))
        remove_file(
            attachment,
            by=by,
            action="jobhelp.agreement.attachment_removed",
            organization=agreement.partnership.convener,
            obj=agreement,
            audit_key="attachment",
        )


# --- Renewal ------------------------------------------------------------------------------------


def _first_due_from(obligation: Obligation, start: date) -> date:
    """The first due date of `obligation`'s series on or after `start`."""
    step = FREQUENCY_MONTHS[Frequency(obligation.frequency)]
    first = obligation.first_due_on
    if step == 0 or first >= start:
        return max(first, start)
    count = 0
    while add_months(first, step * count) < start:
        count += 1
    return add_months(first, step * count)


def renew_agreement(
    agreement: Agreement, *, by, effective_from: date, renewal_on: date, title: str | None = None
) -> Agreement:
    """Start the renewal of an executed or expired agreement: a draft with the same terms,
    parties (unsigned), cost shares and obligations (their due dates from the new start), to
    negotiate and sign. Once executed, it supersedes this one.

    Side effects: audit ``jobhelp.agreement.renewal_started`` on this agreement and
    ``jobhelp.agreement.created`` on the renewal.
    """
    if not rules.can_edit_agreement(by, agreement):
        raise _refuse_edit()
    if agreement.status not in {AgreementStatus.EXECUTED, AgreementStatus.EXPIRED}:
        raise PartnershipError(_("Only an executed or expired agreement is renewed."))
    if Agreement.objects.filter(supersedes=agreement).exists():
        raise PartnershipError(_("A renewal of this agreement is already under way."))
    check_dates(effective_from, renewal_on)
    terms = {name: getattr(agreement, name) for name in TERM_FIELDS - {"title"}}
    terms.update(
        effective_from=effective_from,
        renewal_on=renewal_on,
        chief_elected_official_agreed_on=None,
    )
    try:
        with transaction.atomic():
            renewal = Agreement.objects.create(
                partnership=agreement.partnership,
                title=(title or agreement.title).strip(),
                supersedes=agreement,
                **terms,
            )
            for party in agreement.parties.prefetch_related("cost_shares"):
                copy = Party.objects.create(
                    agreement=renewal,
                    organization_id=party.organization_id,
                    role=party.role,
                    tier=party.tier,
                    services=party.services,
                    signatory_name=party.signatory_name,
                    signatory_title=party.signatory_title,
                )
                CostShare.objects.bulk_create(
                    [
                        CostShare(
                            party=copy,
                            category=share.category,
                            contribution=share.contribution,
                            description=share.description,
                            annual_amount=share.annual_amount,
                        )
                        for share in party.cost_shares.all()
                    ]
                )
            for obligation in agreement.obligations.all():
                if obligation.ends_on and obligation.ends_on < effective_from:
                    continue
                if (
                    obligation.frequency == Frequency.ONCE
                    and obligation.occurrences.filter(done_at__isnull=False).exists()
                ):
                    continue
                copy = Obligation.objects.create(
                    agreement=renewal,
                    title=obligation.title,
                    description=obligation.description,
                    kind=obligation.kind,
                    owner_organization_id=obligation.owner_organization_id,
                    owner_id=obligation.owner_id,
                    frequency=obligation.frequency,
                    first_due_on=_first_due_from(obligation, effective_from),
                    reduced_tier_takes_part=obligation.reduced_tier_takes_part,
                )
                sync_occurrences(copy)
            audit.record(
                "jobhelp.agreement.renewal_started",
                actor=by,
                organization=agreement.partnership.convener,
                obj=agreement,
                data={"renewal": renewal.pk},
            )
            audit.record(
                "jobhelp.agreement.created",
                actor=by,
                organization=agreement.partnership.convener,
                obj=renewal,
                data={"partnership": agreement.partnership_id, "renews": agreement.pk},
            )
    except IntegrityError:
        raise PartnershipError(_("A renewal of this agreement is already under way.")) from None
    return renewal


# --- Periodic work ------------------------------------------------------------------------------


def renewal_reminder_due(agreement: Agreement, *, today: date) -> int | None:
    """The reminder due today for an executed agreement: the nearest of 120, 60 and 30 days
    whose day has come (so a runner that was down sends the latest one, not all three), or
    None before the first or after the renewal date."""
    if agreement.renewal_on is None or agreement.renewal_on < today:
        return None
    left = (agreement.renewal_on - today).days
    due = [days for days in RENEWAL_REMINDER_DAYS if left <= days]
    return min(due) if due else None


def send_renewal_reminders(*, now: datetime | None = None) -> int:
    """Queue the renewal reminders that are due to the managers of every party of each
    executed agreement, each once (the outbox's dedupe key: agreement, renewal date, days,
    person). Returns how many messages were queued; a second run queues none.

    Side effects: messages ``agreement_renewal_reminder`` in the outbox.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = add_months(today, 5)
    queued = 0
    candidates = Agreement.objects.filter(
        status=AgreementStatus.EXECUTED, renewal_on__gte=today, renewal_on__lte=horizon
    ).select_related("partnership__convener")
    for agreement in candidates:
        days = renewal_reminder_due(agreement, today=today)
        if days is None:
            continue
        with transaction.atomic():
            queued += messages.renewal_reminders(agreement, days=days)
    return queued


def expire_agreements(*, now: datetime | None = None) -> int:
    """Executed agreements whose renewal date has passed become expired, each with one
    conditional UPDATE (so a second run, or a renewal executed meanwhile, changes nothing).
    Returns how many expired.

    Side effects: audit ``jobhelp.agreement.expired`` per agreement (no actor).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = 0
    for agreement in Agreement.objects.filter(
        status=AgreementStatus.EXECUTED, renewal_on__lt=today
    ).select_related("partnership__convener"):
        with transaction.atomic():
            if not _move(
                agreement, AgreementStatus.EXPIRED, from_states={AgreementStatus.EXECUTED}
            ):
                continue
            audit.record(
                "jobhelp.agreement.expired",
                organization=agreement.partnership.convener,
                obj=agreement,
                data={"renewal_on": agreement.renewal_on.isoformat()},
            )
            expired += 1
    return expired
