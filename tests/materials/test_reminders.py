"""A flyer not posted a week into its month: one email to the location's staff, at 9:00 on the
8th on the location's clock (March 8, 2026 is the day US clocks spring forward), once."""

from datetime import UTC, date, datetime

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.materials import domain
from jobhelp.materials.enums import MaterialKind, Step
from jobhelp.materials.models import MaterialTarget
from jobhelp.materials.reminders import send_flyer_reminders, staff_to_remind
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import MembershipFactory, staff_member
from tests.materials.helpers import send
from tests.scheduling.times import local

SENT = datetime(2026, 2, 25, 15, 0, tzinfo=UTC)
JOB = "materials.flyer_reminders"
pytestmark = pytest.mark.usefixtures("sharing")


@pytest.fixture
def home_helper(library, north):
    """Library-system staff whose usual place is the Northtown branch."""
    helper = staff_member(library, Role.HELPER, first_name="Ada")
    helper.memberships.update(home_location=north)
    return helper


@pytest.fixture
def flyer(center, liaison, north, lake):
    return send(center, liaison, [north, lake], title="Workshops in March", now=SENT)


def sent() -> list[tuple[str, str, str]]:
    return list(
        OutboundMessage.objects.filter(template="material_not_posted")
        .order_by("to")
        .values_list("to", "language", "dedupe_key")
    )


def key(flyer, location, person) -> str:
    target = MaterialTarget.objects.get(material=flyer, location=location)
    return f"material-not-posted:{target.pk}:{person.pk}"


def test_nothing_before_nine_on_the_8th_on_the_location_s_clock(flyer, north_desk, home_helper):
    # 8:59 in Chicago on the day the clocks changed (13:59 UTC; UTC-5 since 2:00).
    assert send_flyer_reminders(now=local(2026, 3, 8, 8, 59)).locations == 0
    assert sent() == []


def test_at_nine_each_location_s_staff_is_reminded(
    flyer, north, lake, north_desk, home_helper, manager
):
    reminded = send_flyer_reminders(now=local(2026, 3, 8, 9, 0))

    # Northtown's own front desk and the system's helper who works there; Lakeside has no
    # staff of its own, so the managers who act for it.
    assert (reminded.locations, reminded.messages) == (2, 3)
    assert sent() == sorted(
        [
            (home_helper.email, "en", key(flyer, north, home_helper)),
            (north_desk.email, "es", key(flyer, north, north_desk)),
            (manager.email, "en", key(flyer, lake, manager)),
        ]
    )
    assert list(
        AuditEntry.objects.filter(action="jobhelp.material.reminder_queued")
        .order_by("pk")
        .values_list("actor", "data")
    ) == [(None, {"location": north.pk, "people": 2}), (None, {"location": lake.pk, "people": 1})]


def test_the_reminder_goes_once_even_when_the_job_runs_twice(flyer, north_desk, manager):
    first = periodic.run_jobs(names=[JOB], now=local(2026, 3, 8, 9, 0))
    second = periodic.run_jobs(names=[JOB], now=local(2026, 3, 8, 9, 15))
    later = periodic.run_jobs(names=[JOB], now=local(2026, 3, 20, 9, 0))

    assert [(o.job, o.counts) for o in first + second + later] == [
        (JOB, {"locations": 2, "queued": 2}),
        (JOB, {"locations": 0, "queued": 0}),
        (JOB, {"locations": 0, "queued": 0}),
    ]
    assert len(sent()) == 2


def test_the_outbox_dedupe_key_holds_if_a_location_is_claimed_again(flyer, north, north_desk):
    send_flyer_reminders(now=local(2026, 3, 8, 9, 0))
    # As if a runner died after queuing and before its claim was kept.
    MaterialTarget.objects.update(reminded_at=None)

    again = send_flyer_reminders(now=local(2026, 3, 8, 10, 0))

    assert again.messages == 0
    assert [to for to, _language, _key in sent()].count(north_desk.email) == 1


def test_a_location_that_posted_it_is_not_reminded(flyer, north, lake, north_desk, manager):
    domain.confirm(flyer, location=north, step=Step.POSTED, by=north_desk, copies=10)

    send_flyer_reminders(now=local(2026, 3, 9, 9, 0))

    assert sent() == [(manager.email, "en", key(flyer, lake, manager))]


def test_no_reminder_once_the_month_is_over_or_for_a_withdrawn_flyer_or_a_brochure(
    center, liaison, library, north, lake, north_desk, manager
):
    send(center, liaison, [north], title="February", month=date(2026, 2, 1), now=SENT)
    withdrawn = send(center, liaison, [north], title="Withdrawn", now=SENT)
    domain.withdraw_material(withdrawn, by=liaison)
    send(
        library,
        manager,
        [north],
        kind=MaterialKind.MARKETING,
        title="Brochure",
        valid_from=date(2026, 3, 1),
        now=SENT,
    )

    assert send_flyer_reminders(now=local(2026, 3, 8, 9, 0)).locations == 0


def test_a_flyer_sent_late_in_its_month_is_reminded_a_week_after_it_was_sent(
    center, liaison, north, north_desk
):
    send(center, liaison, [north], title="Late", now=local(2026, 3, 20, 16, 0))

    assert send_flyer_reminders(now=local(2026, 3, 27, 8, 59)).locations == 0
    assert send_flyer_reminders(now=local(2026, 3, 27, 9, 0)).locations == 1


def test_the_reminder_is_written_in_the_person_s_language(flyer, north_desk):
    send_flyer_reminders(now=local(2026, 3, 8, 9, 0))

    message = OutboundMessage.objects.get(to=north_desk.email)
    assert message.subject == "Todavía sin exhibir: Workshops in March (marzo de 2026)"
    assert "Northtown Library todavía no confirmó" in message.body
    assert "Riverbend WorkForce Center" in message.body


def test_the_staff_of_a_location(library, northtown, north, lake, north_desk, home_helper):
    inactive = staff_member(northtown, Role.HELPER, is_active=False)
    no_email = staff_member(northtown, Role.HELPER, email="")
    elsewhere = staff_member(library, Role.HELPER)
    MembershipFactory(user=elsewhere, organization=library, role=Role.LIAISON, home_location=lake)
    manager = staff_member(library, Role.MANAGER)

    assert staff_to_remind(north) == [north_desk, home_helper]
    assert staff_to_remind(lake) == [elsewhere]
    assert {inactive, no_email}.isdisjoint(staff_to_remind(north))
    MembershipFactory._meta.model.objects.filter(user=elsewhere).delete()
    assert staff_to_remind(lake) == [manager]


def test_the_english_reminder(flyer, lake, manager):
    send_flyer_reminders(now=local(2026, 3, 8, 9, 0))

    message = OutboundMessage.objects.get(dedupe_key=key(flyer, lake, manager))
    assert (message.subject, message.body) == (
        "Not posted yet: Workshops in March (March 2026)",
        f"Hello {manager.first_name},\n\n"
        "Lakeside Library has not yet confirmed that the flyer “Workshops in March” from "
        "Riverbend WorkForce Center is posted. It is the flyer for March 2026.\n\n"
        "Please download it, print it and put it out, then confirm in the staff area how many "
        "copies you posted:\nhttp://127.0.0.1:8000/staff/\n",
    )
