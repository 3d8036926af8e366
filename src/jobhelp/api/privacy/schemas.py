"""A person's data: what is sent to find, export and erase it, and what comes back."""

from typing import Any

from ninja import Field, Schema


class PersonIn(Schema):
    # Checked by the lookup form once the caller's privacy role is (a 422 naming `q`), so
    # that someone without the role gets a 403 whatever they send.
    q: str = Field(
        "",
        description="A request's reference code, a phone number with area code, or an email "
        "address (sent in the body, never in the address).",
    )


class EraseIn(PersonIn):
    confirm: bool = Field(
        False,
        description="True once the records were checked to be this person's and they asked to "
        "be erased; without it nothing is erased.",
    )


class IdentifiersOut(Schema):
    phones: list[str]
    emails: list[str]


class SectionOut(Schema):
    name: str
    label: str
    records: list[dict[str, Any]]


class PersonOut(Schema):
    identifiers: IdentifiersOut
    sections: list[SectionOut]


class ErasedOut(Schema):
    erased: dict[str, int] = Field(..., description="Records emptied, by provider.")
    cancelled: dict[str, int] = Field(
        ..., description="What was still to come and was cancelled first, by provider."
    )
