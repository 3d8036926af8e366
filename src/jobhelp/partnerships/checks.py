"""Checks the domain modules of partnerships share: a model's own field checks turned into a
PartnershipError, and the names of the fields a change really changes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from jobhelp.core.validators import reject_control_characters, validate_single_line
from jobhelp.partnerships.errors import PartnershipError


def full_clean(instance: models.Model, *, exclude=()) -> None:
    """The model's field checks (lengths, choices, blanks), without the database's
    constraints, which the domain checks in words of its own; a failure becomes a
    PartnershipError with the messages."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        raise PartnershipError(" ".join(error.messages)) from None


def text_checked(instance: models.Model) -> None:
    """Every text field free of hidden characters; one-line fields on one line."""
    try:
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if not isinstance(value, str) or not value:
                continue
            if isinstance(field, models.TextField):
                reject_control_characters(value)
            elif isinstance(field, models.CharField):
                validate_single_line(value)
    except ValidationError as error:
        raise PartnershipError(" ".join(error.messages)) from None


def changed(instance: models.Model, fields: dict[str, Any]) -> list[str]:
    """The names of `fields` whose value differs from `instance`'s, sorted."""
    return sorted(name for name, value in fields.items() if getattr(instance, name) != value)


def refuse_unknown(fields: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not fields of {what}: {sorted(unknown)}")
