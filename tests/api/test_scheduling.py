"""The scheduling API: appointment types, availability, slots, booking and what follows.

Booking goes through scheduling.domain with the real clock, so the bookable day is a few days
from today; availability takes its dates as input, so it is tested across a clock change.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import ApiToken
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment, AvailabilityException, Closure
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import BranchFactory, LocationFactory
from tests.factories.scheduling import (
    AppointmentFactory,
    AppointmentTypeFactory,
    WeeklyHoursFactory,
    every_day,
)
from tests.scheduling.times import CHICAGO, local

UNAUTHORIZED = {"detail": "Unauthorized"}
NOT_FOUND = {"detail": "Not Found"}
INVALID = "The request is not valid."
MAY_NOT = "Only the person helping, front desk staff and managers can book or change appointments."
TAKEN = "That time was just taken. Please choose another time."

# A day a little ahead, on which the test helper works 9:00 to 12:00 (and on no other day).
DAY = (timezone.now().astimezone(CHICAGO) + timedelta(days=3)).date()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=CHICAGO)


def iso(moment: datetime) -> str:
    """As the API writes it: the offset kept, UTC as Z."""
    return moment.isoformat().replace("+00:00", "Z")


def bearer(user) -> dict:
    _token, key = create_api_token(user, name="script", by=user)
    return {"Authorization": f"Bearer {key}"}


def get(client, user, path: str):
    return client.get(f"/api/v1{path}", headers=bearer(user))


def post(client, user, path: str, payload: dict | None = None, **headers):
    return client.post(
        f"/api/v1{path}",
        payload or {},
        content_type="application/json",
        headers={**bearer(user), **headers},
    )


def everything() -> tuple:
    """What any scheduling call could change, to show that a refused one changed nothing."""
    return (
        list(Appointment.objects.order_by("pk").values_list()),
        list(HelpRequest.objects.order_by("pk").values_list("reference", "state", "updated_at")),
        list(AuditEntry.objects.exclude(action__startswith="jobhelp.api_token.").values_list()),
    )


def assert_refused(response, status: int, body: dict, before: tuple) -> None:
    assert (response.status_code, response.json()) == (status, body)
    assert everything() == before


def invalid(**errors) -> dict:
    return {"detail": INVALID, "errors": errors}


# --- People, places and requests ------------------------------------------------------------------


@pytest.fixture
def hours(hana, central):
    WeeklyHoursFactory(
        helper=hana, location=central, weekday=DAY.weekday(), starts=time(9), ends=time(12)
    )


@pytest.fixture
def assigned(library, hana):
    """A request assigned to Hana, ready to be booked."""
    return HelpRequestFactory(
        organization=library,
        reference="AAA222",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        needs=["resume"],
    )


@pytest.fixture
def booked(assigned, hana, central, phone_help, hours):
    """Hana's appointment for that request at 10:00 on the day."""
    HelpRequest.objects.filter(pk=assigned.pk).update(state=RequestState.SCHEDULED)
    return AppointmentFactory(
        request=assigned,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=at(10),
        reference="APPT22",
    )


@pytest.fixture
def started_earlier(assigned, hana, central, phone_help):
    """Another of Hana's appointments for the request, which began an hour ago."""
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    return AppointmentFactory(
        request=assigned, helper=hana, location=central, appointment_type=phone_help, starts=starts
    )


@pytest.fixture
def elsewhere(other_library):
    """Another organization with a helper, a place, a type and a booking, all of which could
    leak."""
    helper = staff_member(other_library, Role.HELPER, needs=["resume"], first_name="Eli")
    location = LocationFactory(organization=other_library, name="Elsewhere Main")
    kind = AppointmentTypeFactory(organization=other_library, name="Elsewhere help")
    WeeklyHoursFactory(
        helper=helper, location=location, weekday=DAY.weekday(), starts=time(9), ends=time(12)
    )
    request = HelpRequestFactory(
        organization=other_library,
        reference="CCC444",
        state=RequestState.SCHEDULED,
        assigned_to=helper,
    )
    appointment = AppointmentFactory(
        request=request, helper=helper, location=location, appointment_type=kind, starts=at(10)
    )
    return {
        "helper": helper,
        "location": location,
        "type": kind,
        "request": request,
        "appointment": appointment,
    }


def appointment_json(appointment: Appointment, **changes) -> dict:
    zone = appointment.location.zone
    return {
        "id": appointment.pk,
        "reference": appointment.reference,
        "display_reference": appointment.display_reference,
        "state": appointment.state,
        "request": appointment.request.reference if appointment.request else None,
        "helper": {"id": appointment.helper.pk, "name": str(appointment.helper)},
        "location": {
            "id": appointment.location.pk,
            "name": appointment.location.name,
            "time_zone": appointment.location.time_zone,
        },
        "appointment_type": {
            "id": appointment.appointment_type.pk,
            "name": appointment.appointment_type.name,
        },
        "starts": iso(appointment.starts.astimezone(zone)),
        "ends": iso(appointment.ends.astimezone(zone)),
        "starts_utc": iso(appointment.starts.astimezone(UTC)),
        "ends_utc": iso(appointment.ends.astimezone(UTC)),
        "sequence": appointment.sequence,
        "rescheduled_from_id": appointment.rescheduled_from_id,
        **changes,
    }


def without_created_at(body: dict) -> dict:
    assert datetime.fromisoformat(body.pop("created_at"))
    return body


def booking(helper, location, appointment_type, starts: datetime, **extra) -> dict:
    return {
        "helper_id": helper.pk,
        "location_id": location.pk,
        "appointment_type_id": appointment_type.pk,
        "starts": starts.isoformat(),
        **extra,
    }


# --- The schema -----------------------------------------------------------------------------------


def test_openapi_schema_lists_the_scheduling_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    scheduling = {
        path: sorted(operations)
        for path, operations in paths.items()
        if any(op["tags"] == ["scheduling"] for op in operations.values())
    }
    assert scheduling == {
        "/api/v1/appointment-types": ["get"],
        "/api/v1/helpers/{helper_id}/availability": ["get"],
        "/api/v1/requests/{reference}/slots": ["get"],
        "/api/v1/requests/{reference}/appointments": ["post"],
        "/api/v1/appointments/{appointment_id}": ["get"],
        "/api/v1/appointments/{appointment_id}/reschedule": ["post"],
        "/api/v1/appointments/{appointment_id}/cancel": ["post"],
        "/api/v1/appointments/{appointment_id}/attended": ["post"],
        "/api/v1/appointments/{appointment_id}/no-show": ["post"],
    }
    book = paths["/api/v1/requests/{reference}/appointments"]["post"]
    assert sorted(book["responses"]) == ["200", "201", "404", "409", "422"]
    assert [(p["in"], p["name"]) for p in book["parameters"]] == [
        ("path", "reference"),
        ("header", "Idempotency-Key"),
    ]
    slots = paths["/api/v1/requests/{reference}/slots"]["get"]
    assert [p["name"] for p in slots["parameters"]] == [
        "reference",
        "type",
        "days",
        "page",
        "page_size",
    ]


# --- Authentication and scope ---------------------------------------------------------------------


CALLS = [
    "types",
    "availability",
    "slots",
    "book",
    "appointment",
    "reschedule",
    "cancel",
    "attended",
    "no-show",
]


def call(name: str, *, appointment_id: int, type_id: int, helper_id: int, location_id: int):
    """(method, path, payload) of each scheduling endpoint."""
    starts = at(11).isoformat()
    book = {
        "helper_id": helper_id,
        "location_id": location_id,
        "appointment_type_id": type_id,
        "starts": starts,
    }
    return {
        "types": ("get", "/appointment-types", None),
        "availability": ("get", f"/helpers/{helper_id}/availability", None),
        "slots": ("get", f"/requests/AAA222/slots?type={type_id}", None),
        "book": ("post", "/requests/AAA222/appointments", book),
        "appointment": ("get", f"/appointments/{appointment_id}", None),
        "reschedule": ("post", f"/appointments/{appointment_id}/reschedule", {"starts": starts}),
        "cancel": ("post", f"/appointments/{appointment_id}/cancel", {"late": False}),
        "attended": ("post", f"/appointments/{appointment_id}/attended", None),
        "no-show": ("post", f"/appointments/{appointment_id}/no-show", None),
    }[name]


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer jh_not-a-real-key"}], ids=["none", "bad"]
)
def test_without_a_valid_token_is_401(
    client, booked, hana, central, phone_help, started_earlier, name, headers
):
    method, path, payload = call(
        name,
        appointment_id=started_earlier.pk if name in {"attended", "no-show"} else booked.pk,
        type_id=phone_help.pk,
        helper_id=hana.pk,
        location_id=central.pk,
    )
    before = everything()

    response = getattr(client, method)(
        f"/api/v1{path}", payload, content_type="application/json", headers=headers
    )

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    assert everything() == before


@pytest.mark.parametrize("name", CALLS[1:])
def test_another_organizations_objects_are_404_and_untouched(
    client, outsider, booked, hana, started_earlier, elsewhere, name
):
    # The outsider names their own type and location where one is asked for, and could do
    # each of these to their own organization's objects: only our request, helper or
    # appointment decides.
    method, path, payload = call(
        name,
        appointment_id=started_earlier.pk if name in {"attended", "no-show"} else booked.pk,
        type_id=elsewhere["type"].pk,
        helper_id=hana.pk,
        location_id=elsewhere["location"].pk,
    )
    before = everything()

    response = getattr(client, method)(
        f"/api/v1{path}", payload, content_type="application/json", headers=bearer(outsider)
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert everything() == before


def test_unknown_appointment_is_404(client, front_desk, booked):
    responses = [
        get(client, front_desk, "/appointments/999999"),
        post(client, front_desk, "/appointments/999999/cancel"),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 2


# --- Appointment types ----------------------------------------------------------------------------


def test_appointment_types_of_the_system_and_its_branches(
    client, front_desk, library, branch, phone_help, elsewhere
):
    video = AppointmentTypeFactory(
        organization=branch,
        name="Branch video",
        modality="video",
        duration=45,
        padding_after=15,
        min_notice=120,
        self_service=True,
        needs=["interview"],
        reminders=[60],
    )

    response = get(client, front_desk, "/appointment-types")

    assert (response.status_code, response.json()) == (
        200,
        [
            {
                "id": video.pk,
                "organization_id": branch.pk,
                "name": "Branch video",
                "duration": 45,
                "modality": "video",
                "padding_before": 0,
                "padding_after": 15,
                "min_notice": 120,
                "booking_window": 28,
                "self_service": True,
                "needs": ["interview"],
                "reminders": [60],
            },
            {
                "id": phone_help.pk,
                "organization_id": library.pk,
                "name": "Phone help",
                "duration": 30,
                "modality": "phone",
                "padding_before": 0,
                "padding_after": 0,
                "min_notice": 0,
                "booking_window": 28,
                "self_service": False,
                "needs": ["resume"],
                "reminders": [1440, 120],
            },
        ],
    )


def test_branch_staff_see_their_systems_types_but_not_a_sister_branchs(
    client, library, branch, phone_help, elsewhere
):
    sister_branch = BranchFactory(parent=library, name="Southside Library", slug="southside")
    AppointmentTypeFactory(organization=sister_branch, name="Southside only")
    AppointmentTypeFactory(organization=branch, name="Northtown only")
    desk = staff_member(branch, Role.FRONT_DESK)

    names = [t["name"] for t in get(client, desk, "/appointment-types").json()]

    assert names == ["Northtown only", "Phone help"]


def test_appointment_types_query_count_does_not_grow(client, front_desk, library):
    headers = bearer(front_desk)
    ApiToken.objects.update(last_used_at=timezone.now())
    AppointmentTypeFactory(organization=library)

    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/appointment-types", headers=headers).json()) == 1
    AppointmentTypeFactory.create_batch(2, organization=library)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/api/v1/appointment-types", headers=headers).json()) == 3

    assert len(three) == len(one)


# --- A helper's availability ----------------------------------------------------------------------
# Across the change to daylight time on 2026-03-08: 9:00 stays 9:00, the offset changes.


@pytest.fixture
def week_of_change(hana, central, branch):
    every_day(hana, central, time(9), time(12))
    northtown = branch.locations.get()
    AvailabilityException.objects.create(
        helper=hana,
        location=northtown,
        date=date(2026, 3, 7),
        starts=time(13),
        ends=time(15),
        kind="extra",
    )
    AvailabilityException.objects.create(helper=hana, date=date(2026, 3, 8), kind="time_off")
    Closure.objects.create(
        location=central,
        starts=local(2026, 3, 9, 11),
        ends=local(2026, 3, 9, 17),
        reason="weather",
    )
    return northtown


def test_availability_across_the_clock_change(
    client, front_desk, hana, central, phone_help, week_of_change
):
    northtown = week_of_change
    AppointmentFactory(
        helper=hana, location=central, appointment_type=phone_help, starts=local(2026, 3, 9, 9)
    )
    AppointmentFactory(  # cancelled: blocks nothing
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=local(2026, 3, 7, 9),
        state=AppointmentState.CANCELLED,
    )

    response = get(
        client, front_desk, f"/helpers/{hana.pk}/availability?from=2026-03-07&to=2026-03-09"
    )

    time_off = {
        "kind": "time_off",
        "date": "2026-03-08",
        "all_day": True,
        "starts": "2026-03-08T00:00:00-06:00",
        "ends": "2026-03-09T00:00:00-05:00",
    }
    assert (response.status_code, response.json()) == (
        200,
        {
            "helper": {"id": hana.pk, "name": "Hana Lee"},
            "from": "2026-03-07",
            "to": "2026-03-09",
            "locations": [
                {
                    "location": {
                        "id": central.pk,
                        "name": "Central Library",
                        "time_zone": "America/Chicago",
                    },
                    "weekly_hours": [
                        {"weekday": weekday, "starts": "09:00:00", "ends": "12:00:00"}
                        for weekday in range(7)
                    ],
                    "exceptions": [time_off],
                    "closures": [
                        {
                            "reason": "weather",
                            "starts": "2026-03-09T11:00:00-05:00",
                            "ends": "2026-03-09T17:00:00-05:00",
                        }
                    ],
                    "working": [
                        {
                            "starts": "2026-03-07T09:00:00-06:00",
                            "ends": "2026-03-07T12:00:00-06:00",
                        },
                        {
                            "starts": "2026-03-09T09:00:00-05:00",
                            "ends": "2026-03-09T11:00:00-05:00",
                        },
                    ],
                },
                {
                    "location": {
                        "id": northtown.pk,
                        "name": "Northtown Library",
                        "time_zone": "America/Chicago",
                    },
                    "weekly_hours": [],
                    "exceptions": [
                        {
                            "kind": "extra",
                            "date": "2026-03-07",
                            "all_day": False,
                            "starts": "2026-03-07T13:00:00-06:00",
                            "ends": "2026-03-07T15:00:00-06:00",
                        },
                        time_off,
                    ],
                    "closures": [],
                    "working": [
                        {"starts": "2026-03-07T13:00:00-06:00", "ends": "2026-03-07T15:00:00-06:00"}
                    ],
                },
            ],
            "booked": [{"starts": "2026-03-09T14:00:00Z", "ends": "2026-03-09T14:30:00Z"}],
        },
    )


def test_availability_leaves_out_locations_of_other_organizations(
    client, front_desk, hana, central, elsewhere
):
    # Hana also helps at another organization, which our front desk does not see.
    MembershipFactory(user=hana, organization=elsewhere["location"].organization, role=Role.HELPER)
    WeeklyHoursFactory(
        helper=hana, location=elsewhere["location"], weekday=0, starts=time(9), ends=time(12)
    )
    WeeklyHoursFactory(helper=hana, location=central, weekday=0, starts=time(13), ends=time(14))

    body = get(client, front_desk, f"/helpers/{hana.pk}/availability?from=2026-03-02").json()

    assert ([here["location"]["name"] for here in body["locations"]], body["to"]) == (
        ["Central Library"],
        "2026-03-08",
    )


def test_availability_of_someone_who_is_not_our_helper_is_404(
    client, front_desk, manager, elsewhere
):
    responses = [
        get(client, front_desk, f"/helpers/{elsewhere['helper'].pk}/availability"),
        get(client, front_desk, f"/helpers/{manager.pk}/availability"),
        get(client, front_desk, "/helpers/999999/availability"),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 3


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("from=2026-03-09&to=2026-03-07", {"to": ["The last date comes before the first date."]}),
        ("from=2026-03-01&to=2026-05-02", {"to": ["Ask for at most 62 days at a time."]}),
    ],
)
def test_availability_with_dates_that_do_not_fit_is_422(client, front_desk, hana, query, errors):
    response = get(client, front_desk, f"/helpers/{hana.pk}/availability?{query}")

    assert (response.status_code, response.json()) == (422, invalid(**errors))


@pytest.mark.parametrize("query", ["from=yesterday", "to=2026-02-30", "from=2026-3-1x"])
def test_availability_with_malformed_dates_is_422(client, front_desk, hana, query):
    response = get(client, front_desk, f"/helpers/{hana.pk}/availability?{query}")

    assert response.status_code == 422


def test_availability_query_count_does_not_grow(client, front_desk, hana, library):
    headers = bearer(front_desk)
    ApiToken.objects.update(last_used_at=timezone.now())
    places = LocationFactory.create_batch(3, organization=library)
    path = f"/api/v1/helpers/{hana.pk}/availability?from=2026-03-02&to=2026-03-08"

    every_day(hana, places[0], time(9), time(12))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(path, headers=headers).json()["locations"]) == 1
    for place in places[1:]:
        every_day(hana, place, time(9), time(12))
        Closure.objects.create(
            location=place, starts=local(2026, 3, 3), ends=local(2026, 3, 4), reason="holiday"
        )
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(path, headers=headers).json()["locations"]) == 3

    assert len(three) == len(one)


# --- Slots ----------------------------------------------------------------------------------------


def slot_json(helper, location, starts: datetime, minutes: int = 30) -> dict:
    ends = starts + timedelta(minutes=minutes)
    return {
        "helper": {"id": helper.pk, "name": str(helper)},
        "location": {"id": location.pk, "name": location.name, "time_zone": location.time_zone},
        "starts": iso(starts),
        "ends": iso(ends),
        "starts_utc": iso(starts.astimezone(UTC)),
        "ends_utc": iso(ends.astimezone(UTC)),
    }


def test_slots_of_every_qualified_helper(
    client, front_desk, library, central, hana, phone_help, assigned, hours, elsewhere
):
    ben = staff_member(library, Role.HELPER, needs=["resume"], first_name="Ben", last_name="Ng")
    WeeklyHoursFactory(
        helper=ben, location=central, weekday=DAY.weekday(), starts=time(11), ends=time(12)
    )
    AppointmentFactory(helper=hana, location=central, appointment_type=phone_help, starts=at(10))

    response = get(client, front_desk, f"/requests/AAA222/slots?type={phone_help.pk}&days=7")

    assert (response.status_code, response.json()) == (
        200,
        {
            "count": 7,
            "items": [
                slot_json(hana, central, at(9)),
                slot_json(hana, central, at(9, 30)),
                slot_json(hana, central, at(10, 30)),
                slot_json(ben, central, at(11)),
                slot_json(hana, central, at(11)),
                slot_json(ben, central, at(11, 30)),
                slot_json(hana, central, at(11, 30)),
            ],
        },
    )


def test_slots_are_paged_by_50(client, front_desk, hana, central, phone_help, assigned):
    for offset in range(3):  # 24 slots on each of three days
        WeeklyHoursFactory(
            helper=hana,
            location=central,
            weekday=(DAY + timedelta(days=offset)).weekday(),
            starts=time(8),
            ends=time(20),
        )
    path = f"/requests/AAA222/slots?type={phone_help.pk}&days=7"

    first = get(client, front_desk, path).json()
    second = get(client, front_desk, f"{path}&page=2").json()

    assert (first["count"], len(first["items"]), second["count"], len(second["items"])) == (
        72,
        50,
        72,
        22,
    )
    assert [i["starts"] for i in first["items"] + second["items"]] == [
        iso(datetime.combine(DAY + timedelta(days=offset), time(8), tzinfo=CHICAGO) + step)
        for offset in range(3)
        for step in (timedelta(minutes=30 * n) for n in range(24))
    ]


def test_slots_of_another_organizations_type_are_422(
    client, front_desk, assigned, hours, elsewhere
):
    response = get(client, front_desk, f"/requests/AAA222/slots?type={elsewhere['type'].pk}")

    assert (response.status_code, response.json()) == (
        422,
        invalid(type=["Choose an appointment type that this request's organization offers."]),
    )


@pytest.mark.parametrize("query", ["", "type=x", "type={type}&days=0", "type={type}&days=91"])
def test_slots_with_malformed_filters_are_422(client, front_desk, phone_help, assigned, query):
    response = get(client, front_desk, f"/requests/AAA222/slots?{query.format(type=phone_help.pk)}")

    assert response.status_code == 422


def test_slots_query_count_does_not_grow_with_the_helpers(
    client, front_desk, library, central, phone_help, assigned, hana, hours
):
    headers = bearer(front_desk)
    ApiToken.objects.update(last_used_at=timezone.now())
    path = f"/api/v1/requests/AAA222/slots?type={phone_help.pk}&days=7"

    with CaptureQueriesContext(connection) as one:
        assert client.get(path, headers=headers).json()["count"] == 6
    for name in ("Ben", "Cy"):
        someone = staff_member(library, Role.HELPER, needs=["resume"], first_name=name)
        WeeklyHoursFactory(
            helper=someone, location=central, weekday=DAY.weekday(), starts=time(9), ends=time(12)
        )
        AppointmentFactory(
            helper=someone, location=central, appointment_type=phone_help, starts=at(9)
        )
        AvailabilityException.objects.create(
            helper=someone, date=DAY, starts=time(11), ends=time(12), kind="time_off"
        )
    with CaptureQueriesContext(connection) as three:
        assert client.get(path, headers=headers).json()["count"] == 6 + 2 * 3

    assert len(three) == len(one)


# --- Booking --------------------------------------------------------------------------------------


def test_front_desk_books_an_offered_slot(
    client, front_desk, hana, central, phone_help, assigned, hours
):
    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(10)),
    )

    appointment = Appointment.objects.get()
    assert (response.status_code, without_created_at(response.json())) == (
        201,
        appointment_json(appointment),
    )
    assert (appointment.starts, appointment.request, appointment.idempotency_key) == (
        at(10),
        assigned,
        None,
    )
    assert HelpRequest.objects.get(pk=assigned.pk).state == RequestState.SCHEDULED
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.appointment.").values_list(
            "action", "actor"
        )
    ) == [("jobhelp.appointment.booked", front_desk.pk)]


def test_the_helper_books_their_own_request(client, hana, central, phone_help, assigned, hours):
    response = post(
        client, hana, "/requests/AAA222/appointments", booking(hana, central, phone_help, at(9))
    )

    assert (response.status_code, response.json()["starts"]) == (201, iso(at(9)))


@pytest.mark.parametrize("where", ["header", "body"])
def test_a_repeated_key_books_once_and_answers_200(
    client, front_desk, hana, central, phone_help, assigned, hours, where
):
    payload = booking(hana, central, phone_help, at(10))
    headers = {"Idempotency-Key": "form-1"} if where == "header" else {}
    if where == "body":
        payload["idempotency_key"] = "form-1"

    first = post(client, front_desk, "/requests/AAA222/appointments", payload, **headers)
    again = post(client, front_desk, "/requests/AAA222/appointments", payload, **headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Appointment.objects.count() == 1


def test_keys_of_two_callers_never_meet(
    client, front_desk, manager, hana, central, phone_help, assigned, hours
):
    mine = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(9)),
        **{"Idempotency-Key": "k"},
    )
    theirs = post(
        client,
        manager,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(11)),
        **{"Idempotency-Key": "k"},
    )

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert sorted(Appointment.objects.values_list("starts", flat=True)) == [at(9), at(11)]


def test_a_key_reused_for_another_time_is_422(
    client, front_desk, hana, central, phone_help, assigned, hours
):
    post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(9), idempotency_key="k"),
    )
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(11), idempotency_key="k"),
    )

    assert_refused(
        response,
        422,
        invalid(idempotency_key=["This idempotency key was already used for a different booking."]),
        before,
    )


@pytest.mark.parametrize(
    ("body_key", "header_key", "message"),
    [
        ("a", "b", "The Idempotency-Key header and idempotency_key differ. Send one of them."),
        (None, "x" * 201, "Use 1 to 200 printable characters for the idempotency key."),
        (None, "tab\there", "Use 1 to 200 printable characters for the idempotency key."),
    ],
)
def test_an_unusable_key_is_422(
    client, front_desk, hana, central, phone_help, assigned, hours, body_key, header_key, message
):
    payload = booking(hana, central, phone_help, at(9))
    if body_key:
        payload["idempotency_key"] = body_key
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        payload,
        **{"Idempotency-Key": header_key},
    )

    assert_refused(response, 422, invalid(idempotency_key=[message]), before)


def test_a_taken_time_is_409_with_the_next_free_times(
    client, front_desk, hana, central, phone_help, assigned, hours
):
    AppointmentFactory(helper=hana, location=central, appointment_type=phone_help, starts=at(10))
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(10)),
    )

    assert_refused(
        response,
        409,
        {"detail": TAKEN, "next_starts": [iso(at(9)), iso(at(9, 30)), iso(at(10, 30))]},
        before,
    )


def test_a_helper_cannot_book_someone_elses_request(
    client, helper, hana, central, phone_help, assigned, hours
):
    before = everything()

    response = post(
        client, helper, "/requests/AAA222/appointments", booking(hana, central, phone_help, at(10))
    )

    assert_refused(response, 409, {"detail": MAY_NOT}, before)


def test_an_unassigned_request_cannot_be_booked(
    client, front_desk, library, hana, central, phone_help, hours
):
    HelpRequestFactory(organization=library, reference="NEW111", needs=["resume"])
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/NEW111/appointments",
        booking(hana, central, phone_help, at(10)),
    )

    assert_refused(
        response,
        409,
        {"detail": "Assign this request to a helper before booking an appointment for it."},
        before,
    )


def test_a_time_outside_the_hours_is_409(
    client, front_desk, hana, central, phone_help, assigned, hours
):
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, at(8)),
    )

    assert_refused(
        response,
        409,
        {"detail": "Hana is not available at that time. Please choose one of the times offered."},
        before,
    )


def test_a_time_in_the_past_is_409(client, front_desk, hana, central, phone_help, assigned, hours):
    before = everything()
    yesterday = timezone.now().replace(microsecond=0) - timedelta(days=1)

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(hana, central, phone_help, yesterday),
    )

    assert_refused(response, 409, {"detail": "That time has already passed."}, before)


def test_booking_names_of_another_organization_are_422(
    client, front_desk, assigned, hours, elsewhere
):
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        booking(elsewhere["helper"], elsewhere["location"], elsewhere["type"], at(10)),
    )

    assert_refused(
        response,
        422,
        invalid(
            helper_id=["Choose a helper who serves this request's organization."],
            location_id=["Choose a location of this request's library system."],
            appointment_type_id=[
                "Choose an appointment type that this request's organization offers."
            ],
        ),
        before,
    )


def test_a_time_without_its_offset_is_422(
    client, front_desk, hana, central, phone_help, assigned, hours
):
    before = everything()
    payload = booking(hana, central, phone_help, at(10))
    payload["starts"] = at(10).replace(tzinfo=None).isoformat()

    response = post(client, front_desk, "/requests/AAA222/appointments", payload)

    assert_refused(
        response,
        422,
        invalid(
            starts=["Give the time with its UTC offset, for example 2026-03-02T10:00:00-06:00."]
        ),
        before,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"starts": "tomorrow at ten"},
        {"starts": None},
        {"helper_id": "Hana"},
        {"helper_id": 99999999999999999999},
        {"location_id": 0},
        {"appointment_type_id": None},
    ],
)
def test_malformed_booking_is_422(
    client, front_desk, hana, central, phone_help, assigned, hours, change
):
    before = everything()

    response = post(
        client,
        front_desk,
        "/requests/AAA222/appointments",
        {**booking(hana, central, phone_help, at(10)), **change},
    )

    assert response.status_code == 422
    assert everything() == before


# --- One appointment ------------------------------------------------------------------------------


def test_get_an_appointment(client, front_desk, booked, hana, central, phone_help):
    response = get(client, front_desk, f"/appointments/{booked.pk}")

    ten = at(10)
    assert (response.status_code, without_created_at(response.json())) == (
        200,
        {
            "id": booked.pk,
            "reference": "APPT22",
            "display_reference": "APP-T22",
            "state": "booked",
            "request": "AAA222",
            "helper": {"id": hana.pk, "name": "Hana Lee"},
            "location": {
                "id": central.pk,
                "name": "Central Library",
                "time_zone": "America/Chicago",
            },
            "appointment_type": {"id": phone_help.pk, "name": "Phone help"},
            "starts": ten.isoformat(),
            "ends": (ten + timedelta(minutes=30)).isoformat(),
            "starts_utc": ten.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ends_utc": (ten + timedelta(minutes=30))
            .astimezone(UTC)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sequence": 0,
            "rescheduled_from_id": None,
        },
    )


def test_branch_staff_see_their_requests_appointment_at_the_central_library(
    client, branch, hana, central, phone_help
):
    request = HelpRequestFactory(organization=branch, reference="BRA222")
    appointment = AppointmentFactory(
        request=request, helper=hana, location=central, appointment_type=phone_help, starts=at(10)
    )
    desk = staff_member(branch, Role.FRONT_DESK)

    response = get(client, desk, f"/appointments/{appointment.pk}")

    assert (response.status_code, response.json()["request"]) == (200, "BRA222")


def test_front_desk_reschedules(client, front_desk, booked, assigned):
    response = post(
        client, front_desk, f"/appointments/{booked.pk}/reschedule", {"starts": iso(at(11))}
    )

    new = Appointment.objects.exclude(pk=booked.pk).get()
    assert (response.status_code, without_created_at(response.json())) == (
        201,
        appointment_json(new, sequence=1, rescheduled_from_id=booked.pk),
    )
    assert (new.reference, new.starts, new.state) == ("APPT22", at(11), AppointmentState.BOOKED)
    assert Appointment.objects.get(pk=booked.pk).state == AppointmentState.CANCELLED
    assert HelpRequest.objects.get(pk=assigned.pk).state == RequestState.SCHEDULED


def test_a_repeated_reschedule_answers_200_with_the_same_appointment(client, front_desk, booked):
    path = f"/appointments/{booked.pk}/reschedule"
    key = {"Idempotency-Key": "move-1"}

    first = post(client, front_desk, path, {"starts": iso(at(11))}, **key)
    again = post(client, front_desk, path, {"starts": iso(at(11))}, **key)

    assert (first.status_code, again.status_code, again.json()) == (201, 200, first.json())
    assert Appointment.objects.count() == 2


def test_rescheduling_to_a_taken_time_is_409_and_keeps_the_old_one(
    client, front_desk, hana, central, phone_help, booked
):
    AppointmentFactory(helper=hana, location=central, appointment_type=phone_help, starts=at(11))
    before = everything()

    response = post(
        client, front_desk, f"/appointments/{booked.pk}/reschedule", {"starts": iso(at(11))}
    )

    assert_refused(
        response,
        409,
        # Its own 10:00 stays booked, so it is not offered.
        {"detail": TAKEN, "next_starts": [iso(at(9)), iso(at(9, 30)), iso(at(10, 30))]},
        before,
    )


def test_a_helper_cannot_reschedule_someone_elses_appointment(client, helper, booked):
    before = everything()

    response = post(
        client, helper, f"/appointments/{booked.pk}/reschedule", {"starts": iso(at(11))}
    )

    assert_refused(response, 409, {"detail": MAY_NOT}, before)


@pytest.mark.parametrize("starts", ["2026-03-02T10:00:00", "soon", None])
def test_rescheduling_to_a_malformed_time_is_422(client, front_desk, booked, starts):
    before = everything()

    response = post(client, front_desk, f"/appointments/{booked.pk}/reschedule", {"starts": starts})

    assert response.status_code == 422
    assert everything() == before


def test_front_desk_cancels_late(client, front_desk, booked, assigned):
    response = post(client, front_desk, f"/appointments/{booked.pk}/cancel", {"late": True})

    assert (response.status_code, without_created_at(response.json())) == (
        200,
        appointment_json(booked, state="cancelled_late", sequence=booked.sequence + 1),
    )
    assert HelpRequest.objects.get(pk=assigned.pk).state == RequestState.IN_PROGRESS


def test_cancelling_twice_is_409(client, front_desk, booked):
    post(client, front_desk, f"/appointments/{booked.pk}/cancel")
    before = everything()

    response = post(client, front_desk, f"/appointments/{booked.pk}/cancel")

    assert_refused(
        response,
        409,
        {"detail": "This appointment is no longer booked, so it cannot be cancelled."},
        before,
    )


def test_a_helper_cannot_cancel_someone_elses_appointment(client, helper, booked):
    before = everything()

    response = post(client, helper, f"/appointments/{booked.pk}/cancel")

    assert_refused(response, 409, {"detail": MAY_NOT}, before)


@pytest.mark.parametrize("payload", [{"late": "sometimes"}, {"late": [1]}])
def test_cancel_with_a_malformed_body_is_422(client, front_desk, booked, payload):
    before = everything()

    response = post(client, front_desk, f"/appointments/{booked.pk}/cancel", payload)

    assert response.status_code == 422
    assert everything() == before


@pytest.fixture
def started(booked):
    """The appointment, moved to an hour ago."""
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    Appointment.objects.filter(pk=booked.pk).update(
        starts=starts,
        ends=starts + timedelta(minutes=30),
        blocked_from=starts,
        blocked_until=starts + timedelta(minutes=30),
    )
    return Appointment.objects.get(pk=booked.pk)


@pytest.mark.parametrize(("action", "state"), [("attended", "attended"), ("no-show", "no_show")])
def test_the_helper_marks_how_it_went(client, hana, started, action, state):
    response = post(client, hana, f"/appointments/{started.pk}/{action}")

    assert (response.status_code, without_created_at(response.json())) == (
        200,
        appointment_json(started, state=state),
    )
    assert Appointment.objects.get(pk=started.pk).state == state


@pytest.mark.parametrize("action", ["attended", "no-show"])
def test_an_appointment_still_to_come_cannot_be_marked(client, front_desk, booked, action):
    before = everything()

    response = post(client, front_desk, f"/appointments/{booked.pk}/{action}")

    assert_refused(
        response,
        409,
        {"detail": "This appointment has not started yet, so it cannot be marked that way."},
        before,
    )


@pytest.mark.parametrize("action", ["attended", "no-show"])
def test_a_helper_cannot_mark_someone_elses_appointment(client, helper, started, action):
    before = everything()

    response = post(client, helper, f"/appointments/{started.pk}/{action}")

    assert_refused(response, 409, {"detail": MAY_NOT}, before)
