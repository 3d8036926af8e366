"""The resource assessment (directory.assessment): saved as it goes, submitted, sent back or
approved by a manager, whose approval writes the location's computers, hours and directory
entries; the summary across a library system."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied

from jobhelp.core.models import AuditEntry
from jobhelp.directory.assessment import (
    AssessmentError,
    approve_assessment,
    return_assessment,
    save_answers,
    start_assessment,
    submit_assessment,
)
from jobhelp.directory.checklist import AnswerError
from jobhelp.directory.models import Assessment, PublicComputers, Service
from jobhelp.directory.queries import assessment_for_user, assessment_summary
from tests.factories.organizations import LocationFactory

ANSWERS = {
    "computers": 16,
    "software": ["office", "state_job_site"],
    "printing": True,
    "scanning": False,
    "quiet_room": True,
    "staff_skills": ["resume", "applications"],
    "staff_languages": ["en", "es"],
    "hours": [[0, "09:00", "20:00"], [5, "10:00", "16:00"]],
    "collections": ["resume_books"],
    "wifi": True,
    "accessible_entrance": True,
    "accessible_computer": False,
    "accessibility_notes": "Step-free entrance from the parking lot.",
}


@pytest.fixture
def central(library):
    return LocationFactory(organization=library, name="Central Library")


def submitted(central, helper, answers=ANSWERS):
    assessment = start_assessment(central, by=helper)
    save_answers(assessment, by=helper, answers=answers)
    return submit_assessment(assessment, by=helper)


def test_answers_are_saved_as_they_go_and_checked(central, helper):
    assessment = start_assessment(central, by=helper)
    save_answers(assessment, by=helper, answers={"computers": 12})
    save_answers(assessment, by=helper, answers={"printing": True})
    with pytest.raises(AnswerError) as error:
        save_answers(
            assessment,
            by=helper,
            answers={"computers": -1, "hours": [[9, "09:00", "08:00"]], "wifi": True},
        )

    assessment.refresh_from_db()
    assert assessment.answers == {"computers": 12, "printing": True}
    assert sorted(error.value.errors) == ["computers", "hours"]
    assert start_assessment(central, by=helper) == assessment


def test_submitting_needs_every_required_answer(central, helper):
    assessment = start_assessment(central, by=helper)
    save_answers(assessment, by=helper, answers={"computers": 12})

    with pytest.raises(AssessmentError, match="private room for a video interview"):
        submit_assessment(assessment, by=helper)
    assert Assessment.objects.get().state == "draft"


def test_only_a_manager_approves_or_sends_back(central, helper, manager, outsider):
    assessment = submitted(central, helper)
    for person in (helper, outsider):
        with pytest.raises(PermissionDenied):
            approve_assessment(assessment, by=person)
    with pytest.raises(PermissionDenied):
        start_assessment(central, by=outsider)

    returned = return_assessment(assessment, by=manager)
    assert returned.state == "draft"
    save_answers(returned, by=helper, answers={"computers": 18})


def test_approval_writes_computers_hours_and_entries(central, helper, manager, library):
    assessment = submitted(central, helper)

    approve_assessment(assessment, by=manager)

    computers = PublicComputers.objects.get(location=central)
    assert (computers.count, computers.software, computers.printing, computers.wifi) == (
        16,
        ["office", "state_job_site"],
        True,
        True,
    )
    assert list(central.hours.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(20)),
        (5, time(10), time(16)),
    ]
    central.refresh_from_db()
    assert central.accessibility == "Step-free entrance from the parking lot."
    entries = Service.objects.filter(organization=library).order_by("name")
    assert [
        (s.name, s.needs, list(s.places.values_list("location", flat=True))) for s in entries
    ] == [
        ("Free Wi-Fi", ["digital"], [central.pk]),
        ("Job help from library staff", ["resume", "applications"], [central.pk]),
        ("Job-search books and references", ["resume"], [central.pk]),
        ("Public computers", ["digital", "applications"], [central.pk]),
        ("Quiet room for video interviews", ["interview"], [central.pk]),
    ]
    assert AuditEntry.objects.filter(action="jobhelp.assessment.approved").get().data == {
        "created": 5,
        "updated": 0,
        "withdrawn": 0,
    }


def test_a_second_approval_updates_and_withdraws_without_deleting(central, helper, manager):
    approve_assessment(submitted(central, helper), by=manager)
    again = start_assessment(central, by=helper)
    assert again.answers == ANSWERS  # starts from the last approved answers

    save_answers(again, by=helper, answers={"quiet_room": False, "staff_languages": ["en"]})
    approve_assessment(submit_assessment(again, by=helper), by=manager)

    assert Service.objects.get(name="Quiet room for video interviews").status == "inactive"
    assert Service.objects.get(name="Job help from library staff").languages == ["en"]
    # Three entries name the staff's languages; Wi-Fi names none and stays as it was.
    approvals = AuditEntry.objects.filter(action="jobhelp.assessment.approved").order_by("pk")
    assert approvals.last().data == {"created": 0, "updated": 3, "withdrawn": 1}


def test_the_summary_across_the_library_system(library, branch, helper, manager, outsider):
    locations = [LocationFactory(organization=library, name=f"Branch {n}") for n in range(3)]
    for n, location in enumerate(locations[:2]):
        approve_assessment(
            submitted(location, helper, {**ANSWERS, "quiet_room": n == 0}), by=manager
        )

    summary = assessment_summary(manager, library)

    # Four locations: the branch's own and the three of the system.
    assert (summary.locations, summary.assessed, summary.computers) == (4, 2, 32)
    assert [line.text for line in summary.lines][:3] == [
        "2 of 4 locations let people print",
        "0 of 4 locations have a scanner",
        "1 of 4 locations have a private room for a video interview",
    ]
    assert summary.not_assessed == ("Branch 2", "Northtown Library")
    assert assessment_summary(helper, library) is None
    assert assessment_summary(outsider, library) is None


def test_another_organizations_assessment_is_not_found(central, helper, outsider):
    assessment = start_assessment(central, by=helper)

    assert assessment_for_user(helper, assessment.pk) == assessment
    assert assessment_for_user(outsider, assessment.pk) is None


def test_entries_are_written_in_the_sites_language_whatever_the_manager_reads(
    central, helper, manager
):
    from django.utils import translation

    with translation.override("es"):
        approve_assessment(submitted(central, helper), by=manager)

    assert "Public computers" in set(
        Service.objects.filter(organization=central.organization).values_list("name", flat=True)
    )
