"""What each domain app holds about a patron: the registry of privacy providers (docs/privacy.md).

Patrons have no accounts, so "a person" is what identifies them in the records: their phone
numbers, email addresses and the requests found for them. Each domain app that keeps personal
data declares a provider in its own `<app>/privacy.py`, which CoreConfig.ready imports (as it
imports `periodic.py`):

    @privacy.provider("workshops.registrations", label=_("Class registrations"), order=40)
    class Registrations:
        def collect(self, person, *, organizations) -> list[dict]: ...
        def erase(self, person, *, organizations, now) -> int: ...

A provider that holds things still going on for the person (a future appointment, a class
seat, a referral waiting for an answer, a message not sent yet) also has

        def cancel(self, person, *, organizations, by, now) -> int: ...

which the erasure calls first, for every provider in order (the outbox last, so it also stops
any message the others queued): it ends them through its app's own domain functions, audited
with `by` (the privacy officer), telling the erased person nothing, and returns how many it
ended.

`collect` returns one plain, JSON-ready dict per record it holds about the person, among the
records of `organizations` (the ones the privacy officer acts for); `erase` empties every
personal field of those records in the caller's transaction, revokes their secret links and
the outbox's copies, keeps the rows (codes, states and times, which reports count) and returns
how many records it changed. Both are plain reads and writes of the app's own tables; the
`privacy` app runs them in order, checks who may, and audits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Q, QuerySet

Record = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Person:
    """What identifies one patron: phone numbers in E.164 form, email addresses in lower case,
    and the primary keys of their help requests (intake.HelpRequest)."""

    phones: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    request_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def addresses(self) -> frozenset[str]:
        return self.phones | self.emails

    def contact_q(self, *, phone: str = "phone", email: str = "email") -> Q:
        """Rows whose `phone` field is one of the phones or `email` field one of the emails
        (compared without case). Matches nothing when the person has neither."""
        q = Q(pk__in=[])
        if self.phones:
            q |= Q(**{f"{phone}__in": sorted(self.phones)})
        for address in sorted(self.emails):
            q |= Q(**{f"{email}__iexact": address})
        return q


class Provider(Protocol):
    name: str
    label: str
    order: int

    def collect(self, person: Person, *, organizations: QuerySet) -> list[Record]: ...

    def erase(self, person: Person, *, organizations: QuerySet, now: datetime) -> int: ...


class Registry:
    def __init__(self):
        self._providers: dict[str, Provider] = {}

    def provider(self, name: str, *, label, order: int) -> Callable[[type], type]:
        def register(cls: type) -> type:
            if name in self._providers:
                raise ValueError(f"privacy provider {name!r} is registered twice")
            instance = cls()
            instance.name, instance.label, instance.order = name, label, order
            self._providers[name] = instance
            return cls

        return register

    def all(self) -> list[Provider]:
        return sorted(self._providers.values(), key=lambda p: (p.order, p.name))

    def cancellers(self) -> list[Provider]:
        """The providers with a `cancel` step, in order."""
        return [p for p in self.all() if callable(getattr(p, "cancel", None))]

    def get(self, name: str) -> Provider:
        return self._providers[name]


registry = Registry()
provider = registry.provider


def value(v) -> Any:
    """A field's value as JSON: times in ISO 8601 (UTC), everything else as it is or as text."""
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [value(item) for item in v]
    if isinstance(v, dict):
        return {str(k): value(item) for k, item in v.items()}
    return str(v)


def record(obj, fields: list[str], **extra) -> Record:
    """One record: the named fields of `obj` (dotted paths follow relations) and `extra`."""
    out: Record = {}
    for name in fields:
        v = obj
        for part in name.split("."):
            v = getattr(v, part, None) if v is not None else None
        out[name.replace(".", "_")] = value(v)
    out.update({k: value(v) for k, v in extra.items()})
    return out
