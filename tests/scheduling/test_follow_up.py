"""After a no-show, and offering a patron times to choose from."""

from datetime import time

import pytest

from jobhelp.core.links import LinkExpired, LinkUnknown
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling import links
from jobhelp.scheduling.attendance import mark_no_show
from jobhelp.scheduling.domain import BookingError, book_appointment
from jobhelp.scheduling.models import PatronLink
from jobhelp.scheduling.offers import book_from_offer, offer_times_to_patron
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)


@pytest.fixture
def self_service(library):
    return AppointmentTypeFactory(organization=library, name="Resumé review", self_service=True)


@pytest.fixture
def request_with_email(library, hana):
    return HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        email="rosa@example.org",
        language="es",
    )


@pytest.fixture
def hours(hana, central):
    every_day(hana, central, time(9), time(12))


def book(request, appointment_type, helper, location, by, starts=None):
    return book_appointment(
        request=request,
        helper=helper,
        location=location,
        appointment_type=appointment_type,
        starts=starts or local(2026, 3, 2, 10),
        by=by,
        now=NOW,
    )


def templates():
    return list(OutboundMessage.objects.order_by("pk").values_list("template", flat=True))


@pytest.mark.usefixtures("hours")
def test_a_no_show_goes_back_to_the_helper_and_invites_the_patron_to_choose_again(
    request_with_email, self_service, hana, central
):
    appointment = book(request_with_email, self_service, hana, central, hana)
    mark_no_show(appointment, by=hana, now=local(2026, 3, 2, 10, 15))

    request_with_email.refresh_from_db()
    offer = PatronLink.objects.get(appointment__isnull=True)
    assert (request_with_email.state, templates(), offer.appointment_type) == (
        RequestState.IN_PROGRESS,
        ["appointment_booked", "appointment_missed"],
        self_service,
    )
    message = OutboundMessage.objects.get(template="appointment_missed")
    assert message.subject == "Le extrañamos en su cita"


@pytest.mark.usefixtures("hours")
def test_a_staff_only_no_show_is_followed_up_by_phone(
    request_with_email, phone_help, hana, central
):
    appointment = book(request_with_email, phone_help, hana, central, hana)
    mark_no_show(appointment, by=hana, now=local(2026, 3, 2, 10, 15))
    request_with_email.refresh_from_db()
    assert (request_with_email.state, templates(), PatronLink.objects.count()) == (
        RequestState.IN_PROGRESS,
        ["appointment_booked", "appointment_missed"],
        1,
    )


@pytest.mark.usefixtures("hours")
def test_without_follow_up_a_no_show_leaves_the_request_alone(
    request_with_email, phone_help, hana, central
):
    phone_help.follow_up_no_shows = False
    phone_help.save()
    appointment = book(request_with_email, phone_help, hana, central, hana)
    mark_no_show(appointment, by=hana, now=local(2026, 3, 2, 10, 15))
    request_with_email.refresh_from_db()
    assert (request_with_email.state, templates()) == (
        RequestState.SCHEDULED,
        ["appointment_booked"],
    )


@pytest.mark.usefixtures("hours")
def test_a_patron_books_from_an_offer_once(
    request_with_email, self_service, hana, central, front_desk
):
    offer_times_to_patron(request_with_email, self_service, by=front_desk)
    message = OutboundMessage.objects.get(template="appointment_offer")
    token = message.body.split("/appointments/")[1].split("/")[0]

    opened = links.open_link(token, now=NOW)
    first = book_from_offer(
        opened,
        helper=hana,
        location=central,
        starts=local(2026, 3, 2, 10),
        idempotency_key="k1",
        now=NOW,
    )
    again = book_from_offer(
        opened,
        helper=hana,
        location=central,
        starts=local(2026, 3, 2, 10),
        idempotency_key="k1",
        now=NOW,
    )
    reopened = links.open_link(token, now=NOW)
    assert (again, reopened.appointment, reopened.is_offer, first.state) == (
        first,
        first,
        False,
        "booked",
    )
    entry = AuditEntry.objects.get(action="jobhelp.appointment.booked")
    assert entry.actor is None


def test_offers_need_a_self_service_type_and_an_email(
    request_with_email, phone_help, self_service, front_desk, library, hana
):
    with pytest.raises(BookingError) as staff_only:
        offer_times_to_patron(request_with_email, phone_help, by=front_desk)
    no_email = HelpRequestFactory(
        organization=library, state=RequestState.ASSIGNED, assigned_to=hana
    )
    with pytest.raises(BookingError) as without_email:
        offer_times_to_patron(no_email, self_service, by=front_desk)
    assert (str(staff_only.value), str(without_email.value), PatronLink.objects.count()) == (
        "Patrons cannot book this kind of appointment themselves.",
        "This patron has no email address and gets no text messages. Book a time with them "
        "by phone instead.",
        0,
    )


def test_an_outsider_cannot_send_an_offer(request_with_email, self_service, outsider):
    with pytest.raises(BookingError):
        offer_times_to_patron(request_with_email, self_service, by=outsider)
    assert (PatronLink.objects.count(), templates()) == (0, [])


def test_an_expired_or_altered_link_opens_nothing(request_with_email, self_service, front_desk):
    token = links.offer_times(request_with_email, self_service, by=front_desk, now=NOW)
    with pytest.raises(LinkExpired):
        links.open_link(token, now=NOW + links.OFFER_LIFETIME)
    with pytest.raises(LinkUnknown):
        links.open_link(token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW)
    with pytest.raises(LinkUnknown):
        links.open_link("", now=NOW)
