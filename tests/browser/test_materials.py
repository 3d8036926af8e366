"""The materials library and the reference titles in a browser, in English and Spanish, with
axe-core on every page: the job center sends this month's flyer to every library location,
three branches each find it (their branch did not send it) and confirm it posted, the
liaison's grid shows the one that has not, and the reminder to that branch is queued once (the
periodic job on a controlled clock); the library orders two of the center's popular titles
from the suggestions."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from jobhelp.core import periodic
from jobhelp.materials.enums import OrderState
from jobhelp.materials.models import Material, Sharing, TitleOrder
from jobhelp.materials.reminders import reminder_due_at
from jobhelp.materials.titles import TitleDetails, add_title
from jobhelp.notifications.models import OutboundMessage
from tests.browser.helpers import assert_no_axe_violations, collect_csp_messages, log_in, tick
from tests.factories.accounts import staff_member
from tests.factories.organizations import BranchFactory, LocationFactory
from tests.materials import conftest as domain
from tests.materials.files import pdf

pytestmark = pytest.mark.django_db(transaction=True)

media = domain.media
BRANCHES = ("Lakeside Library", "Northtown Library", "Oak Hill Library", "Pine Ridge Library")

WORDS = {
    "en": {
        "more": "More",
        "materials": "Materials",
        "send": "Send a material",
        "submit": "Send",
        "sent": "“Center workshops, this month” is sent to 4 locations.",
        "copies": "Copies posted at {}",
        "posted": "Posted at {}",
        "posted_copies": "Posted (10 copies)",
        "grid": "This month's flyers",
        "not_posted": "Not posted yet: Pine Ridge Library",
        "popular": "Popular at partners",
        "order": "Mark ordered {}",
        "ordered": "Ordered",
    },
    "es": {
        "more": "Más",
        "materials": "Materiales",
        "send": "Enviar un material",
        "submit": "Enviar",
        "sent": "“Center workshops, this month” se envió a 4 sedes.",
        "copies": "Copias exhibidas en {}",
        "posted": "Exhibido en {}",
        "posted_copies": "Exhibido (10 copias)",
        "grid": "Volantes de este mes",
        "not_posted": "Aún sin exhibir: Pine Ridge Library",
        "popular": "Populares en los socios",
        "order": "Marcar como pedido {}",
        "ordered": "Pedido",
    },
}


@pytest.fixture
def county(library, center):
    """Four branches with a location and a front desk each, the center's office, and the
    library and the center sharing with each other."""
    desks = {}
    for name in BRANCHES:
        branch = BranchFactory(parent=library, name=name, slug=name.split()[0].lower())
        LocationFactory(organization=branch, name=name)
        desks[name] = staff_member(branch, Role.FRONT_DESK, first_name=name.split()[0])
    office = LocationFactory(organization=center, name="WorkForce Center office")
    Sharing.objects.create(organization=library, partner=center)
    Sharing.objects.create(organization=center, partner=library)
    return {"desks": desks, "office": office}


def enter(page: Page, base_url: str, user, language: str) -> None:
    page.context.clear_cookies()
    log_in(page, base_url, user)
    if language == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator(".jh-language__current")).to_have_text("Español")


def open_materials(page: Page, words: dict) -> None:
    page.locator(".jh-menu summary").click()
    page.get_by_role("link", name=words["materials"], exact=True).click()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_centers_flyer_reaches_the_branches_and_the_one_not_posted_is_reminded_once(
    page: Page, live_server, county, liaison, media, language
):
    words = WORDS[language]
    csp = collect_csp_messages(page)
    enter(page, live_server.url, liaison, language)
    open_materials(page, words)
    page.locator(".jh-subnav").get_by_role("link", name=words["send"]).click()
    assert_no_axe_violations(page)
    page.locator("[name=title]").fill("Center workshops, this month")
    page.locator("[name=month]").fill(timezone.localdate().strftime("%Y-%m"))
    tick(page.get_by_label("Riverbend County Library", exact=True))
    page.locator("[name=file]").set_input_files(
        files=[{"name": "flyer.pdf", "mimeType": "application/pdf", "buffer": pdf("December")}]
    )
    page.locator("form.usa-form--large").get_by_role("button", name=words["submit"]).click()
    expect(page.get_by_role("status").first).to_contain_text(words["sent"])
    assert_no_axe_violations(page)
    flyer = Material.objects.get()

    # Three branches each find it in their library, though none of them sent it, and post it.
    for name in BRANCHES[:3]:
        enter(page, live_server.url, county["desks"][name], language)
        open_materials(page, words)
        page.get_by_role("link", name="Center workshops, this month", exact=True).click()
        assert_no_axe_violations(page)
        page.get_by_label(words["copies"].format(name)).fill("10")
        page.get_by_role("button", name=words["posted"].format(name)).click()
        expect(
            page.locator(f"#location-{flyer.targets.get(location__name=name).location_id}")
        ).to_contain_text(words["posted_copies"])
        assert_no_axe_violations(page)

    enter(page, live_server.url, liaison, language)
    open_materials(page, words)
    page.locator(".jh-subnav").get_by_role("link", name=words["grid"]).click()
    expect(page.locator("#not-posted")).to_have_text(words["not_posted"])
    assert_no_axe_violations(page)
    assert csp == []

    # The periodic job, on a controlled clock. The page sent the flyer today; as if sent on
    # the 1st, its reminder is due at 9:00 on the 8th, Pine Ridge's time.
    chicago = ZoneInfo(settings.TIME_ZONE)
    first = flyer.valid_from
    Material.objects.filter(pk=flyer.pk).update(
        created_at=datetime.combine(first, time(8), tzinfo=chicago)
    )
    pine = flyer.targets.select_related("location", "material").get(
        location__name="Pine Ridge Library"
    )
    due = reminder_due_at(pine)
    assert due == datetime.combine(first + timedelta(days=7), time(9), tzinfo=chicago)

    def run_at(when):
        return [o.counts for o in periodic.run_jobs(names=["materials.flyer_reminders"], now=when)]

    assert run_at(due - timedelta(minutes=1)) == [{"locations": 0, "queued": 0}]
    assert run_at(due) == [{"locations": 1, "queued": 1}]
    assert run_at(due + timedelta(minutes=15)) == [{"locations": 0, "queued": 0}]
    reminders = OutboundMessage.objects.filter(template="material_not_posted")
    assert list(reminders.values_list("to", flat=True)) == [
        county["desks"]["Pine Ridge Library"].email
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_library_orders_two_of_the_centers_popular_titles(
    page: Page, live_server, county, library, center, manager, liaison, language
):
    words = WORDS[language]
    office = county["office"]
    for name, asked in (
        ("What Color Is Your Parachute?", 40),
        ("Knock 'em Dead", 25),
        ("The 2-Hour Job Search", 9),
    ):
        add_title(
            center,
            by=liaison,
            details=TitleDetails(title=name, location=office, times_asked=asked),
        )
    enter(page, live_server.url, manager, language)
    open_materials(page, words)
    page.locator(".jh-subnav").get_by_role("link", name=words["popular"]).click()
    assert_no_axe_violations(page)
    for name in ("What Color Is Your Parachute?", "Knock 'em Dead"):
        page.get_by_role("button", name=words["order"].format(name)).click()
        expect(page.get_by_role("status").first).to_contain_text(name)
    expect(page.locator(".jh-status")).to_have_count(2)
    expect(page.locator(".jh-status").first).to_have_text(words["ordered"])
    assert_no_axe_violations(page)

    assert sorted(
        TitleOrder.objects.filter(organization=library).values_list("title", "state")
    ) == [
        ("Knock 'em Dead", OrderState.ORDERED),
        ("What Color Is Your Parachute?", OrderState.ORDERED),
    ]
