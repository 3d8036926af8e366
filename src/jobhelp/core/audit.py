"""The audit log: one call records a state change. See docs/conventions/audit-log.md."""

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from jobhelp.core.models import AuditEntry

# Details are codes, ids, counts and flags. A value with spaces or longer than a code is almost
# certainly personal free text, which does not belong in a log kept for years.
_CODE = re.compile(r"^[\w.:-]{0,64}$")
_ACTION = re.compile(r"^jobhelp(\.[a-z_]+){2,3}$")

Scalar = str | int | bool | None


def _check_details(data: dict[str, Any]) -> dict[str, Any]:
    for key, value in data.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and not _CODE.match(item):
                raise ValueError(f"audit detail {key!r} looks like free text; log a code or id")
            if not isinstance(item, str | int | bool | type(None)):
                raise TypeError(f"audit detail {key!r} must be a code, number or flag")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def record(
    action: str,
    *,
    actor=None,
    organization=None,
    obj: models.Model | None = None,
    data: dict[str, Scalar | list[Scalar]] | None = None,
) -> AuditEntry:
    """Write one audit entry inside the caller's transaction.

    `action` is a stable dotted code such as ``jobhelp.request.created``; an anonymous patron is
    recorded with ``actor=None``.
    """
    if not _ACTION.match(action):
        raise ValueError(f"audit action {action!r} must look like jobhelp.<thing>.<verb>")
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        organization=organization,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=_check_details(data or {}),
    )


def entries_for(obj: models.Model):
    """The history of one object, oldest first."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
