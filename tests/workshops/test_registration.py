"""Registering, the waitlist and its offers, leaving, and cancelled sessions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.core.links import LinkUnknown
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops import domain
from jobhelp.workshops.domain import (
    Registrant,
    accept_offer,
    cancel_registration,
    expire_offers,
    promote,
    register,
    waitlist_place,
)
from jobhelp.workshops.enums import RegistrationState
from jobhelp.workshops.links import registration_for_token
from jobhelp.workshops.models import Registration
from jobhelp.workshops.seats import WorkshopError
from jobhelp.workshops.sessions import cancel_session
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory


@pytest.fixture
def session(library):
    workshop = WorkshopFactory(organization=library, capacity=2, offer_hold_hours=24)
    return WorkshopSessionFactory(workshop=workshop, starts=timezone.now() + timedelta(days=5))


def person(n: int, **overrides) -> Registrant:
    values = {"name": f"Patron Number{n}", "email": f"p{n}@example.org", "language": "es"}
    return Registrant(**{**values, **overrides})


def states(session) -> list[str]:
    return list(session.registrations.order_by("pk").values_list("state", flat=True))


def templates() -> list[str]:
    return list(OutboundMessage.objects.order_by("pk").values_list("template", flat=True))


def test_the_first_people_get_seats_and_the_rest_wait(session):
    results = [register(session, registrant=person(n)) for n in range(4)]
    assert states(session) == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [waitlist_place(r.registration) for r in results] == [None, None, 1, 2]
    assert templates() == [
        "workshop_registered",
        "workshop_registered",
        "workshop_waitlisted",
        "workshop_waitlisted",
    ]


def test_the_confirmation_carries_the_join_link_and_a_calendar_file(session):
    register(session, registrant=person(1))
    message = OutboundMessage.objects.get()
    assert (message.attachment_name, "https://meet.example.org/interview-tips" in message.body) == (
        "class.ics",
        True,
    )
    assert "https://meet.example.org/interview-tips" in message.attachment


def test_waiting_people_are_not_sent_the_join_link(session):
    for n in range(3):
        register(session, registrant=person(n))
    waitlisted = OutboundMessage.objects.get(template="workshop_waitlisted")
    assert "meet.example.org" not in waitlisted.body


def test_one_person_registers_once_matched_on_phone_or_email(session):
    first = register(session, registrant=person(1, phone="+17635550101"))
    again = register(session, registrant=person(1, phone="+17635550101", email="other@x.org"))
    by_email = register(session, registrant=person(2))
    same_email = register(session, registrant=person(2, email="P2@Example.org"))
    assert (again.registration, again.token, again.already) == (first.registration, None, True)
    assert (same_email.registration, same_email.already) == (by_email.registration, True)
    assert Registration.objects.count() == 2


def test_the_same_form_sent_twice_registers_once(session):
    first = register(session, registrant=person(1), idempotency_key="form-1")
    second = register(session, registrant=person(1), idempotency_key="form-1")
    assert (second.registration, second.already, Registration.objects.count()) == (
        first.registration,
        True,
        1,
    )


@pytest.mark.parametrize(
    ("registrant", "message"),
    [
        (Registrant(name=" ", email="a@example.org"), "Enter a name."),
        (Registrant(name="Ana"), "Give a phone number or an email address."),
        (
            Registrant(name="Ana", email="a@example.org", preferred_contact="text"),
            "Text messages need a phone number.",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(session, registrant, message):
    with pytest.raises(WorkshopError) as caught:
        register(session, registrant=registrant)
    assert (str(caught.value), Registration.objects.count()) == (message, 0)


def test_registration_closes_when_the_session_starts(session):
    with pytest.raises(WorkshopError) as caught:
        register(session, registrant=person(1), now=session.starts)
    assert str(caught.value) == "This session has already started."


def test_a_freed_seat_is_offered_to_the_next_person_waiting(session):
    seated = [register(session, registrant=person(n)) for n in range(2)]
    waiting = [register(session, registrant=person(n)) for n in range(2, 4)]

    cancel_registration(seated[0].registration)

    offered = Registration.objects.get(pk=waiting[0].registration.pk)
    assert (offered.state, states(session)) == (
        RegistrationState.OFFERED,
        ["cancelled", "registered", "offered", "waitlisted"],
    )
    assert templates()[-1] == "workshop_offer"
    offer = OutboundMessage.objects.get(template="workshop_offer")
    token = offer.body.split("/classes/registration/")[1].split("/")[0]
    assert registration_for_token(token) == offered


def test_an_offer_that_lapses_moves_on_to_the_next_person(session):
    [register(session, registrant=person(n)) for n in range(2)]
    waiting = [register(session, registrant=person(n)) for n in range(2, 4)]
    cancel_registration(session.registrations.first())
    offered_at = timezone.now()

    assert expire_offers(now=offered_at + timedelta(hours=23, minutes=59)) == 0
    assert expire_offers(now=offered_at + timedelta(hours=24, minutes=1)) == 1

    assert states(session) == ["cancelled", "registered", "lapsed", "offered"]
    second = Registration.objects.get(pk=waiting[1].registration.pk)
    assert second.offer_expires_at > offered_at + timedelta(hours=24)


def test_an_offer_taken_in_time_becomes_a_seat(session):
    [register(session, registrant=person(n)) for n in range(2)]
    waiting = register(session, registrant=person(2))
    cancel_registration(session.registrations.first())
    taken = accept_offer(waiting.registration)
    assert (taken.state, templates()[-1]) == (RegistrationState.REGISTERED, "workshop_confirmed")


def test_a_lapsed_offer_cannot_be_taken(session):
    [register(session, registrant=person(n)) for n in range(2)]
    waiting = register(session, registrant=person(2))
    cancel_registration(session.registrations.first())
    with pytest.raises(WorkshopError) as caught:
        accept_offer(waiting.registration, now=timezone.now() + timedelta(days=2))
    assert str(caught.value) == "This offer is no longer open."


def test_new_people_queue_behind_those_already_waiting(session):
    [register(session, registrant=person(n)) for n in range(3)]
    cancel_registration(session.registrations.first())
    late = register(session, registrant=person(9))
    assert late.registration.state == RegistrationState.WAITLISTED


def test_staff_may_promote_out_of_turn_only_into_a_free_seat(session, library, front_desk):
    [register(session, registrant=person(n)) for n in range(2)]
    first_waiting = register(session, registrant=person(2))
    second_waiting = register(session, registrant=person(3))
    with pytest.raises(WorkshopError):
        promote(second_waiting.registration, by=front_desk)
    session.capacity = 3
    session.save()
    promoted = promote(second_waiting.registration, by=front_desk)
    assert (promoted.state, Registration.objects.get(pk=first_waiting.registration.pk).state) == (
        RegistrationState.REGISTERED,
        RegistrationState.WAITLISTED,
    )


def test_an_outsider_cannot_promote_or_cancel(session, outsider):
    seated = register(session, registrant=person(1))
    for action in (promote, cancel_registration):
        with pytest.raises(WorkshopError):
            action(seated.registration, by=outsider)
    assert states(session) == ["registered"]


def test_cancelling_a_session_tells_everyone_and_offers_the_next(session, front_desk):
    following = WorkshopSessionFactory(
        workshop=session.workshop, starts=session.starts + timedelta(days=28)
    )
    for n in range(3):
        register(session, registrant=person(n))
    cancel_session(session, by=front_desk)
    cancelled = OutboundMessage.objects.filter(template="workshop_cancelled")
    assert (states(session), cancelled.count()) == (["cancelled"] * 3, 3)
    assert f"/classes/{following.pk}/" in cancelled.first().body
    assert "METHOD:CANCEL" in cancelled.first().attachment


def test_every_change_is_audited(session, front_desk):
    seated = register(session, registrant=person(1), by=front_desk)
    cancel_registration(seated.registration, by=front_desk)
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.registration.")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("jobhelp.registration.created", front_desk.pk),
        ("jobhelp.registration.cancelled", front_desk.pk),
    ]


def test_an_altered_link_opens_nothing(session):
    result = register(session, registrant=person(1))
    with pytest.raises(LinkUnknown):
        registration_for_token(result.token[:-1] + ("A" if result.token[-1] != "A" else "B"))
    assert registration_for_token(result.token) == result.registration


def test_old_registrations_lose_their_personal_details_but_keep_their_counts(session):
    result = register(session, registrant=person(1, phone="+17635550101"))
    assert domain.erase_past_registrations(older_than=timedelta(days=180)) == 0
    later = session.ends + timedelta(days=181)
    assert domain.erase_past_registrations(older_than=timedelta(days=180), now=later) == 1
    erased = Registration.objects.get(pk=result.registration.pk)
    assert (erased.name, erased.phone, erased.email, erased.state) == ("", "", "", "registered")
    assert list(OutboundMessage.objects.values_list("to", "subject", "body")) == [("", "", "")]
    with pytest.raises(LinkUnknown):
        registration_for_token(result.token)
