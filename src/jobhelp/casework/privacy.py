"""What casework holds about a patron (core.privacy): the help sessions on their requests with
the private notes, outcomes and follow-ups, and their survey answers. Erasing empties the
notes, the follow-ups' notes and the survey comment (a comment that was a testimonial stops
being one); what was done, the outcomes and the ratings stay for the reports."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.casework.models import FeedbackInvitation, FeedbackResponse, FollowUp, HelpSession
from jobhelp.core import links, privacy


def _sessions(person: privacy.Person, organizations: QuerySet) -> QuerySet[HelpSession]:
    return HelpSession.objects.filter(
        request_id__in=sorted(person.request_ids), request__organization__in=organizations
    )


@privacy.provider("casework.sessions", label=_("Help sessions"), order=30)
class Sessions:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        sessions = (
            _sessions(person, organizations)
            .select_related("request", "helper", "organization")
            .prefetch_related("activities", "outcomes", "follow_ups")
            .order_by("happened_at", "pk")
        )
        return [
            privacy.record(
                s,
                ["request.reference", "organization.name", "happened_at", "modality"],
                helper=s.helper.get_full_name() if s.helper_id else "",
                private_note=s.private_note,
                activities=[a.activity for a in s.activities.all()],
                outcomes=[o.kind for o in s.outcomes.all()],
                follow_ups=[
                    {"note": f.note, "done_at": privacy.value(f.done_at)}
                    for f in s.follow_ups.all()
                ],
            )
            for s in sessions
        ]

    def erase(self, person, *, organizations, now: datetime) -> int:
        sessions = _sessions(person, organizations)
        ids = list(sessions.values_list("pk", flat=True))
        HelpSession.objects.filter(pk__in=ids).exclude(private_note="").update(private_note="")
        FollowUp.objects.filter(session_id__in=ids).exclude(note="").update(note="")
        return len(ids)


@privacy.provider("casework.survey", label=_("Survey answers"), order=35)
class Survey:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        responses = FeedbackResponse.objects.filter(
            session__in=_sessions(person, organizations)
        ).select_related("session__request")
        return [
            privacy.record(
                r,
                [
                    "session.request.reference",
                    "helpful",
                    "would_recommend",
                    "comment",
                    "may_quote",
                    "testimonial",
                    "via",
                    "received_at",
                ],
            )
            for r in responses.order_by("received_at", "pk")
        ]

    def erase(self, person, *, organizations, now: datetime) -> int:
        sessions = _sessions(person, organizations)
        links.revoke(FeedbackInvitation.objects.filter(session__in=sessions), now=now)
        return FeedbackResponse.objects.filter(session__in=sessions).update(
            comment="", may_quote=False, testimonial=False
        )
