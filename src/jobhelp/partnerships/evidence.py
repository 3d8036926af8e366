"""Which records may stand as the evidence that an obligation's occurrence was kept.

An occurrence points at its evidence through a generic link (content type and id), so the apps
that keep those records (trainings and the cards lent, flyers' confirmations, referral figures)
can sit above this one in the import order and link their records without partnerships
importing them. Each kind of record is registered once, with the scoped query that says who
may see such records; an occurrence may be linked only to a registered kind, and only by
someone who sees that record (partnerships.obligations.mark_occurrence_done asks `may_link`).

    # in the other app's AppConfig.ready()
    evidence.register(Training, code="training", visible_to=trainings_for_user)

partnerships registers its own meetings (apps.PartnershipsConfig.ready).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class EvidenceKind:
    model: type[models.Model]
    # A code for the audit log and the API ("meeting", "training", ...).
    code: str
    # The records of this kind that a user may see: a scoped query of the owning app.
    visible_to: Callable[..., models.QuerySet]


_kinds: dict[str, EvidenceKind] = {}


def register(model: type[models.Model], *, code: str, visible_to: Callable) -> None:
    key = model._meta.label_lower
    known = _kinds.get(key)
    if known is not None and known.code != code:
        raise ValueError(f"{key} is already registered as evidence {known.code!r}")
    _kinds[key] = EvidenceKind(model=model, code=code, visible_to=visible_to)


def kind_of(obj: models.Model | type[models.Model]) -> EvidenceKind | None:
    return _kinds.get(obj._meta.label_lower)


def kind_by_code(code: str) -> EvidenceKind | None:
    return next((kind for kind in _kinds.values() if kind.code == code), None)


def find(user, value: str) -> models.Model | None:
    """The record named "<code>:<id>" (as the evidence choices of forms name them), if `user`
    sees it; None otherwise."""
    code, _sep, pk = value.partition(":")
    kind = kind_by_code(code)
    if kind is None or not pk.isdigit():
        return None
    return kind.visible_to(user).filter(pk=int(pk)).first()


def choice_value(obj: models.Model) -> str:
    kind = kind_of(obj)
    if kind is None:
        raise ValueError(f"{obj._meta.label} is not a kind of evidence")
    return f"{kind.code}:{obj.pk}"


def kinds() -> list[EvidenceKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)


def may_link(user, obj: models.Model) -> bool:
    """Is `obj` of a registered kind, saved, and seen by `user` through its app's query?"""
    kind = kind_of(obj)
    if kind is None or obj.pk is None:
        return False
    return kind.visible_to(user).filter(pk=obj.pk).exists()
