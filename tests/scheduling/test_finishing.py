"""Finishing a request with appointments to come (scheduling.finishing), recording the help given
at an appointment (casework), and My requests with the next appointment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.casework.domain import SessionDetails, record_session
from jobhelp.intake.enums import ClosingReason, RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.intake.triage import TriageError, close_request, resolve_request
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.finishing import finish_request, upcoming_appointments
from jobhelp.scheduling.models import Appointment
from jobhelp.scheduling.queries import my_requests
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(library, hana, central, phone_help):
    """A scheduled request of Hana's with one appointment tomorrow and one gone by."""
    help_request = HelpRequestFactory(
        organization=library,
        reference="FIN222",
        state=RequestState.SCHEDULED,
        assigned_to=hana,
        email="rosa@example.org",
    )
    now = timezone.now().replace(microsecond=0)
    for starts, state in (
        (now + timedelta(days=1), "booked"),
        (now - timedelta(days=3), "attended"),
    ):
        AppointmentFactory(
            request=help_request,
            helper=hana,
            location=central,
            appointment_type=phone_help,
            starts=starts,
            state=state,
        )
    return help_request


def states() -> list[str]:
    return list(Appointment.objects.order_by("starts").values_list("state", flat=True))


def test_finishing_with_the_appointments_cancelled_tells_the_patron(scheduled, hana):
    finish_request(
        scheduled,
        by=hana,
        finish=lambda: resolve_request(scheduled, by=hana),
        cancel_upcoming=True,
    )

    scheduled.refresh_from_db()
    assert (scheduled.state, states(), upcoming_appointments(scheduled)) == (
        RequestState.RESOLVED,
        [AppointmentState.ATTENDED, AppointmentState.CANCELLED],
        [],
    )
    assert list(OutboundMessage.objects.values_list("template", "to")) == [
        ("appointment_cancelled", "rosa@example.org")
    ]


def test_finishing_and_keeping_the_appointment(scheduled, hana):
    finish_request(
        scheduled,
        by=hana,
        finish=lambda: resolve_request(scheduled, by=hana),
        cancel_upcoming=False,
    )

    scheduled.refresh_from_db()
    assert (scheduled.state, states()) == (
        RequestState.RESOLVED,
        [AppointmentState.ATTENDED, AppointmentState.BOOKED],
    )


def test_a_refused_finish_leaves_the_appointments_booked(scheduled, hana):
    with pytest.raises(TriageError):
        finish_request(
            scheduled,
            by=hana,
            finish=lambda: close_request(scheduled, by=hana, reason=ClosingReason.NO_RESPONSE),
            cancel_upcoming=True,
        )

    scheduled.refresh_from_db()
    assert (scheduled.state, states()) == (
        RequestState.SCHEDULED,
        [AppointmentState.ATTENDED, AppointmentState.BOOKED],
    )


def test_the_request_page_asks_and_the_form_cancels(client, scheduled, hana):
    client.force_login(hana)
    page = client.get("/staff/requests/FIN222/").content.decode()

    response = client.post(
        "/staff/requests/FIN222/resolve/", {"reason": "helped", "cancel_upcoming": "on"}
    )

    assert ("still has an appointment to come" in page, 'name="cancel_upcoming"' in page) == (
        True,
        True,
    )
    assert (response.status_code, states()) == (
        302,
        [AppointmentState.ATTENDED, AppointmentState.CANCELLED],
    )


def test_the_request_page_does_not_ask_without_appointments_to_come(client, library, hana):
    HelpRequestFactory(organization=library, reference="NOA222", state="assigned", assigned_to=hana)
    client.force_login(hana)

    page = client.get("/staff/requests/NOA222/").content.decode()

    assert 'name="cancel_upcoming"' not in page


def test_the_api_cancels_when_asked(client, scheduled, hana):
    from tests.api.test_scheduling import bearer

    response = client.post(
        "/api/v1/requests/FIN222/transition",
        {"action": "close", "reason": "withdrawn", "cancel_upcoming": True},
        content_type="application/json",
        headers=bearer(hana),
    )

    assert (response.status_code, response.json()["state"], states()) == (
        200,
        "closed",
        [AppointmentState.ATTENDED, AppointmentState.CANCELLED],
    )


def test_recording_help_at_an_appointment_marks_it_attended_and_moves_the_request_on(
    library, hana, central, phone_help
):
    help_request = HelpRequestFactory(
        organization=library, state=RequestState.SCHEDULED, assigned_to=hana
    )
    now = timezone.now().replace(microsecond=0)
    appointment = AppointmentFactory(
        request=help_request,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=now - timedelta(minutes=40),
    )

    record_session(
        help_request,
        by=hana,
        appointment=appointment,
        details=SessionDetails(
            happened_at=appointment.starts,
            modality="phone",
            minutes=30,
            activities=["resume_reviewed"],
            outcomes=[],
        ),
        now=now,
    )

    appointment.refresh_from_db()
    assert (appointment.state, HelpRequest.objects.get(pk=help_request.pk).state) == (
        AppointmentState.ATTENDED,
        RequestState.IN_PROGRESS,
    )


def test_my_requests_show_the_next_appointment_and_act_on_it(scheduled, hana, library):
    HelpRequestFactory(organization=library, reference="OTH222", state="assigned", assigned_to=hana)

    rows = {row.request.reference: row for row in my_requests(hana)}

    upcoming = Appointment.objects.get(state="booked")
    assert (
        rows["FIN222"].appointment,
        rows["FIN222"].action.label,
        rows["FIN222"].action.due,
        rows["OTH222"].appointment,
    ) == (upcoming, "Appointment: Phone help", upcoming.starts, None)
