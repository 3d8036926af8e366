"""The partnership hub: partnerships, agreements and their parties, signatures, cost shares and
amendments, obligations and occurrences, meetings and action items, grants and the liaison's
log. Staff token required (the API's default).

The same rules as the staff pages, because the same code decides: input goes through the
forms of partnerships.forms (a 422 with messages by field), every change through one
function of the partnerships domain modules, which checks partnerships.rules itself (a refusal
is a 409 with its message), and every read through partnerships.queries, so another
partnership's or agreement's object is a 404. Someone who acts for no partner of any
partnership gets a 403.
"""

from functools import wraps

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut, Id, person
from jobhelp.api.partnerships.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    ActionItemStatusIn,
    AgreementIn,
    AgreementMove,
    AgreementOut,
    AgreementSummaryOut,
    AgreementTransitionIn,
    AlreadyDoneOut,
    AmendmentIn,
    AmendmentOut,
    CostShareIn,
    CostShareOut,
    GrantIn,
    GrantOut,
    GrantPatch,
    GrantStatusIn,
    LogEntryIn,
    LogEntryOut,
    LogEntryPatch,
    LogFilters,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingSummaryOut,
    MinutesIn,
    ObligationIn,
    ObligationListOut,
    ObligationOut,
    ObligationPatch,
    OccurrenceDoneIn,
    OccurrenceOut,
    PartnershipOut,
    PartyIn,
    PartyOut,
    PartyPatch,
    SignatureIn,
    TermsPatch,
    organization,
)
from jobhelp.organizations.models import Organization
from jobhelp.partnerships import checklist, queries, rules
from jobhelp.partnerships.agreements import (
    add_cost_share,
    add_party,
    amend_agreement,
    create_agreement,
    open_negotiation,
    record_signature,
    return_to_draft,
    update_agreement,
    update_party,
)
from jobhelp.partnerships.errors import AlreadyDone, PartnershipError
from jobhelp.partnerships.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    AgreementForm,
    AmendmentForm,
    CostShareForm,
    GrantForm,
    GrantStatusForm,
    LogEntryForm,
    MeetingForm,
    MinutesForm,
    ObligationForm,
    OccurrenceDoneForm,
    PartyForm,
    SignatureForm,
)
from jobhelp.partnerships.grants import add_grant, set_grant_status, update_grant
from jobhelp.partnerships.log import record_log_entry, update_log_entry
from jobhelp.partnerships.meetings import (
    add_action_item,
    cancel_meeting,
    change_meeting,
    record_minutes,
    schedule_meeting,
    set_action_item_status,
    update_action_item,
)
from jobhelp.partnerships.obligations import (
    add_obligation,
    mark_occurrence_done,
    reopen_occurrence,
    update_obligation,
)

router = Router(tags=["partnerships"])

# 403: no partnership at all; 404: another partnership's or agreement's object, or none.
READ = {403: ErrorOut, 404: ErrorOut}
# And 409: the domain refused the change; 422: the input is not usable.
WRITE = {**READ, 409: ErrorOut, 422: ErrorOut}


def refusals_are_409(endpoint):
    """A change the domain refuses (partnerships.errors.PartnershipError) is a 409 with its
    message; nothing was written. When someone else kept an occurrence first, the answer also
    says who."""

    @wraps(endpoint)
    def answer(request, *args, **kwargs):
        try:
            return endpoint(request, *args, **kwargs)
        except AlreadyDone as error:
            return Status(409, {"detail": str(error), "done_by": person(error.done_by)})
        except PartnershipError as error:
            return Status(409, {"detail": str(error)})

    return answer


def _door(user) -> None:
    if not rules.in_a_partnership(user):
        raise HttpError(403, _("You do not take part in any partnership."))


def _found(value):
    if value is None:
        raise Http404
    return value


def _partnership(user, pk):
    _door(user)
    return _found(queries.partnership_for_user(user, pk))


def _agreement(user, pk):
    _door(user)
    agreement = _found(queries.agreement_for_user(user, pk))
    agreement.missing_contents = [
        {"code": r.code, "label": str(r.label), "reference": r.reference}
        for r in checklist.missing_contents(agreement)
    ]
    return agreement


def _form_data(current: dict, payload, names: dict[str, str] | None = None) -> dict:
    """`current` values overlaid with the fields `payload` sets, renamed by `names` (the API's
    `owner_id` is the form's `owner`)."""
    names = names or {}
    data = dict(current)
    for field, value in payload.dict(exclude_unset=True).items():
        data[names.get(field, field)] = value
    return {name: ("" if value is None else value) for name, value in data.items()}


def _values(instance, form_class) -> dict:
    """An object's current values as its form takes them (objects by their ids)."""
    values = {}
    for name in form_class.base_fields:
        value = getattr(instance, f"{name}_id", None)
        values[name] = value if value is not None else getattr(instance, name, None)
    return values


# --- Partnerships -------------------------------------------------------------------------------


@router.get("/partnerships", response={200: list[PartnershipOut], 403: ErrorOut})
def list_partnerships(request):
    """The partnerships you take part in, each with every partner, its tier and the
    obligations it takes part in."""
    _door(request.user)
    partnerships = list(
        queries.partnerships_for_user(request.user)
        .select_related("convener", "liaison")
        .order_by("name", "pk")
    )
    overviews = queries.partners_overviews(request.user, partnerships)
    return [
        {
            "id": partnership.pk,
            "name": partnership.name,
            "convener": organization(partnership.convener),
            "liaison": person(partnership.liaison),
            "expected_liaison_minutes": partnership.expected_liaison_minutes,
            "partners": [
                {
                    "organization": organization(row.partner.organization),
                    "tier": row.partner.tier,
                    "offers": row.partner.offers,
                    "services": row.partner.services,
                    "obligation_ids": [o.pk for o in row.obligations],
                }
                for row in overviews[partnership.pk]
            ],
        }
        for partnership in partnerships
    ]


# --- Agreements ---------------------------------------------------------------------------------


@router.get("/partnerships/agreements", response={200: list[AgreementSummaryOut], **READ})
def list_agreements(request, partnership_id: Id | None = None):
    """The agreements your organizations are party to (of one partnership, if given)."""
    _door(request.user)
    partnership = None
    if partnership_id is not None:
        partnership = _partnership(request.user, partnership_id)
    return queries.agreement_list(request.user, partnership)


@router.post("/partnerships/agreements", response={201: AgreementOut, **WRITE})
@refusals_are_409
def start_agreement(request, payload: AgreementIn):
    """Start a draft agreement with its first party, an organization you manage."""
    partnership = _partnership(request.user, payload.partnership_id)
    terms = payload.dict(exclude={"partnership_id", "party"})
    form = AgreementForm({name: "" if value is None else value for name, value in terms.items()})
    managed = queries.partner_organizations(partnership).filter(
        pk__in=organizations_for(request.user, roles=MANAGING_ROLES)
    )
    party = payload.party
    party_form = PartyForm(
        {
            "organization": party.organization_id,
            "role": party.role,
            "tier": party.tier,
            "services": party.services,
        },
        organizations=managed,
    )
    if not form.is_valid():
        return invalid(form)
    if not party_form.is_valid():
        return _invalid_prefixed(party_form, "party")
    data = dict(form.cleaned_data)
    agreement = create_agreement(
        partnership,
        by=request.user,
        title=data.pop("title"),
        organization=party_form.cleaned_data["organization"],
        role=party_form.cleaned_data["role"],
        tier=party_form.cleaned_data["tier"],
        services=party_form.cleaned_data["services"],
        **data,
    )
    return Status(201, _agreement(request.user, agreement.pk))


@router.get("/partnerships/agreements/{agreement_id}", response={200: AgreementOut, **READ})
def get_agreement(request, agreement_id: Id):
    """One agreement: terms, parties and signatures, cost shares, amendments, attachments,
    and the 20 CFR 678.500 contents it is still missing."""
    return _agreement(request.user, agreement_id)


@router.patch("/partnerships/agreements/{agreement_id}", response={200: AgreementOut, **WRITE})
@refusals_are_409
def update_terms(request, agreement_id: Id, payload: TermsPatch):
    """Change the terms of a draft or an agreement in negotiation (an executed one is
    amended). Only the terms sent change."""
    agreement = _agreement(request.user, agreement_id)
    form = AgreementForm(_form_data(_values(agreement, AgreementForm), payload))
    if not form.is_valid():
        return invalid(form)
    update_agreement(agreement, by=request.user, **form.cleaned_data)
    return _agreement(request.user, agreement_id)


@router.post(
    "/partnerships/agreements/{agreement_id}/transition", response={200: AgreementOut, **WRITE}
)
@refusals_are_409
def move_agreement(request, agreement_id: Id, payload: AgreementTransitionIn):
    """Send a draft to the parties to sign (`open_negotiation`), or take it back to draft
    (`return_to_draft`: the signatures given go)."""
    agreement = _agreement(request.user, agreement_id)
    if payload.action == AgreementMove.OPEN_NEGOTIATION:
        open_negotiation(agreement, by=request.user)
    else:
        return_to_draft(agreement, by=request.user)
    return _agreement(request.user, agreement_id)


@router.get(
    "/partnerships/agreements/{agreement_id}/parties", response={200: list[PartyOut], **READ}
)
def list_parties(request, agreement_id: Id):
    return list(_agreement(request.user, agreement_id).parties.all())


@router.post("/partnerships/agreements/{agreement_id}/parties", response={201: PartyOut, **WRITE})
@refusals_are_409
def add_agreement_party(request, agreement_id: Id, payload: PartyIn):
    """Add a party (once: a second time is a 422 on `organization`)."""
    agreement = _agreement(request.user, agreement_id)
    form = PartyForm(
        _form_data({}, payload, {"organization_id": "organization"}),
        organizations=queries.partner_organizations(agreement.partnership, with_branches=True),
        agreement=agreement,
    )
    if not form.is_valid():
        return invalid(form)
    party = add_party(agreement, by=request.user, **form.cleaned_data)
    return Status(201, queries.party_for_user(request.user, party.pk))


def _party(user, pk):
    _door(user)
    return _found(queries.party_for_user(user, pk))


@router.patch("/partnerships/parties/{party_id}", response={200: PartyOut, **WRITE})
@refusals_are_409
def update_agreement_party(request, party_id: Id, payload: PartyPatch):
    """Change a party's role, tier or services while the agreement is drafted or negotiated."""
    party = _party(request.user, party_id)
    current = {
        "organization": party.organization_id,
        "role": party.role,
        "tier": party.tier,
        "services": party.services,
    }
    form = PartyForm(
        _form_data(current, payload),
        organizations=Organization.objects.filter(pk=party.organization_id),
    )
    if not form.is_valid():
        return invalid(form)
    fields = {name: form.cleaned_data[name] for name in ("role", "tier", "services")}
    update_party(party, by=request.user, **fields)
    return queries.party_for_user(request.user, party_id)


@router.post("/partnerships/parties/{party_id}/signature", response={200: PartyOut, **WRITE})
@refusals_are_409
def sign_for_party(request, party_id: Id, payload: SignatureIn):
    """Record the party's signature (its own managers); the last one executes the agreement."""
    party = _party(request.user, party_id)
    form = SignatureForm(payload.dict())
    if not form.is_valid():
        return invalid(form)
    record_signature(party, by=request.user, **form.cleaned_data)
    return queries.party_for_user(request.user, party_id)


@router.post("/partnerships/parties/{party_id}/cost-shares", response={201: CostShareOut, **WRITE})
@refusals_are_409
def add_party_cost_share(request, party_id: Id, payload: CostShareIn):
    """A party's contribution to the infrastructure or shared costs."""
    party = _party(request.user, party_id)
    form = CostShareForm(_form_data({}, payload))
    if not form.is_valid():
        return invalid(form)
    share = add_cost_share(party, by=request.user, **form.cleaned_data)
    return Status(201, queries.cost_share_for_user(request.user, share.pk))


@router.get(
    "/partnerships/agreements/{agreement_id}/amendments",
    response={200: list[AmendmentOut], **READ},
)
def list_amendments(request, agreement_id: Id):
    return list(_agreement(request.user, agreement_id).amendments.all())


@router.post(
    "/partnerships/agreements/{agreement_id}/amendments", response={201: AmendmentOut, **WRITE}
)
@refusals_are_409
def record_amendment(request, agreement_id: Id, payload: AmendmentIn):
    """Record an amendment and the terms it changes. A major one reopens the signatures: an
    executed agreement goes back to `in_negotiation` until every party has signed again."""
    agreement = _agreement(request.user, agreement_id)
    form = AmendmentForm(
        {"kind": payload.kind, "summary": payload.summary, "effective_on": payload.effective_on}
    )
    terms = AgreementForm(_form_data(_values(agreement, AgreementForm), payload.changes))
    if not form.is_valid():
        return invalid(form)
    if not terms.is_valid():
        return _invalid_prefixed(terms, "changes")
    amendment = amend_agreement(
        agreement,
        by=request.user,
        kind=form.cleaned_data["kind"],
        summary=form.cleaned_data["summary"],
        effective_on=form.cleaned_data["effective_on"],
        changes=terms.cleaned_data,
    )
    return Status(201, amendment)


# --- Obligations and occurrences ------------------------------------------------------------------


def _obligation_form(agreement, data) -> ObligationForm:
    return ObligationForm(
        data,
        organizations=Organization.objects.filter(agreement_parties__agreement=agreement),
        people=queries.party_staff(agreement),
    )


OBLIGATION_NAMES = {"owner_organization_id": "owner_organization", "owner_id": "owner"}


@router.get(
    "/partnerships/agreements/{agreement_id}/obligations",
    response={200: list[ObligationListOut], **READ},
)
def list_obligations(request, agreement_id: Id):
    """The agreement's obligations you see (by the tier of the parties you act for), with how
    many times each was kept and is overdue."""
    agreement = _agreement(request.user, agreement_id)
    return queries.obligation_list(request.user, agreement)


@router.post(
    "/partnerships/agreements/{agreement_id}/obligations",
    response={201: ObligationOut, **WRITE},
)
@refusals_are_409
def add_agreement_obligation(request, agreement_id: Id, payload: ObligationIn):
    """List an obligation; its due dates are made at once."""
    agreement = _agreement(request.user, agreement_id)
    form = _obligation_form(agreement, _form_data({}, payload, OBLIGATION_NAMES))
    if not form.is_valid():
        return invalid(form)
    obligation = add_obligation(agreement, by=request.user, **form.cleaned_data)
    return Status(201, queries.obligation_for_user(request.user, obligation.pk))


def _obligation(user, pk):
    _door(user)
    return _found(queries.obligation_for_user(user, pk))


@router.get("/partnerships/obligations/{obligation_id}", response={200: ObligationOut, **READ})
def get_obligation(request, obligation_id: Id):
    return _obligation(request.user, obligation_id)


@router.patch("/partnerships/obligations/{obligation_id}", response={200: ObligationOut, **WRITE})
@refusals_are_409
def update_agreement_obligation(request, obligation_id: Id, payload: ObligationPatch):
    obligation = _obligation(request.user, obligation_id)
    data = _form_data(_values(obligation, ObligationForm), payload, OBLIGATION_NAMES)
    form = _obligation_form(obligation.agreement, data)
    if not form.is_valid():
        return invalid(form)
    update_obligation(obligation, by=request.user, **form.cleaned_data)
    return queries.obligation_for_user(request.user, obligation_id)


@router.get(
    "/partnerships/obligations/{obligation_id}/occurrences",
    response={200: list[OccurrenceOut], **READ},
)
def list_occurrences(request, obligation_id: Id):
    """Each due date and how it was kept."""
    return queries.occurrence_list(request.user, _obligation(request.user, obligation_id))


def _occurrence(user, pk):
    _door(user)
    return _found(queries.occurrence_for_user(user, pk))


@router.post(
    "/partnerships/occurrences/{occurrence_id}/done",
    response={200: OccurrenceOut, 409: AlreadyDoneOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
@refusals_are_409
def mark_done(request, occurrence_id: Id, payload: OccurrenceDoneIn):
    """Record that it was kept, with a note or the record that shows it (`meeting:<id>`). If
    someone else did first: 409, naming them (`done_by`)."""
    occurrence = _occurrence(request.user, occurrence_id)
    form = OccurrenceDoneForm(
        {"note": payload.note, "record": payload.record or ""},
        user=request.user,
        records=[(payload.record, payload.record)] if payload.record else [],
    )
    if not form.is_valid():
        return invalid(form)
    mark_occurrence_done(
        occurrence,
        by=request.user,
        note=form.cleaned_data["note"],
        evidence=form.cleaned_data["record"],
    )
    return queries.occurrence_for_user(request.user, occurrence_id)


@router.post(
    "/partnerships/occurrences/{occurrence_id}/reopen", response={200: OccurrenceOut, **WRITE}
)
@refusals_are_409
def undo_done(request, occurrence_id: Id):
    """Undo "done": it is due again and its evidence goes."""
    reopen_occurrence(_occurrence(request.user, occurrence_id), by=request.user)
    return queries.occurrence_for_user(request.user, occurrence_id)


# --- Meetings and action items --------------------------------------------------------------------


def _meeting(user, pk):
    _door(user)
    return _found(queries.meeting_for_user(user, pk))


def _meeting_form(partnership, data) -> MeetingForm:
    return MeetingForm(
        data,
        locations=queries.partnership_locations(partnership),
        people=queries.partnership_staff(partnership),
    )


@router.get("/partnerships/meetings", response={200: list[MeetingSummaryOut], **READ})
def list_meetings(request, partnership_id: Id | None = None):
    """Management meetings, soonest first (of one partnership, if given)."""
    _door(request.user)
    partnership = None
    if partnership_id is not None:
        partnership = _partnership(request.user, partnership_id)
    return queries.meeting_list(request.user, partnership)


@router.post("/partnerships/meetings", response={201: MeetingOut, **WRITE})
@refusals_are_409
def schedule_a_meeting(request, payload: MeetingIn):
    """Schedule a meeting on the place's wall clock; attendees with an account are invited by
    email with the calendar file."""
    partnership = _partnership(request.user, payload.partnership_id)
    data = _form_data({}, payload, {"location_id": "location", "attendee_ids": "attendees"})
    data.pop("partnership_id")
    form = _meeting_form(partnership, data)
    if not form.is_valid():
        return invalid(form)
    fields = dict(form.cleaned_data)
    fields["attendees"] = list(fields["attendees"])
    meeting = schedule_meeting(partnership, by=request.user, **fields)
    return Status(201, queries.meeting_for_user(request.user, meeting.pk))


@router.get("/partnerships/meetings/{meeting_id}", response={200: MeetingOut, **READ})
def get_meeting(request, meeting_id: Id):
    """A meeting with its agenda, attendees, minutes, decisions and action items."""
    return _meeting(request.user, meeting_id)


@router.patch("/partnerships/meetings/{meeting_id}", response={200: MeetingOut, **WRITE})
@refusals_are_409
def change_a_meeting(request, meeting_id: Id, payload: MeetingPatch):
    """Move or change a meeting that has not started; the attendees are told."""
    meeting = _meeting(request.user, meeting_id)
    local = meeting.starts.astimezone(meeting.location.zone)
    current = {
        "title": meeting.title,
        "location": meeting.location_id,
        "day": local.date(),
        "starts": local.time(),
        "minutes": int((meeting.ends - meeting.starts).total_seconds() // 60),
        "agenda": meeting.agenda,
    }
    form = _meeting_form(
        meeting.partnership, _form_data(current, payload, {"location_id": "location"})
    )
    del form.fields["attendees"]
    if not form.is_valid():
        return invalid(form)
    change_meeting(meeting, by=request.user, **form.cleaned_data)
    return queries.meeting_for_user(request.user, meeting_id)


@router.post("/partnerships/meetings/{meeting_id}/cancel", response={200: MeetingOut, **WRITE})
@refusals_are_409
def cancel_a_meeting(request, meeting_id: Id):
    """Cancel a meeting that has not started; the attendees get a cancelling calendar file."""
    cancel_meeting(_meeting(request.user, meeting_id), by=request.user)
    return queries.meeting_for_user(request.user, meeting_id)


@router.post("/partnerships/meetings/{meeting_id}/minutes", response={200: MeetingOut, **WRITE})
@refusals_are_409
def record_meeting_minutes(request, meeting_id: Id, payload: MinutesIn):
    """The minutes and decisions of a meeting that has started, and who came."""
    meeting = _meeting(request.user, meeting_id)
    data = {"minutes": payload.minutes, "decisions": payload.decisions}
    if payload.attended_ids is not None:
        data["attended"] = payload.attended_ids
    form = MinutesForm(data, attendees=list(meeting.attendees.all()))
    if not form.is_valid():
        return invalid(form)
    attended = form.cleaned_data["attended"] if payload.attended_ids is not None else None
    record_minutes(
        meeting,
        by=request.user,
        minutes=form.cleaned_data["minutes"],
        decisions=form.cleaned_data["decisions"],
        attended=attended,
    )
    return queries.meeting_for_user(request.user, meeting_id)


@router.get(
    "/partnerships/meetings/{meeting_id}/action-items",
    response={200: list[ActionItemOut], **READ},
)
def list_meeting_action_items(request, meeting_id: Id):
    return list(_meeting(request.user, meeting_id).action_items.all())


@router.post(
    "/partnerships/meetings/{meeting_id}/action-items", response={201: ActionItemOut, **WRITE}
)
@refusals_are_409
def add_meeting_action_item(request, meeting_id: Id, payload: ActionItemIn):
    """An action item owned by a staff member of a partner, reminded 3 days before and on its
    due date."""
    meeting = _meeting(request.user, meeting_id)
    form = ActionItemForm(
        _form_data({}, payload, {"owner_id": "owner"}),
        people=queries.partnership_staff(meeting.partnership),
    )
    if not form.is_valid():
        return invalid(form)
    item = add_action_item(meeting, by=request.user, **form.cleaned_data)
    return Status(201, queries.action_item_for_user(request.user, item.pk))


@router.get("/partnerships/action-items", response={200: list[ActionItemOut], **READ})
def list_action_items(request, partnership_id: Id | None = None, open_only: bool = False):
    """Action items of the meetings you see, soonest due first."""
    _door(request.user)
    partnership = None
    if partnership_id is not None:
        partnership = _partnership(request.user, partnership_id)
    return queries.action_item_list(request.user, partnership=partnership, open_only=open_only)


def _action_item(user, pk):
    _door(user)
    return _found(queries.action_item_for_user(user, pk))


@router.patch("/partnerships/action-items/{item_id}", response={200: ActionItemOut, **WRITE})
@refusals_are_409
def update_meeting_action_item(request, item_id: Id, payload: ActionItemPatch):
    item = _action_item(request.user, item_id)
    form = ActionItemForm(
        _form_data(_values(item, ActionItemForm), payload, {"owner_id": "owner"}),
        people=queries.partnership_staff(item.meeting.partnership),
    )
    if not form.is_valid():
        return invalid(form)
    update_action_item(item, by=request.user, **form.cleaned_data)
    return queries.action_item_for_user(request.user, item_id)


@router.post("/partnerships/action-items/{item_id}/status", response={200: ActionItemOut, **WRITE})
@refusals_are_409
def action_item_status(request, item_id: Id, payload: ActionItemStatusIn):
    """Done or dropped (its owner, or the partnership's managers), or open again."""
    item = _action_item(request.user, item_id)
    form = ActionItemStatusForm(payload.dict())
    if not form.is_valid():
        return invalid(form)
    set_action_item_status(item, by=request.user, status=form.cleaned_data["status"])
    return queries.action_item_for_user(request.user, item_id)


# --- Grants ---------------------------------------------------------------------------------------


def _grant(user, pk):
    _door(user)
    return _found(queries.grant_for_user(user, pk))


@router.get("/partnerships/grants", response={200: list[GrantOut], **READ})
def list_grants(request, partnership_id: Id | None = None):
    """Grants the partners coordinate, nearest deadline first."""
    _door(request.user)
    partnership = None
    if partnership_id is not None:
        partnership = _partnership(request.user, partnership_id)
    return queries.grant_list(request.user, partnership)


@router.post("/partnerships/grants", response={201: GrantOut, **WRITE})
@refusals_are_409
def add_partnership_grant(request, payload: GrantIn):
    partnership = _partnership(request.user, payload.partnership_id)
    data = _form_data({}, payload, {"lead_organization_id": "lead_organization"})
    data.pop("partnership_id")
    form = GrantForm(data, organizations=queries.partner_organizations(partnership))
    if not form.is_valid():
        return invalid(form)
    grant = add_grant(partnership, by=request.user, **form.cleaned_data)
    return Status(201, queries.grant_for_user(request.user, grant.pk))


@router.get("/partnerships/grants/{grant_id}", response={200: GrantOut, **READ})
def get_grant(request, grant_id: Id):
    return _grant(request.user, grant_id)


@router.patch("/partnerships/grants/{grant_id}", response={200: GrantOut, **WRITE})
@refusals_are_409
def update_partnership_grant(request, grant_id: Id, payload: GrantPatch):
    grant = _grant(request.user, grant_id)
    form = GrantForm(
        _form_data(
            _values(grant, GrantForm), payload, {"lead_organization_id": "lead_organization"}
        ),
        organizations=queries.partner_organizations(grant.partnership),
    )
    if not form.is_valid():
        return invalid(form)
    update_grant(grant, by=request.user, **form.cleaned_data)
    return queries.grant_for_user(request.user, grant_id)


@router.post("/partnerships/grants/{grant_id}/status", response={200: GrantOut, **WRITE})
@refusals_are_409
def grant_status(request, grant_id: Id, payload: GrantStatusIn):
    """Exploring, preparing, submitted, then awarded or not funded (with the outcome), or
    withdrawn."""
    grant = _grant(request.user, grant_id)
    form = GrantStatusForm(payload.dict())
    if not form.is_valid():
        return invalid(form)
    set_grant_status(grant, by=request.user, **form.cleaned_data)
    return queries.grant_for_user(request.user, grant_id)


# --- The liaison's log ----------------------------------------------------------------------------


def _log_entry(user, pk):
    _door(user)
    return _found(queries.log_entry_for_user(user, pk))


@router.get("/partnerships/log", response={200: list[LogEntryOut], **READ})
def list_log_entries(request, filters: Query[LogFilters]):
    """The liaisons' time, latest first (of one partnership and period, if given)."""
    _door(request.user)
    entries = queries.log_entries_for_user(request.user)
    if filters.partnership_id is not None:
        partnership = _partnership(request.user, filters.partnership_id)
        entries = queries.log_list(
            request.user, partnership, starts=filters.starts, ends=filters.ends
        )
    else:
        if filters.starts:
            entries = entries.filter(occurred_on__gte=filters.starts)
        if filters.ends:
            entries = entries.filter(occurred_on__lte=filters.ends)
        entries = entries.order_by("-occurred_on", "-pk")
    return entries.select_related("liaison", "organization", "with_organization")


@router.post("/partnerships/log", response={201: LogEntryOut, **WRITE})
@refusals_are_409
def log_time(request, payload: LogEntryIn):
    """Log time you (a liaison of a partner) gave the partnership."""
    partnership = _partnership(request.user, payload.partnership_id)
    data = _form_data({}, payload, {"with_organization_id": "with_organization"})
    data.pop("partnership_id")
    form = LogEntryForm(
        data, organizations=queries.partner_organizations(partnership, with_branches=True)
    )
    if not form.is_valid():
        return invalid(form)
    entry = record_log_entry(partnership, by=request.user, **form.cleaned_data)
    return Status(201, _found(queries.log_entry_for_user(request.user, entry.pk)))


@router.get("/partnerships/log/{entry_id}", response={200: LogEntryOut, **READ})
def get_log_entry(request, entry_id: Id):
    return _log_entry(request.user, entry_id)


@router.patch("/partnerships/log/{entry_id}", response={200: LogEntryOut, **WRITE})
@refusals_are_409
def correct_log_entry(request, entry_id: Id, payload: LogEntryPatch):
    """Correct your own entry."""
    entry = _log_entry(request.user, entry_id)
    form = LogEntryForm(
        _form_data(
            _values(entry, LogEntryForm), payload, {"with_organization_id": "with_organization"}
        ),
        organizations=queries.partner_organizations(entry.partnership, with_branches=True),
    )
    if not form.is_valid():
        return invalid(form)
    update_log_entry(entry, by=request.user, **form.cleaned_data)
    return queries.log_entry_for_user(request.user, entry_id)


# --- Helpers ------------------------------------------------------------------------------------


def _invalid_prefixed(form, prefix: str) -> Status:
    """422 with a nested form's messages, its fields named `<prefix>.<field>`."""
    errors = {f"{prefix}.{field}": [str(e) for e in errs] for field, errs in form.errors.items()}
    return Status(422, {"detail": "The request is not valid.", "errors": errors})
