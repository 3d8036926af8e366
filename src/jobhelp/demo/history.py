"""The demo county's past year: about 1,500 requests across the branches, the affiliates and
the WorkForce Center, each taken through its life by the real domain functions at the moments
it happened (demo.clock): received on the web form, by phone, by email or at the desk, in
English, Spanish and the county's other languages; assigned; called back; helped by phone or
at an appointment that was attended, missed or cancelled; resolved with outcomes (resumés
finished, applications, interviews, people hired) or closed; some patrons answered the survey
by phone and agreed to be quoted. The classes held a session a month with people registered
and attendance taken.

Everything is drawn from one seeded random generator, so two loads of the demo on the same day
are the same. The messages these steps queue are stored as sent when they happened
(notifications.outbox.recording_history): the worker never sends or prints them.

The history stops ten days before the demo is loaded; the requests of the last month, in every
open state, are the seed's present (seed_demo._requests).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobhelp.casework.domain import (
    Answers,
    SessionDetails,
    mark_testimonial,
    record_phone_feedback,
    record_session,
)
from jobhelp.demo import data
from jobhelp.demo.clock import HistoryClock
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.enums import (
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    IntakeChannel,
)
from jobhelp.intake.models import HelpRequest
from jobhelp.intake.triage import (
    assign_request,
    close_request,
    log_contact_attempt,
    resolve_request,
)
from jobhelp.notifications.outbox import recording_history
from jobhelp.organizations.models import Location, Organization
from jobhelp.scheduling import availability
from jobhelp.scheduling.attendance import mark_no_show
from jobhelp.scheduling.domain import book_appointment, cancel_appointment
from jobhelp.scheduling.models import AppointmentType, WeeklyHours
from jobhelp.workshops.attendance import mark_attendance
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Recurrence
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.sessions import nth_weekday, schedule_sessions

User = get_user_model()
ZONE = ZoneInfo(data.ZONE)

# How the year's requests (settings.DEMO_HISTORY_REQUESTS) spread over the months (job seekers
# come back after the holidays and in the autumn; fewer in July and December) and the days of
# the week.
MONTH_SHAPE = {1: 1.35, 2: 1.2, 3: 1.1, 4: 1.0, 5: 0.95, 6: 0.8, 7: 0.7, 8: 0.85}
MONTH_SHAPE |= {9: 1.2, 10: 1.15, 11: 0.95, 12: 0.7}
WEEKDAY_SHAPE = [1.45, 1.3, 1.15, 1.1, 0.9, 0.45, 0.15]  # Monday first
HISTORY_ENDS_DAYS_AGO = 10


class Deck:
    """Draws in given proportions, as a shuffled deck dealt again when it runs out: every few
    dozen draws hold each kind in its share, so a month's figures have the year's shape (a
    plain random draw leaves some months with three missed appointments, which a report shows
    as "<5")."""

    def __init__(self, rng: random.Random, weighted: list[tuple[object, int]]):
        self._rng = rng
        self._cards = [item for item, weight in weighted for _n in range(weight)]
        self._dealt: list = []

    def draw(self):
        if not self._dealt:
            self._dealt = self._cards[:]
            self._rng.shuffle(self._dealt)
        return self._dealt.pop()


@dataclass(frozen=True)
class Cast:
    """The people and places the history draws on, read once."""

    system: Organization
    center: Organization
    library_places: list[Location]
    center_place: Location
    assigners: dict[int, list]  # root organization id -> front desk and managers
    helpers: dict[int, list]  # root organization id -> (helper, qualified needs)
    hours: dict[int, list[Location]]  # helper id -> where they keep appointment hours
    types: dict[int, list[AppointmentType]]  # root organization id -> appointment types
    managers: dict[int, object]
    # Nothing of the history may happen after this (an hour before the demo is loaded): a
    # life that would run past it stops where it is, open, as the present's requests are.
    latest: datetime


def _cast() -> Cast:
    system = Organization.objects.get(slug=data.LIBRARY_SYSTEM["slug"])
    center = Organization.objects.get(slug=data.WORKFORCE_CENTER["slug"])
    staff = {u.username: u for u in User.objects.prefetch_related("qualifications")}
    roots = {}
    for username, _first, _last, org_slug, role, *_rest in data.STAFF:
        # Staff of the whole library system or of the center (not of one branch).
        root = {center.slug: center, system.slug: system}.get(org_slug)
        if root is not None:
            roots.setdefault(root.pk, []).append((staff[username], role))
    hours: dict[int, list[Location]] = {}
    for row in WeeklyHours.objects.select_related("location__organization").order_by("pk"):
        places = hours.setdefault(row.helper_id, [])
        if row.location not in places:
            places.append(row.location)
    return Cast(
        system=system,
        center=center,
        library_places=list(
            Location.objects.filter(organization__parent=system)
            .select_related("organization")
            .order_by("pk")
        ),
        center_place=center.locations.get(),
        assigners={
            root: [u for u, role in people if role in {"front_desk", "manager"}]
            for root, people in roots.items()
        },
        helpers={
            root: [
                (u, {q.need for q in u.qualifications.all()})
                for u, role in people
                if role in {"helper", "career_coach", "partner_staff", "liaison"}
            ]
            for root, people in roots.items()
        },
        hours=hours,
        types={
            root: list(AppointmentType.objects.filter(organization_id=root).order_by("pk"))
            for root in (system.pk, center.pk)
        },
        managers={
            root: next(u for u, role in people if role == "manager")
            for root, people in roots.items()
        },
        latest=timezone.now() - timedelta(hours=1),
    )


def arrivals(rng: random.Random, *, first: date, last: date, yearly: int) -> list[datetime]:
    """When the requests arrived: `yearly` a year, shaped by month and weekday, most in the
    libraries' opening hours."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weights = [MONTH_SHAPE[d.month] * WEEKDAY_SHAPE[d.weekday()] for d in days]
    per_weight = yearly * len(days) / 365 / sum(weights)
    moments = []
    for day, weight in zip(days, weights, strict=True):
        expected = weight * per_weight
        count = int(expected) + (rng.random() < expected - int(expected))
        for _n in range(count):
            hour = rng.choice([9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 16, 17, 18, 19, 21])
            moments.append(datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=ZONE))
    return sorted(moments)


NEEDS = ["resume", "applications", "coaching", "interview", "adult_ed", "digital"]
NEEDS += ["unemployment", "resume", "applications", "digital", "other"]
FIRST_NAMES = {
    "en": ["James", "Emily", "Grace", "Michael", "Sarah", "Daniel", "Fatima", "Brian", "Keisha"],
    "es": ["Rosa", "Carlos", "Ana Lucía", "Guadalupe", "José", "María", "Luis", "Carmen"],
    "vi": ["Linh", "Minh", "Thu"],
    "ht": ["Marie", "Jean-Pierre", "Widlene"],
    "so": ["Ahmed", "Hodan", "Abdi"],
    "hmn": ["Tou", "Mai", "Pa"],
}
LAST_NAMES = {
    "en": ["Carter", "Johnson", "Kim", "Brown", "Anderson", "Wilson", "Ali", "Olson", "Moore"],
    "es": ["Martínez", "Hernández", "Flores", "Reyes", "García", "López", "Ramírez"],
    "vi": ["Tran", "Nguyen", "Pham"],
    "ht": ["Joseph", "Louis", "Pierre"],
    "so": ["Hassan", "Mohamed", "Farah"],
    "hmn": ["Vang", "Xiong", "Yang"],
}
# Fictional numbers: 555-0100 to 555-0199 in the area codes around the county.
AREA_CODES = ["763", "612", "651", "952", "320", "218", "507", "320", "715", "701"]
# What a help session did, what came of it, and how likely that was.
SESSIONS = [
    (["resume_reviewed", "applications"], ["resume_completed", "applied"], 5),
    (["resume_drafted"], ["resume_completed"], 5),
    (["applications"], ["applied"], 4),
    (["interview_practice"], ["interview"], 3),
    (["interview_practice", "applications"], ["interview", "hired"], 2),
    (["applications"], ["applied", "hired"], 2),
    (["digital"], [], 3),
    (["benefits"], [], 2),
    (["adult_ed", "referral"], ["enrolled", "referred"], 2),
    (["adult_ed"], ["enrolled"], 1),
    (["benefits", "referral"], ["referred"], 1),
]
# Survey answers by phone: helpful (1-5), would recommend, comment, may we quote it.
COMMENTS = {
    "en": [
        "My resumé finally fits on one page and I got two calls back.",
        "The coach was patient and explained every step of the application.",
        "Practicing the interview made me much less nervous. I got the job!",
        "I did not know the library could help with this. Thank you.",
        "Helped me file my unemployment claim when the website kept failing.",
    ],
    "es": [
        "Me ayudaron a hacer mi currículum en inglés y en español.",
        "Muy amables. Ahora sé cómo buscar trabajo en la computadora.",
        "Gracias a la práctica de entrevista conseguí el trabajo.",
    ],
}


def _patron(rng: random.Random, n: int) -> tuple[str, str, str, str]:
    """A fictional patron: name, language, phone, email."""
    language = rng.choices(["en", "es", "vi", "ht", "so", "hmn"], weights=[66, 22, 3, 3, 4, 2])[0]
    first = rng.choice(FIRST_NAMES[language])
    last = rng.choice(LAST_NAMES[language])
    # A new number for each request (a few callers come back: two years of requests would
    # use each number twice).
    phone = f"+1{AREA_CODES[(n // 100) % len(AREA_CODES)]}55501{n % 100:02d}"
    plain = first.split()[0].lower().translate(str.maketrans("áéíóú", "aeiou"))
    email = f"{plain}.{last.lower().translate(str.maketrans('áéíóú', 'aeiou'))}{n}@example.com"
    return f"{first} {last}", language, phone, email if rng.random() < 0.6 else ""


def _details(
    rng: random.Random, cast: Cast, n: int, places: Deck
) -> tuple[Organization, RequestDetails, str]:
    name, language, phone, email = _patron(rng, n)
    place = places.draw()
    if place == cast.center_place:
        organization = cast.center
        channel = rng.choices(["walk_in", "phone", "web", "email"], weights=[4, 3, 3, 1])[0]
    else:
        organization = cast.system
        channel = rng.choices(["web", "phone", "walk_in", "email"], weights=[9, 7, 3, 1])[0]
    preferred = "email" if email and rng.random() < 0.5 else "phone"
    if not email and rng.random() < 0.3:
        preferred = "text"
    details = RequestDetails(
        name=name,
        phone=phone if (not email or rng.random() < 0.8) else "",
        email=email,
        preferred_contact=preferred,
        best_time=rng.choice(["any", "morning", "afternoon", "evening"]),
        voicemail_ok=rng.random() < 0.7,
        needs=rng.sample(NEEDS, k=rng.choice([1, 1, 2, 2, 3])),
        language=language,
        preferred_location=place,
        modality=rng.choices(["phone", "in_person", "video", "email"], weights=[8, 6, 3, 2])[0],
        note="",
    )
    if details.preferred_contact == "phone" and not details.phone:
        details = RequestDetails(**{**details.__dict__, "preferred_contact": "email"})
    return organization, details, channel


def _helper_for(rng: random.Random, cast: Cast, help_request: HelpRequest, needs: set[str]):
    people = cast.helpers[help_request.organization.root_id]
    qualified = [u for u, skills in people if skills & needs] or [u for u, _s in people]
    # Spanish speakers mostly go to someone who speaks Spanish, as the routing rule says.
    if help_request.language == "es":
        speakers = [u for u in qualified if u.preferred_language == "es"]
        qualified = speakers or qualified
    return rng.choice(qualified)


def _later(moment: datetime, rng: random.Random, *, low: float, high: float) -> datetime:
    """A moment `low` to `high` hours after `moment`, moved into the working day (9 to 17)."""
    later = (moment + timedelta(hours=rng.uniform(low, high))).astimezone(ZONE)
    if later.hour < 9:
        later = later.replace(hour=9 + rng.randrange(3), minute=rng.randrange(60))
    elif later.hour >= 17:
        later = (later + timedelta(days=1)).replace(hour=9 + rng.randrange(3))
    if later.weekday() == 6:
        later += timedelta(days=1)
    return later


def _book(rng, cast: Cast, help_request, helper, after: datetime):
    """The first day with a free time in the next week, through the real booking function
    as it was at `after`; None when the helper keeps no appointment hours."""
    places = cast.hours.get(helper.pk, [])
    root = help_request.organization.root_id
    types = [t for t in cast.types[root] if t.modality == help_request.modality] or cast.types[root]
    if not places or not types:
        return None
    appointment_type = types[0]
    location = places[0]
    # The times offered over the next week, as the booking page showed them then; the
    # patron takes one on the first day with any.
    free = availability.slots(helper, location, appointment_type, now=after, days=8)
    if not free:
        return None
    first_day = free[0].astimezone(location.zone).date()
    free = [s for s in free if s.astimezone(location.zone).date() == first_day]
    return book_appointment(
        request=help_request,
        helper=helper,
        location=location,
        appointment_type=appointment_type,
        starts=free[rng.randrange(len(free))],
        by=helper,
        now=after,
    )


def _session(rng, decks, help_request, helper, *, at: datetime, appointment=None):
    activities, outcomes = decks.sessions.draw()
    modality = appointment.appointment_type.modality if appointment else help_request.modality
    return record_session(
        help_request,
        by=helper,
        details=SessionDetails(
            happened_at=at,
            modality=modality,
            minutes=rng.choice([20, 30, 30, 45, 45, 60, 75, 90]),
            activities=activities,
            outcomes=outcomes,
        ),
        appointment=appointment,
        now=at + timedelta(minutes=90),
    )


@dataclass(frozen=True)
class Decks:
    places: Deck
    sessions: Deck
    attendance: Deck


def _decks(rng: random.Random, cast: Cast) -> Decks:
    # Central sees the most people; the center about one request in six; some name no library.
    branches = [
        (place, 5 if place.name == "Central Library" else 3) for place in cast.library_places
    ]
    return Decks(
        places=Deck(rng, [*branches, (None, 3), (cast.center_place, 7)]),
        sessions=Deck(rng, [((a, o), w) for a, o, w in SESSIONS]),
        attendance=Deck(rng, [("attended", 29), ("no_show", 6), ("cancelled", 5)]),
    )


def _live(rng, clock: HistoryClock, cast: Cast, decks: Decks, n: int, arrived: datetime) -> None:
    """One request, from arrival to its end."""
    organization, details, channel = _details(rng, cast, n, decks.places)
    root = details.preferred_location.organization.root_id if details.preferred_location else None
    desk = cast.assigners[root or organization.pk]
    with clock.at(arrived):
        help_request = submit_request(
            organization=organization,
            details=details,
            channel=channel,
            taken_by=None if channel == IntakeChannel.WEB else rng.choice(desk),
        )
    # Read again: its arrival time is the one the clock stamped.
    help_request = HelpRequest.objects.select_related("organization", "assigned_to").get(
        pk=help_request.pk
    )
    needs = set(details.needs)
    now = _later(arrived, rng, low=0.5, high=30)
    helper = help_request.assigned_to
    if helper is None:
        helper = _helper_for(rng, cast, help_request, needs)
        with clock.at(now):
            help_request = assign_request(help_request, helper=helper, by=rng.choice(desk))
    fate = rng.random()
    if fate < 0.04:
        with clock.at(_later(now, rng, low=1, high=48)):
            close_request(
                help_request,
                by=rng.choice(desk),
                reason=rng.choice([ClosingReason.DUPLICATE, ClosingReason.WITHDRAWN]),
            )
        return
    failed = 3 if fate < 0.1 else rng.choice([0, 0, 0, 1, 1, 2])
    for _attempt in range(failed):
        now = _later(now, rng, low=2, high=26)
        with clock.at(now):
            log_contact_attempt(
                help_request,
                by=helper,
                channel=ContactMethod.PHONE,
                outcome=rng.choice([ContactOutcome.VOICEMAIL, ContactOutcome.NO_ANSWER]),
            )
    if now > cast.latest:
        return
    if fate < 0.1:
        with clock.at(_later(now, rng, low=24, high=72)):
            close_request(
                help_request,
                by=cast.managers[help_request.organization.root_id],
                reason=ClosingReason.NO_RESPONSE,
            )
        return
    now = _later(now, rng, low=1, high=24)
    if now > cast.latest:
        return
    with clock.at(now):
        log_contact_attempt(
            help_request,
            by=helper,
            channel=ContactMethod.EMAIL if details.modality == "email" else ContactMethod.PHONE,
            outcome=ContactOutcome.EMAIL_SENT
            if details.modality == "email"
            else ContactOutcome.REACHED,
        )
    appointment = None
    if details.modality != "email" and rng.random() < 0.7:
        with clock.at(now):
            appointment = _book(rng, cast, help_request, helper, now)
    if appointment is not None and appointment.starts + timedelta(hours=2) > cast.latest:
        return  # still to come: the request stays "Appointment scheduled"
    if appointment is not None:
        came = decks.attendance.draw()
        if came == "cancelled":
            # The patron cancelled through their link, and was helped by phone instead.
            now = max(now, appointment.starts - timedelta(hours=rng.uniform(3, 40)))
            with clock.at(now):
                cancel_appointment(appointment, by=None)
            appointment = None
        elif came == "no_show":
            with clock.at(appointment.starts + timedelta(hours=1)):
                mark_no_show(appointment, by=helper, now=appointment.starts + timedelta(hours=1))
            if rng.random() < 0.5:
                closed = _later(appointment.starts, rng, low=24, high=72)
                if closed > cast.latest:
                    return
                with clock.at(closed):
                    close_request(
                        help_request,
                        by=cast.managers[help_request.organization.root_id],
                        reason=ClosingReason.WITHDRAWN,
                    )
                return
            # Helped by phone a day or two after the missed appointment.
            now = _later(appointment.starts, rng, low=20, high=50)
            appointment = None
        else:
            now = appointment.starts
    if appointment is None:
        now = _later(now, rng, low=0, high=48)
    session_at = now
    done_at = session_at + timedelta(minutes=90)
    if done_at > cast.latest:
        return
    with clock.at(done_at):
        session = _session(rng, decks, help_request, helper, at=session_at, appointment=appointment)
        resolve_request(help_request, by=helper)
    if rng.random() < 0.3:
        _survey(rng, clock, cast, session, help_request, helper, done_at)


def _survey(rng, clock, cast, session, help_request, helper, done_at) -> None:
    comments = COMMENTS.get(help_request.language, COMMENTS["en"])
    helpful = rng.choices([5, 4, 3, 2], weights=[10, 6, 2, 1])[0]
    comment = rng.choice(comments) if helpful >= 4 and rng.random() < 0.6 else ""
    answered = _later(done_at, rng, low=24, high=96)
    if answered > cast.latest:
        return
    with clock.at(answered):
        response = record_phone_feedback(
            session,
            by=helper,
            answers=Answers(
                helpful=helpful,
                would_recommend=helpful >= 4,
                comment=comment,
                may_quote=bool(comment) and rng.random() < 0.7,
            ),
        )
        if response.may_quote and rng.random() < 0.5:
            mark_testimonial(
                response, by=cast.managers[help_request.organization.root_id], testimonial=True
            )


def _classes(rng, clock: HistoryClock, cast: Cast, first: date, last: date) -> None:
    """A session a month of each class over the year, with people registered (by themselves
    on the web, or by staff for a caller) and attendance taken after it."""
    start = datetime.combine(first, time(9), tzinfo=ZONE)
    n = 0
    for row, workshop in zip(data.WORKSHOPS, Workshop.objects.order_by("pk"), strict=False):
        place, (weekday, nth), starts, minutes, _count = row[7:]
        location = Location.objects.get(name=place)
        host = workshop.organization.memberships.order_by("pk").first().user
        month = first.replace(day=1) + timedelta(days=32)
        dates = []
        while True:
            day = nth_weekday(month.year, month.month, weekday, nth)
            if day > last:
                break
            dates.append(day)
            if workshop.organization_id == cast.system.pk:
                # The library held its classes twice a month: the usual week and two weeks
                # from it.
                second = day + timedelta(days=14)
                dates.append(second if second.month == day.month else day - timedelta(days=14))
            month = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
        with clock.at(start):
            sessions = []
            for day in dates:
                sessions += schedule_sessions(
                    workshop,
                    by=host,
                    location=location,
                    first=day,
                    starts=starts,
                    minutes=minutes,
                    recurrence=Recurrence.ONCE,
                    host=host,
                    join_url="https://meet.example.org/riverbend-interview-tips"
                    if workshop.delivery == "video"
                    else "",
                    conference_phone="763-555-0199" if workshop.delivery == "phone" else "",
                    conference_code="482913" if workshop.delivery == "phone" else "",
                )
        for session in sessions:
            registrations = []
            for _seat in range(min(workshop.capacity, 10) - rng.randrange(2)):
                n += 1
                name, language, phone, email = _patron(rng, 5000 + n)
                if workshop.language == "es":
                    language = "es"
                moment = session.starts - timedelta(days=rng.uniform(1, 20))
                with clock.at(moment):
                    registered = register(
                        session,
                        registrant=Registrant(
                            name=name,
                            phone=phone,
                            email=email,
                            language=language if language in {"en", "es"} else "en",
                            preferred_contact="email" if email else "text",
                        ),
                        by=None if email else host,
                        now=moment,
                    )
                registrations.append(registered.registration)
            # About one in three registered does not come, as classes find.
            rng.shuffle(registrations)
            came = {r.pk for r in registrations[len(registrations) // 3 :]}
            taken = session.ends + timedelta(minutes=30)
            with clock.at(taken):
                mark_attendance(session, by=host, attended=came, now=taken)


def build_history(*, today: date, yearly: int, seed: int = 2026) -> int:
    """The year before `today` (up to HISTORY_ENDS_DAYS_AGO days before it), with about
    `yearly` requests; nothing when it is 0. Returns how many requests it made. Run once, on
    a demo county with no requests yet (seed_demo checks)."""
    if yearly <= 0:
        return 0
    rng = random.Random(seed)  # noqa: S311 - made-up patrons, not secrets
    clock = HistoryClock()
    cast = _cast()
    last = today - timedelta(days=HISTORY_ENDS_DAYS_AGO)
    first = last - timedelta(days=365)
    moments = arrivals(rng, first=first, last=last, yearly=yearly)
    decks = _decks(rng, cast)
    with recording_history():
        for n, arrived in enumerate(moments):
            _live(rng, clock, cast, decks, n, arrived)
        _classes(rng, clock, cast, first, last)
    return len(moments)
