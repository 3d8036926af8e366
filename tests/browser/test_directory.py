"""The issue's stories in a browser. A job seeker on a phone, in Spanish, finds help with a
resumé in Spanish open now, and the nearest library with a free computer from her ZIP code;
the front desk counts a branch's computers on a desk-phone-sized screen and the public page
changes at the next load; the library's assessment of one branch, approved by a manager in
Spanish, creates its directory entries and computers. axe-core checks every page, under the
real Content-Security-Policy."""

from datetime import time

import pytest
from playwright.sync_api import Browser, Page, expect

from jobhelp.directory.assessment import save_answers
from jobhelp.directory.computers import record_count, set_public_computers
from jobhelp.directory.models import Assessment, PublicComputers, Service
from tests.browser.helpers import (
    AXE_JS,
    PHONE_VIEWPORT,
    assert_no_axe_violations,
    collect_csp_messages,
    log_in,
    tick,
)
from tests.factories.directory import (
    PlaceFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    open_every_day,
)
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def phone_page(browser: Browser) -> Page:
    context = browser.new_context(
        locale="en-US", viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True
    )
    context.add_init_script(path=str(AXE_JS))
    return context.new_page()


def all_day(location):
    return open_every_day(location, opens=time(0), closes=time(23, 59))


@pytest.fixture
def county(library, branch, helper):
    """Central Library, in town, full with people waiting; Northtown, 6 km out, with free
    computers; a resumé clinic in Spanish at Northtown and one in English at Central."""
    PlaceFactory(name="Riverbend", postal_code="55401", latitude="45.1", longitude="-93.3")
    central = all_day(
        LocationFactory(
            organization=library, name="Central Library", latitude="45.1", longitude="-93.3"
        )
    )
    northtown = all_day(branch.locations.get())
    northtown.latitude, northtown.longitude = "45.15", "-93.3"
    northtown.save()
    for location in (central, northtown):
        set_public_computers(location, by=helper, count=16, software=["office"], printing=True)
    record_count(central, by=helper, in_use=16, waiting=6)
    record_count(northtown, by=helper, in_use=10, waiting=0)
    spanish = ServiceFactory(
        organization=branch, name="Clínica de currículum", languages=["es", "en"]
    )
    ServiceAtLocationFactory(service=spanish, location=northtown)
    english = ServiceFactory(organization=library, name="Resumé clinic", languages=["en"])
    ServiceAtLocationFactory(service=english, location=central)
    return {"central": central, "northtown": northtown}


def test_a_job_seeker_on_a_phone_finds_resume_help_in_spanish_and_a_free_computer(
    browser: Browser, live_server, county
):
    url = live_server.url
    phone = phone_page(browser)
    csp = collect_csp_messages(phone)

    phone.goto(f"{url}/")
    phone.get_by_role("button", name="Español").click()
    phone.get_by_role("link", name="Adónde ir").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dónde recibir ayuda para el empleo")
    assert_no_axe_violations(phone)
    phone.get_by_label("¿Con qué necesita ayuda?").select_option("resume")
    phone.get_by_label("Idioma").select_option("es")
    tick(phone.get_by_label("Abierto ahora"))
    phone.locator("#directory-search").get_by_role("button", name="Buscar").click()
    results = phone.locator("#directory-results")
    expect(results).to_contain_text("Clínica de currículum")
    expect(results).to_contain_text("Northtown Library")
    expect(results).not_to_contain_text("Resumé clinic")
    assert_no_axe_violations(phone)

    phone.get_by_role("link", name="Clínica de currículum").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Clínica de currículum")
    expect(phone.locator("#service-languages")).to_contain_text("Español")
    expect(
        phone.get_by_role("link", name="Pida ayuda: nos pondremos en contacto con usted")
    ).to_be_visible()
    assert_no_axe_violations(phone)

    phone.goto(f"{url}/computers/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Computadoras públicas y tiempos de espera"
    )
    phone.get_by_label("Su pueblo o código postal").fill("55401")
    phone.get_by_role("button", name="Buscar").click()
    expect(phone.locator("#nearest-best")).to_contain_text("Vaya a Northtown Library")
    assert_no_axe_violations(phone)

    phone.get_by_label("Su pueblo o código postal").fill("99999")
    phone.get_by_role("button", name="Buscar").click()
    expect(phone.locator("#id_place-error")).to_contain_text("99999")
    assert_no_axe_violations(phone)
    assert csp == []


def test_the_front_desk_counts_and_the_public_page_changes_at_the_next_load(
    browser: Browser, live_server, county, front_desk
):
    url = live_server.url
    desk = phone_page(browser)
    public = phone_page(browser)
    public.goto(f"{url}/computers/")
    northtown = public.locator(f"#computers-{county['northtown'].uuid}")
    expect(northtown).to_contain_text("No wait: 6 computers free")
    assert_no_axe_violations(public)

    log_in(desk, url, front_desk)
    desk.goto(f"{url}/staff/directory/computers/")
    assert_no_axe_violations(desk)
    desk.locator("#staff-computers li", has_text="Northtown Library").get_by_role(
        "link", name="Count now"
    ).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Count at Northtown Library")
    assert_no_axe_violations(desk)
    desk.get_by_label("Computers in use now").fill("17")
    desk.get_by_label("People waiting now").fill("0")
    desk.get_by_role("button", name="Save the count").click()
    expect(desk.locator("#form-errors")).to_contain_text("at most 16 can be in use")
    assert_no_axe_violations(desk)
    desk.get_by_label("Computers in use now").fill("16")
    desk.get_by_label("People waiting now").fill("3")
    desk.get_by_role("button", name="Save the count").click()
    expect(desk.get_by_role("status").first).to_contain_text("Saved: 16 of 16 in use, 3 waiting.")

    public.reload()
    expect(northtown).to_contain_text("Wait: about")
    assert_no_axe_violations(public)


ANSWERS = {
    "printing": True,
    "scanning": True,
    "quiet_room": True,
    "staff_skills": ["resume"],
    "staff_languages": ["en", "es"],
    "hours": [[d, "09:00", "20:00"] for d in range(7)],
    "collections": ["resume_books"],
    "wifi": True,
    "accessible_entrance": True,
    "accessible_computer": True,
}


def test_the_assessment_of_a_branch_creates_its_entries_and_computers(
    page: Page, browser: Browser, live_server, branch, helper, manager
):
    url = live_server.url
    northtown = branch.locations.get()
    log_in(page, url, helper)
    page.goto(f"{url}/staff/directory/assessments/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Assess Northtown Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment of Northtown Library")
    assert_no_axe_violations(page)
    page.get_by_label("How many computers can the public use?").fill("12")
    tick(page.get_by_label("The state's job-search site"))
    page.get_by_role("button", name="Save and go on").click()
    assessment = Assessment.objects.get()
    expect(page).to_have_url(f"{url}/staff/directory/assessments/{assessment.pk}/?section=printing")
    # The other sections, as answered over the following days.
    save_answers(assessment, by=helper, answers=ANSWERS)
    page.goto(f"{url}/staff/directory/assessments/{assessment.pk}/?section=hours")
    expect(page.get_by_label("Monday from")).to_have_value("09:00")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send to a manager for review").click()
    expect(page.locator("#assessment-state")).to_have_text("Waiting for a manager's review")

    context = browser.new_context(locale="en-US")
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    log_in(page, url, manager)
    page.get_by_role("button", name="Español").click()
    page.goto(f"{url}/staff/directory/assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluación de Northtown Library")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Aprobar").click()
    expect(page.get_by_role("status").first).to_contain_text("Aprobada")
    page.goto(f"{url}/staff/directory/assessments/")
    expect(page.locator("#assessment-summary")).to_contain_text(
        "1 de 1 lugares tienen una sala privada para entrevistas por video"
    )
    assert_no_axe_violations(page)

    assert PublicComputers.objects.get(location=northtown).count == 12
    names = set(Service.objects.filter(organization=branch).values_list("name", flat=True))
    assert {"Public computers", "Quiet room for video interviews"} <= names
    page.goto(f"{url}/directory/")
    expect(page.locator("#directory-results")).to_contain_text("Quiet room for video interviews")
    assert_no_axe_violations(page)
