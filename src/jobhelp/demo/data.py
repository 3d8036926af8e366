"""The demo county: one library system with eight branches and two affiliates, one workforce
center, their staff and a few dozen requests. All names, addresses and numbers are fictional
(555-01xx telephone numbers)."""

from datetime import time

ZONE = "America/Chicago"
# Demo logins only; seed_demo refuses to run unless DEBUG is on.
PASSWORD = "jobhelp-demo"  # noqa: S105

LIBRARY_SYSTEM = {
    "slug": "riverbend-library",
    "name": "Riverbend County Library",
    "phone": "763-555-0100",
}
BRANCHES = [
    ("central", "Central Library", "100 Main St", "Riverbend"),
    ("northtown", "Northtown Library", "2200 North Ave", "Northtown"),
    ("lakeside", "Lakeside Library", "48 Shore Dr", "Lakeside"),
    ("eastgate", "Eastgate Library", "915 Eastgate Blvd", "Riverbend"),
    ("millbrook", "Millbrook Library", "7 Mill Rd", "Millbrook"),
    ("cedar-falls", "Cedar Falls Library", "310 Cedar St", "Cedar Falls"),
    ("prairie-view", "Prairie View Library", "1450 Prairie Ln", "Prairie View"),
    ("oak-hill", "Oak Hill Library", "66 Oak Hill Rd", "Oak Hill"),
]
AFFILIATES = [
    ("harbor-city", "Harbor City Public Library", "12 Harbor St", "Harbor City"),
    ("pine-ridge", "Pine Ridge Community Library", "5 Ridge Rd", "Pine Ridge"),
]
WORKFORCE_CENTER = {
    "slug": "riverbend-workforce",
    "name": "Riverbend County WorkForce Center",
    "phone": "763-555-0150",
    "street": "1200 Commerce Pkwy Suite 235",
    "city": "Riverbend",
}

WEEKDAY_HOURS = [(d, time(9), time(20)) for d in range(4)] + [
    (4, time(9), time(17)),
    (5, time(10), time(16)),
]
CENTER_HOURS = [(d, time(8), time(16, 30)) for d in range(5)]

# username, first, last, organization slug, role, home branch slug, needs, languages
STAFF = [
    ("mgarcia", "Maria", "Garcia", "riverbend-library", "manager", "central", [], ["en", "es"]),
    (
        "jrivera",
        "Jordan",
        "Rivera",
        "riverbend-library",
        "career_coach",
        "central",
        ["resume", "applications", "coaching", "interview"],
        ["en", "es"],
    ),
    (
        "aokafor",
        "Ada",
        "Okafor",
        "riverbend-library",
        "helper",
        "central",
        ["digital", "applications", "adult_ed"],
        ["en"],
    ),
    (
        "tnguyen",
        "Thanh",
        "Nguyen",
        "riverbend-library",
        "helper",
        "lakeside",
        ["digital", "resume"],
        ["en", "vi"],
    ),
    (
        "pjean",
        "Pierre",
        "Jean-Baptiste",
        "riverbend-library",
        "helper",
        "eastgate",
        ["resume", "applications", "unemployment"],
        ["en", "ht"],
    ),
    ("frontdesk", "Sam", "Lee", "riverbend-library", "front_desk", "central", [], ["en"]),
    ("kpatel", "Kiran", "Patel", "northtown", "front_desk", "northtown", [], ["en"]),
    (
        "dwhite",
        "Dana",
        "White",
        "riverbend-workforce",
        "partner_staff",
        None,
        ["unemployment", "coaching", "applications", "interview"],
        ["en", "so"],
    ),
    ("rkhan", "Rahim", "Khan", "riverbend-workforce", "front_desk", None, [], ["en", "so"]),
    ("cortiz", "Carmen", "Ortiz", "riverbend-workforce", "manager", None, [], ["en", "es"]),
    (
        "lbrooks",
        "Lee",
        "Brooks",
        "riverbend-workforce",
        "liaison",
        None,
        ["coaching", "digital"],
        ["en"],
    ),
    # Finds, exports and erases a patron's data; sees who opened a request (docs/privacy.md).
    ("privacy", "Priya", "Shah", "riverbend-library", "privacy_officer", "central", [], ["en"]),
]

PATRONS = [
    ("Rosa Martínez", "es"),
    ("James Carter", "en"),
    ("Linh Tran", "vi"),
    ("Marie Joseph", "ht"),
    ("Ahmed Hassan", "so"),
    ("Emily Johnson", "en"),
    ("Carlos Hernández", "es"),
    ("Grace Kim", "en"),
    ("Jean-Pierre Louis", "ht"),
    ("Ana Lucía Flores", "es"),
    ("Michael Brown", "en"),
    ("Fatima Ali", "en"),
    ("Daniel Wilson", "en"),
    ("Guadalupe Reyes", "es"),
    ("Tou Vang", "hmn"),
    ("Sarah Anderson", "en"),
]
NOTES = [
    "Laid off from warehouse job last month, needs first resumé in 10 years.",
    "Has an interview next week at the hospital and wants to practice.",
    "Does not have a computer at home; can come to the library on Tuesdays.",
    "Wants to finish GED and then apply for a CNA program.",
    "Needs help with the unemployment benefits website.",
    "",
]

# Routing rules: (organization slug, managing username, fields). Targets name people by username.
ROUTING_RULES = [
    (
        "riverbend-library",
        "mgarcia",
        {
            "name": "Spanish speakers go to the Career Coach",
            "language": "es",
            "target_role": "career_coach",
        },
    ),
    (
        "riverbend-library",
        "mgarcia",
        {
            "name": "Computer skills go to the Central team",
            "needs": ["digital"],
            "target_location": "Central Library",
        },
    ),
    (
        "riverbend-library",
        "mgarcia",
        {
            "name": "Everything else: any qualified librarian",
            "is_fallback": True,
            "target_role": "helper",
        },
    ),
    (
        "riverbend-workforce",
        "cortiz",
        {
            "name": "Unemployment claims go straight to Dana",
            "needs": ["unemployment"],
            "target_helper": "dwhite",
            "auto_assign": True,
        },
    ),
]

# Appointment types: organization slug, name, minutes, modality, padding after, self-service,
# needs. The "Virtual Job Help" program booked phone and video time with the Career Coach.
APPOINTMENT_TYPES = [
    ("riverbend-library", "Phone job help", 30, "phone", 10, False, []),
    ("riverbend-library", "Resumé review by video", 45, "video", 15, True, ["resume"]),
    ("riverbend-library", "Job help in person", 60, "in_person", 15, False, []),
    ("riverbend-workforce", "Career coaching call", 30, "phone", 10, True, []),
]

# Helpers' weekly hours: username, branch (or the center), [(weekdays, from, until)].
HELPER_HOURS = [
    (
        "jrivera",
        "Central Library",
        [(range(4), time(10), time(12)), (range(4), time(13), time(17))],
    ),
    ("aokafor", "Central Library", [(range(5), time(9), time(13))]),
    ("tnguyen", "Lakeside Library", [((0, 2, 4), time(12), time(18))]),
    ("pjean", "Eastgate Library", [((1, 3), time(10), time(16))]),
    ("dwhite", "Riverbend County WorkForce Center", [(range(5), time(8, 30), time(16))]),
]

# Thanksgiving: every library location is closed.
CLOSED_DAYS = [("2026-11-26", "holiday"), ("2027-11-25", "holiday")]

# Classes: host slug, title, description, delivery, seats, needs, language, location name,
# first session (weekday of the month, ordinal), local start, minutes, how many sessions.
WORKSHOPS = [
    (
        "riverbend-workforce",
        "Put Your Best Face Forward: Online Interviewing Tips",
        "How video interviews work, how to set up your camera and sound, and a practice "
        "interview with feedback.",
        "video",
        12,
        ["interview"],
        "en",
        "Riverbend County WorkForce Center",
        (1, 1),  # every first Tuesday
        time(14),
        60,
        4,
    ),
    (
        "riverbend-library",
        "Taller de currículum",
        "Escriba o mejore su currículum con ayuda. Traiga su currículum si ya tiene uno.",
        "in_person",
        10,
        ["resume"],
        "es",
        "Central Library",
        (3, 2),  # every second Thursday
        time(18),
        90,
        3,
    ),
    (
        "riverbend-library",
        "Job applications by phone: a conference call",
        "Dial in to learn how online job applications work and what to have ready.",
        "phone",
        20,
        ["applications"],
        "en",
        "Central Library",
        (0, 3),  # every third Monday
        time(10),
        45,
        3,
    ),
]

# Help sessions on resolved requests: activities and outcomes, and a feedback answer.
SESSION_ACTIVITIES = [
    (["resume_reviewed", "applications"], ["resume_completed", "applied"]),
    (["interview_practice"], ["interview"]),
    (["digital"], []),
    (["benefits", "referral"], ["referred"]),
    (["resume_drafted"], ["resume_completed"]),
]
FEEDBACK = [
    (5, True, "Keep offering this type of service!!", True),
    (4, True, "The coach was patient and my resumé looks much better.", True),
    (5, True, "", False),
    (3, False, "I needed more time.", False),
]
