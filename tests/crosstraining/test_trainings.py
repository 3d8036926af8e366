"""Scheduling, attendance and records, requirements and their matrix, the qualifications a
training earns (and routing's reasons), reminders, and the MOU evidence."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import Qualification
from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining import queries
from jobhelp.crosstraining.domain import (
    TrainingDetails,
    add_requirement,
    mark_attendance,
    record_training_elsewhere,
    schedule_training,
    send_training_reminders,
)
from jobhelp.crosstraining.enums import TrainingKind, TrainingStatus
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.models import Requirement, Training, TrainingRecord
from jobhelp.intake.routing import HelperPool
from jobhelp.notifications.models import OutboundMessage
from jobhelp.partnerships.enums import ObligationKind, PartyRole
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import RequirementFactory, TrainingFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.partnerships import ObligationFactory, OccurrenceFactory, PartyFactory

CHICAGO = ZoneInfo("America/Chicago")


def details(center_location, audience, **overrides) -> TrainingDetails:
    values = {
        "title": "Job-center orientation",
        "title_es": "Orientación del centro de empleo",
        "kind": TrainingKind.ORIENTATION,
        "starts_at": datetime(2026, 3, 3, 10, tzinfo=CHICAGO),
        "duration_minutes": 90,
        "location": center_location,
        "place": "Room 2",
        "online_link": "",
        "capacity": 10,
        "audience": audience,
    }
    return TrainingDetails(**{**values, **overrides})


def test_the_liaison_schedules_a_training_and_it_is_audited(
    liaison, center, center_location, library
):
    training = schedule_training(
        center,
        by=liaison,
        trainer=liaison,
        details=details(center_location, [library]),
        now=datetime(2026, 2, 1, tzinfo=CHICAGO),
    )
    assert (training.title, list(training.audience.all())) == ("Job-center orientation", [library])
    assert training.starts_at == datetime(2026, 3, 3, 16, tzinfo=ZoneInfo("UTC"))
    entry = AuditEntry.objects.get(action="jobhelp.training.scheduled")
    assert (entry.actor, entry.organization, entry.data) == (
        liaison,
        center,
        {"kind": "orientation", "audience": [library.pk]},
    )


def test_partner_staff_cannot_schedule_and_nothing_is_written(
    partner_staff, center, center_location, library
):
    with pytest.raises(CrosstrainingError):
        schedule_training(
            center,
            by=partner_staff,
            trainer=partner_staff,
            details=details(center_location, [library]),
        )
    assert (Training.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_training_in_the_past_is_refused_with_a_clear_error(
    liaison, center, center_location, library
):
    with pytest.raises(CrosstrainingError, match="Choose a time in the future"):
        schedule_training(
            center,
            by=liaison,
            trainer=liaison,
            details=details(center_location, [library]),
            now=datetime(2026, 3, 3, 10, 1, tzinfo=CHICAGO),
        )
    assert (Training.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_training_needs_a_place_or_a_link(liaison, center, center_location, library):
    with pytest.raises(CrosstrainingError, match="room or place"):
        schedule_training(
            center,
            by=liaison,
            trainer=liaison,
            details=details(center_location, [library], place="  "),
        )
    assert Training.objects.count() == 0


@pytest.fixture
def orientation(center, liaison, center_location, library):
    return TrainingFactory(
        organization=center,
        trainer=liaison,
        location=center_location,
        starts_at=datetime(2026, 3, 3, 10, tzinfo=CHICAGO),
        audience=[library],
    )


def test_attendance_makes_records_and_the_training_held(orientation, liaison, desk, front_desk):
    now = datetime(2026, 3, 3, 18, tzinfo=ZoneInfo("UTC"))
    mark_attendance(orientation, by=liaison, present=[desk, front_desk], now=now)
    mark_attendance(orientation, by=liaison, present=[desk], now=now)
    records = TrainingRecord.objects.filter(training=orientation)
    assert [(r.person, r.completed_on, r.title) for r in records] == [
        (desk, date(2026, 3, 3), "Job-center orientation")
    ]
    orientation.refresh_from_db()
    assert orientation.held_at == now
    assert [
        e.data
        for e in AuditEntry.objects.filter(action="jobhelp.training.attendance").order_by("pk")
    ] == [
        {"added": 2, "removed": 0, "present": 2},
        {"added": 0, "removed": 1, "present": 1},
    ]
    assert AuditEntry.objects.filter(action="jobhelp.training.held").count() == 1
    assert desk in queries.roster(orientation)


def test_attendance_before_the_training_starts_is_refused(orientation, liaison, desk):
    with pytest.raises(CrosstrainingError, match="once the training has started"):
        mark_attendance(
            orientation, by=liaison, present=[desk], now=datetime(2026, 3, 1, tzinfo=CHICAGO)
        )
    assert TrainingRecord.objects.count() == 0


def test_a_held_training_keeps_the_matching_obligation_occurrence(
    orientation, liaison, center, library, desk
):
    obligation = ObligationFactory(
        kind=ObligationKind.TRAINING, owner_organization=center, title="Orientation twice a year"
    )
    PartyFactory(
        agreement=obligation.agreement, organization=center, role=PartyRole.REQUIRED_PARTNER
    )
    PartyFactory(agreement=obligation.agreement, organization=library)
    earlier = OccurrenceFactory(obligation=obligation, due_on=date(2026, 1, 1))
    next_due = OccurrenceFactory(obligation=obligation, due_on=date(2026, 6, 30))
    mark_attendance(
        orientation, by=liaison, present=[desk], now=datetime(2026, 3, 3, 18, tzinfo=CHICAGO)
    )
    next_due.refresh_from_db()
    earlier.refresh_from_db()
    assert (next_due.done_by, next_due.evidence_id, earlier.done_at) == (
        liaison,
        orientation.pk,
        None,
    )


def test_training_taken_elsewhere_needs_the_persons_manager(manager, desk, partner_staff):
    today = date(2026, 3, 10)
    with pytest.raises(CrosstrainingError):
        record_training_elsewhere(
            desk,
            by=partner_staff,
            title="Orientation",
            kind=TrainingKind.ORIENTATION,
            completed_on=date(2026, 3, 1),
            given_by="State workforce office",
            today=today,
        )
    with pytest.raises(CrosstrainingError, match="once it has been done"):
        record_training_elsewhere(
            desk,
            by=manager,
            title="Orientation",
            kind=TrainingKind.ORIENTATION,
            completed_on=date(2026, 3, 11),
            given_by="State workforce office",
            today=today,
        )
    assert TrainingRecord.objects.count() == 0
    record = record_training_elsewhere(
        desk,
        by=manager,
        title="Orientation",
        kind=TrainingKind.ORIENTATION,
        completed_on=date(2026, 3, 1),
        given_by="State workforce office",
        today=today,
    )
    assert (record.attested_by, record.training) == (manager, None)


def test_the_matrix_shows_current_due_soon_overdue_and_lapsed(library, manager):
    requirement = RequirementFactory(organization=library, role=Role.FRONT_DESK)
    today = date(2026, 6, 1)
    people = {}
    for name, joined, completed in [
        ("Cur", date(2025, 1, 1), date(2026, 1, 10)),
        ("Soon", date(2025, 1, 1), date(2025, 6, 20)),
        ("Late", date(2026, 1, 1), None),
        ("Lapsed", date(2024, 1, 1), date(2025, 3, 3)),
        ("New", date(2026, 5, 20), None),
    ]:
        person = staff_member(library, Role.FRONT_DESK, first_name=name)
        person.date_joined = datetime(joined.year, joined.month, joined.day, 12, tzinfo=CHICAGO)
        person.save()
        if completed:
            TrainingRecord.objects.create(
                person=person,
                title="Job-center orientation",
                kind=TrainingKind.ORIENTATION,
                completed_on=completed,
                given_by="Center",
                attested_by=manager,
            )
        people[name] = person
    rows = queries.matrix_for_user(manager, today=today)
    found = {
        row.person.first_name: (row.standings[0].status, row.standings[0].due_on) for row in rows
    }
    assert found == {
        "Cur": (TrainingStatus.CURRENT, date(2027, 1, 10)),
        "Soon": (TrainingStatus.DUE_SOON, date(2026, 6, 20)),
        "Late": (TrainingStatus.OVERDUE, date(2026, 3, 2)),
        "Lapsed": (TrainingStatus.LAPSED, date(2026, 3, 3)),
        "New": (TrainingStatus.DUE_SOON, date(2026, 7, 19)),
    }
    assert all(row.standings[0].requirement == requirement for row in rows)


def test_the_matrix_is_for_managers_only(library, front_desk, partner_staff):
    RequirementFactory(organization=library, role=Role.FRONT_DESK)
    assert queries.matrix_for_user(front_desk) == []
    assert queries.matrix_for_user(partner_staff) == []


def test_the_matrix_costs_the_same_for_one_or_three_people(
    library, manager, django_assert_num_queries
):
    RequirementFactory(organization=library, role=Role.FRONT_DESK)
    staff_member(library, Role.FRONT_DESK)
    with django_assert_num_queries(3) as one:
        rows = queries.matrix_for_user(manager)
    assert len(rows) == 1
    staff_member(library, Role.FRONT_DESK)
    staff_member(library, Role.FRONT_DESK)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(queries.matrix_for_user(manager)) == 3


@pytest.fixture
def orientation_qualifies(library, manager):
    return add_requirement(
        library,
        by=manager,
        role=Role.FRONT_DESK,
        kind=TrainingKind.ORIENTATION,
        within_days=60,
        refresh_months=12,
        qualifies_for="unemployment",
    )


def suggestion_for(desk, library, today):
    help_request = HelpRequestFactory(organization=library, needs=["unemployment"])
    pool = HelperPool({library.pk}, today=today)
    return [s for s in pool.suggest(help_request, limit=10) if s.helper.pk == desk.pk]


def test_completing_the_orientation_qualifies_and_routing_says_so(
    orientation, orientation_qualifies, liaison, library, desk
):
    # A front desk who also helps: the helping membership routing reads.
    staff = desk.memberships.get()
    staff.pk = None
    staff.role = Role.HELPER
    staff.save()
    assert suggestion_for(desk, library, date(2026, 3, 4)) == []
    mark_attendance(
        orientation, by=liaison, present=[desk], now=datetime(2026, 3, 3, 18, tzinfo=CHICAGO)
    )
    qualification = Qualification.objects.get(user=desk, need="unemployment")
    assert (
        qualification.qualified_from,
        qualification.valid_until,
        qualification.earned_through,
    ) == (
        date(2026, 3, 3),
        date(2027, 3, 3),
        "Job-center orientation",
    )
    [suggestion] = suggestion_for(desk, library, date(2026, 3, 4))
    assert "completed Job-center orientation on March 3" in suggestion.reasons
    with translation.override("es"):
        [suggestion] = suggestion_for(desk, library, date(2026, 3, 4))
        assert "completó Orientación del centro de empleo el 3 de marzo" in suggestion.reasons
    # The refresher lapses a year on: the qualification is suspended with it.
    assert suggestion_for(desk, library, date(2027, 3, 4)) == []
    assert len(suggestion_for(desk, library, date(2027, 3, 3))) == 1


def test_a_lapsed_refresher_is_reminded_once_to_the_person_and_their_manager(
    library, manager, desk, settings
):
    RequirementFactory(organization=library, role=Role.FRONT_DESK, title="Job-center orientation")
    TrainingRecord.objects.create(
        person=desk,
        title="Job-center orientation",
        kind=TrainingKind.ORIENTATION,
        completed_on=date(2025, 3, 3),
        given_by="Center",
        attested_by=manager,
    )
    manager.email = "manager@example.org"
    manager.save()
    now = datetime(2026, 3, 10, 15, tzinfo=ZoneInfo("UTC"))
    assert send_training_reminders(now=now) == 2
    assert send_training_reminders(now=now) == 0
    assert send_training_reminders(now=now + timedelta(hours=1)) == 0
    sent = sorted(OutboundMessage.objects.values_list("to", "subject"))
    assert sent == [
        ("dana@example.org", "Training lapsed: Job-center orientation"),
        ("manager@example.org", "Training lapsed: Job-center orientation"),
    ]


def test_requirements_are_set_by_managers_only(library, front_desk):
    with pytest.raises(CrosstrainingError):
        add_requirement(
            library,
            by=front_desk,
            role=Role.FRONT_DESK,
            kind=TrainingKind.ORIENTATION,
            within_days=60,
            refresh_months=12,
        )
    assert Requirement.objects.count() == 0


def test_trainings_do_not_leak_to_other_organizations(orientation, outsider, desk, liaison):
    assert list(queries.trainings_for_user(desk)) == [orientation]
    assert list(queries.trainings_for_user(liaison)) == [orientation]
    assert list(queries.trainings_for_user(outsider)) == []
