"""Routing on the demo county's own people and rules (docs/triage.md, "How they are ranked")."""

import pytest
from django.core.management import call_command

from jobhelp.accounts.models import User
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.routing import pool_for_requests
from jobhelp.organizations.models import Organization


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force", verbosity=0)


def caller(*, needs: list[str], language: str = "en"):
    library = Organization.objects.get(slug="riverbend-library")
    details = RequestDetails(
        name="Pat",
        phone="+17635550199",
        email="",
        preferred_contact="phone",
        best_time="any",
        voicemail_ok=True,
        needs=needs,
        language=language,
        preferred_location=None,
        modality="phone",
        note="",
    )
    return submit_request(
        details=details,
        organization=library,
        channel="phone",
        taken_by=User.objects.get(username="frontdesk"),
    )


def suggested(help_request) -> list[str]:
    return [s.helper.username for s in pool_for_requests([help_request]).suggest(help_request)]


def test_the_career_coach_comes_first_for_interview_practice_and_a_resume(demo):
    help_request = caller(needs=["interview", "resume"])

    first, *others = suggested(help_request)

    assert (first, "jrivera" in others) == ("jrivera", False)


def test_a_fallback_rule_still_decides_between_people_equally_qualified(demo):
    help_request = caller(needs=["resume"])

    # Jordan (career coach) is not named by the fallback, which names the helpers; all speak
    # English and are qualified for the one need: the fallback's people come first.
    assert suggested(help_request)[0] != "jrivera"


def test_a_spanish_speaking_caller_goes_to_the_coach_by_the_rule(demo):
    help_request = caller(needs=["resume"], language="es")

    assert suggested(help_request)[0] == "jrivera"
