"""Reads of classes. The public calendar shows every partner's scheduled, upcoming sessions
(never rosters or join details); rosters are for the host organization's staff only
(workshops.rules.can_manage), so another organization's roster is a 404."""

from datetime import datetime

from django.db.models import Count, Q

from jobhelp.workshops import rules
from jobhelp.workshops.enums import HOLDING_SEAT, Delivery, RegistrationState, SessionState
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession


def upcoming_sessions(*, now: datetime):
    """Scheduled sessions not yet started, with `held` (seats taken or offered) and
    `waiting` annotated, soonest first."""
    return (
        WorkshopSession.objects.filter(state=SessionState.SCHEDULED, starts__gt=now)
        .select_related("workshop__organization", "location__organization")
        .annotate(
            held=Count("registrations", filter=Q(registrations__state__in=sorted(HOLDING_SEAT))),
            waiting=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)
            ),
        )
        .order_by("starts", "pk")
    )


def listed_sessions(*, since: datetime):
    """The sessions the staff list of classes shows: scheduled ones starting after `since`
    (recent ones too, for taking attendance), annotated as upcoming_sessions, with their
    host."""
    return upcoming_sessions(now=since).select_related("host")


def public_session(pk: int):
    """A session as the public sees it (cancelled ones too, so old links explain), or None."""
    return (
        WorkshopSession.objects.select_related("workshop__organization", "location__organization")
        .annotate(
            held=Count("registrations", filter=Q(registrations__state__in=sorted(HOLDING_SEAT)))
        )
        .filter(pk=pk)
        .first()
    )


def workshops_for_user(user):
    """Classes `user` may run: hosted or co-hosted by their organizations or branches."""
    org_ids = rules.staff_organization_ids(user)
    return (
        Workshop.objects.filter(Q(organization_id__in=org_ids) | Q(co_hosts__in=org_ids))
        .distinct()
        .select_related("organization")
    )


def session_for_user(user, pk: int):
    """A session of a class `user` may run, or None (a 404 for everyone else)."""
    return (
        WorkshopSession.objects.filter(pk=pk, workshop__in=workshops_for_user(user))
        .select_related("workshop__organization", "location__organization", "host")
        .first()
    )


def roster(session):
    """Everyone registered, offered, waiting or marked, in the order they came."""
    return Registration.objects.filter(session=session).order_by("created_at", "pk")


def public_sessions(
    *,
    now: datetime,
    location=None,
    need: str = "",
    language: str = "",
    online: bool = False,
    organization=None,
):
    """The public calendar (upcoming_sessions) narrowed as a visitor asks: at one location, on
    one topic (a workshops.Workshop.needs code), in one language, online only, or hosted or
    co-hosted by one organization or its branches."""
    sessions = upcoming_sessions(now=now)
    if location is not None:
        sessions = sessions.filter(location=location)
    if need:
        # `needs` is a JSON list of codes. `contains` on JSON is not available on SQLite, so
        # the code is matched with its quotes in the list's text, which finds exactly one
        # element (codes are plain words, and LIKE's wildcards are escaped).
        sessions = sessions.filter(workshop__needs__icontains=f'"{need}"')
    if language:
        sessions = sessions.filter(workshop__language=language)
    if online:
        sessions = sessions.exclude(workshop__delivery=Delivery.IN_PERSON)
    if organization is not None:
        hosted = Q(organization=organization) | Q(organization__parent=organization)
        co_hosted = Q(co_hosts=organization) | Q(co_hosts__parent=organization)
        sessions = sessions.filter(workshop__in=Workshop.objects.filter(hosted | co_hosted))
    return sessions


def public_locations(*, now: datetime):
    """The places upcoming sessions meet at (or are run from), for the calendar's filter."""
    from jobhelp.organizations.models import Location

    upcoming = WorkshopSession.objects.filter(state=SessionState.SCHEDULED, starts__gt=now)
    return Location.objects.filter(pk__in=upcoming.values("location_id")).order_by("name", "pk")


def host_organizations(*, now: datetime):
    """Organizations hosting upcoming sessions, each with a calendar feed of its own."""
    from jobhelp.organizations.models import Organization

    upcoming = WorkshopSession.objects.filter(state=SessionState.SCHEDULED, starts__gt=now)
    return Organization.objects.filter(
        pk__in=upcoming.values("workshop__organization_id")
    ).order_by("name", "pk")
