"""What booking pages offer first (scheduling.choosing): the assigned helper, then those who
speak the patron's language and are qualified for their needs; the kinds of appointment of
the way the patron asked; a day's times with their best time of day first."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jobhelp.accounts.enums import Role
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import RequestNeed
from jobhelp.scheduling.choosing import (
    default_type,
    helper_choices,
    in_best_time,
    plan_days,
    types_for_modality,
)
from jobhelp.scheduling.queries import appointment_types_for_request
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory
from tests.scheduling.times import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(library, hana):
    """A Spanish-speaking caller who needs a resumé and interview practice, assigned to Hana
    (who speaks only English and does resumés)."""
    help_request = HelpRequestFactory(
        organization=library,
        language="es",
        modality="phone",
        state=RequestState.ASSIGNED,
        assigned_to=hana,
    )
    RequestNeed.objects.filter(request=help_request).delete()
    for need in ("resume", "interview"):
        RequestNeed.objects.create(request=help_request, need=need)
    return help_request


def ranked(choices) -> list[tuple[str, list[str]]]:
    with translation.override("en"):
        return [(c.helper.first_name, c.reasons("es")) for c in choices]


def test_the_assigned_helper_first_then_language_and_qualification(caller, library, other_library):
    staff_member(library, Role.HELPER, needs=["resume", "interview"], first_name="Ben")
    staff_member(library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana")
    staff_member(
        library, Role.HELPER, needs=["resume", "interview"], languages=["es"], first_name="Cruz"
    )
    staff_member(library, Role.HELPER, needs=["digital"], languages=["es"], first_name="Dee")
    staff_member(library, Role.FRONT_DESK, needs=["resume"], languages=["es"], first_name="Eve")
    staff_member(other_library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Fa")

    assert ranked(helper_choices(caller)) == [
        ("Hana", ["assigned", "qualified for Resumé"]),
        ("Cruz", ["speaks Spanish", "qualified for Resumé, Interview practice"]),
        ("Ana", ["speaks Spanish", "qualified for Resumé"]),
        ("Ben", ["qualified for Resumé, Interview practice"]),
    ]


def test_without_an_assigned_helper_triages_order_stands(caller, library):
    caller.assigned_to = None
    caller.state = RequestState.NEW
    caller.save()
    staff_member(library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana")

    choices = helper_choices(caller)

    assert [(c.helper.first_name, c.assigned) for c in choices] == [
        ("Ana", False),
        ("Hana", False),
    ]


def test_the_reasons_are_in_the_readers_language(caller, library):
    staff_member(library, Role.HELPER, needs=["resume"], languages=["es"], first_name="Ana")

    with translation.override("es"):
        reasons = [c.reasons("es") for c in helper_choices(caller)]

    assert reasons == [
        ["tiene asignada la solicitud", "con capacitación en Currículum"],
        ["habla español", "con capacitación en Currículum"],
    ]


def test_helper_choices_read_two_queries_however_many_helpers(caller, library):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            helper_choices(caller)
        return len(queries)

    one = count()
    for name in ("Ana", "Ben"):
        staff_member(library, Role.HELPER, needs=["resume"], languages=["es"], first_name=name)

    assert (count(), len(helper_choices(caller))) == (one, 3)


def test_a_phone_request_is_never_offered_video_types(caller, library):
    video = AppointmentTypeFactory(organization=library, name="A video call", modality="video")
    desk = AppointmentTypeFactory(organization=library, name="At the desk", modality="in_person")
    phone = AppointmentTypeFactory(organization=library, name="Phone help", modality="phone")
    everything = appointment_types_for_request(caller)

    assert list(types_for_modality(caller, everything)) == [phone, desk]
    assert default_type(caller, types_for_modality(caller, everything)) == phone

    caller.modality = "video"
    assert list(types_for_modality(caller, everything)) == [video, desk, phone]
    caller.modality = "email"
    assert list(types_for_modality(caller, everything)) == [video, desk, phone]
    # No type of the patron's way: nothing chosen for them, unless there is only one.
    assert default_type(caller, [video, desk]) is None
    assert default_type(caller, [desk]) == desk


def test_the_best_time_of_day_on_the_locations_clock():
    nine, noon, five = local(2026, 3, 2, 9), local(2026, 3, 2, 12), local(2026, 3, 2, 17)

    assert [in_best_time(t, "morning") for t in (nine, noon, five)] == [True, False, False]
    assert [in_best_time(t, "afternoon") for t in (nine, noon, five)] == [False, True, False]
    assert [in_best_time(t, "evening") for t in (nine, noon, five)] == [False, False, True]
    assert [in_best_time(t, "any") for t in (nine, noon, five)] == [False, False, False]


def test_plan_days_groups_by_local_date_and_puts_the_best_time_first():
    # 23:30 in Chicago is the next day in UTC: the date is the location's.
    starts = [
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 13),
        local(2026, 3, 2, 23, 30),
        local(2026, 3, 4, 14),
    ]
    rows = [("helper", s.astimezone(UTC)) for s in starts]
    chicago = starts[0].tzinfo

    def on_clock(row) -> datetime:
        return row[1].astimezone(chicago)

    first = plan_days(rows, local=on_clock, best_time="afternoon")
    third = plan_days(rows, local=on_clock, best_time="evening", day=date(2026, 3, 4))
    missing = plan_days(rows, local=on_clock, best_time="any", day=date(2026, 3, 3))

    assert [(d.date, d.count) for d in first.days] == [
        (date(2026, 3, 2), 3),
        (date(2026, 3, 4), 1),
    ]
    assert (first.day, first.best, first.other, first.not_offered) == (
        date(2026, 3, 2),
        [rows[1]],
        [rows[0], rows[2]],
        False,
    )
    assert (third.day, third.best, third.other) == (date(2026, 3, 4), [], [rows[3]])
    assert (missing.day, missing.other, missing.not_offered) == (
        date(2026, 3, 2),
        rows[:3],
        True,
    )
    assert plan_days([], local=on_clock, best_time="any").day is None
    assert time(23, 30) == on_clock(rows[2]).time()
