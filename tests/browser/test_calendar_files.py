"""Calendar files correct for every client, as a patron gets them on a phone, in English and in
Spanish, read back with the icalendar parser: the class file downloaded from the registrant's
page names the host as ORGANIZER (RFC 5546 requires one for PUBLISH and CANCEL), and an
appointment cancelled through the patron's link sends a cancellation whose SEQUENCE is above
the booking's, so calendar programs apply it."""

from datetime import UTC, time
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling import links
from jobhelp.scheduling.domain import book_appointment
from jobhelp.workshops.enums import Delivery
from tests.browser.helpers import PHONE_VIEWPORT, assert_no_axe_violations, tick
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db(transaction=True)

NOW = local(2027, 2, 1, 12)
TITLE = {"en": "Online Interviewing Tips", "es": "Entrevistas en línea"}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # The live server runs in a thread of this process, so it reads this clock too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def event_of(text: str):
    calendar = Calendar.from_ical(text)
    return calendar, calendar.walk("VEVENT")[0]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_the_class_file_names_its_organizer(page: Page, live_server, library, central, language):
    session = WorkshopSessionFactory(
        workshop=WorkshopFactory(
            organization=library,
            title=TITLE["en"],
            title_es=TITLE["es"],
            delivery=Delivery.VIDEO,
        ),
        location=central,
        starts=local(2027, 2, 3, 10),
        ends=local(2027, 2, 3, 11),
    )
    page.goto(f"{live_server.url}/classes/{session.pk}/")
    if language == "es":
        page.get_by_role("button", name="Español").click()
    page.locator("#id_name").fill("Rosa Díaz")
    page.locator("#id_email").fill("rosa@example.org")
    page.locator("#id_language").select_option(language)
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/classes/registration/**")
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.locator("#calendar-file").click()
    downloaded = Path(download.value.path()).read_text()
    emailed = OutboundMessage.objects.get(template="workshop_registered").attachment

    for text in (downloaded, emailed):
        calendar, event = event_of(text)
        assert (
            str(calendar["METHOD"]),
            str(event["ORGANIZER"]),
            str(event["ORGANIZER"].params["CN"]),
            str(event["SUMMARY"]),
        ) == (
            "PUBLISH",
            "mailto:jobhelp@localhost",
            "Riverbend County Library",
            f"{TITLE[language]} – Riverbend County Library",
        )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.browser_context_args(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
def test_cancelling_through_the_link_sends_a_cancellation_with_a_higher_sequence(
    page: Page, live_server, library, central, front_desk, language
):
    hana = staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana")
    every_day(hana, central, time(9), time(12))
    appointment = book_appointment(
        request=HelpRequestFactory(
            organization=library,
            state=RequestState.ASSIGNED,
            assigned_to=hana,
            email="rosa@example.org",
            language=language,
        ),
        helper=hana,
        location=central,
        appointment_type=AppointmentTypeFactory(organization=library, self_service=True),
        starts=local(2027, 2, 3, 10),
        by=front_desk,
        now=NOW,
    )

    page.goto(f"{live_server.url}/appointments/{links.link_to_appointment(appointment)}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_axe_violations(page)
    tick(page.locator("#id_confirm"))
    page.locator("#cancel-form button[type=submit]").click()
    expect(page.locator("#cancel-form")).to_have_count(0)
    assert_no_axe_violations(page)

    booked = OutboundMessage.objects.get(template="appointment_booked")
    cancelled = OutboundMessage.objects.get(template="appointment_cancelled")
    (_calendar, invitation), (calendar, cancellation) = (
        event_of(booked.attachment),
        event_of(cancelled.attachment),
    )
    assert (
        cancelled.language,
        str(calendar["METHOD"]),
        str(cancellation["STATUS"]),
        str(cancellation["UID"]),
        cancellation["SEQUENCE"] > invitation["SEQUENCE"],
        str(cancellation["ORGANIZER"].params["CN"]),
    ) == (
        language,
        "CANCEL",
        "CANCELLED",
        str(invitation["UID"]),
        True,
        "Riverbend County Library",
    )
