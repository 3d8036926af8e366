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

Some obligations are kept by a standing state rather than by one record: the temporary library
cards lent to the job center's staff are evidenced by the pool as it is now ("5 cards, 4 lent,
1 expiring"). An app registers, for an obligation kind, a function giving that live summary for
the obligation's organization (`register_live`); the obligation's page shows it
(`live_evidence`). Such a summary holds counts only, never who: everyone who sees the
obligation sees it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


# --- Live evidence: a standing state summarised in counts ---------------------------------------


@dataclass(frozen=True)
class Fact:
    """One count of a live summary, with its label in the reader's language."""

    label: str
    count: int


@dataclass(frozen=True)
class LiveEvidence:
    """What stands as an obligation's evidence right now: a heading, a sentence, the counts."""

    heading: str
    sentence: str
    facts: tuple[Fact, ...]


_live: dict[str, Callable[..., LiveEvidence | None]] = {}


def register_live(obligation_kind: str, summarize: Callable[..., LiveEvidence | None]) -> None:
    """`summarize(organization, *, today)` gives the live evidence of an obligation of
    `obligation_kind` done by `organization`: counts only, which anyone who sees the
    obligation may read."""
    known = _live.get(obligation_kind)
    if known is not None and known is not summarize:
        raise ValueError(f"{obligation_kind!r} already has live evidence")
    _live[obligation_kind] = summarize


def live_evidence(obligation, *, today: date) -> LiveEvidence | None:
    summarize = _live.get(obligation.kind)
    if summarize is None:
        return None
    return summarize(obligation.owner_organization, today=today)
