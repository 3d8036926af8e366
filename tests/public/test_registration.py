"""Registering for a class from its page, and the registrant's own page behind the secret link:
the state, the join details, taking an offered seat, leaving, the calendar file.

The clock is fixed at NOW (django.utils.timezone.now is patched)."""

import re
from datetime import UTC, timedelta
from html import unescape

import pytest
from django.test import Client

from jobhelp.core.links import GUESS_LIMIT
from jobhelp.core.models import AuditEntry, RateLimitBucket
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops import domain
from jobhelp.workshops import links as workshop_links
from jobhelp.workshops.domain import Registrant
from jobhelp.workshops.enums import Delivery, RegistrationState
from jobhelp.workshops.models import Registration, RegistrationLink
from jobhelp.workshops.sessions import cancel_session
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.forms_in_html import form_values
from tests.scheduling.times import local

NOW = local(2027, 2, 1, 12)
STARTS = local(2027, 2, 3, 10)
JOIN_URL = "https://meet.example.org/secret-room-4417"
ALREADY = (
    "This phone number or email is already registered for this session. Check the email we "
    "sent you, or call us."
)
SECRET_HEADERS = {
    "Referrer-Policy": "strict-origin",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
KEY = "k" * 32


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def session(library, central):
    workshop = WorkshopFactory(
        organization=library,
        title="Online Interviewing Tips",
        capacity=2,
        delivery=Delivery.VIDEO,
        materials="A phone with a camera",
    )
    return WorkshopSessionFactory(
        workshop=workshop,
        location=central,
        starts=STARTS,
        ends=STARTS + timedelta(hours=1),
        capacity=2,
        join_url=JOIN_URL,
    )


def text(html: str) -> str:
    html = re.sub(r"</?(a|span|strong)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def main(response) -> str:
    return text(re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)[1])


def details(response) -> dict[str, str]:
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", response.content.decode(), re.S)
    return {text(term): text(value) for term, value in pairs}


def valid_post(**overrides) -> dict:
    data = {
        "name": "Rosa María Díaz",
        "phone": "(763) 555-0123",
        "email": "Rosa@Example.org",
        "preferred_contact": "email",
        "language": "es",
        "idempotency_key": KEY,
        "homepage": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(session, name: str, *, email: str = "", phone: str = "", language: str = "en"):
    """Someone registered through the domain, as another visitor would be."""
    return domain.register(
        session,
        registrant=Registrant(name=name, email=email, phone=phone, language=language),
        now=NOW,
    )


def page(token: str, action: str = "") -> str:
    return f"/classes/registration/{token}/" + (f"{action}/" if action else "")


def token_of(response) -> str:
    match = re.fullmatch(r"/classes/registration/([A-Za-z0-9_-]+)/", response["Location"])
    assert match, response["Location"]
    return match[1]


def snapshot() -> dict:
    """Everything registering or a page behind a link could change."""
    return {
        "registrations": list(
            Registration.objects.order_by("pk").values_list("pk", "state", "offer_expires_at")
        ),
        "links": list(RegistrationLink.objects.order_by("pk").values_list("pk")),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
        "messages": list(OutboundMessage.objects.order_by("pk").values_list("pk", "template")),
    }


# --- Registering ---------------------------------------------------------------------------------


def test_registering_takes_a_seat_and_shows_the_registrants_page(client, session):
    response = client.post(f"/classes/{session.pk}/", valid_post(language="en"))

    registration = Registration.objects.get()
    assert response.status_code == 303
    token = token_of(response)
    assert workshop_links.registration_for_token(token) == registration
    assert (
        registration.session,
        registration.name,
        registration.phone,
        registration.email,
        registration.language,
        registration.state,
        registration.registered_by,
    ) == (session, "Rosa María Díaz", "+17635550123", "rosa@example.org", "en", "registered", None)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "jobhelp.registration.created"
    ]

    shown = client.get(response["Location"])

    assert shown.status_code == 200
    assert details(shown) == {
        "Class": "Online Interviewing Tips",
        "Hosted by": session.workshop.organization.name,
        "When": "Wednesday, Feb. 3, 2027, 10 a.m. (CST) – 11 a.m.",
        "Where": "Online, by video link",
        "How to join": JOIN_URL,
        "What to bring": "A phone with a camera",
        "Status": "Registered",
    }
    assert "You have a seat in this class." in main(shown)
    assert f'href="{JOIN_URL}"' in shown.content.decode()
    assert f'href="{page(token)}calendar.ics"' in shown.content.decode()


def test_the_confirmation_is_queued_with_the_calendar_file(client, session):
    client.post(f"/classes/{session.pk}/", valid_post(language="en"))

    message = OutboundMessage.objects.get()
    assert (message.to, message.template, message.language, message.attachment_name) == (
        "rosa@example.org",
        "workshop_registered",
        "en",
        "class.ics",
    )
    assert "BEGIN:VEVENT" in message.attachment
    assert JOIN_URL in message.attachment
    assert "/classes/registration/" in message.body


def test_a_full_session_puts_the_patron_on_the_waitlist(client, session):
    register(session, "Ana", phone="+17635550101")
    register(session, "Ben", phone="+17635550102")

    response = client.post(f"/classes/{session.pk}/", valid_post(language="en"))
    shown = client.get(response["Location"])

    registration = Registration.objects.get(name="Rosa María Díaz")
    assert registration.state == RegistrationState.WAITLISTED
    assert "You are number 1 on the waitlist." in main(shown)
    assert "How to join" not in details(shown)
    assert "secret-room" not in shown.content.decode()
    assert 'id="calendar-file"' not in shown.content.decode()
    assert OutboundMessage.objects.get().template == "workshop_waitlisted"


def test_the_form_sent_twice_registers_once_and_shows_the_same_page(client, session):
    first = client.post(f"/classes/{session.pk}/", valid_post())
    again = client.post(f"/classes/{session.pk}/", valid_post())

    assert (first.status_code, again.status_code) == (303, 303)
    assert again["Location"] == first["Location"]
    assert Registration.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_the_same_phone_from_another_form_does_not_reveal_the_link(client, session):
    first = client.post(f"/classes/{session.pk}/", valid_post())
    token = token_of(first)

    again = client.post(
        f"/classes/{session.pk}/",
        valid_post(
            name="Someone Else", email="", preferred_contact="none", idempotency_key="z" * 32
        ),
    )

    assert again.status_code == 409
    assert ALREADY in main(again)
    assert token not in again.content.decode()
    assert "/classes/registration/" not in again.content.decode()
    assert Registration.objects.count() == 1


def test_the_same_form_sent_from_another_browser_does_not_reveal_the_link(client, session):
    first = client.post(f"/classes/{session.pk}/", valid_post())
    token = token_of(first)

    copied = Client().post(f"/classes/{session.pk}/", valid_post())

    assert copied.status_code == 409
    assert ALREADY in main(copied)
    assert token not in copied.content.decode()
    assert Registration.objects.count() == 1


def test_the_same_email_with_another_phone_is_already_registered(client, session):
    client.post(f"/classes/{session.pk}/", valid_post(phone=""))

    again = client.post(
        f"/classes/{session.pk}/",
        valid_post(phone="", email="ROSA@example.org ", idempotency_key="y" * 32),
    )

    assert (again.status_code, Registration.objects.count()) == (409, 1)
    assert ALREADY in main(again)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"phone": "", "email": ""},
            "Give a phone number or an email address so we can reach you.",
        ),
        ({"phone": "123"}, "That does not look like a working phone number."),
        ({"phone": "call me maybe"}, "Enter a phone number with area code"),
        ({"email": "rosa-at-example"}, "Enter a valid email address."),
        ({"name": ""}, "Enter your name."),
        ({"name": "R" * 121}, "Ensure this value has at most 120 characters (it has 121)."),
        ({"name": "Rosa\r\nBcc: x@example.com"}, "Please keep this on one line."),
        ({"name": "12345"}, "Please enter a name with at least one letter."),
        ({"language": "klingon"}, "Choose a language from the list."),
        ({"language": None}, "This field is required."),
        (
            {"idempotency_key": ""},
            "This form is out of date. Please reload the page and try again.",
        ),
        ({"idempotency_key": "x" * 65}, "This form is out of date."),
        ({"homepage": "http://spam.example"}, "Please leave this field empty."),
        ({"preferred_contact": None}, "Choose how we should send your messages."),
        # Texting is off in this installation: texts are not offered.
        ({"preferred_contact": "text"}, "Choose one of the ways listed."),
        (
            {"preferred_contact": "email", "email": ""},
            "You chose email; please add an email address above, or choose another way.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    client, session, overrides, message
):
    before = snapshot()

    response = client.post(f"/classes/{session.pk}/", valid_post(**overrides))

    assert response.status_code == 200
    assert message in main(response)
    assert snapshot() == before
    # What was typed is kept (the key is a fresh one, and the honeypot is never echoed).
    kept = form_values(response)
    for field in ("name", "phone", "email"):
        if field in overrides and overrides[field] is not None:
            assert kept[field] == [overrides[field]]


def test_texts_without_a_phone_number_are_refused_and_nothing_lost(client, session, texting):
    before = snapshot()

    response = client.post(
        f"/classes/{session.pk}/", valid_post(phone="", preferred_contact="text")
    )

    assert response.status_code == 200
    assert (
        "You chose text messages; please add a mobile phone number above, or choose another way."
        in main(response)
    )
    assert snapshot() == before
    kept = form_values(response)
    assert (kept["name"], kept["email"], kept["preferred_contact"]) == (
        ["Rosa María Díaz"],
        ["Rosa@Example.org"],
        ["text"],
    )
    # With neither a phone nor an email, the one message is about the texts.
    neither = client.post(
        f"/classes/{session.pk}/", valid_post(phone="", email="", preferred_contact="text")
    )
    assert list(neither.context["form"].errors) == ["preferred_contact"]


def test_the_form_offers_texts_only_while_texting_is_on(client, session, settings):
    def ways():
        return [
            v
            for v, _label in client.get(f"/classes/{session.pk}/")
            .context["form"]
            .fields["preferred_contact"]
            .choices
        ]

    off = ways()
    settings.SMS_BACKEND = "jobhelp.notifications.sms.LocmemBackend"
    settings.SMS_FROM_NUMBER = "+17635550100"
    assert (off, ways()) == (["email", "none"], ["email", "text", "none"])


def test_a_patron_with_only_a_phone_who_chose_texts_is_texted(client, session, texting):
    response = client.post(
        f"/classes/{session.pk}/", valid_post(email="", preferred_contact="text")
    )
    shown = client.get(response["Location"])

    assert list(OutboundMessage.objects.values_list("template", "channel", "to", "language")) == [
        ("workshop_registered", "sms", "+17635550123", "es")
    ]
    assert JOIN_URL in OutboundMessage.objects.get().body
    # In the language they chose for their messages, not the browser's (English here).
    assert "Le enviamos un mensaje de texto con los detalles" in main(shown)


@pytest.mark.parametrize(
    ("first", "already"),
    [
        (
            {"email": "", "preferred_contact": "none"},
            "This phone number or email is already registered for this session. We did not "
            "send a message about it; call us and we will give you the details.",
        ),
        (
            {"email": "", "preferred_contact": "text"},
            "This phone number or email is already registered for this session. Check the text "
            "message we sent you, or call us.",
        ),
        ({}, ALREADY),
    ],
)
def test_already_registered_names_only_a_message_that_was_sent(
    client, session, texting, first, already
):
    client.post(f"/classes/{session.pk}/", valid_post(language="en", **first))

    again = Client().post(
        f"/classes/{session.pk}/",
        valid_post(email="", preferred_contact="none", idempotency_key="w" * 32),
    )

    assert (again.status_code, Registration.objects.count()) == (409, 1)
    assert already in main(again)


def test_a_cancelled_session_refuses_a_late_form(client, session, library, front_desk):
    from jobhelp.workshops.models import WorkshopSession

    WorkshopSession.objects.filter(pk=session.pk).update(state="cancelled")
    before = snapshot()

    response = client.post(f"/classes/{session.pk}/", valid_post())

    assert response.status_code == 409
    assert "This session was cancelled." in main(response)
    assert 'id="register-form"' not in response.content.decode()
    assert snapshot() == before


def test_too_many_registrations_from_one_address_are_429(client, session, settings):
    settings.FORM_RATE_LIMIT = 1
    client.post(f"/classes/{session.pk}/", valid_post())
    before = snapshot()

    response = Client().post(
        f"/classes/{session.pk}/",
        valid_post(
            name="Luis",
            phone="763-555-0188",
            email="",
            preferred_contact="none",
            idempotency_key="q" * 32,
        ),
    )

    assert response.status_code == 429
    assert "Please wait a little while" in main(response)
    assert form_values(response)["name"] == ["Luis"]
    assert snapshot() == before
    assert RateLimitBucket.objects.get().hits == 1


def test_a_room_of_patrons_behind_one_address_can_all_register(library, central):
    """Twelve people at a branch's computers (one address, a browser each) fill a class and
    its waitlist; the old limit of ten an address refused the last two."""
    busy = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library, capacity=10),
        location=central,
        starts=STARTS,
        ends=STARTS + timedelta(hours=1),
    )
    answers = [
        Client().post(
            f"/classes/{busy.pk}/",
            valid_post(
                name=f"Patron {n}",
                phone=f"763-555-{1000 + n}",
                email=f"p{n}@example.org",
                idempotency_key=f"{n:02d}" * 16,
            ),
        )
        for n in range(12)
    ]
    assert [a.status_code for a in answers] == [303] * 12
    assert Registration.objects.filter(session=busy).count() == 12


def test_one_browser_gets_its_share_and_the_next_browser_is_not_refused(client, session, settings):
    settings.FORM_BROWSER_RATE_LIMIT = 1
    first = client.post(f"/classes/{session.pk}/", valid_post())
    luis = valid_post(
        name="Luis", phone="763-555-0188", email="luis@example.org", idempotency_key="q" * 32
    )
    second = client.post(f"/classes/{session.pk}/", luis)
    elsewhere = Client().post(f"/classes/{session.pk}/", luis)
    assert (first.status_code, second.status_code, elsewhere.status_code) == (303, 429, 303)
    assert form_values(second)["name"] == ["Luis"]
    assert sorted(Registration.objects.values_list("name", flat=True)) == [
        "Luis",
        "Rosa María Díaz",
    ]


def test_mistakes_and_the_same_form_again_do_not_count(client, session, settings):
    settings.FORM_RATE_LIMIT = 1
    settings.FORM_BROWSER_RATE_LIMIT = 1
    for mistake in (valid_post(email="", phone=""), valid_post(name=""), valid_post(email="x@")):
        assert client.post(f"/classes/{session.pk}/", mistake).status_code == 200
    sent = client.post(f"/classes/{session.pk}/", valid_post())
    again = client.post(f"/classes/{session.pk}/", valid_post())

    assert (sent.status_code, again.status_code, again["Location"]) == (303, 303, sent.url)
    assert (Registration.objects.count(), RateLimitBucket.objects.get().hits) == (1, 1)


# --- The registrant's page -----------------------------------------------------------------------


def test_an_unknown_or_altered_link_is_a_clear_404(client, session):
    token = register(session, "Ana", email="ana@example.org").token

    for wrong in ("nothing-here", token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = client.get(page(wrong))

        assert response.status_code == 404
        assert "This link does not work" in main(response)
        assert {k: response[k] for k in SECRET_HEADERS} == SECRET_HEADERS
        for action in ("accept", "leave"):
            assert client.post(page(wrong, action), {"confirm": "on"}).status_code == 404
        assert client.get(page(wrong) + "calendar.ics").status_code == 404


def test_a_burst_of_unknown_links_from_one_address_is_refused_in_the_visitors_language(
    client, session
):
    token = register(session, "Ana", email="ana@example.org").token
    guesser, holder = "203.0.113.7", "198.51.100.2"
    burst = [
        client.get(page(f"guess-{n}"), REMOTE_ADDR=guesser).status_code for n in range(GUESS_LIMIT)
    ]

    refused = client.get(page("guess-more"), REMOTE_ADDR=guesser, HTTP_ACCEPT_LANGUAGE="es")

    assert burst == [404] * GUESS_LIMIT
    assert (refused.status_code, main(refused).split(" Qué puede hacer")[0]) == (
        429,
        "Por favor, espere un poco No abrimos este enlace porque desde esta conexión se "
        "probaron muchos enlaces que no funcionan en poco tiempo. Por favor, inténtelo de "
        "nuevo en 60 minutos.",
    )
    assert {k: refused[k] for k in SECRET_HEADERS} == SECRET_HEADERS
    assert client.get(page(token) + "calendar.ics", REMOTE_ADDR=guesser).status_code == 429
    assert (
        client.get(page(token), REMOTE_ADDR=holder).status_code,
        client.get(page("guess-more"), REMOTE_ADDR=holder).status_code,
    ) == (200, 404)


def test_opening_the_page_changes_nothing(client, session):
    register(session, "Ana", email="ana@example.org")
    register(session, "Ben", email="ben@example.org")
    waiting = register(session, "Cleo", email="cleo@example.org")
    before = snapshot()

    response = client.get(page(waiting.token))
    client.head(page(waiting.token))
    client.get(page(waiting.token, "accept"))
    client.get(page(waiting.token, "leave"))

    assert response.status_code == 200
    assert {k: response[k] for k in SECRET_HEADERS} == SECRET_HEADERS
    assert snapshot() == before


def test_leaving_frees_the_seat_for_the_next_person_waiting(client, session):
    ana = register(session, "Ana", email="ana@example.org")
    register(session, "Ben", phone="+17635550102")
    cleo = register(session, "Cleo", email="cleo@example.org", language="es")
    shown = client.get(page(ana.token))
    assert "Leave this class" in main(shown)

    response = client.post(page(ana.token, "leave"), {"confirm": "on"})

    assert (response.status_code, response["Location"]) == (303, page(ana.token))
    assert {r.name: r.state for r in Registration.objects.all()} == {
        "Ana": RegistrationState.CANCELLED,
        "Ben": RegistrationState.REGISTERED,
        "Cleo": RegistrationState.OFFERED,
    }
    offer = OutboundMessage.objects.get(template="workshop_offer")
    assert (offer.to, offer.language) == ("cleo@example.org", "es")
    cleo.registration.refresh_from_db()
    assert cleo.registration.offer_expires_at == NOW + timedelta(hours=24)

    after = client.get(page(ana.token))
    assert "You left the class. Your seat goes to the next person." in main(after)
    assert "You are no longer registered for this class." in main(after)
    assert 'id="leave-form"' not in after.content.decode()
    assert "secret-room" not in after.content.decode()


def test_leaving_needs_the_box_ticked(client, session):
    ana = register(session, "Ana", email="ana@example.org")
    before = snapshot()

    response = client.post(page(ana.token, "leave"), {})

    assert response.status_code == 200
    assert "Tick the box to confirm that you want to leave." in main(response)
    assert snapshot() == before


def test_leaving_the_waitlist(client, session):
    register(session, "Ana", phone="+17635550101")
    register(session, "Ben", phone="+17635550102")
    cleo = register(session, "Cleo", email="cleo@example.org")
    dan = register(session, "Dan", email="dan@example.org")
    assert "You are number 2 on the waitlist." in main(client.get(page(dan.token)))
    assert "Leave the waitlist" in main(client.get(page(cleo.token)))

    client.post(page(cleo.token, "leave"), {"confirm": "on"})

    assert "You left the waitlist." in main(client.get(page(cleo.token)))
    assert "You are number 1 on the waitlist." in main(client.get(page(dan.token)))
    assert not OutboundMessage.objects.filter(template="workshop_offer").exists()


def test_taking_an_offered_seat(client, session):
    ana = register(session, "Ana", phone="+17635550101")
    register(session, "Ben", phone="+17635550102")
    cleo = register(session, "Cleo", email="cleo@example.org")
    domain.cancel_registration(ana.registration, now=NOW)

    offered = client.get(page(cleo.token))

    assert "A seat is held for you until Tuesday, Feb. 2, 2027, noon (CST)." in main(offered)
    assert "How to join" not in details(offered)
    assert 'id="take-seat"' in offered.content.decode()

    response = client.post(page(cleo.token, "accept"))

    assert (response.status_code, response["Location"]) == (303, page(cleo.token))
    cleo.registration.refresh_from_db()
    assert cleo.registration.state == RegistrationState.REGISTERED
    assert OutboundMessage.objects.filter(template="workshop_confirmed").count() == 1
    shown = client.get(page(cleo.token))
    assert "The seat is yours. See you in class!" in main(shown)
    assert details(shown)["How to join"] == JOIN_URL


def test_an_offer_that_ran_out_cannot_be_taken(client, session, monkeypatch):
    ana = register(session, "Ana", phone="+17635550101")
    register(session, "Ben", phone="+17635550102")
    cleo = register(session, "Cleo", email="cleo@example.org")
    domain.cancel_registration(ana.registration, now=NOW)
    later = NOW + timedelta(hours=25)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later.astimezone(UTC))
    before = snapshot()

    shown = client.get(page(cleo.token))
    response = client.post(page(cleo.token, "accept"))

    assert "it was not taken in time" in main(shown)
    assert 'id="take-seat"' not in shown.content.decode()
    assert response.status_code == 409
    assert "This offer is no longer open." in main(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("state", "situation"),
    [
        (RegistrationState.LAPSED, "it was not taken in time"),
        (RegistrationState.CANCELLED, "You are no longer registered for this class."),
        (RegistrationState.ATTENDED, "You came to this class. Thank you!"),
        (RegistrationState.NO_SHOW, "You were marked as not coming to this class."),
    ],
)
def test_what_happened_is_said_without_join_details_or_forms(client, session, state, situation):
    ana = register(session, "Ana", email="ana@example.org")
    Registration.objects.filter(pk=ana.registration.pk).update(state=state)

    response = client.get(page(ana.token))

    assert situation in main(response)
    assert "secret-room" not in response.content.decode()
    assert 'id="leave-form"' not in response.content.decode()
    assert 'id="take-seat"' not in response.content.decode()


def test_a_cancelled_session_says_so_on_the_registrants_page(client, session, library, manager):
    ana = register(session, "Ana", email="ana@example.org")
    cancel_session(session, by=manager, now=NOW)

    response = client.get(page(ana.token))

    assert "This session was cancelled." in main(response)
    assert "secret-room" not in response.content.decode()


def test_the_calendar_file_is_for_a_registered_seat_only(client, session):
    register(session, "Ana", phone="+17635550101")
    ben = register(session, "Ben", email="ben@example.org")
    cleo = register(session, "Cleo", email="cleo@example.org")

    registered = client.get(page(ben.token) + "calendar.ics")
    waiting = client.get(page(cleo.token) + "calendar.ics")

    assert registered.status_code == 200
    assert registered["Content-Type"] == "text/calendar; charset=utf-8"
    assert registered["Content-Disposition"] == 'attachment; filename="class.ics"'
    assert registered["Cache-Control"] == "no-store"
    assert JOIN_URL in registered.content.decode()
    assert (waiting.status_code, waiting["Location"]) == (302, page(cleo.token))


def test_the_registrants_page_is_in_spanish(client, session):
    ana = register(session, "Ana", email="ana@example.org", language="es")

    response = client.get(page(ana.token), HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es"' in response.content.decode()
    assert details(response)["Cuándo"] == "Miércoles, 3 de febrero de 2027, 10:00 (CST) – 11:00"


def test_the_registrants_page_is_in_their_language_until_they_switch(client, session):
    session.workshop.title_es = "Entrevistas en línea"
    session.workshop.save()
    ana = register(session, "Ana", email="ana@example.org", language="es")

    chosen = client.get(page(ana.token), HTTP_ACCEPT_LANGUAGE="en-US,en")
    client.post("/i18n/setlang/", {"language": "en", "next": page(ana.token)})
    switched = client.get(page(ana.token), HTTP_ACCEPT_LANGUAGE="en-US,en")

    assert (details(chosen)["Clase"], details(switched)["Class"]) == (
        "Entrevistas en línea",
        "Online Interviewing Tips",
    )
    assert 'name="language" value="en"' in chosen.content.decode()
    assert "You have a seat in this class." in main(switched)


def test_a_registrant_in_a_language_the_site_lacks_reads_the_browsers(client, session):
    ana = register(session, "Ana", email="ana@example.org", language="so")

    response = client.get(page(ana.token), HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es"' in response.content.decode()


def test_a_class_the_workforce_center_hosts_gives_the_centers_number(client, central, center):
    """An online class keeps a library's clock, but the center helps: its number, not the
    library's."""
    center.phone = "763-555-0150"
    center.save()
    online = WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=center, delivery=Delivery.VIDEO),
        location=central,
        starts=STARTS,
        ends=STARTS + timedelta(hours=1),
    )
    ana = register(online, "Ana", email="ana@example.org")

    pages = [client.get(f"/classes/{online.pk}/"), client.get(page(ana.token))]

    assert [("763-555-0150" in main(p), central.phone in main(p)) for p in pages] == [
        (True, False),
        (True, False),
    ]
