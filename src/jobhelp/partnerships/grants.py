"""Grant coordination: the opportunities the partners pursue together, who leads, what each
commits as match and in kind, and how it ends. Status changes follow
enums.GRANT_TRANSITIONS with one conditional UPDATE each."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.partnerships import rules
from jobhelp.partnerships.checks import changed, full_clean, refuse_unknown, text_checked
from jobhelp.partnerships.enums import DECIDED_GRANT_STATES, GRANT_TRANSITIONS, GrantStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import Grant

GRANT_FIELDS = frozenset(
    {
        "funder",
        "opportunity",
        "deadline",
        "lead_organization",
        "amount_sought",
        "match_commitment",
        "in_kind_commitment",
        "meeting",
    }
)


def _refuse_manage() -> PartnershipError:
    return PartnershipError(
        _("Only managers of a partner at full participation can change the partnership.")
    )


def _check(partnership, fields: dict) -> None:
    lead = fields.get("lead_organization")
    if lead is not None and not partnership.partners.filter(organization=lead).exists():
        raise PartnershipError(_("The lead must be one of the partners."))
    meeting = fields.get("meeting")
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise PartnershipError(_("Choose a meeting of this partnership."))
    amount = fields.get("amount_sought")
    if amount is not None and Decimal(amount) < 0:
        raise PartnershipError(_("The amount cannot be negative."))


def _clean(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def add_grant(
    partnership, *, by, funder: str, opportunity: str, lead_organization, **fields
) -> Grant:
    """Start tracking a grant opportunity (status "exploring").

    Side effects: audit ``jobhelp.grant.added`` (data: the lead partner).
    """
    fields = _clean({"funder": funder, "opportunity": opportunity, **fields})
    refuse_unknown(fields, GRANT_FIELDS - {"lead_organization"}, "a grant")
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    fields["lead_organization"] = lead_organization
    _check(partnership, fields)
    grant = Grant(partnership=partnership, **fields)
    full_clean(grant, exclude=["partnership", "lead_organization", "meeting"])
    text_checked(grant)
    with transaction.atomic():
        grant.save()
        audit.record(
            "jobhelp.grant.added",
            actor=by,
            organization=lead_organization,
            obj=grant,
            data={"partnership": partnership.pk, "lead": lead_organization.pk},
        )
    return grant


def update_grant(grant: Grant, *, by, **fields) -> Grant:
    """Change a grant's details (not its status: set_grant_status).

    Side effects: audit ``jobhelp.grant.updated`` (data: the changed fields' names).
    """
    refuse_unknown(fields, GRANT_FIELDS, "a grant")
    partnership = grant.partnership
    if not rules.can_manage_partnership(by, partnership):
        raise _refuse_manage()
    fields = _clean(fields)
    _check(partnership, fields)
    with transaction.atomic():
        current = Grant.objects.select_for_update().get(pk=grant.pk)
        names = changed(current, fields)
        if not names:
            return current
        for name in names:
            setattr(current, name, fields[name])
        full_clean(current, exclude=["partnership", "lead_organization", "meeting"])
        text_checked(current)
        current.save(update_fields=names)
        audit.record(
            "jobhelp.grant.updated",
            actor=by,
            organization=current.lead_organization,
            obj=current,
            data={"fields": names},
        )
    return current


def set_grant_status(grant: Grant, *, by, status: str, outcome: str = "") -> Grant:
    """Move a grant along (exploring, preparing, submitted, then awarded or not funded; or
    withdrawn). A decision needs its outcome written.

    Side effects: audit ``jobhelp.grant.status_changed`` (data: from, to).
    """
    if not rules.can_manage_partnership(by, grant.partnership):
        raise _refuse_manage()
    if status not in GrantStatus.values:
        raise PartnershipError(_("Choose a status from the list."))
    outcome = outcome.strip()
    if status in DECIDED_GRANT_STATES and not outcome:
        raise PartnershipError(_("Write the outcome: what was awarded, or what the funder said."))
    text_checked(Grant(outcome=outcome))
    allowed = [state for state, targets in GRANT_TRANSITIONS.items() if status in targets]
    with transaction.atomic():
        before = Grant.objects.filter(pk=grant.pk).values_list("status", flat=True).first()
        values = {"status": status}
        if outcome:
            values["outcome"] = outcome
        moved = Grant.objects.filter(pk=grant.pk, status__in=allowed).update(**values)
        current = Grant.objects.select_related("lead_organization").get(pk=grant.pk)
        if not moved:
            raise PartnershipError(
                _("A grant that is %(status)s cannot become %(target)s.")
                % {
                    "status": current.get_status_display().lower(),
                    "target": GrantStatus(status).label.lower(),
                }
            )
        audit.record(
            "jobhelp.grant.status_changed",
            actor=by,
            organization=current.lead_organization,
            obj=current,
            data={"from": before, "to": status},
        )
    return current
