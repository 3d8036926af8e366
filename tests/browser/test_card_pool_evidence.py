"""The card pool as the MOU's evidence in a browser: the center's liaison, who may not see who
holds the library's cards, opens the cards obligation and reads the pool in counts, in English
and Spanish, on a phone-sized screen too; axe-core checks the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.factories.accounts import staff_member
from tests.factories.crosstraining import CardFactory, CardLoanFactory
from tests.partnerships import conftest as domain

pytestmark = pytest.mark.django_db(transaction=True)

affiliate = domain.affiliate
agreement = domain.agreement
center = domain.center
liaison = domain.liaison
obligations = domain.obligations
partnership = domain.partnership

SENTENCE = {
    "en": "5 cards in the pool: 4 lent, 1 available, 1 expiring within 45 days, 0 overdue.",
    "es": "5 tarjetas en la reserva: prestadas 4, disponibles 1, por vencer en 45 días 1, "
    "vencidas 0.",
}


@pytest.mark.parametrize(
    ("language", "width"), [("en", 1280), ("es", 1280), ("es", 375)], ids=["en", "es", "es-phone"]
)
def test_the_liaison_reads_the_pool_in_counts_only(
    page: Page, live_server, obligations, library, center, liaison, front_desk, language, width
):
    holder = staff_member(center, Role.PARTNER_STAFF, first_name="Quintessa")
    today = timezone.localdate()
    cards = [CardFactory(library=library) for _ in range(5)]
    for card, days in zip(cards[:4], [200, 200, 200, 10], strict=True):
        CardLoanFactory(
            card=card, holder=holder, issued_by=front_desk, expires_on=today + timedelta(days)
        )
    page.set_viewport_size({"width": width, "height": 800})
    url = live_server.url

    log_in(page, url, liaison)
    if language == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator(".jh-language__current")).to_have_text("Español")
    page.goto(f"{url}/staff/partnerships/obligations/{obligations.cards.pk}/")

    box = page.get_by_role(
        "region", name="La reserva de tarjetas hoy" if language == "es" else "The card pool today"
    )
    expect(box).to_contain_text(SENTENCE[language])
    expect(page.locator("main")).not_to_contain_text("Quintessa")
    assert_no_axe_violations(page)
