"""Erasing a person with a year of history (docs/privacy.md): one patron who came to the library
system every week for a year, among the desk's requests (bench.seed), with everything the apps
keep about them: 52 requests with needs, staff notes and calls, an appointment and a help
session (a private note, a follow-up, a survey answer) for each, 26 class registrations, and
three messages a week (the confirmation, the reminder with its calendar file, the survey).

Timed: finding them by phone, collecting everything (the person's page and the JSON export)
and the erasure itself, each once, since an erasure changes what the next one would do (a
second would find nothing to empty); the target is under a minute for the erasure on the demo,
reported as its ratio to that minute. The baseline of the other lines is the staff menu page
(/bench/staff-menu/), measured beside them."""

import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from bench.harness import report, sample_seconds
from bench.seed import BenchData

WEEKS = 52
# Outside bench.seed's +1763555xxxx numbers, so the person is exactly this year of history.
PHONE = "+16125550142"
EMAIL = "year.of.history@example.org"
ERASE_BUDGET_SECONDS = 60.0


def _person_with_a_year(data: BenchData):
    from jobhelp.casework.enums import FeedbackVia
    from jobhelp.casework.models import FeedbackResponse, FollowUp, HelpSession
    from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNeed, RequestNote
    from jobhelp.notifications.models import OutboundMessage
    from jobhelp.organizations.models import Location
    from jobhelp.scheduling.models import Appointment, AppointmentType
    from jobhelp.workshops.models import Registration, Workshop, WorkshopSession

    library = data.organizations[0]
    location = Location.objects.filter(organization=library).first()
    helper = data.busy_helper
    now = timezone.now()
    kind = AppointmentType.objects.create(
        organization=library,
        name="Bench privacy",
        duration=30,
        modality="in_person",
        booking_window=28,
        needs=["resume"],
    )
    workshop = Workshop.objects.create(
        organization=library,
        title="Bench privacy class",
        capacity=20,
        delivery="in_person",
        needs=["resume"],
    )
    requests = HelpRequest.objects.bulk_create(
        HelpRequest(
            organization=library,
            reference=f"PV{week:04d}",
            name="Year Of History",
            phone=PHONE,
            email=EMAIL,
            preferred_contact="email",
            language="en",
            modality="in_person",
            note="Looking for warehouse work; needs help with the online application.",
            channel="web",
            consent_at=now - timedelta(weeks=WEEKS - week),
            state="resolved",
            finished_at=now - timedelta(weeks=WEEKS - week, days=-3),
        )
        for week in range(WEEKS)
    )
    # Read back with their primary keys (bulk_create gives none on some backends).
    requests = list(
        HelpRequest.objects.filter(reference__startswith="PV", phone=PHONE).order_by("reference")
    )
    RequestNeed.objects.bulk_create(RequestNeed(request=r, need="resume") for r in requests)
    RequestNote.objects.bulk_create(
        RequestNote(request=r, author=helper, text="Called back; prefers mornings.")
        for r in requests
    )
    ContactAttempt.objects.bulk_create(
        ContactAttempt(request=r, by=helper, channel="phone", outcome="reached", note="Reached")
        for r in requests
    )
    starts = [now - timedelta(weeks=WEEKS - week, days=-1, hours=3) for week in range(WEEKS)]
    Appointment.objects.bulk_create(
        Appointment(
            request=r,
            helper=helper,
            location=location,
            appointment_type=kind,
            starts=s,
            ends=s + timedelta(minutes=30),
            blocked_from=s,
            blocked_until=s + timedelta(minutes=30),
            state="attended",
            reference=f"PA{i:04d}",
        )
        for i, (r, s) in enumerate(zip(requests, starts, strict=True))
    )
    HelpSession.objects.bulk_create(
        HelpSession(
            organization=library,
            request=r,
            helper=helper,
            happened_at=s,
            modality="in_person",
            minutes=30,
            private_note="Anxious about the gap in work history.",
        )
        for r, s in zip(requests, starts, strict=True)
    )
    sessions = list(HelpSession.objects.filter(request__in=requests))
    FollowUp.objects.bulk_create(
        FollowUp(session=s, helper=helper, due_on=s.happened_at.date(), note="Check the offer")
        for s in sessions
    )
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            session=s, helpful=5, would_recommend=True, comment="Very kind.", via=FeedbackVia.LINK
        )
        for s in sessions
    )
    classes = WorkshopSession.objects.bulk_create(
        WorkshopSession(
            workshop=workshop,
            location=location,
            starts=starts[2 * i],
            ends=starts[2 * i] + timedelta(hours=1),
            capacity=20,
        )
        for i in range(WEEKS // 2)
    )
    classes = list(WorkshopSession.objects.filter(workshop=workshop))
    Registration.objects.bulk_create(
        Registration(
            session=c,
            name="Year Of History",
            phone=PHONE,
            email=EMAIL,
            language="en",
            preferred_contact="email",
            person_key=EMAIL,
            state="attended",
        )
        for c in classes
    )
    about = ContentType.objects.get_for_model(HelpRequest)
    OutboundMessage.objects.bulk_create(
        OutboundMessage(
            to=EMAIL,
            language="en",
            template=template,
            subject="Your job help",
            body="" if template != "appointment_reminder" else "See you tomorrow.",
            attachment="BEGIN:VCALENDAR\nEND:VCALENDAR"
            if template == "appointment_reminder"
            else "",
            state="sent",
            organization=library,
            content_type=about,
            object_id=str(r.pk),
        )
        for r in requests
        for template in ("request_received", "appointment_reminder", "feedback_invitation")
    )


def run(data: BenchData) -> None:
    from jobhelp.accounts.enums import Role
    from jobhelp.accounts.models import Membership, User
    from jobhelp.privacy.domain import Lookup, collect_person, erase_person, find_person

    officer = User.objects.create(username="bench-privacy", first_name="Privacy")
    Membership.objects.create(
        user=officer, organization=data.organizations[0], role=Role.PRIVACY_OFFICER
    )
    _person_with_a_year(data)

    desk = Client()
    desk.force_login(data.front_desk)
    menu = sorted(sample_seconds(lambda: desk.get("/bench/staff-menu/"), repeat=15))[7]

    started = time.perf_counter()
    person = find_person(officer, Lookup(phone=PHONE))
    found = time.perf_counter() - started
    started = time.perf_counter()
    sections = collect_person(officer, person)
    collected = time.perf_counter() - started
    records = sum(len(s.records) for s in sections)
    started = time.perf_counter()
    counts = erase_person(officer, person)
    erased = time.perf_counter() - started
    print(f"a person with a year of history: {records:,} records, erased {counts}")
    report("privacy: find the person by phone", found, menu)
    report("privacy: collect everything (page, export)", collected, menu)
    report("privacy: erase everything", erased, menu)
    report(
        "privacy: erase, against the one-minute budget",
        erased,
        ERASE_BUDGET_SECONDS,
        target_ratio=1.0,
        baseline_name="the budget",
    )
    assert counts["intake_requests"] == WEEKS, counts
