"""What scheduling holds about a patron (core.privacy): the appointments of their requests.
An appointment keeps no personal free text of its own; its calendar files went out in messages
(the outbox's attachments, erased here with the messages about it), and its secret links are
turned off on erasure."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core import links, privacy
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.scheduling.domain import BookingError, cancel_for_erasure
from jobhelp.scheduling.enums import ACTIVE_STATES
from jobhelp.scheduling.models import Appointment, PatronLink


def _appointments(person: privacy.Person, organizations: QuerySet) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        request_id__in=sorted(person.request_ids), request__organization__in=organizations
    )


@privacy.provider("scheduling.appointments", label=_("Appointments"), order=20)
class Appointments:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        appointments = (
            _appointments(person, organizations)
            .select_related("request", "location", "appointment_type", "helper")
            .order_by("starts", "pk")
        )
        return [
            privacy.record(
                a,
                [
                    "reference",
                    "request.reference",
                    "appointment_type.name",
                    "location.name",
                    "starts",
                    "ends",
                    "state",
                    "created_at",
                ],
                helper=a.helper.get_full_name() if a.helper_id else "",
            )
            for a in appointments
        ]

    def cancel(self, person, *, organizations, by, now: datetime) -> int:
        """Booked appointments still to come are cancelled, their time freed for others."""
        upcoming = list(
            _appointments(person, organizations)
            .filter(state__in=sorted(ACTIVE_STATES), starts__gt=now)
            .order_by("starts", "pk")
        )
        done = 0
        for appointment in upcoming:
            try:
                cancel_for_erasure(appointment, by=by)
            except BookingError:  # cancelled a moment before, by someone else
                continue
            done += 1
        return done

    def erase(self, person, *, organizations, now: datetime) -> int:
        ids = list(_appointments(person, organizations).values_list("pk", flat=True))
        links.revoke(
            PatronLink.objects.filter(
                Q(appointment_id__in=ids)
                | Q(
                    request_id__in=sorted(person.request_ids),
                    request__organization__in=organizations,
                )
            ),
            now=now,
        )
        erase_messages_about(Appointment, ids)
        return len(ids)
