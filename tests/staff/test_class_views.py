"""The staff class pages: the list, a class and its flyer, scheduling, a session's roster with
its actions, the sign-in sheet and the attendance CSV."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.notifications.models import OutboundMessage
from jobhelp.organizations.models import Location
from jobhelp.workshops import flyers
from jobhelp.workshops.enums import Delivery, RegistrationState, SessionState
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)
from tests.forms_in_html import form_values
from tests.workshops.files import tiny_pdf, tiny_png, upload

STAFF = ["front_desk", "helper", "manager"]
# Whole minutes, as sessions are scheduled; the change form shows no seconds.
NOW = timezone.now().replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def workshop(library):
    return WorkshopFactory(
        organization=library, title="Online Interviewing Tips", capacity=3, language="en"
    )


@pytest.fixture
def session(workshop, central):
    return WorkshopSessionFactory(
        workshop=workshop, location=central, starts=NOW + timedelta(days=5), capacity=3
    )


@pytest.fixture
def rosa(session):
    return RegistrationFactory(
        session=session,
        name="Rosa Martinez",
        phone="+16125550142",
        person_key="+16125550142",
        email="rosa.martinez@example.org",
        language="es",
    )


@pytest.fixture
def theirs(other_library):
    """Another organization's class, session and registrant: must never show up as ours."""
    workshop = WorkshopFactory(organization=other_library, title="Their Secret Class")
    location = LocationFactory(organization=other_library, name="Elsewhere Hall")
    session = WorkshopSessionFactory(
        workshop=workshop, location=location, starts=NOW + timedelta(days=3)
    )
    RegistrationFactory(session=session, name="Hidden Person", phone="+16125550199")
    return session


def snapshot():
    """Everything a refused or failed request must leave as it was."""
    return (
        list(Workshop.objects.order_by("pk").values_list()),
        sorted(Workshop.co_hosts.through.objects.values_list("workshop_id", "organization_id")),
        list(WorkshopSession.objects.order_by("pk").values_list()),
        list(Registration.objects.order_by("pk").values_list()),
        AuditEntry.objects.count(),
        OutboundMessage.objects.count(),
    )


def class_post(organization=None, **overrides) -> dict:
    data = {
        "title": "Online Interviewing Tips",
        "description": "Practise video interviews.",
        "audience": "Anyone with an interview coming up",
        "language": "en",
        "needs": ["interview", "digital"],
        "capacity": "12",
        "delivery": "video",
        "materials": "A résumé",
        "offer_hold_hours": "24",
        "co_hosts": [],
    }
    if organization is not None:
        data["organization"] = str(organization.pk)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def next_first_tuesday() -> date:
    """The first Tuesday of a month, at least two weeks ahead."""
    day = timezone.localdate() + timedelta(days=14)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def schedule_post(location, **overrides) -> dict:
    data = {
        "location": str(location.pk),
        "first": next_first_tuesday().isoformat(),
        "starts": "18:30",
        "minutes": "60",
        "recurrence": "monthly_nth",
        "count": "3",
        "host": "",
        "join_url": "https://meet.example.org/tips",
    }
    data.update(overrides)
    return data


def register_post(**overrides) -> dict:
    data = {
        "name": "Dale Jones",
        "phone": "612-555-0123",
        "email": "",
        "preferred_contact": "none",
        "language": "en",
        "idempotency_key": "k" * 32,
    }
    data.update(overrides)
    return data


def page_requests(client, session, registration) -> list:
    """Every class page and action about our class and session, as a persona would try them."""
    w, s, r = session.workshop.pk, session.pk, registration.pk
    return [
        client.get(f"/staff/classes/{w}/edit/"),
        client.post(f"/staff/classes/{w}/edit/", class_post(title="Changed")),
        client.get(f"/staff/classes/{w}/schedule/"),
        client.post(f"/staff/classes/{w}/schedule/", schedule_post(session.location)),
        client.get(f"/staff/classes/sessions/{s}/"),
        client.post(f"/staff/classes/sessions/{s}/register/", register_post()),
        client.post(f"/staff/classes/sessions/{s}/change/", {"capacity": "9"}),
        client.get(f"/staff/classes/sessions/{s}/cancel/"),
        client.post(f"/staff/classes/sessions/{s}/cancel/"),
        client.post(f"/staff/classes/sessions/{s}/attendance/", {"attended": [str(r)]}),
        client.get(f"/staff/classes/sessions/{s}/sign-in/"),
        client.post(f"/staff/classes/sessions/{s}/registrations/{r}/cancel/"),
        client.post(f"/staff/classes/sessions/{s}/registrations/{r}/promote/"),
        client.get(f"/staff/classes/attendance.csv?workshop={w}"),
    ]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may open what ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, session, rosa):
    before = snapshot()

    responses = [
        client.get("/staff/classes/"),
        client.get("/staff/classes/new/"),
        client.post("/staff/classes/new/", class_post()),
        client.get(f"/staff/classes/{session.workshop.pk}/flyer/"),
        *page_requests(client, session, rosa),
    ]

    assert [r.status_code for r in responses] == [302] * 18
    assert all(r.url.startswith("/staff/login/?next=/staff/classes/") for r in responses)
    assert snapshot() == before


def test_logins_without_membership_are_refused(client, no_membership, session, rosa):
    client.force_login(no_membership)
    before = snapshot()

    responses = [
        client.get("/staff/classes/"),
        client.get("/staff/classes/new/"),
        client.post("/staff/classes/new/", class_post()),
        client.get(f"/staff/classes/{session.workshop.pk}/flyer/"),
        *page_requests(client, session, rosa),
    ]

    assert [r.status_code for r in responses] == [403] * 18
    assert all(b"Rosa" not in r.content for r in responses)
    assert snapshot() == before


def test_another_organizations_class_and_session_are_not_found(client, outsider, session, rosa):
    client.force_login(outsider)
    before = snapshot()

    responses = page_requests(client, session, rosa)

    assert [r.status_code for r in responses] == [404] * 14
    assert all(b"Rosa" not in r.content for r in responses)
    assert snapshot() == before


def test_a_registration_of_another_session_is_not_found(client, manager, session, theirs):
    client.force_login(manager)
    stranger = theirs.registrations.get()
    before = snapshot()

    responses = [
        client.post(f"/staff/classes/sessions/{session.pk}/registrations/{stranger.pk}/cancel/"),
        client.post(f"/staff/classes/sessions/{session.pk}/registrations/{stranger.pk}/promote/"),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert snapshot() == before


@pytest.mark.parametrize("persona", STAFF)
def test_staff_of_the_host_open_every_page(client, log_in, persona, session, rosa):
    log_in(persona)
    w, s = session.workshop.pk, session.pk

    responses = [
        client.get("/staff/classes/"),
        client.get("/staff/classes/new/"),
        client.get(f"/staff/classes/{w}/edit/"),
        client.get(f"/staff/classes/{w}/schedule/"),
        client.get(f"/staff/classes/sessions/{s}/"),
        client.get(f"/staff/classes/sessions/{s}/cancel/"),
        client.get(f"/staff/classes/sessions/{s}/sign-in/"),
        client.get("/staff/classes/attendance.csv"),
    ]

    assert [r.status_code for r in responses] == [200] * 8


def test_a_branch_of_a_co_host_runs_the_class_too(client, library, other_library, theirs):
    theirs.workshop.co_hosts.add(library)
    front_desk = staff_member(library, Role.FRONT_DESK)
    client.force_login(front_desk)

    roster = client.get(f"/staff/classes/sessions/{theirs.pk}/")

    assert roster.status_code == 200
    assert b"Hidden Person" in roster.content


@pytest.mark.parametrize("persona", ["front_desk", "outsider"])
def test_the_menu_links_to_the_classes(client, log_in, persona):
    log_in(persona)

    response = client.get("/staff/")

    assert b'href="/staff/classes/">Classes</a>' in response.content


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_our_classes_and_their_sessions_only(client, manager, session, rosa, theirs):
    WorkshopSessionFactory(workshop=session.workshop, starts=NOW - timedelta(days=30))
    RegistrationFactory(session=session, state=RegistrationState.WAITLISTED)
    client.force_login(manager)

    response = client.get("/staff/classes/")

    rows = response.context["rows"]
    assert [(r["workshop"].title, [i["session"].pk for i in r["sessions"]]) for r in rows] == [
        ("Online Interviewing Tips", [session.pk])
    ]
    listed = rows[0]["sessions"][0]["session"]
    assert (listed.held, listed.capacity, listed.waiting) == (1, 3, 1)
    assert b"1 of 3" in response.content
    assert b"Their Secret Class" not in response.content
    assert b'href="/staff/classes/new/"' in response.content


def test_the_list_shows_a_session_that_just_happened_for_attendance(client, manager, workshop):
    past = WorkshopSessionFactory(workshop=workshop, starts=NOW - timedelta(days=2))
    client.force_login(manager)

    response = client.get("/staff/classes/")

    assert [i["session"].pk for i in response.context["rows"][0]["sessions"]] == [past.pk]
    assert b"Roster and attendance" in response.content


def _classes_with_sessions(library, n: int) -> None:
    for k in range(n):
        workshop = WorkshopFactory(organization=library, title=f"Class {k}")
        workshop.co_hosts.add(LocationFactory().organization)
        host = staff_member(library, Role.HELPER)
        for d in range(n):
            s = WorkshopSessionFactory(
                workshop=workshop, starts=NOW + timedelta(days=d + 1), host=host
            )
            RegistrationFactory(session=s)


def test_the_list_takes_the_same_number_of_queries_for_1_or_3_classes(
    client, manager, library, django_assert_num_queries
):
    client.force_login(manager)
    _classes_with_sessions(library, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/classes/").status_code == 200
    _classes_with_sessions(library, 2)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/classes/")

    assert sum(len(r["sessions"]) for r in response.context["rows"]) == 1 + 4
    assert len(three.captured_queries) == len(one.captured_queries)


# --- Creating and editing a class -----------------------------------------------------------------


def test_staff_create_a_class_with_co_hosts_and_a_flyer(
    client, manager, library, other_library, media
):
    client.force_login(manager)

    response = client.post(
        "/staff/classes/new/",
        {
            **class_post(library, co_hosts=[str(other_library.pk)]),
            "flyer": upload("Interview flyer.pdf", tiny_pdf()),
        },
    )

    workshop = Workshop.objects.get()
    assert (response.status_code, response.url) == (302, f"/staff/classes/{workshop.pk}/schedule/")
    assert (
        workshop.organization,
        workshop.title,
        workshop.needs,
        workshop.capacity,
        workshop.delivery,
        workshop.offer_hold_hours,
        workshop.no_show_frees_later_seats,
        list(workshop.co_hosts.all()),
    ) == (library, "Online Interviewing Tips", ["interview", "digital"], 12, "video", 24, False,
          [other_library])  # fmt: skip
    assert workshop.flyer.name.endswith(".pdf")
    assert "Interview" not in workshop.flyer.name
    assert (Path(media) / workshop.flyer.name).read_bytes() == tiny_pdf()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor")) == [
        ("jobhelp.workshop.created", manager.pk),
        ("jobhelp.workshop.flyer_set", manager.pk),
    ]


def test_the_new_class_form_offers_only_our_organizations_as_host(
    client, manager, library, branch, other_library
):
    client.force_login(manager)

    form = client.get("/staff/classes/new/").context["form"]

    assert list(form.fields["organization"].queryset) == [branch, library]
    assert set(form.fields["co_hosts"].queryset) == {library, branch, other_library}
    assert form.fields["offer_hold_hours"].initial == 24


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"capacity": "0"}, "capacity", "A class needs at least one seat."),
        ({"capacity": "lots"}, "capacity", "Enter the number of seats as a whole number, like 12."),
        ({"delivery": "carrier_pigeon"}, "delivery", "Choose how the class is given."),
        ({"needs": ["astrology"]}, "needs", "Choose needs from the list."),
        ({"offer_hold_hours": "0"}, "offer_hold_hours", "at least one hour"),
        ({"co_hosts": ["999999"]}, "co_hosts", "Choose partners from the list."),
        ({"title": "Tips\r\nBcc: x@example.org"}, "title", "Please keep this on one line."),
        ({"title_es": "Consejos\r\nBcc: x"}, "title_es", "Please keep this on one line."),
        (
            {"title_es": "E" * 121},
            "title_es",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
    ],
)
def test_bad_class_input_is_refused_with_a_message(
    client, manager, library, overrides, field, message
):
    client.force_login(manager)
    before = snapshot()

    response = client.post("/staff/classes/new/", class_post(library, **overrides))

    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert message.encode() in response.content
    assert snapshot() == before


def test_a_class_in_two_languages_is_shown_in_the_readers(client, manager, library):
    client.force_login(manager)
    client.post(
        "/staff/classes/new/",
        class_post(
            library,
            title_es="Consejos para entrevistas en línea",
            description_es="Practique entrevistas por video.",
        ),
    )
    workshop = Workshop.objects.get()
    edit = client.get(f"/staff/classes/{workshop.pk}/edit/").context["form"]
    listed = client.get("/staff/classes/", HTTP_ACCEPT_LANGUAGE="es")

    assert (workshop.title_es, workshop.description_es) == (
        "Consejos para entrevistas en línea",
        "Practique entrevistas por video.",
    )
    assert (edit["title_es"].value(), edit["description_es"].value()) == (
        "Consejos para entrevistas en línea",
        "Practique entrevistas por video.",
    )
    assert (
        b'<h2 id="class-%d-heading">Consejos para entrevistas en l\xc3\xadnea</h2>' % (workshop.pk)
        in listed.content
    )


def test_a_host_cannot_be_its_own_co_host(client, manager, library):
    client.force_login(manager)
    before = snapshot()

    response = client.post("/staff/classes/new/", class_post(library, co_hosts=[str(library.pk)]))

    assert response.context["form"].errors["co_hosts"] == [
        "The host organization cannot also be a co-host."
    ]
    assert snapshot() == before


def test_a_class_for_another_organization_is_refused(client, manager, library, other_library):
    client.force_login(manager)
    before = snapshot()

    response = client.post("/staff/classes/new/", class_post(other_library))

    assert response.context["form"].errors["organization"] == ["Choose one of your organizations."]
    assert snapshot() == before


def test_typed_values_are_kept_after_a_refusal(client, manager, library):
    client.force_login(manager)
    posted = class_post(library, capacity="0", no_show_frees_later_seats="on")

    response = client.post("/staff/classes/new/", posted)

    values = form_values(response)
    assert values["title"] == ["Online Interviewing Tips"]
    assert values["needs"] == ["interview", "digital"]
    assert values["capacity"] == ["0"]
    assert values["delivery"] == ["video"]
    assert values["no_show_frees_later_seats"] == ["on"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("flyer.pdf", b"<html><script>alert(1)</script></html>", "whatever its name says"),
        ("flyer.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024), "larger than 5 MB"),
        ("flyer.pdf", b"", "The flyer file is empty."),
    ],
)
def test_a_bad_flyer_is_refused_and_nothing_is_written(
    client, manager, library, media, name, content, message
):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        "/staff/classes/new/", {**class_post(library), "flyer": upload(name, content)}
    )

    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["flyer"])
    assert message.encode() in response.content
    # The other fields arrived: only the flyer is refused.
    assert form_values(response)["title"] == ["Online Interviewing Tips"]
    assert snapshot() == before
    assert [p for p in Path(media).rglob("*") if p.is_file()] == []


def test_a_large_flyer_never_reaches_the_form_whole(client, manager, library, monkeypatch):
    """The size limit drops the file while it arrives: the form never gets a 6 MB file."""
    seen = []
    real = flyers.validate_flyer
    monkeypatch.setattr(flyers, "validate_flyer", lambda f: seen.append(f.size) or real(f))
    client.force_login(manager)

    client.post(
        "/staff/classes/new/",
        {**class_post(library), "flyer": upload("big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024))},
    )

    assert seen == []


def test_staff_edit_a_class_and_replace_its_flyer(client, helper, workshop, other_library, media):
    client.force_login(helper)

    response = client.post(
        f"/staff/classes/{workshop.pk}/edit/",
        {
            **class_post(
                title="Online Interviewing Tips",
                capacity="3",
                co_hosts=[str(other_library.pk)],
                no_show_frees_later_seats="on",
            ),
            "flyer": upload("new.png", tiny_png(), "image/png"),
        },
    )

    workshop.refresh_from_db()
    assert (response.status_code, response.url) == (302, f"/staff/classes/#class-{workshop.pk}")
    assert workshop.no_show_frees_later_seats is True
    assert list(workshop.co_hosts.all()) == [other_library]
    assert workshop.flyer.name.endswith(".png")
    updated = AuditEntry.objects.get(action="jobhelp.workshop.updated")
    assert updated.data == {
        "fields": [
            "audience",
            "co_hosts",
            "description",
            "materials",
            "needs",
            "no_show_frees_later_seats",
        ]
    }


def test_the_edit_form_keeps_the_host_and_shows_the_class(client, manager, workshop, other_library):
    workshop.co_hosts.add(other_library)
    client.force_login(manager)

    response = client.get(f"/staff/classes/{workshop.pk}/edit/")

    form = response.context["form"]
    assert "organization" not in form.fields
    assert workshop.organization not in form.fields["co_hosts"].queryset
    assert form_values(response)["co_hosts"] == [str(other_library.pk)]
    assert form_values(response)["title"] == ["Online Interviewing Tips"]


def test_posting_a_host_on_edit_does_not_move_the_class(client, manager, library, workshop, branch):
    client.force_login(manager)

    client.post(f"/staff/classes/{workshop.pk}/edit/", class_post(branch, capacity="3"))

    assert Workshop.objects.get().organization == library


# --- Scheduling -----------------------------------------------------------------------------------


def test_staff_schedule_monthly_sessions(client, manager, workshop, central, helper):
    client.force_login(manager)

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/", schedule_post(central, host=str(helper.pk))
    )

    assert (response.status_code, response.url) == (302, f"/staff/classes/#class-{workshop.pk}")
    sessions = list(WorkshopSession.objects.order_by("starts"))
    local = [s.starts.astimezone(central.zone) for s in sessions]
    assert [(d.weekday(), (d.day - 1) // 7, d.strftime("%H:%M")) for d in local] == [
        (1, 0, "18:30")
    ] * 3
    assert {(s.host, s.capacity, s.join_url) for s in sessions} == {
        (helper, 3, "https://meet.example.org/tips")
    }


def test_the_schedule_preview_writes_nothing(client, manager, workshop, central):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/", {**schedule_post(central), "preview": "1"}
    )

    assert response.status_code == 200
    assert len(response.context["preview"]) == 3
    assert snapshot() == before


def test_a_start_in_the_spring_gap_moves_after_it(client, manager, workshop, central):
    year = timezone.localdate().year + 1
    march = date(year, 3, 1)
    second_sunday = march + timedelta(days=(6 - march.weekday()) % 7 + 7)
    client.force_login(manager)

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/",
        schedule_post(central, first=second_sunday.isoformat(), starts="02:30", recurrence="once"),
        follow=True,
    )

    session = WorkshopSession.objects.get()
    assert session.starts.astimezone(central.zone).strftime("%H:%M") == "03:30"
    assert any("the clocks change" in m.lower() for m in messages_of(response))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first": "2020-01-07"}, "first", "The first date is in the past."),
        ({"first": "next tuesday"}, "first", "Enter a date like 2026-03-03."),
        ({"count": "0"}, "count", "Make at least one session."),
        ({"count": "105"}, "count", "Make at most 104 sessions at a time."),
        ({"starts": "25:00"}, "starts", "Enter a time like 18:30."),
        ({"minutes": "2"}, "minutes", "A session lasts at least 5 minutes."),
        ({"recurrence": "daily"}, "recurrence", "Choose how often the class meets."),
        ({"join_url": "javascript:alert(1)"}, "join_url", "Enter a web address"),
    ],
)
def test_bad_schedule_input_is_refused_with_a_message(
    client, manager, workshop, central, overrides, field, message
):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/", schedule_post(central, **overrides)
    )

    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert snapshot() == before


def test_a_location_of_another_organization_is_refused(client, manager, workshop, theirs):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/", schedule_post(theirs.location)
    )

    assert response.context["form"].errors["location"] == [
        "Choose a location of the host organization."
    ]
    assert snapshot() == before


def test_a_host_from_another_organization_is_refused(client, manager, workshop, central, outsider):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/", schedule_post(central, host=str(outsider.pk))
    )

    assert response.context["form"].errors["host"] == ["Choose a staff member from the list."]
    assert snapshot() == before


def test_a_start_earlier_today_is_refused_by_the_domain(client, manager, workshop, central):
    local_now = timezone.now().astimezone(central.zone)
    if local_now.hour == 0:
        pytest.skip("no earlier time today")
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/{workshop.pk}/schedule/",
        schedule_post(
            central, first=local_now.date().isoformat(), starts="00:00", recurrence="once"
        ),
    )

    assert response.context["form"].non_field_errors() == ["Sessions must start in the future."]
    assert snapshot() == before


def test_a_phone_class_needs_its_conference_line(client, manager, library, central):
    workshop = WorkshopFactory(organization=library, delivery=Delivery.PHONE)
    client.force_login(manager)
    before = snapshot()

    refused = client.post(f"/staff/classes/{workshop.pk}/schedule/", schedule_post(central))
    assert refused.context["form"].errors["conference_phone"] == [
        "Enter the phone number people call."
    ]
    assert snapshot() == before

    client.post(
        f"/staff/classes/{workshop.pk}/schedule/",
        schedule_post(
            central, recurrence="once", conference_phone="763-555-0100", conference_code="4242"
        ),
    )
    assert list(WorkshopSession.objects.values_list("conference_phone", "conference_code")) == [
        ("763-555-0100", "4242")
    ]


def test_the_schedule_form_offers_our_locations_and_people(
    client, manager, workshop, central, branch, outsider, theirs
):
    client.force_login(manager)

    form = client.get(f"/staff/classes/{workshop.pk}/schedule/").context["form"]

    assert set(form.fields["location"].queryset) == {central, branch.locations.get()}
    assert outsider not in form.fields["host"].queryset
    assert manager in form.fields["host"].queryset


# --- The roster -----------------------------------------------------------------------------------


def test_the_roster_shows_everyone_in_their_place(client, front_desk, session, rosa):
    offered = RegistrationFactory(
        session=session,
        name="Omar Offered",
        state=RegistrationState.OFFERED,
        offer_expires_at=NOW + timedelta(hours=20),
    )
    first = RegistrationFactory(session=session, name="Wanda First", state="waitlisted")
    second = RegistrationFactory(session=session, name="Walt Second", state="waitlisted")
    gone = RegistrationFactory(session=session, name="Carl Cancelled", state="cancelled")
    client.force_login(front_desk)

    response = client.get(f"/staff/classes/sessions/{session.pk}/")

    context = response.context
    assert context["seated"] == [rosa]
    assert [o["registration"] for o in context["offered"]] == [offered]
    assert context["waiting"] == [first, second]
    assert context["gone"] == [gone]
    assert context["held"] == 2
    content = response.content.decode()
    assert "(612) 555-0142" in content
    assert "rosa.martinez@example.org" in content
    assert "Spanish" in content
    assert "Themselves" in content
    assert content.index("Wanda First") < content.index("Walt Second")
    assert "Give a seat" in content
    assert context["attendance_form"] is None


def test_the_roster_takes_the_same_number_of_queries_for_1_or_3_registrations(
    client, manager, session
):
    client.force_login(manager)
    RegistrationFactory(session=session, registered_by=manager)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/staff/classes/sessions/{session.pk}/").status_code == 200
    RegistrationFactory(session=session, registered_by=staff_member(session.workshop.organization))
    RegistrationFactory(session=session, state="waitlisted")
    with CaptureQueriesContext(connection) as three:
        response = client.get(f"/staff/classes/sessions/{session.pk}/")

    assert len(response.context["seated"]) + len(response.context["waiting"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_staff_register_a_caller(client, front_desk, session):
    client.force_login(front_desk)

    response = client.post(f"/staff/classes/sessions/{session.pk}/register/", register_post())

    assert (response.status_code, response.url) == (
        302,
        f"/staff/classes/sessions/{session.pk}/#registered",
    )
    registration = Registration.objects.get()
    assert (
        registration.name,
        registration.phone,
        registration.state,
        registration.registered_by,
    ) == ("Dale Jones", "+16125550123", "registered", front_desk)
    page = client.get(response.url)
    assert "Dale Jones is registered." in messages_of(page)[0]
    assert "They get no messages: read them the date, time and how to join." in messages_of(page)[0]


def test_the_same_register_form_sent_twice_registers_once(client, front_desk, session):
    client.force_login(front_desk)

    client.post(f"/staff/classes/sessions/{session.pk}/register/", register_post())
    again = client.post(
        f"/staff/classes/sessions/{session.pk}/register/", register_post(), follow=True
    )

    assert Registration.objects.count() == 1
    assert messages_of(again)[-1] == "Dale Jones is already on this session's list (Registered)."


def test_a_full_session_puts_the_caller_on_the_waitlist(client, front_desk, session):
    for _n in range(3):
        RegistrationFactory(session=session)
    client.force_login(front_desk)

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/register/", register_post(), follow=True
    )

    assert Registration.objects.get(name="Dale Jones").state == "waitlisted"
    assert "The session is full" in messages_of(response)[0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an email address."),
        ({"phone": "call me"}, "phone", "Enter a phone number with area code"),
        ({"email": "not-an-address", "phone": ""}, "email", "Enter an email address"),
        ({"name": "1234"}, "name", "Please enter a name with at least one letter."),
        ({"name": ""}, "name", "Enter the caller's name."),
        ({"language": "xx"}, "language", "Choose a language from the list."),
        ({"preferred_contact": ""}, "preferred_contact", "Choose how we should send"),
        ({"preferred_contact": "text"}, "preferred_contact", "Choose one of the ways listed."),
        (
            {"preferred_contact": "email"},
            "preferred_contact",
            "You chose email; please add an email address above",
        ),
        ({"idempotency_key": "<script>"}, "idempotency_key", "This form is out of date."),
    ],
)
def test_bad_caller_details_are_refused_with_a_message(
    client, front_desk, session, overrides, field, message
):
    client.force_login(front_desk)
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/register/", register_post(**overrides)
    )

    assert response.status_code == 200
    assert any(message in e for e in response.context["register_form"].errors[field])
    assert snapshot() == before


def test_no_one_is_registered_for_a_session_that_started(client, front_desk, workshop, central):
    started = WorkshopSessionFactory(
        workshop=workshop, location=central, starts=NOW - timedelta(minutes=5)
    )
    client.force_login(front_desk)
    before = snapshot()

    page = client.get(f"/staff/classes/sessions/{started.pk}/")
    response = client.post(f"/staff/classes/sessions/{started.pk}/register/", register_post())

    assert page.context["register_form"] is None
    assert response.context["register_form"].non_field_errors() == [
        "This session has already started."
    ]
    assert b"This session has already started." in response.content
    assert snapshot() == before


def test_cancelling_a_registration_offers_the_seat_to_the_next_person(
    client, manager, session, rosa
):
    full = [RegistrationFactory(session=session) for _n in range(2)]
    waiting = RegistrationFactory(session=session, state="waitlisted", email="w@example.org")
    client.force_login(manager)

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/registrations/{rosa.pk}/cancel/", follow=True
    )

    rosa.refresh_from_db()
    waiting.refresh_from_db()
    assert (rosa.state, waiting.state) == ("cancelled", "offered")
    assert len(full) == 2
    assert messages_of(response) == ["Rosa Martinez's registration is cancelled."]


def test_cancelling_twice_says_so(client, manager, session, rosa):
    client.force_login(manager)
    client.post(f"/staff/classes/sessions/{session.pk}/registrations/{rosa.pk}/cancel/")
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/registrations/{rosa.pk}/cancel/", follow=True
    )

    assert messages_of(response)[-1] == "This registration was already cancelled."
    assert snapshot() == before


def test_give_a_seat_promotes_from_the_waitlist(client, manager, session):
    waiting = RegistrationFactory(session=session, name="Wanda First", state="waitlisted")
    client.force_login(manager)

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/registrations/{waiting.pk}/promote/", follow=True
    )

    waiting.refresh_from_db()
    assert waiting.state == "registered"
    assert messages_of(response) == ["Wanda First has a seat now."]


def test_give_a_seat_when_full_is_refused_with_a_message(client, manager, session):
    for _n in range(3):
        RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, state="waitlisted")
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/registrations/{waiting.pk}/promote/", follow=True
    )

    assert messages_of(response) == ["There is no free seat. Raise the number of seats first."]
    assert snapshot() == before


# --- Changing and cancelling a session ------------------------------------------------------------


def change_post(session, **overrides) -> dict:
    local = session.starts.astimezone(session.location.zone)
    data = {
        "day": local.date().isoformat(),
        "starts": local.strftime("%H:%M"),
        "minutes": str(int((session.ends - session.starts).total_seconds() // 60)),
        "capacity": str(session.capacity),
        "join_url": session.join_url,
    }
    data.update(overrides)
    return data


def test_staff_change_the_time_seats_and_link(client, manager, session, rosa):
    client.force_login(manager)
    later = session.starts.astimezone(session.location.zone) + timedelta(days=1)

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/change/",
        change_post(
            session,
            day=later.date().isoformat(),
            starts="10:00",
            minutes="90",
            capacity="5",
            join_url="https://meet.example.org/new",
        ),
    )

    session.refresh_from_db()
    local = session.starts.astimezone(session.location.zone)
    assert response.status_code == 302
    assert (local.date(), local.strftime("%H:%M")) == (later.date(), "10:00")
    assert session.ends - session.starts == timedelta(minutes=90)
    assert (session.capacity, session.join_url, session.sequence) == (
        5,
        "https://meet.example.org/new",
        1,
    )
    assert AuditEntry.objects.get().data == {"fields": ["capacity", "ends", "join_url", "starts"]}


def test_sending_the_session_unchanged_changes_nothing(client, manager, session):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/change/", change_post(session), follow=True
    )

    assert messages_of(response) == ["Nothing was changed."]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day": "2020-01-01"}, "day", "That time has passed."),
        ({"capacity": "0"}, "capacity", "A class needs at least one seat."),
        ({"minutes": "600"}, "minutes", "A session lasts at most 8 hours"),
        ({"starts": "noon"}, "starts", "Enter a time like 18:30."),
    ],
)
def test_bad_session_changes_are_refused_with_a_message(
    client, manager, session, overrides, field, message
):
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/change/", change_post(session, **overrides)
    )

    assert response.status_code == 200
    assert any(message in e for e in response.context["change_form"].errors[field])
    assert snapshot() == before


def test_seats_below_those_taken_are_refused_by_the_domain(client, manager, session, rosa):
    RegistrationFactory(session=session)
    client.force_login(manager)
    before = snapshot()

    response = client.post(
        f"/staff/classes/sessions/{session.pk}/change/", change_post(session, capacity="1")
    )

    assert response.context["change_form"].non_field_errors() == [
        "2 people already hold seats; remove some before lowering it."
    ]
    assert snapshot() == before


def test_cancelling_a_session_asks_first_then_cancels(client, manager, session, rosa):
    client.force_login(manager)

    confirm = client.get(f"/staff/classes/sessions/{session.pk}/cancel/")
    assert session.__class__.objects.get().state == SessionState.SCHEDULED
    done = client.post(f"/staff/classes/sessions/{session.pk}/cancel/", follow=True)

    assert confirm.context["affected"] == 1
    session.refresh_from_db()
    rosa.refresh_from_db()
    assert (session.state, rosa.state) == ("cancelled", "cancelled")
    assert messages_of(done) == [
        "The session is cancelled. Everyone registered or waiting is told by email."
    ]
    assert done.context["register_form"] is None


# --- Attendance -----------------------------------------------------------------------------------


@pytest.fixture
def past(workshop, central):
    """A session that began an hour ago, with Rosa and Ben registered."""
    past = WorkshopSessionFactory(
        workshop=workshop, location=central, starts=NOW - timedelta(hours=1)
    )
    rosa = RegistrationFactory(
        session=past, name="Rosa Martinez", phone="+16125550142", person_key="+16125550142"
    )
    ben = RegistrationFactory(session=past, name="Ben Okafor")
    return past, rosa, ben


def test_the_host_marks_attendance_after_the_start(client, helper, past):
    session, rosa, ben = past
    session.host = helper
    session.save()
    client.force_login(helper)

    page = client.get(f"/staff/classes/sessions/{session.pk}/")
    response = client.post(
        f"/staff/classes/sessions/{session.pk}/attendance/", {"attended": [str(ben.pk)]}
    )

    assert dict(page.context["attendance_form"].fields["attended"].choices) == {
        rosa.pk: "Rosa Martinez",
        ben.pk: "Ben Okafor",
    }
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("name", "state")) == {
        "Rosa Martinez": "no_show",
        "Ben Okafor": "attended",
    }
    again = client.get(f"/staff/classes/sessions/{session.pk}/")
    assert form_values(again)["attended"] == [str(ben.pk)]


def test_attendance_before_the_start_is_refused(client, manager, session, rosa):
    client.force_login(manager)
    before = snapshot()

    page = client.get(f"/staff/classes/sessions/{session.pk}/")
    response = client.post(
        f"/staff/classes/sessions/{session.pk}/attendance/",
        {"attended": [str(rosa.pk)]},
        follow=True,
    )

    assert page.context["attendance_form"] is None
    assert messages_of(response) == ["Attendance can be taken once the session has started."]
    assert snapshot() == before


def test_attendance_for_someone_not_on_the_roster_is_refused(client, manager, past, theirs):
    session, _rosa, _ben = past
    waiting = RegistrationFactory(session=session, state="waitlisted")
    client.force_login(manager)
    before = snapshot()

    for stranger in [waiting.pk, theirs.registrations.get().pk, "abc"]:
        response = client.post(
            f"/staff/classes/sessions/{session.pk}/attendance/", {"attended": [str(stranger)]}
        )
        assert response.status_code == 200
        assert response.context["attendance_form"].errors["attended"] == [
            "Mark only people registered for this session."
        ]
    assert snapshot() == before


def test_a_no_show_gives_up_later_seats_under_the_policy(client, manager, workshop, past):
    workshop.no_show_frees_later_seats = True
    workshop.save()
    session, rosa, ben = past
    later = WorkshopSessionFactory(workshop=workshop, starts=NOW + timedelta(days=7), capacity=1)
    rosa_later = RegistrationFactory(
        session=later, name="Rosa Martinez", phone=rosa.phone, person_key=rosa.person_key
    )
    carl = RegistrationFactory(session=later, name="Carl Waiting", state="waitlisted")
    client.force_login(manager)

    client.post(f"/staff/classes/sessions/{session.pk}/attendance/", {"attended": [str(ben.pk)]})

    rosa_later.refresh_from_db()
    carl.refresh_from_db()
    assert (rosa_later.state, carl.state) == ("cancelled", "offered")


def test_without_the_policy_a_no_show_keeps_later_seats(client, manager, workshop, past):
    session, rosa, ben = past
    later = WorkshopSessionFactory(workshop=workshop, starts=NOW + timedelta(days=7), capacity=1)
    rosa_later = RegistrationFactory(session=later, phone=rosa.phone, person_key=rosa.person_key)
    client.force_login(manager)

    client.post(f"/staff/classes/sessions/{session.pk}/attendance/", {"attended": [str(ben.pk)]})

    rosa_later.refresh_from_db()
    assert rosa_later.state == "registered"


# --- The sign-in sheet ----------------------------------------------------------------------------


def test_the_sign_in_sheet_shows_first_names_and_last_initials_only(client, manager, session, rosa):
    RegistrationFactory(session=session, name="Wanda Waitlisted", state="waitlisted")
    RegistrationFactory(session=session, name="Carl Cancelled", state="cancelled")
    RegistrationFactory(session=session, name="Ana María de la Cruz")
    client.force_login(manager)

    response = client.get(f"/staff/classes/sessions/{session.pk}/sign-in/")

    content = response.content.decode()
    assert response.context["names"] == ["Ana C.", "Rosa M."]
    assert "Rosa M." in content
    for secret in ["Martinez", "555-0142", "5550142", "rosa.martinez@example.org", "Wanda", "Carl"]:
        assert secret not in content
    assert "Signature" in content


# --- The attendance CSV ---------------------------------------------------------------------------


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


HEADER = [
    "Class",
    "Session (local time)",
    "Host organization",
    "Host",
    "Seats",
    "Registered",
    "Attended",
    "Did not come",
    "Waitlisted",
]


def test_the_csv_counts_attendance_per_session_safely(
    client, manager, library, central, past, theirs
):
    session, rosa, ben = past
    rosa.state, ben.state = "no_show", "attended"
    rosa.save()
    ben.save()
    RegistrationFactory(session=session, state="waitlisted")
    RegistrationFactory(session=session, state="cancelled")
    evil = WorkshopFactory(organization=library, title='=HYPERLINK("http://x";"y")')
    host = staff_member(library, first_name="-Sam", last_name="@Host")
    evil_session = WorkshopSessionFactory(
        workshop=evil, location=central, starts=NOW - timedelta(hours=3), capacity=8, host=host
    )
    WorkshopSessionFactory(workshop=evil, location=central, state="cancelled")
    client.force_login(manager)
    today = timezone.localdate()

    first, last = today - timedelta(days=1), today + timedelta(days=1)

    response = client.get(f"/staff/classes/attendance.csv?from={first}&to={last}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="attendance-')

    def when(s):
        local = s.starts.astimezone(central.zone)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"

    expected = [
        [
            '\'=HYPERLINK("http://x";"y")',
            when(evil_session),
            "Riverbend County Library",
            "'-Sam @Host",
            "8",
            "0",
            "0",
            "0",
            "0",
        ],
        [
            "Online Interviewing Tips",
            when(session),
            "Riverbend County Library",
            "",
            "3",
            "2",
            "1",
            "1",
            "1",
        ],
    ]
    assert rows_of(response) == [HEADER, *sorted(expected, key=lambda r: r[1])]


def test_the_csv_of_one_class(client, manager, workshop, past, library, central):
    other = WorkshopFactory(organization=library, title="Another class")
    WorkshopSessionFactory(workshop=other, location=central, starts=NOW - timedelta(hours=2))
    client.force_login(manager)

    response = client.get(f"/staff/classes/attendance.csv?workshop={workshop.pk}")

    assert [row[0] for row in rows_of(response)] == ["Class", "Online Interviewing Tips"]


def test_the_csv_leaves_out_other_organizations_and_other_dates(client, manager, past, theirs):
    session, _rosa, _ben = past
    WorkshopSessionFactory(workshop=session.workshop, starts=NOW - timedelta(days=60))
    client.force_login(manager)

    response = client.get("/staff/classes/attendance.csv")

    assert [row[0] for row in rows_of(response)] == ["Class", "Online Interviewing Tips"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-03-10&to=2026-03-01", "The last date comes before the first date."),
        ("from=yesterday&to=2026-03-01", "Enter a date like 2026-03-03."),
        ("from=2020-01-01&to=2026-03-01", "Choose at most two years at a time."),
    ],
)
def test_bad_csv_dates_are_refused_with_a_message(client, manager, past, query, message):
    client.force_login(manager)

    response = client.get(f"/staff/classes/attendance.csv?{query}")

    assert response.status_code == 400
    assert message.encode() in response.content
    assert response["Content-Type"].startswith("text/html")


def test_location_choices_are_limited_to_existing_active_locations(
    client, manager, workshop, central
):
    LocationFactory(organization=workshop.organization, name="Closed branch", is_active=False)
    client.force_login(manager)

    form = client.get(f"/staff/classes/{workshop.pk}/schedule/").context["form"]

    assert list(form.fields["location"].queryset) == list(Location.objects.filter(pk=central.pk))


def test_the_pages_that_take_a_flyer_still_check_the_csrf_token(manager, library, workshop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    before = snapshot()

    responses = [
        client.post("/staff/classes/new/", class_post(library)),
        client.post(f"/staff/classes/{workshop.pk}/edit/", class_post(title="Changed")),
    ]

    assert [r.status_code for r in responses] == [403, 403]
    assert snapshot() == before
