"""What workshops holds about a patron (core.privacy): their class registrations, found by
phone or email among the classes the organizations host. Erasing empties the name and contact
details, as the retention eraser does, turns off the registration's links and erases the
messages sent about it; the registration's state stays for the attendance counts."""

from datetime import datetime

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from jobhelp.core import links, privacy
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.workshops.domain import WorkshopError, cancel_for_erasure
from jobhelp.workshops.enums import ACTIVE
from jobhelp.workshops.models import Registration, RegistrationLink


def _registrations(person: privacy.Person, organizations: QuerySet) -> QuerySet[Registration]:
    return Registration.objects.filter(
        person.contact_q(), session__workshop__organization__in=organizations
    )


@privacy.provider("workshops.registrations", label=_("Class registrations"), order=40)
class Registrations:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        registrations = (
            _registrations(person, organizations)
            .select_related("session__workshop", "session__location")
            .order_by("session__starts", "pk")
        )
        return [
            privacy.record(
                r,
                [
                    "session.workshop.title",
                    "session.location.name",
                    "session.starts",
                    "name",
                    "phone",
                    "email",
                    "language",
                    "preferred_contact",
                    "state",
                    "created_at",
                ],
            )
            for r in registrations
        ]

    def cancel(self, person, *, organizations, by, now: datetime) -> int:
        """Places in classes still to come (held, offered or waiting) are given up."""
        upcoming = list(
            _registrations(person, organizations)
            .filter(state__in=sorted(ACTIVE), session__starts__gt=now)
            .select_related("session__workshop")
            .order_by("session__starts", "pk")
        )
        done = 0
        for registration in upcoming:
            try:
                cancel_for_erasure(registration, by=by, now=now)
            except WorkshopError:  # cancelled a moment before, or the class began
                continue
            done += 1
        return done

    def erase(self, person, *, organizations, now: datetime) -> int:
        ids = list(_registrations(person, organizations).values_list("pk", flat=True))
        links.revoke(RegistrationLink.objects.filter(registration_id__in=ids), now=now)
        erase_messages_about(Registration, ids)
        Registration.objects.filter(Q(pk__in=ids), erased_at__isnull=True).update(erased_at=now)
        # A key of its own keeps "one active registration per person" true for the erased.
        Registration.objects.filter(pk__in=ids).update(
            name="",
            phone="",
            email="",
            person_key=Concat(Value("erased:"), Cast("pk", CharField())),
        )
        return len(ids)
