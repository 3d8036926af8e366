"""A manager signs in for the first time and sets up two-factor sign-in with an authenticator
app, then signs in again with a code, in English and Spanish; an administrator's set-up pages of
the admin pass axe."""

import re
from datetime import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from jobhelp.accounts.enums import Role
from tests.browser.helpers import PASSWORD, assert_no_axe_violations
from tests.factories.accounts import UserFactory, staff_member
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentTypeFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db(transaction=True)


def code_from_secret(secret: str, *, drift: int = 0) -> str:
    import base64

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=drift):06d}"


def sign_in(page: Page, base_url: str, user, *, language: str = "en") -> None:
    page.goto(f"{base_url}/staff/login/")
    assert_no_axe_violations(page)
    username, password, button = {
        "en": ("Username", "Password", "Log in"),
        "es": ("Nombre de usuario", "Contraseña", "Iniciar sesión"),
    }[language]
    page.get_by_label(username).fill(user.username)
    page.get_by_label(password).fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def test_a_manager_sets_up_two_factor_sign_in_and_uses_it(page: Page, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    from tests.factories.organizations import OrganizationFactory

    library = OrganizationFactory(name="Riverbend County Library", slug="riverbend")
    maria = staff_member(library, Role.MANAGER, first_name="Maria", last_name="Garcia")

    sign_in(page, live_server.url, maria)

    expect(page).to_have_url(f"{live_server.url}/staff/account/two-factor/")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_alt_text("QR code to add this account")).to_be_visible()
    assert_no_axe_violations(page)
    secret = page.locator("#totp-secret").inner_text()

    # A wrong code first: the message, and the same key to try again.
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code did not work.").first).to_be_visible()
    assert page.locator("#totp-secret").inner_text() == secret
    assert_no_axe_violations(page)

    page.get_by_label("Code from your app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_no_axe_violations(page)
    page.get_by_role("link", name="I have kept my codes, continue").click()
    expect(page).to_have_url(f"{live_server.url}/staff/")

    # Her own page: two-factor is on, and she signs out everywhere.
    page.get_by_text("More").click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("10 recovery codes left")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_url(re.compile(r"/staff/login/"))

    # Next time, in Spanish: the password, then a recovery code.
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    sign_in(page, live_server.url, maria, language="es")
    expect(page).to_have_url(f"{live_server.url}/staff/account/verify/")
    expect(page.get_by_role("heading", name="Escriba su código")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Código").fill(codes[0])
    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(f"{live_server.url}/staff/")
    assert TOTPDevice.objects.get(user=maria).confirmed


def test_a_helper_made_a_manager_mid_session_sets_up_two_factor_at_once(
    page: Page, live_server, settings
):
    """In Spanish: the helper needs no second factor, until a manager role is added while she
    is signed in; her very next page is the set-up, and then the page she was opening."""
    settings.TWO_FACTOR_REQUIRED = True
    from jobhelp.accounts.models import Membership
    from tests.factories.organizations import OrganizationFactory

    library = OrganizationFactory(name="Riverbend County Library", slug="riverbend")
    lucia = staff_member(library, Role.HELPER, first_name="Lucía", last_name="Pérez")
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    sign_in(page, live_server.url, lucia, language="es")
    expect(page).to_have_url(f"{live_server.url}/staff/")

    Membership.objects.create(user=lucia, organization=library, role=Role.MANAGER)
    page.goto(f"{live_server.url}/staff/queue/")

    expect(page).to_have_url(re.compile(r"/staff/account/two-factor/\?next=%2Fstaff%2Fqueue%2F$"))
    expect(
        page.get_by_role("heading", name="Configure el inicio de sesión en dos pasos")
    ).to_be_visible()
    assert_no_axe_violations(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Código de su aplicación").fill(code_from_secret(secret))
    page.get_by_role("button", name="Activar el inicio de sesión en dos pasos").click()
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Ya guardé mis códigos, continuar").click()
    expect(page).to_have_url(f"{live_server.url}/staff/queue/")


def test_the_admins_set_up_pages_pass_axe(page: Page, live_server, library, helper):
    central = LocationFactory(organization=library, name="Central Library")
    hours = WeeklyHoursFactory(
        helper=helper, location=central, weekday=1, starts=time(9), ends=time(12)
    )
    kind = AppointmentTypeFactory(organization=library)
    root = UserFactory(is_staff=True, is_superuser=True, username="root")

    sign_in(page, live_server.url, root)
    for path in [
        "/admin/",
        f"/admin/accounts/user/{helper.pk}/change/",
        "/admin/accounts/user/add/",
        f"/admin/organizations/organization/{library.pk}/change/",
        f"/admin/organizations/location/{central.pk}/change/",
        "/admin/organizations/location/add/",
        "/admin/scheduling/weeklyhours/add/",
        f"/admin/scheduling/weeklyhours/{hours.pk}/change/",
        "/admin/scheduling/availabilityexception/add/",
        f"/admin/scheduling/appointmenttype/{kind.pk}/change/",
        "/admin/scheduling/closure/add/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
        assert_no_axe_violations(page)
