"""What intake holds about a patron (core.privacy): their help requests with the needs, the
staff notes and the notes on calls. Erasing keeps each request (its code, organization, needs,
state and times, which reports count) and empties the rest, as the retention eraser does."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core import privacy
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNote
from jobhelp.notifications.outbox import erase_messages_about


def _requests(person: privacy.Person, organizations: QuerySet) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(
        pk__in=sorted(person.request_ids), organization__in=organizations
    )


@privacy.provider("intake.requests", label=_("Help requests"), order=10)
class Requests:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        requests = (
            _requests(person, organizations)
            .select_related("organization", "preferred_location")
            .prefetch_related(
                "needs",
                Prefetch("notes", queryset=RequestNote.objects.order_by("created_at", "pk")),
                Prefetch(
                    "contact_attempts", queryset=ContactAttempt.objects.order_by("created_at")
                ),
            )
            .order_by("created_at", "pk")
        )
        return [
            privacy.record(
                r,
                [
                    "reference",
                    "organization.name",
                    "state",
                    "name",
                    "phone",
                    "email",
                    "preferred_contact",
                    "best_time",
                    "language",
                    "preferred_location.name",
                    "modality",
                    "note",
                    "channel",
                    "consent_at",
                    "created_at",
                    "finished_at",
                    "erased_at",
                ],
                needs=[n.need for n in r.needs.all()],
                staff_notes=[
                    {"at": privacy.value(n.created_at), "text": n.text} for n in r.notes.all()
                ],
                contact_attempts=[
                    {
                        "at": privacy.value(a.created_at),
                        "channel": a.channel,
                        "outcome": a.outcome,
                        "note": a.note,
                    }
                    for a in r.contact_attempts.all()
                ],
            )
            for r in requests
        ]

    def erase(self, person, *, organizations, now: datetime) -> int:
        ids = list(_requests(person, organizations).values_list("pk", flat=True))
        RequestNote.objects.filter(request_id__in=ids).exclude(text="").update(text="")
        ContactAttempt.objects.filter(request_id__in=ids).exclude(note="").update(note="")
        erase_messages_about(HelpRequest, ids)
        # Already erased requests keep their first erasure time; the update is still harmless.
        HelpRequest.objects.filter(pk__in=ids, erased_at__isnull=False).update(
            name="", phone="", email="", note=""
        )
        HelpRequest.objects.filter(pk__in=ids, erased_at__isnull=True).update(
            name="", phone="", email="", note="", erased_at=now
        )
        return len(ids)
