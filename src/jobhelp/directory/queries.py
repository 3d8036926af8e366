"""Reads of the directory.

Public reads (search, a service's page) show listed services and never touch the staff-only
details; the internal page adds them for partners' staff only; editing reads are scoped to the
organizations the user acts for (accounts.tenancy). Each list is read in a fixed number of
queries, whatever its length.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import (
    holds_role,
    organizations_for,
    tree,
    works_for_an_organization,
)
from jobhelp.core.enums import Language, Need
from jobhelp.directory import checklist, rules
from jobhelp.directory.domain import due_for_review
from jobhelp.directory.enums import LISTED_STATUSES, AccessMethod, AssessmentState
from jobhelp.directory.hours import DayException, is_open
from jobhelp.directory.models import (
    Assessment,
    HoursException,
    Place,
    Service,
    ServiceAtLocation,
    ServiceStaffDetails,
    TaxonomyTerm,
)
from jobhelp.directory.places import distance_km, find_place
from jobhelp.organizations.models import Location

# How far "near a place" reaches in the public search.
NEAR_KM = 25.0
# Exceptions shown on a service's page: from today to this far ahead.
EXCEPTIONS_AHEAD = timedelta(days=60)


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def listed_services() -> QuerySet[Service]:
    """Services the public may see: active or temporarily closed."""
    return Service.objects.filter(status__in=sorted(LISTED_STATUSES)).select_related("organization")


def _with_places(services: QuerySet[Service], *, since: date, until: date) -> QuerySet[Service]:
    places = (
        ServiceAtLocation.objects.filter(location__is_active=True)
        .select_related("location__organization")
        .prefetch_related(
            "hours",
            "location__hours",
            Prefetch(
                "location__hours_exceptions",
                queryset=HoursException.objects.filter(on__range=(since, until)),
                to_attr="exceptions_in_view",
            ),
        )
        .order_by("location__name", "pk")
    )
    return services.prefetch_related(Prefetch("places", queryset=places), "terms")


@dataclass(frozen=True)
class PlaceHours:
    """A service at one location, with the hours that apply there."""

    at: ServiceAtLocation
    weekly: tuple[tuple[int, time, time], ...]
    # True when the service has no hours of its own there and follows the location's.
    follows_location_hours: bool
    exceptions: tuple[HoursException, ...]
    open_now: bool

    @property
    def location(self):
        return self.at.location


def _place_hours(at: ServiceAtLocation, now: datetime) -> PlaceHours:
    own = [(h.weekday, h.opens, h.closes) for h in at.hours.all()]
    weekly = own or [(h.weekday, h.opens, h.closes) for h in at.location.hours.all()]
    exceptions = tuple(at.location.exceptions_in_view)
    open_now = is_open(
        now,
        zone=at.location.zone,
        weekly=weekly,
        exceptions={e.on: DayException(e.opens, e.closes) for e in exceptions},
    )
    return PlaceHours(at, tuple(sorted(weekly)), not own, exceptions, open_now)


@dataclass(frozen=True)
class Match:
    """One line of the public search: a service at a location, or a service with no location
    (online or by phone)."""

    service: Service
    place: PlaceHours | None
    # None: a service with no location and no hours (online, by phone).
    open_now: bool | None
    distance_km: float | None


class SearchError(ValueError):
    """A filter the search cannot use (an unknown need or language)."""


def search_services(
    *,
    now: datetime,
    need: str = "",
    language: str = "",
    place: str = "",
    open_now: bool = False,
    text: str = "",
    within_km: float = NEAR_KM,
) -> list[Match]:
    """The public directory's search: listed services meeting `need` (core.enums.Need), offered
    in `language` (core.enums.Language), near a town or ZIP code (`place`, within `within_km`;
    raises places.PlaceUnknown for one not in the area's list), open at `now` in each
    location's own zone, whose name or description has `text`.

    A service at several locations gives a line per location. Services with no location are
    one line each: with `open_now` only those available online are kept, and near a place they
    come after the located ones. Six queries (seven with a place), whatever the results.
    """
    services = listed_services()
    if need:
        if need not in Need.values:
            raise SearchError(need)
        # `needs` is a JSON list of codes: matched with its quotes in the list's text, as
        # workshops.queries does, which works on SQLite and PostgreSQL alike.
        services = services.filter(needs__icontains=f'"{need}"')
    if language:
        if language not in Language.values:
            raise SearchError(language)
        services = services.filter(languages__icontains=f'"{language}"')
    if text.strip():
        words = text.strip()
        services = services.filter(Q(name__icontains=words) | Q(description__icontains=words))
    origin = None
    if place:
        found = find_place(place)
        origin = (float(found.latitude), float(found.longitude))
    today = now.date()
    services = _with_places(
        services, since=today - timedelta(days=1), until=today + timedelta(days=1)
    ).order_by("name", "pk")
    located: list[Match] = []
    elsewhere: list[Match] = []
    for service in services:
        places = list(service.places.all())
        if not places:
            if open_now and AccessMethod.ONLINE not in service.access:
                continue
            elsewhere.append(Match(service, None, None, None))
            continue
        for at in places:
            hours = _place_hours(at, now)
            if open_now and not hours.open_now:
                continue
            km = None
            if origin is not None:
                if at.location.latitude is None:
                    continue
                km = distance_km(*origin, float(at.location.latitude), float(at.location.longitude))
                if km > within_km:
                    continue
                km = round(km, 1)
            located.append(Match(service, hours, hours.open_now, km))
    if origin is not None:
        located.sort(key=lambda m: (m.distance_km, m.service.name, m.service.pk))
    return located + elsewhere


@dataclass(frozen=True)
class ServicePage:
    service: Service
    places: tuple[PlaceHours, ...]
    # Only on the internal page (internal_service_page) for the offering organization's
    # partners (rules.sees_staff_details); None on the public one and for everyone else.
    staff_details: ServiceStaffDetails | None = None
    sees_staff_details: bool = False


def service_page(service_id, *, now: datetime) -> ServicePage | None:
    """A listed service by its public id, with its locations, their hours and the exceptions
    of the coming weeks; None for an unknown id or a service not listed. Never the staff-only
    details. Six queries."""
    pk = _uuid(service_id)
    if pk is None:
        return None
    today = now.date()
    service = (
        _with_places(
            listed_services().filter(uuid=pk),
            since=today - timedelta(days=1),
            until=today + EXCEPTIONS_AHEAD,
        )
        .select_related(None)
        .select_related("organization")
        .first()
    )
    if service is None:
        return None
    return ServicePage(service, tuple(_place_hours(at, now) for at in service.places.all()))


def internal_service_page(user, service_id, *, now: datetime) -> ServicePage | None:
    """The page staff see. For the offering organization's partners (rules.sees_staff_details:
    its own staff and those of the organizations it has a running agreement with) the entry in
    any status, with the staff-only details (direct lines, who takes referrals, notes for
    referrers); for other staff the public page only: a listed entry, no details, the details
    never read. None for anyone who acts for no organization, as for an unknown id."""
    if not works_for_an_organization(user):
        return None
    pk = _uuid(service_id)
    if pk is None:
        return None
    service = Service.objects.filter(uuid=pk).select_related("organization").first()
    if service is None:
        return None
    if not rules.sees_staff_details(user, service.organization):
        return service_page(service_id, now=now)
    today = now.date()
    service = (
        _with_places(
            Service.objects.filter(pk=service.pk).select_related("organization"),
            since=today - timedelta(days=1),
            until=today + EXCEPTIONS_AHEAD,
        )
    ).first()
    details = ServiceStaffDetails.objects.filter(service=service).first()
    return ServicePage(
        service,
        tuple(_place_hours(at, now) for at in service.places.all()),
        details,
        sees_staff_details=True,
    )


def services_for_user(user) -> QuerySet[Service]:
    """The entries `user` may edit: those of the organizations they act for, any status."""
    return (
        Service.objects.filter(organization__in=organizations_for(user))
        .select_related("organization")
        .prefetch_related("places__location")
        .order_by("name", "pk")
    )


def service_for_user(user, service_id) -> Service | None:
    """One entry `user` may edit, by its public id, or None (a 404 for everyone else)."""
    pk = _uuid(service_id)
    if pk is None:
        return None
    return (
        Service.objects.filter(organization__in=organizations_for(user), uuid=pk)
        .select_related("organization")
        .first()
    )


def due_for_review_for_user(user, *, today: date) -> QuerySet[Service]:
    """The user's organizations' entries not reviewed for a year: the flag on their list."""
    return (
        due_for_review(today=today)
        .filter(organization__in=organizations_for(user))
        .select_related("organization")
        .order_by("reviewed_on", "name", "pk")
    )


# --- The resource assessment ------------------------------------------------------------------


def assessments_for_user(user) -> QuerySet[Assessment]:
    """Assessments of the locations of the organizations the user acts for, newest first."""
    return Assessment.objects.filter(
        location__organization__in=organizations_for(user)
    ).select_related("location__organization", "started_by", "approved_by")


def assessment_for_user(user, pk: int) -> Assessment | None:
    """One assessment the user may fill in or review, or None (a 404 for everyone else)."""
    return assessments_for_user(user).filter(pk=pk).first()


@dataclass(frozen=True)
class SummaryLine:
    question: str
    yes: int
    total: int
    # "6 of 10 locations have a private room for a video interview", in the active language.
    text: str


@dataclass(frozen=True)
class AssessmentSummary:
    locations: int
    assessed: int
    computers: int
    lines: tuple[SummaryLine, ...]
    # Locations without an approved assessment, by name.
    not_assessed: tuple[str, ...]


def assessment_summary(user, organization) -> AssessmentSummary | None:
    """Across a library system (or any organization and the ones below it), for the
    partnership meeting: from each location's latest approved assessment, how many locations
    answered yes to each yes-or-no question, out of all its open locations. None unless the
    user manages the organization. Three queries."""
    if not holds_role(user, organization, MANAGING_ROLES):
        return None
    locations = list(
        Location.objects.filter(tree(organization.pk, via="organization"), is_active=True)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    latest: dict[int, dict] = {}
    for location_id, answers in (
        Assessment.objects.filter(
            location_id__in=[pk for pk, _name in locations], state=AssessmentState.APPROVED
        )
        .order_by("location_id", "-approved_at", "-pk")
        .values_list("location_id", "answers")
    ):
        latest.setdefault(location_id, answers)
    total = len(locations)
    lines = []
    for question in checklist.QUESTIONS:
        if question.summary is None:
            continue
        yes = sum(1 for answers in latest.values() if answers.get(question.code) is True)
        lines.append(
            SummaryLine(question.code, yes, total, question.summary % {"yes": yes, "total": total})
        )
    return AssessmentSummary(
        locations=total,
        assessed=len(latest),
        computers=sum(answers.get("computers") or 0 for answers in latest.values()),
        lines=tuple(lines),
        not_assessed=tuple(name for pk, name in locations if pk not in latest),
    )


def public_location(location_id) -> Location | None:
    """An active location by its public id (uuid), with its organization; None otherwise."""
    pk = _uuid(location_id)
    if pk is None:
        return None
    return Location.objects.filter(uuid=pk, is_active=True).select_related("organization").first()


def locations_for_user(user) -> QuerySet[Location]:
    """The active locations of the organizations the user acts for, with their computers (for
    the count forms and the assessment), by name."""
    return (
        Location.objects.filter(organization__in=organizations_for(user), is_active=True)
        .select_related("organization", "public_computers")
        .order_by("name", "pk")
    )


def location_for_user(user, pk: int) -> Location | None:
    """One of those locations, or None (a 404 for everyone else)."""
    return locations_for_user(user).filter(pk=pk).first()


def offered_locations() -> QuerySet[Location]:
    """Every partner's active locations, where an entry may be offered (a center's service may
    be held at a library), by organization and name."""
    return (
        Location.objects.filter(is_active=True)
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


# --- Locations, categories and places for staff ----------------------------------------------


def locations_with_exceptions_for_user(user, *, since: date) -> list[Location]:
    """The user's locations (locations_for_user), each with `coming_exceptions`: its exceptions
    to the hours on or after `since` (the day before today in UTC covers every zone's today),
    by date. Two queries whatever the number of locations."""
    return list(
        locations_for_user(user).prefetch_related(
            Prefetch(
                "hours_exceptions",
                queryset=HoursException.objects.filter(on__gte=since).order_by("on"),
                to_attr="coming_exceptions",
            )
        )
    )


def coming_exceptions(location: Location, *, now: datetime) -> QuerySet[HoursException]:
    """A location's exceptions from today on its own clock, by date."""
    today = now.astimezone(location.zone).date()
    return HoursException.objects.filter(location=location, on__gte=today).order_by("on")


def terms_with_use() -> QuerySet[TaxonomyTerm]:
    """Every category other than jobhelp's own, with its taxonomy, broader term and the number
    of entries filed under it (`service_count`). One query. Categories are shared reference
    data (HSDS publishes them all), so any staff may read them."""
    return (
        TaxonomyTerm.objects.select_related("taxonomy", "parent")
        .annotate(service_count=Count("services"))
        .order_by("taxonomy__name", "name", "pk")
    )


def places_list() -> QuerySet[Place]:
    """The towns and ZIP codes of the area, by town and ZIP code. One query."""
    return Place.objects.order_by("name", "postal_code", "pk")
