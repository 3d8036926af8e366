"""The resource assessment's pages (staff.views.directory.assessments): the checklist one
section at a time, saved as it goes; a wrong answer is shown and nothing saved; submitting;
a manager's approval creates the location's entries and computers; the summary."""

import pytest

from jobhelp.directory.models import Assessment, PublicComputers, Service

pytestmark = pytest.mark.django_db

SECTIONS = {
    "computers": {"computers": "12", "software": ["office", "state_job_site"]},
    "printing": {"printing": "yes", "scanning": "no"},
    "rooms": {"quiet_room": "yes"},
    "staff": {"staff_skills": ["resume"], "staff_languages": ["en", "es"]},
    "hours": {"opens_0": "09:00", "closes_0": "20:00", "opens_5": "10:00", "closes_5": "16:00"},
    "collections": {"collections": ["resume_books"]},
    "wifi": {"wifi": "yes"},
    "accessibility": {
        "accessible_entrance": "yes",
        "accessible_computer": "no",
        "accessibility_notes": "Ramp at the side door.",
    },
}


def fill_in(client, central) -> Assessment:
    started = client.post(f"/staff/directory/assessments/start/{central.pk}/")
    assessment = Assessment.objects.get()
    assert started["Location"] == f"/staff/directory/assessments/{assessment.pk}/"
    for section, answers in SECTIONS.items():
        response = client.post(
            f"/staff/directory/assessments/{assessment.pk}/?section={section}",
            {"section": section, **answers},
        )
        assert response.status_code == 302, response.content.decode()
    assessment.refresh_from_db()
    return assessment


def test_the_checklist_is_saved_section_by_section_and_a_manager_approves_it(
    client, helper, manager, central
):
    client.force_login(helper)
    assessment = fill_in(client, central)

    assert assessment.answers["computers"] == 12
    assert assessment.answers["hours"] == [[0, "09:00", "20:00"], [5, "10:00", "16:00"]]
    client.post(f"/staff/directory/assessments/{assessment.pk}/submit/")
    refused = client.post(f"/staff/directory/assessments/{assessment.pk}/approve/")
    assert refused.status_code == 403

    client.force_login(manager)
    page = client.get(f"/staff/directory/assessments/{assessment.pk}/")
    assert page.context["may_approve"] is True
    client.post(f"/staff/directory/assessments/{assessment.pk}/approve/")

    assessment.refresh_from_db()
    assert assessment.state == "approved"
    assert PublicComputers.objects.get(location=central).count == 12
    assert Service.objects.filter(organization=central.organization).count() >= 3
    summary = client.get("/staff/directory/assessments/").content.decode()
    assert "1 of 1 locations have a private room for a video interview" in summary


def test_a_wrong_answer_is_shown_and_nothing_is_saved(client, helper, central):
    client.force_login(helper)
    client.post(f"/staff/directory/assessments/start/{central.pk}/")
    assessment = Assessment.objects.get()

    response = client.post(
        f"/staff/directory/assessments/{assessment.pk}/?section=hours",
        {"section": "hours", "opens_0": "20:00", "closes_0": "09:00", "opens_1": "09:00"},
    )

    assert response.status_code == 400
    assert "must start before it ends" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_submitting_with_questions_unanswered_lists_them(client, helper, central):
    client.force_login(helper)
    client.post(f"/staff/directory/assessments/start/{central.pk}/")
    assessment = Assessment.objects.get()

    response = client.post(f"/staff/directory/assessments/{assessment.pk}/submit/", follow=True)

    assert "Answer these questions first" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == "draft"


def test_another_organizations_assessment_is_404(client, helper, outsider, partner_staff, central):
    client.force_login(helper)
    client.post(f"/staff/directory/assessments/start/{central.pk}/")
    assessment = Assessment.objects.get()

    for person in (outsider, partner_staff):
        client.force_login(person)
        assert client.get(f"/staff/directory/assessments/{assessment.pk}/").status_code == 404
        assert client.post(f"/staff/directory/assessments/start/{central.pk}/").status_code == 404
    assert Assessment.objects.count() == 1
