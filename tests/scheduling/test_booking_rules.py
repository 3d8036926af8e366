"""Who may book and cancel, the request's "Appointment scheduled" state, and attendance."""

from datetime import time

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.attendance import mark_attended, mark_no_show
from jobhelp.scheduling.domain import BookingError, book_appointment, cancel_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from jobhelp.scheduling.rules import can_book
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)
MAY_NOT = "Only the person helping, front desk staff and managers can book or change appointments."


@pytest.fixture
def hours(hana, central):
    every_day(hana, central, time(9), time(12))


@pytest.fixture
def assigned(library, hana):
    return HelpRequestFactory(organization=library, state=RequestState.ASSIGNED, assigned_to=hana)


@pytest.fixture
def book(hana, central, phone_help, front_desk, assigned, hours):
    def book(starts=None, **overrides):
        arguments = {
            "request": assigned,
            "helper": hana,
            "location": central,
            "appointment_type": phone_help,
            "starts": starts or local(2026, 3, 2, 10),
            "by": front_desk,
            "now": NOW,
            **overrides,
        }
        return book_appointment(**arguments)

    return book


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def state_of(help_request):
    return HelpRequest.objects.get(pk=help_request.pk).state


# 1. Who may book


def test_can_book(library, assigned, hana, front_desk, manager, helper, outsider, no_membership):
    assert [
        can_book(user, assigned)
        for user in (hana, front_desk, manager, helper, outsider, no_membership)
    ] == [True, True, True, False, False, False]


def test_the_person_helping_may_book_their_request(book, hana, assigned):
    appointment = book(by=hana)

    assert (appointment.request, appointment.state) == (assigned, AppointmentState.BOOKED)


@pytest.mark.parametrize("persona", ["helper", "outsider", "no_membership"])
def test_others_may_not_book_and_nothing_is_written(book, request, persona):
    before = actions()
    with pytest.raises(BookingError) as caught:
        book(by=request.getfixturevalue(persona))

    assert str(caught.value) == MAY_NOT
    assert Appointment.objects.count() == 0
    assert actions() == before


def test_without_a_request_only_front_desk_and_managers_may_book(book, hana, front_desk):
    with pytest.raises(BookingError) as caught:
        book(request=None, by=hana)
    assert str(caught.value) == MAY_NOT
    assert Appointment.objects.count() == 0

    assert book(request=None, by=front_desk).request is None


def test_a_patron_may_book_a_self_service_type_themselves(book, library, assigned):
    self_service = AppointmentTypeFactory(organization=library, self_service=True)

    appointment = book(by=None, appointment_type=self_service)

    entry = AuditEntry.objects.get(action="jobhelp.appointment.booked")
    assert (appointment.request, entry.actor) == (assigned, None)


def test_a_patron_may_not_book_a_staff_only_type(book):
    before = actions()
    with pytest.raises(BookingError) as caught:
        book(by=None)

    assert str(caught.value) == "This kind of appointment can only be booked by library staff."
    assert Appointment.objects.count() == 0
    assert actions() == before


def test_cancelling_follows_the_same_rules(book, helper, hana):
    appointment = book()
    before = actions()

    with pytest.raises(BookingError) as caught:
        cancel_appointment(appointment, by=helper)
    assert str(caught.value) == MAY_NOT
    assert Appointment.objects.get().state == AppointmentState.BOOKED
    assert actions() == before

    assert cancel_appointment(appointment, by=hana).state == AppointmentState.CANCELLED


def test_a_patron_may_cancel_a_staff_booked_appointment_through_their_link(book):
    # Only staff may book this type, but it is the patron's time: they can always give it back.
    appointment = book()

    assert cancel_appointment(appointment, by=None, now=NOW).state == AppointmentState.CANCELLED


def test_a_patron_may_cancel_a_self_service_appointment(book, library):
    appointment = book(
        appointment_type=AppointmentTypeFactory(organization=library, self_service=True)
    )

    assert cancel_appointment(appointment, by=None, now=NOW).state == AppointmentState.CANCELLED


# 2. The request's state


@pytest.mark.parametrize("start_state", [RequestState.ASSIGNED, RequestState.IN_PROGRESS])
def test_booking_schedules_the_request(book, assigned, front_desk, library, start_state):
    HelpRequest.objects.filter(pk=assigned.pk).update(state=start_state)
    assigned.refresh_from_db()

    appointment = book()

    assert state_of(assigned) == RequestState.SCHEDULED
    entry = AuditEntry.objects.get(action="jobhelp.request.scheduled")
    assert (entry.actor, entry.organization, entry.object_id, entry.data) == (
        front_desk,
        library,
        str(assigned.pk),
        {"appointment": appointment.pk, "from": start_state},
    )
    assert actions() == ["jobhelp.appointment.booked", "jobhelp.request.scheduled"]


def test_a_second_appointment_keeps_the_request_scheduled(book, assigned):
    book(local(2026, 3, 2, 10))
    book(local(2026, 3, 3, 10))

    assert state_of(assigned) == RequestState.SCHEDULED
    assert actions() == [
        "jobhelp.appointment.booked",
        "jobhelp.request.scheduled",
        "jobhelp.appointment.booked",
    ]


def test_an_unassigned_request_must_be_assigned_first(book, library):
    new = HelpRequestFactory(organization=library)

    with pytest.raises(BookingError) as caught:
        book(request=new)

    assert (
        str(caught.value) == "Assign this request to a helper before booking an appointment for it."
    )
    assert (state_of(new), new.assigned_to_id) == (RequestState.NEW, None)
    assert Appointment.objects.count() == 0
    assert actions() == []


@pytest.mark.parametrize(
    ("state", "label"), [(RequestState.RESOLVED, "resolved"), (RequestState.CLOSED, "closed")]
)
def test_a_finished_request_cannot_be_scheduled(book, assigned, state, label):
    HelpRequest.objects.filter(pk=assigned.pk).update(state=state)
    assigned.refresh_from_db()

    with pytest.raises(BookingError) as caught:
        book()

    assert str(caught.value) == f"This request is {label}, so no appointment can be booked for it."
    assert Appointment.objects.count() == 0
    assert actions() == []


def test_a_request_closed_meanwhile_is_not_scheduled(book, assigned):
    # The page was rendered while the request was assigned; it was closed before the submit.
    HelpRequest.objects.filter(pk=assigned.pk).update(state=RequestState.CLOSED)

    with pytest.raises(BookingError) as caught:
        book()

    assert str(caught.value) == "This request is closed, so no appointment can be booked for it."
    assert (state_of(assigned), Appointment.objects.count(), actions()) == (
        RequestState.CLOSED,
        0,
        [],
    )


def test_cancelling_the_last_appointment_puts_the_request_back_in_progress(
    book, assigned, front_desk, library
):
    first = book(local(2026, 3, 2, 10))
    second = book(local(2026, 3, 3, 10))

    cancel_appointment(first, by=front_desk)
    assert state_of(assigned) == RequestState.SCHEDULED

    cancel_appointment(second, by=front_desk, late=True)
    assert state_of(assigned) == RequestState.IN_PROGRESS
    entry = AuditEntry.objects.get(action="jobhelp.request.unscheduled")
    assert (entry.actor, entry.organization, entry.object_id, entry.data) == (
        front_desk,
        library,
        str(assigned.pk),
        {"state": "in_progress"},
    )
    assert actions()[-3:] == [
        "jobhelp.appointment.cancelled",
        "jobhelp.appointment.cancelled",
        "jobhelp.request.unscheduled",
    ]


def test_cancelling_leaves_a_request_that_moved_on_alone(book, assigned, front_desk):
    appointment = book()
    HelpRequest.objects.filter(pk=assigned.pk).update(state=RequestState.RESOLVED)

    cancel_appointment(appointment, by=front_desk)

    assert state_of(assigned) == RequestState.RESOLVED
    assert "jobhelp.request.unscheduled" not in actions()


# 3. Attendance


@pytest.mark.parametrize(
    ("mark", "state", "action"),
    [
        (mark_attended, AppointmentState.ATTENDED, "jobhelp.appointment.attended"),
        (mark_no_show, AppointmentState.NO_SHOW, "jobhelp.appointment.no_show"),
    ],
)
def test_marking_after_the_start(book, hana, central, mark, state, action):
    appointment = book()

    marked = mark(appointment, by=hana, now=local(2026, 3, 2, 10))

    assert (marked.state, Appointment.objects.get().state) == (state, state)
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.organization, entry.object_id, entry.data) == (
        hana,
        central.organization,
        str(appointment.pk),
        {},
    )


@pytest.mark.parametrize("mark", [mark_attended, mark_no_show])
def test_marking_before_the_start_is_refused(book, hana, mark):
    appointment = book()
    before = actions()

    with pytest.raises(BookingError) as caught:
        mark(appointment, by=hana, now=local(2026, 3, 2, 9, 59))

    assert str(caught.value) == (
        "This appointment has not started yet, so it cannot be marked that way."
    )
    assert (Appointment.objects.get().state, actions()) == (AppointmentState.BOOKED, before)


@pytest.mark.parametrize("mark", [mark_attended, mark_no_show])
def test_marking_only_from_booked(book, front_desk, mark):
    appointment = book()
    cancel_appointment(appointment, by=front_desk, late=True)
    before = actions()

    with pytest.raises(BookingError) as caught:
        mark(appointment, by=front_desk, now=local(2026, 3, 2, 11))

    assert (
        str(caught.value) == "This appointment is cancelled late, so it cannot be marked that way."
    )
    assert (Appointment.objects.get().state, actions()) == (
        AppointmentState.CANCELLED_LATE,
        before,
    )


@pytest.mark.parametrize("mark", [mark_attended, mark_no_show])
def test_marking_needs_staff_who_may_work_on_the_request(book, library, mark):
    appointment = book(
        appointment_type=AppointmentTypeFactory(organization=library, self_service=True)
    )
    other_helper = staff_member(library, Role.HELPER)
    before = actions()

    for by, message in [
        (None, "Only library staff can record whether a patron came."),
        (other_helper, MAY_NOT),
    ]:
        with pytest.raises(BookingError) as caught:
            mark(appointment, by=by, now=local(2026, 3, 2, 11))
        assert str(caught.value) == message
    assert (Appointment.objects.get().state, actions()) == (AppointmentState.BOOKED, before)


def test_a_late_cancellation(book, front_desk):
    appointment = book()

    assert cancel_appointment(appointment, by=front_desk, late=True).state == (
        AppointmentState.CANCELLED_LATE
    )
