"""The queue and the triage moves: what triage knows about a request, the helpers suggested for
it, and the moves' input."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.api.common.schemas import Id, PersonOut, RequestOut, person
from jobhelp.core.enums import Language, Need
from jobhelp.intake.enums import (
    OPEN_STATES,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    RequestState,
)


class TriagedRequestOut(RequestOut):
    """A request with what triage knows about it."""

    assigned_to: PersonOut | None
    possible_duplicate_of: str | None = Field(
        description="Reference of an open request from the same phone or email."
    )
    closing_reason: ClosingReason | None

    @staticmethod
    def resolve_assigned_to(obj) -> dict | None:
        return person(obj.assigned_to)

    @staticmethod
    def resolve_possible_duplicate_of(obj, context) -> str | None:
        if not obj.possible_duplicate_of_id:
            return None
        duplicate = obj.possible_duplicate_of
        # A duplicate at a sibling branch is none of this caller's business.
        request = context["request"]
        if not hasattr(request, "visible_organization_ids"):
            request.visible_organization_ids = set(
                organizations_for(request.user).values_list("pk", flat=True)
            )
        return (
            duplicate.reference
            if duplicate.organization_id in request.visible_organization_ids
            else None
        )

    @staticmethod
    def resolve_closing_reason(obj) -> str | None:
        return obj.closing_reason or None


class SuggestionOut(Schema):
    helper_id: int
    name: str
    reasons: list[str]
    rule_id: int | None = Field(description="The routing rule that names this helper, if any.")

    @staticmethod
    def resolve_helper_id(obj) -> int:
        return obj.helper.pk

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.helper)

    @staticmethod
    def resolve_rule_id(obj) -> int | None:
        return obj.rule.pk if obj.rule else None


class QueueItemOut(TriagedRequestOut):
    suggestions: list[SuggestionOut] = Field(description="Qualified helpers, best first.")


class QueueFilters(Schema):
    need: Need | None = None
    location_id: Id | None = Field(None, description="Requests for this library.")
    location: Literal["remote"] | None = Field(
        None, description="`remote`: requests that name no library."
    )
    language: Language | None = None
    state: RequestState | None = Field(None, description="One of the open states.")
    assignee: str | None = Field(
        None,
        pattern=r"^(none|me|[1-9][0-9]{0,17})$",
        description="`none`, `me` or a staff member's id.",
    )

    @field_validator("state")
    @classmethod
    def _open_state(cls, state: RequestState | None) -> RequestState | None:
        if state is not None and state not in OPEN_STATES:
            raise ValueError("The queue holds open requests only.")
        return state


class AssignIn(Schema):
    helper_id: Id
    note: str = Field("", description="Why; needed when reassigning.")
    expected_assignee_id: Id | None = Field(
        None,
        description="Who you saw the request with (null: nobody). If someone else has it by "
        "now, the answer is 409 naming them. Leave it out to assign regardless.",
    )


class Transition(StrEnum):
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


class TransitionIn(Schema):
    action: Transition
    reason: ClosingReason | None = Field(
        None,
        description="resolve: `helped` (the default) or `referred`; close: required, any "
        "other reason; reopen: leave out.",
    )
    cancel_upcoming: bool = Field(
        False,
        description="resolve or close: also cancel the request's booked appointments that "
        "have not started yet, telling the patron (as the staff page offers); otherwise they "
        "stay booked.",
    )


class ContactAttemptIn(Schema):
    channel: ContactMethod
    outcome: ContactOutcome
    note: str = ""


class ContactAttemptOut(Schema):
    id: int
    channel: ContactMethod
    outcome: ContactOutcome
    note: str
    created_at: datetime
    by_id: int | None


class ConflictOut(Schema):
    detail: str
    assigned_to: PersonOut | None = Field(
        None, description="Only when someone else changed the assignment first: who has it now."
    )
