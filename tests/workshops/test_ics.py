"""Class calendar files, read back with the icalendar parser: every event names an ORGANIZER
(RFC 5546 requires one for PUBLISH and CANCEL), and a cancellation raises the SEQUENCE."""

import pytest
from icalendar import Calendar

from jobhelp.workshops import ics
from jobhelp.workshops.sessions import cancel_session
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory


@pytest.fixture
def session(library, central):
    return WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library, title="Online Interviewing Tips"),
        location=central,
    )


def organizer_of(text: str) -> tuple[str, str, str]:
    calendar = Calendar.from_ical(text)
    event = calendar.walk("VEVENT")[0]
    return str(calendar["METHOD"]), str(event["ORGANIZER"]), str(event["ORGANIZER"].params["CN"])


def test_a_registrants_file_names_the_host_as_organizer(session, settings):
    settings.DEFAULT_FROM_EMAIL = "Job Help Desk <jobhelp@library.example>"
    assert organizer_of(ics.registrant_calendar(session)) == (
        "PUBLISH",
        "mailto:jobhelp@library.example",
        "Riverbend County Library",
    )


def test_a_cancellation_names_the_organizer_and_a_higher_sequence(session, manager):
    before = Calendar.from_ical(ics.registrant_calendar(session)).walk("VEVENT")[0]
    cancelled = cancel_session(session, by=manager)
    calendar = Calendar.from_ical(ics.registrant_calendar(cancelled, cancelled=True))
    event = calendar.walk("VEVENT")[0]
    assert (
        str(calendar["METHOD"]),
        str(event["STATUS"]),
        str(event["ORGANIZER"]),
        event["SEQUENCE"] > before["SEQUENCE"],
    ) == ("CANCEL", "CANCELLED", "mailto:jobhelp@localhost", True)


def test_the_public_calendar_names_each_host(session, branch):
    other = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=branch, title="Resumé Basics"),
        location=branch.locations.get(),
    )
    calendar = Calendar.from_ical(ics.public_calendar([session, other], name="Classes"))
    assert sorted(
        (str(e["SUMMARY"]), str(e["ORGANIZER"].params["CN"])) for e in calendar.walk("VEVENT")
    ) == [
        ("Online Interviewing Tips – Riverbend County Library", "Riverbend County Library"),
        ("Resumé Basics – Northtown Library", "Northtown Library"),
    ]
