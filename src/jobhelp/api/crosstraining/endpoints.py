"""Cross-training and the temporary card pool, under /api/v1/partnerships/: trainings and
their attendance, records (with the xAPI export), requirements and the matrix, cards and their
loans. Staff token required.

The same rules as the staff pages, because the same code decides: input goes through the forms
of crosstraining.forms (a 422 with messages by field), every change through one function of
crosstraining.domain or crosstraining.lending, which checks crosstraining.rules itself (a
refusal is a 409 with its message), and every read through crosstraining.queries, so another
organization's training, card or loan is a 404. A card's number is never given back.
"""

from functools import wraps

from django.http import Http404
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut, person
from jobhelp.api.crosstraining.schemas import (
    AttendanceIn,
    CardIn,
    CardOut,
    IssueIn,
    RecordIn,
    RecordOut,
    RequirementIn,
    RequirementOut,
    StandingOut,
    TrainingIn,
    TrainingOut,
)
from jobhelp.crosstraining import queries, rules, xapi
from jobhelp.crosstraining.domain import (
    TrainingDetails,
    add_requirement,
    mark_attendance,
    record_training_elsewhere,
    schedule_training,
)
from jobhelp.crosstraining.enums import LoanState
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.forms import (
    AttendanceForm,
    CardForm,
    IssueForm,
    RecordElsewhereForm,
    RequirementForm,
    TrainingForm,
)
from jobhelp.crosstraining.lending import add_card, end_loan, issue_card

router = Router(tags=["cross-training"])

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 409: ErrorOut, 422: ErrorOut}


def refusals_are_409(endpoint):
    @wraps(endpoint)
    def answer(request, *args, **kwargs):
        try:
            return endpoint(request, *args, **kwargs)
        except CrosstrainingError as error:
            return Status(409, {"detail": str(error)})

    return answer


def _found(value):
    if value is None:
        raise Http404
    return value


def _named(obj) -> dict:
    return {"id": obj.pk, "name": str(obj)}


def _training(training) -> dict:
    return {
        "id": training.pk,
        "title": training.title,
        "title_es": training.title_es,
        "kind": training.kind,
        "organization": _named(training.organization),
        "trainer": person(training.trainer),
        "audience": [_named(o) for o in training.audience.all()],
        "starts_at": training.starts_at,
        "time_zone": training.location.time_zone,
        "duration_minutes": training.duration_minutes,
        "location": _named(training.location),
        "place": training.place,
        "online_link": training.online_link,
        "capacity": training.capacity,
        "held_at": training.held_at,
    }


def _record(record) -> dict:
    return {
        "id": record.pk,
        "person": person(record.person),
        "title": record.title,
        "kind": record.kind,
        "completed_on": record.completed_on,
        "given_by": record.given_by,
        "training_id": record.training_id,
        "attested_by": person(record.attested_by),
    }


def _loan(loan) -> dict | None:
    if loan is None:
        return None
    return {
        "id": loan.pk,
        "holder": person(loan.holder),
        "state": loan.state,
        "issued_on": loan.issued_on,
        "expires_on": loan.expires_on,
        "issued_by": person(loan.issued_by),
        "ended_by": person(loan.ended_by),
    }


def _card(card) -> dict:
    loans = getattr(card, "current_loans", None)
    return {
        "id": card.pk,
        "masked": card.masked,
        "last_four": card.last_four,
        "library": _named(card.library),
        "branch": _named(card.branch),
        "retired": card.is_retired,
        "current_loan": _loan(loans[0]) if loans else None,
    }


# --- Trainings -------------------------------------------------------------------------------


@router.get("/partnerships/trainings", response=list[TrainingOut])
def list_trainings(request):
    """Trainings given by or for the organizations you act for, latest first."""
    return [_training(t) for t in queries.training_list(request.user)[:500]]


@router.get("/partnerships/trainings/{training_id}", response={200: TrainingOut, **READ})
def get_training(request, training_id: int):
    return _training(_found(queries.training_for_user(request.user, training_id)))


@router.post("/partnerships/trainings", response={201: TrainingOut, **WRITE})
@refusals_are_409
def create_training(request, payload: TrainingIn):
    """Schedule a training: the day and time are on the location's clock."""
    user = request.user
    data = payload.dict()
    form = TrainingForm(
        {
            **data,
            "organization": data["organization_id"],
            "trainer": data["trainer_id"],
            "audience": data["audience_ids"],
            "location": data["location_id"],
            "capacity": "" if data["capacity"] is None else data["capacity"],
        },
        organizations=queries.schedulable_organizations(user),
        trainers=queries.trainer_choices(user),
        audiences=queries.audience_choices(user),
        locations=queries.location_choices(user),
    )
    if not form.is_valid():
        return invalid(form)
    clean = form.cleaned_data
    training = schedule_training(
        clean["organization"],
        by=user,
        trainer=clean["trainer"],
        details=TrainingDetails(
            title=clean["title"],
            title_es=clean["title_es"],
            kind=clean["kind"],
            starts_at=clean["starts_at"],
            duration_minutes=clean["duration_minutes"],
            location=clean["location"],
            place=clean["place"],
            online_link=clean["online_link"],
            capacity=clean["capacity"],
            audience=list(clean["audience"]),
        ),
    )
    return Status(201, _training(queries.training_for_user(user, training.pk)))


@router.put(
    "/partnerships/trainings/{training_id}/attendance",
    response={200: list[RecordOut], **WRITE},
)
@refusals_are_409
def set_attendance(request, training_id: int, payload: AttendanceIn):
    """Who attended, from the roster; the training records follow."""
    training = _found(queries.training_for_user(request.user, training_id))
    if not rules.can_take_attendance(request.user, training):
        raise HttpError(403, "Only the trainer, managers and liaisons take attendance.")
    roster = queries.roster(training)
    form = AttendanceForm({"present": payload.present}, roster=roster)
    if not form.is_valid():
        return invalid(form)
    chosen = set(form.cleaned_data["present"])
    mark_attendance(training, by=request.user, present=[p for p in roster if p.pk in chosen])
    return [
        _record(r) for r in training.records.select_related("person", "attested_by").order_by("pk")
    ]


# --- Records -------------------------------------------------------------------------------------


@router.get("/partnerships/training-records", response=list[RecordOut])
def list_records(request):
    """Your own training records, and those of the staff you manage."""
    records = queries.records_for_user(request.user).select_related("person", "attested_by")
    return [_record(r) for r in records.order_by("-completed_on", "pk")[:1000]]


@router.post("/partnerships/training-records", response={201: RecordOut, **WRITE})
@refusals_are_409
def create_record(request, payload: RecordIn):
    """A training taken elsewhere, attested by you, the person's manager."""
    data = payload.dict()
    form = RecordElsewhereForm(
        {**data, "person": data["person_id"]}, people=queries.managed_people(request.user)
    )
    if not form.is_valid():
        return invalid(form)
    clean = form.cleaned_data
    record = record_training_elsewhere(
        clean["person"],
        by=request.user,
        title=clean["title"],
        kind=clean["kind"],
        completed_on=clean["completed_on"],
        given_by=clean["given_by"],
        today=timezone.localdate(),
    )
    return Status(201, _record(record))


@router.get("/partnerships/training-records/xapi")
def export_xapi(request):
    """The records you may see as xAPI statements."""
    return xapi.statements(queries.records_for_user(request.user).order_by("pk")[:1000])


# --- Requirements and the matrix ---------------------------------------------------------------


@router.get("/partnerships/training-requirements", response=list[RequirementOut])
def list_requirements(request):
    return [
        {
            "id": r.pk,
            "organization": _named(r.organization),
            "role": r.role,
            "kind": r.kind,
            "title": r.title,
            "within_days": r.within_days,
            "refresh_months": r.refresh_months,
            "qualifies_for": r.qualifies_for,
        }
        for r in queries.requirements_for_user(request.user).order_by("pk")
    ]


@router.post("/partnerships/training-requirements", response={201: RequirementOut, **WRITE})
@refusals_are_409
def create_requirement(request, payload: RequirementIn):
    data = payload.dict()
    form = RequirementForm(
        {
            **data,
            "organization": data["organization_id"],
            "refresh_months": "" if data["refresh_months"] is None else data["refresh_months"],
        },
        organizations=queries.managed_organizations(request.user),
    )
    if not form.is_valid():
        return invalid(form)
    clean = form.cleaned_data
    requirement = add_requirement(
        clean["organization"],
        by=request.user,
        role=clean["role"],
        kind=clean["kind"],
        title=clean["title"],
        within_days=clean["within_days"],
        refresh_months=clean["refresh_months"],
        qualifies_for=clean["qualifies_for"],
    )
    return Status(
        201,
        {
            "id": requirement.pk,
            "organization": _named(requirement.organization),
            "role": requirement.role,
            "kind": requirement.kind,
            "title": requirement.title,
            "within_days": requirement.within_days,
            "refresh_months": requirement.refresh_months,
            "qualifies_for": requirement.qualifies_for,
        },
    )


@router.get("/partnerships/training-matrix", response={200: list[StandingOut], 403: ErrorOut})
def training_matrix(request):
    """Where each staff member of the organizations you manage stands on each requirement."""
    if not rules.manages_anywhere(request.user):
        raise HttpError(403, "Only managers see the training matrix.")
    return [
        {
            "person": person(row.person),
            "organization": _named(row.organization),
            "requirement_id": item.requirement.pk,
            "status": item.status,
            "due_on": item.due_on,
            "last_completed_on": item.last_completed_on,
        }
        for row in queries.matrix_for_user(request.user)
        for item in row.standings
    ]


# --- Cards ---------------------------------------------------------------------------------------


@router.get("/partnerships/cards", response=list[CardOut])
def list_cards(request):
    """The pools you lend from, each card with its current loan. Numbers are masked."""
    return [_card(c) for c in queries.pool(request.user)]


@router.get("/partnerships/cards/mine", response=list[CardOut])
def my_cards(request):
    """The cards lent to you."""
    return [
        {**_card(loan.card), "current_loan": _loan(loan)}
        for loan in queries.my_loans(request.user).select_related("holder", "issued_by")
    ]


@router.post("/partnerships/cards", response={201: CardOut, **WRITE})
@refusals_are_409
def create_card(request, payload: CardIn):
    """Add a card to your library's pool; the number is checked, stored encrypted and never
    given back."""
    libraries = list(queries.lending_libraries(request.user))
    if not libraries:
        raise HttpError(403, "Only the library's staff who lend cards can do this.")
    library = libraries[0]
    form = CardForm(
        {"number": payload.number, "branch": payload.branch_id},
        branches=queries.branch_choices(library),
    )
    if not form.is_valid():
        return invalid(form)
    card = add_card(
        library,
        by=request.user,
        number=form.cleaned_data["number"],
        branch=form.cleaned_data["branch"],
    )
    return Status(201, _card(queries.card_for_user(request.user, card.pk)))


@router.post("/partnerships/cards/{card_id}/loans", response={201: CardOut, **WRITE})
@refusals_are_409
def lend_card(request, card_id: int, payload: IssueIn):
    card = _found(queries.card_for_user(request.user, card_id))
    form = IssueForm(
        {
            "holder": payload.holder_id,
            "issued_on": payload.issued_on,
            "expires_on": payload.expires_on,
        },
        holders=queries.holder_choices(card.library),
    )
    if not form.is_valid():
        return invalid(form)
    clean = form.cleaned_data
    issue_card(
        card,
        by=request.user,
        holder=clean["holder"],
        issued_on=clean["issued_on"],
        expires_on=clean["expires_on"],
    )
    return Status(201, _card(queries.card_for_user(request.user, card.pk)))


ENDINGS = {"return": LoanState.RETURNED, "lost": LoanState.LOST, "revoke": LoanState.REVOKED}


@router.post("/partnerships/card-loans/{loan_id}/{action}", response={200: CardOut, **WRITE})
@refusals_are_409
def end_card_loan(request, loan_id: int, action: str):
    """`return`, `lost` or `revoke` a lent card."""
    loan = _found(queries.loan_for_lender(request.user, loan_id))
    if action not in ENDINGS:
        raise Http404
    end_loan(loan, by=request.user, state=ENDINGS[action])
    return _card(queries.card_for_user(request.user, loan.card_id))
