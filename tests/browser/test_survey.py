"""The patron answers the survey after their help session, in Spanish (the language of their
request, whatever the browser's), once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.casework.domain import SessionDetails, record_session
from jobhelp.casework.models import FeedbackResponse
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.models import OutboundMessage
from tests.browser.helpers import assert_no_axe_violations
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patron_answers_the_survey_in_spanish(page: Page, live_server, library, helper):
    request = HelpRequestFactory(
        organization=library,
        state=RequestState.IN_PROGRESS,
        assigned_to=helper,
        email="rosa@example.org",
        language="es",
    )
    record_session(
        request,
        by=helper,
        details=SessionDetails(
            happened_at=timezone.now() - timedelta(hours=1),
            modality="phone",
            minutes=45,
            activities=["resume_reviewed"],
        ),
    )
    invitation = OutboundMessage.objects.get(template="feedback_invitation")
    assert invitation.language == "es"
    path = "/survey/" + invitation.body.split("/survey/")[1].split()[0]

    # The browser reads English (the context's locale is en-US); the request said Spanish.
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(page.locator("h1")).to_have_text("¿Cómo fue la ayuda que recibió?")
    assert_no_axe_violations(page)

    # A mistake first: no answer to "would you recommend it".
    page.locator("label[for=id_helpful_0]").click()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.locator(".usa-error-message")).to_have_count(1)
    assert_no_axe_violations(page)
    assert FeedbackResponse.objects.count() == 0

    page.locator("label[for=id_would_recommend_0]").click()
    page.locator("#id_comment").fill("¡Sigan ofreciendo este servicio!")
    page.locator("label[for=id_may_quote]").click()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.locator("h1")).to_have_text("Gracias")
    assert_no_axe_violations(page)

    # The link works once.
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_text("Usted ya respondió")
    assert_no_axe_violations(page)
    assert list(
        FeedbackResponse.objects.values_list("helpful", "would_recommend", "comment", "may_quote")
    ) == [(5, True, "¡Sigan ofreciendo este servicio!", True)]
