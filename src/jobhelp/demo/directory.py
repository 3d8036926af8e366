"""The demo county's directory, seeded through the directory's own functions: the towns and
ZIP codes, each location's coordinates, the partners' services (resumé help, workshops,
computer access, WIOA career services at the WorkForce Center, adult education, the center's
online resources, the state job-search site on library computers), public computers with
recent counts (some stale, one never counted), kiosks, and one approved resource assessment.
Run again, it changes nothing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobhelp.demo.clock import HistoryClock
from jobhelp.directory.assessment import (
    approve_assessment,
    save_answers,
    start_assessment,
    submit_assessment,
)
from jobhelp.directory.computers import (
    aggregate_old_counts,
    issue_kiosk,
    record_count,
    set_public_computers,
)
from jobhelp.directory.domain import (
    create_service,
    save_place,
    set_location_details,
    set_service_locations,
    set_staff_details,
)
from jobhelp.directory.models import Service
from jobhelp.organizations.models import Location, Organization

# Town, ZIP code, latitude, longitude (fictional towns, placed around a county in Minnesota).
PLACES = [
    ("Riverbend", "55401", "45.1610", "-93.2340"),
    ("Riverbend", "55402", "45.1450", "-93.2100"),
    ("Northtown", "55410", "45.2480", "-93.2650"),
    ("Lakeside", "55420", "45.1900", "-93.0900"),
    ("Millbrook", "55430", "45.3320", "-93.3410"),
    ("Cedar Falls", "55440", "45.2700", "-93.4200"),
    ("Prairie View", "55450", "45.3900", "-93.1900"),
    ("Oak Hill", "55460", "45.1200", "-93.3600"),
    ("Harbor City", "55470", "45.0980", "-93.1100"),
    ("Pine Ridge", "55480", "45.4400", "-93.3000"),
]
# Location name: coordinates (the building, a little off its town's center).
COORDINATES = {
    "Central Library": ("45.1622", "-93.2355"),
    "Eastgate Library": ("45.1460", "-93.2050"),
    "Northtown Library": ("45.2475", "-93.2660"),
    "Lakeside Library": ("45.1910", "-93.0890"),
    "Millbrook Library": ("45.3330", "-93.3400"),
    "Cedar Falls Library": ("45.2690", "-93.4210"),
    "Prairie View Library": ("45.3905", "-93.1910"),
    "Oak Hill Library": ("45.1210", "-93.3590"),
    "Harbor City Public Library": ("45.0990", "-93.1090"),
    "Pine Ridge Community Library": ("45.4410", "-93.3010"),
    "Riverbend County WorkForce Center": ("45.1580", "-93.2300"),
}
# Location: (public computers, in use and waiting now, minutes since the last count or None).
COMPUTERS = {
    "Eastgate Library": (12, [(12, 4), (12, 3), (12, 2)], 4),
    "Northtown Library": (10, [(6, 0), (7, 0)], 6),
    "Lakeside Library": (8, [(8, 1), (8, 0)], 3),
    "Millbrook Library": (6, [(2, 0)], 50),  # stale: "not known"
    "Cedar Falls Library": (6, [(6, 2), (5, 0)], 8),
    "Prairie View Library": (4, [(1, 0)], 12),
    "Oak Hill Library": (6, [(6, 3)], 40),  # stale
    "Harbor City Public Library": (4, [(2, 0)], 9),
    "Pine Ridge Community Library": (3, [], None),  # never counted
    "Riverbend County WorkForce Center": (40, [(40, 12), (40, 9), (40, 10)], 2),
}
STATE_SITE = "https://jobs.example.gov/"

CENTRAL_ANSWERS = {
    "computers": 16,
    "software": ["office", "resume_templates", "state_job_site", "screen_reader", "video_calls"],
    "printing": True,
    "scanning": True,
    "quiet_room": True,
    "staff_skills": ["resume", "applications", "interview", "digital"],
    "staff_languages": ["en", "es"],
    "hours": [[d, "09:00", "20:00"] for d in range(4)]
    + [[4, "09:00", "17:00"], [5, "10:00", "16:00"]],
    "collections": ["resume_books", "test_prep", "occupational", "job_center_shelf"],
    "wifi": True,
    "accessible_entrance": True,
    "accessible_computer": True,
    "accessibility_notes": "Step-free entrance from the Main St parking lot; elevator to "
    "the second floor; one height-adjustable computer with a screen reader.",
}


def seed() -> None:
    if Service.objects.exists():
        return
    User = get_user_model()
    manager = User.objects.get(username="mgarcia")
    center_manager = User.objects.get(username="cortiz")
    front_desk = User.objects.get(username="frontdesk")
    system = Organization.objects.get(slug="riverbend-library")
    center = Organization.objects.get(slug="riverbend-workforce")
    locations = {location.name: location for location in Location.objects.all()}
    center_location = locations["Riverbend County WorkForce Center"]

    for name, postal_code, lat, lon in PLACES:
        save_place(
            by=manager,
            name=name,
            postal_code=postal_code,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
    for name, (lat, lon) in COORDINATES.items():
        location = locations[name]
        by = center_manager if location.organization_id == center.pk else manager
        set_location_details(
            location,
            by=by,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            accessibility="Step-free entrance; accessible restrooms.",
        )

    services = [
        (
            system,
            manager,
            {
                "name": "Resumé help",
                "description": "Start or improve your resumé with a librarian, one to one.",
                "needs": ["resume", "applications"],
                "access": ["walk_in", "appointment"],
                "languages": ["en", "es"],
                "required_documents": ["Your resumé, if you have one", "A list of past jobs"],
            },
            ["Eastgate Library", "Lakeside Library", "Northtown Library"],
            {"notes_for_referrers": "Spanish on Tuesdays and Thursdays at Eastgate."},
        ),
        (
            system,
            manager,
            {
                "name": "Job-search workshops",
                "description": "Free classes on resumés, online applications and interviews.",
                "needs": ["applications", "interview", "resume"],
                "access": ["appointment"],
                "languages": ["en", "es"],
            },
            ["Central Library"],
            {},
        ),
        (
            system,
            manager,
            {
                "name": "The state job-search site on library computers",
                "description": "The job-search and career research site of the state's "
                "one-stop centers, open on every library computer with a library card.",
                "needs": ["applications", "coaching"],
                "access": ["walk_in", "online"],
                "languages": ["en"],
                "url": STATE_SITE,
                "required_documents": ["A library card"],
            },
            [name for name in sorted(locations) if name != center_location.name],
            {},
        ),
        (
            center,
            center_manager,
            {
                "name": "WIOA career services",
                "description": "Career coaching, job search help and training funds for "
                "eligible job seekers, under the Workforce Innovation and Opportunity Act.",
                "needs": ["coaching", "applications", "unemployment"],
                "access": ["appointment", "walk_in", "phone"],
                "languages": ["en", "so", "es"],
                "eligibility": "Adults and dislocated workers; some services for youth 16-24.",
                "minimum_age": 16,
                "phone": "763-555-0150",
                "required_documents": ["A photo ID", "Proof of work eligibility"],
            },
            [center_location.name],
            {
                "direct_line": "763-555-0158",
                "referral_contact": "Resource room coordinator",
                "referral_email": "referrals@workforce.example.org",
                "notes_for_referrers": "Send the person with the referral form; walk-ins "
                "are seen before 3 pm.",
            },
        ),
        (
            center,
            center_manager,
            {
                "name": "Adult education and GED",
                "description": "GED preparation, English classes and basic computer skills.",
                "needs": ["adult_ed", "digital"],
                "access": ["appointment"],
                "languages": ["en", "es", "so", "hmn"],
            },
            [center_location.name, "Central Library"],
            {},
        ),
        (
            center,
            center_manager,
            {
                "name": "The job center's online resources",
                "description": "Job listings, career videos and online workshops, any time.",
                "needs": ["applications", "coaching", "interview"],
                "access": ["online"],
                "languages": ["en"],
                "url": "https://workforce.example.org/online",
            },
            [],
            {},
        ),
    ]
    for organization, by, fields, places, details in services:
        service = create_service(organization, by=by, reviewed_on=timezone.localdate(), **fields)
        set_service_locations(service, by=by, locations=[locations[n] for n in places])
        if details:
            set_staff_details(service, by=by, **details)
    # One entry nobody has reviewed for more than a year, for the reminder.
    old = create_service(
        system,
        by=manager,
        name="Test proctoring",
        description="Proctored online exams for distance-learning students.",
        needs=["adult_ed"],
        access=["appointment"],
        languages=["en"],
        reviewed_on=timezone.localdate() - timedelta(days=400),
    )
    set_service_locations(old, by=manager, locations=[locations["Millbrook Library"]])

    # Central's assessment, approved: its computers and entries come from it.
    central = locations["Central Library"]
    assessment = start_assessment(central, by=front_desk)
    save_answers(assessment, by=front_desk, answers=CENTRAL_ANSWERS)
    approve_assessment(submit_assessment(assessment, by=front_desk), by=manager)

    now = timezone.now()
    for name, (count, counts, minutes_ago) in COMPUTERS.items():
        location = locations[name]
        by = center_manager if location.organization_id == center.pk else manager
        set_public_computers(
            location, by=by, count=count, software=["office", "state_job_site"], printing=True
        )
        for n, (in_use, waiting) in enumerate(counts):
            at = now - timedelta(minutes=minutes_ago + 10 * (len(counts) - 1 - n))
            record_count(location, by=by, in_use=in_use, waiting=waiting, now=at)
    record_count(central, by=front_desk, in_use=14, waiting=3, now=now - timedelta(minutes=15))
    record_count(central, by=front_desk, in_use=16, waiting=3, now=now - timedelta(minutes=2))
    issue_kiosk(central, by=manager, name="Central: tablet by the computers")
    _computer_history(
        [
            (central, front_desk),
            (locations["Eastgate Library"], manager),
            (center_location, center_manager),
        ],
        now=now,
    )


# How full the computers are, by hour of the day (the desk's own clock): quiet at opening, the
# queue after lunch.
LOAD_BY_HOUR = {10: 0.5, 11: 0.8, 12: 0.7, 13: 0.9, 14: 1.0, 15: 1.0, 16: 0.8, 17: 0.6}
HISTORY_DAYS = 35


def _computer_history(desks, *, now) -> None:
    """The last five weeks of counts at a few desks, one count twenty minutes into each open
    hour of each weekday, taken by the real record_count at that moment (demo.clock), then
    reduced to hourly figures by the periodic job's own function, as a running installation
    would have them: what the reports' "Public computers" table reads."""
    clock = HistoryClock()
    for days_ago in range(HISTORY_DAYS, 1, -1):
        for location, by in desks:
            day = (now - timedelta(days=days_ago)).astimezone(location.zone).date()
            if day.weekday() >= 5:
                continue
            computers = location.public_computers.count
            closing = datetime.combine(day, time(18), tzinfo=location.zone)
            with clock.at(closing):
                for hour, load in LOAD_BY_HOUR.items():
                    at = datetime.combine(day, time(hour, 20), tzinfo=location.zone)
                    full = load >= 1
                    waiting = (day.day % 3 + (hour - 13)) * max(1, computers // 12) if full else 0
                    record_count(
                        location,
                        by=by,
                        in_use=computers if full else round(computers * load),
                        waiting=max(0, waiting),
                        now=at,
                    )
    aggregate_old_counts(now=now)
