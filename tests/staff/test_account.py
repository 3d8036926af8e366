"""Signing in with a second factor, one's account page, sessions' limits, the lockout and the
address ceiling, open redirects, no-store, and the security events they write."""

import json
import logging
import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import ApiToken, Membership, RecoveryCode, RecoveryCodes
from jobhelp.core.models import AuditEntry
from jobhelp.core.security import JsonFormatter
from jobhelp.staff.common.middleware import LOGIN_AT, SEEN_AT
from tests.factories.accounts import staff_member

PASSWORD = "a-long-test-password"


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def security_log(caplog):
    """The security events written during the test, as the JSON lines production writes."""
    logger = logging.getLogger("jobhelp.security")
    logger.propagate = True
    caplog.set_level(logging.INFO, logger="jobhelp.security")
    formatter = JsonFormatter()

    def lines():
        return [formatter.format(r) for r in caplog.records if r.name == "jobhelp.security"]

    yield lines
    logger.propagate = False


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=0, step=30, drift=offset):06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post("/staff/login/", {"username": user.username, "password": password}, **extra)


# --- Who must use a second factor ------------------------------------------------------------


def test_a_manager_without_an_authenticator_is_sent_to_set_one_up(client, manager, two_factor):
    response = sign_in(client, manager)

    assert (response.status_code, response.url) == (302, "/staff/account/two-factor/")
    # Every other staff page and the admin lead back there until it is done.
    for path in ("/staff/", "/staff/queue/", "/staff/account/", "/admin/"):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page.url.startswith("/staff/account/two-factor/?next="), path


@pytest.mark.parametrize("persona", ["admin_user", "manager"])
def test_admins_and_managers_must_use_a_second_factor(client, request, persona, two_factor):
    response = sign_in(client, request.getfixturevalue(persona))

    assert response.url == "/staff/account/two-factor/"


def test_a_token_holder_must_use_a_second_factor(client, helper, two_factor):
    create_api_token(helper, name="kiosk", by=helper)

    assert sign_in(client, helper).url == "/staff/account/two-factor/"


def test_a_helper_is_offered_it_but_goes_straight_in(client, helper, two_factor):
    response = sign_in(client, helper)

    assert (response.status_code, response.url) == (302, "/staff/")
    assert client.get("/staff/").status_code == 200
    page = client.get("/staff/account/").content.decode()
    assert "Set up two-factor sign-in" in page


# --- Setting it up ---------------------------------------------------------------------------


def test_setting_up_shows_the_qr_code_and_secret_then_recovery_codes_once(
    client, manager, two_factor
):
    sign_in(client, manager)
    page = client.get("/staff/account/two-factor/")
    html = page.content.decode()
    # Nothing is saved before the code confirms it: the key waits in the session.
    assert not TOTPDevice.objects.exists()
    device = TOTPDevice(key=client.session["jobhelp.enrol_key"])

    assert page.status_code == 200
    # Drawn here: a data URI, no request to another site for the QR code.
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32

    done = client.post("/staff/account/two-factor/", {"code": code_for(device)})

    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.content.decode())
    assert done.status_code == 200
    assert len(codes) == 10
    # Kept only as hashes: the codes shown are nowhere in the table.
    digests = list(
        RecoveryCode.objects.filter(device__user=manager).values_list("digest", flat=True)
    )
    assert len(digests) == 10
    assert not any(code.replace("-", "") in d or code in d for code in codes for d in digests)
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert AuditEntry.objects.filter(action="jobhelp.two_factor.enrolled").count() == 1
    # Now in: the pages open, and the secret is not shown again.
    assert client.get("/staff/").status_code == 200
    account = client.get("/staff/account/").content.decode()
    assert secret not in account
    assert "10 recovery codes left" in account


def test_a_wrong_code_while_setting_up_is_refused_and_nothing_confirmed(
    client, manager, two_factor, security_log
):
    sign_in(client, manager)
    client.get("/staff/account/two-factor/")

    response = client.post("/staff/account/two-factor/", {"code": "000000x"})
    response = client.post("/staff/account/two-factor/", {"code": "12345"})

    assert response.status_code == 400
    assert "That code did not work" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert not RecoveryCode.objects.exists()
    assert client.get("/staff/").status_code == 302
    assert any('"event": "two_factor.failed"' in line for line in security_log())


def test_the_setup_page_is_in_spanish(client, manager, two_factor):
    sign_in(client, manager)
    client.cookies["django_language"] = "es"

    page = client.get("/staff/account/two-factor/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert 'lang="es"' in page
    assert "Configure el inicio de sesión en dos pasos" in page


# --- Signing in with it ----------------------------------------------------------------------


def test_signing_in_asks_for_the_code_and_keeps_where_one_was_going(client, helper, two_factor):
    device = authenticator(helper)

    response = client.post(
        "/staff/login/?next=/staff/queue/", {"username": helper.username, "password": PASSWORD}
    )
    assert response.url == "/staff/account/verify/"
    assert client.get("/staff/queue/").status_code == 302

    done = client.post("/staff/account/verify/", {"code": code_for(device)})

    assert (done.status_code, done.url) == (302, "/staff/queue/")
    assert client.get("/staff/queue/").status_code == 200


def test_a_wrong_code_is_refused_and_logged_without_the_code(
    client, helper, two_factor, security_log
):
    authenticator(helper)
    sign_in(client, helper)

    response = client.post("/staff/account/verify/", {"code": "999999"})

    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302
    lines = security_log()
    failed = [json.loads(line) for line in lines if "two_factor.failed" in line]
    assert failed[0]["user_id"] == helper.pk
    assert all("999999" not in line and helper.username not in line for line in lines)


def test_a_recovery_code_works_once(client, helper, two_factor):
    from jobhelp.accounts.twofactor import regenerate_recovery_codes

    authenticator(helper)
    codes = regenerate_recovery_codes(helper)
    sign_in(client, helper)

    assert client.post("/staff/account/verify/", {"code": codes[0]}).url == "/staff/"

    other = Client()
    sign_in(other, helper)
    again = other.post("/staff/account/verify/", {"code": codes[0]})
    assert again.status_code == 400
    # After a failure django-otp makes the next try wait a second; this test does not.
    RecoveryCodes.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert other.post("/staff/account/verify/", {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, helper, two_factor):
    from jobhelp.accounts.twofactor import regenerate_recovery_codes

    device = authenticator(helper)
    old = regenerate_recovery_codes(helper)
    sign_in(client, helper)
    client.post("/staff/account/verify/", {"code": code_for(device)})

    page = client.post("/staff/account/recovery-codes/").content.decode()

    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert len(new) == 10
    assert set(new).isdisjoint(old)
    assert RecoveryCode.objects.filter(device__user=helper).count() == 10
    # The old ones no longer work.
    other = Client()
    sign_in(other, helper)
    assert other.post("/staff/account/verify/", {"code": old[0]}).status_code == 400


def test_new_recovery_codes_need_a_verified_session(client, helper, two_factor):
    from jobhelp.accounts.twofactor import regenerate_recovery_codes

    authenticator(helper)
    regenerate_recovery_codes(helper)
    before = set(RecoveryCode.objects.values_list("digest", flat=True))
    client.force_login(helper)

    response = client.post("/staff/account/recovery-codes/")

    assert response.url == "/staff/account/"
    assert set(RecoveryCode.objects.values_list("digest", flat=True)) == before


# --- API tokens ------------------------------------------------------------------------------


def test_making_a_token_needs_a_session_that_passed_the_second_factor(client, helper, two_factor):
    client.force_login(helper)

    response = client.post("/staff/tokens/", {"name": "kiosk"})

    assert response.url == "/staff/account/"
    assert not ApiToken.objects.exists()

    device = authenticator(helper)
    sign_in(client, helper)
    client.post("/staff/account/verify/", {"code": code_for(device)})
    assert client.post("/staff/tokens/", {"name": "kiosk"}).status_code == 200
    assert ApiToken.objects.filter(user=helper).count() == 1


def test_a_managers_token_keeps_working_without_a_session(client, manager, two_factor):
    _token, key = create_api_token(manager, name="script", by=manager)

    response = client.get("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200


def test_a_bad_token_is_a_security_event_without_the_token(client, db, security_log):
    response = client.get("/api/v1/requests", HTTP_AUTHORIZATION="Bearer jh_not-a-real-token")

    assert response.status_code == 401
    lines = security_log()
    assert [json.loads(line)["event"] for line in lines] == ["api.bad_token"]
    assert "jh_not-a-real-token" not in lines[0]


# --- Open redirects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_signing_in_never_sends_anyone_to_another_site(client, helper, two_factor, next_url):
    response = client.post(
        "/staff/login/", {"username": helper.username, "password": PASSWORD, "next": next_url}
    )

    assert response.url == "/staff/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_second_step_never_sends_anyone_to_another_site(client, helper, two_factor, next_url):
    device = authenticator(helper)
    client.post(
        "/staff/login/", {"username": helper.username, "password": PASSWORD, "next": next_url}
    )

    response = client.post("/staff/account/verify/", {"code": code_for(device)})

    assert response.url == "/staff/"


def test_the_admins_login_goes_to_the_staff_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/")

    assert (response.status_code, response.url) == (302, "/staff/login/?next=/admin/")


# --- Sessions --------------------------------------------------------------------------------


def _age_session(client, *, login_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[LOGIN_AT] = now - login_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def test_a_session_ends_after_30_idle_minutes(client, helper):
    sign_in(client, helper)
    _age_session(client, login_ago=31 * 60, seen_ago=31 * 60)

    response = client.get("/staff/queue/")

    assert (response.status_code, response.url) == (302, "/staff/login/?next=/staff/queue/")
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_lasts_past_30_minutes(client, helper):
    sign_in(client, helper)
    _age_session(client, login_ago=2 * 3600, seen_ago=29 * 60)

    assert client.get("/staff/queue/").status_code == 200


def test_a_session_ends_12_hours_after_signing_in_even_in_use(client, helper):
    sign_in(client, helper)
    _age_session(client, login_ago=12 * 3600 + 1, seen_ago=10)

    response = client.get("/staff/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_removed_membership_takes_effect_on_the_next_request(client, helper, library):
    client.force_login(helper)
    assert client.get("/staff/queue/").status_code == 200

    Membership.objects.filter(user=helper).delete()

    assert client.get("/staff/queue/").status_code == 403


def test_a_new_manager_role_takes_effect_on_the_next_request(client, helper, library):
    client.force_login(helper)
    assert client.get("/staff/routing/").status_code == 403

    Membership.objects.create(user=helper, organization=library, role=Role.MANAGER)

    assert client.get("/staff/routing/").status_code == 200


def test_a_manager_role_gained_mid_session_asks_for_the_second_factor_at_once(
    client, helper, library, two_factor
):
    sign_in(client, helper)
    assert client.get("/staff/queue/").status_code == 200

    Membership.objects.create(user=helper, organization=library, role=Role.MANAGER)

    # The very next staff page, not the next sign-in: set it up, then back where one was going.
    response = client.get("/staff/queue/?state=new")
    assert (response.status_code, response.url) == (
        302,
        "/staff/account/two-factor/?next=%2Fstaff%2Fqueue%2F%3Fstate%3Dnew",
    )
    for path in ("/staff/", "/staff/routing/", "/staff/account/"):
        assert client.get(path).url.startswith("/staff/account/two-factor/?next="), path
    client.get("/staff/account/two-factor/")
    device = TOTPDevice(key=client.session["jobhelp.enrol_key"])
    done = client.post("/staff/account/two-factor/", {"code": code_for(device)})
    assert done.status_code == 200
    assert 'href="/staff/queue/?state=new"' in done.content.decode()
    assert client.get("/staff/routing/").status_code == 200


def test_a_role_gained_mid_session_asks_an_enrolled_person_for_a_code(
    client, helper, library, two_factor
):
    # Signed in before setting it up (a helper need not), then set one up elsewhere.
    client.force_login(helper)
    device = authenticator(helper)
    assert client.get("/staff/queue/").status_code == 200

    Membership.objects.create(user=helper, organization=library, role=Role.ADMIN)

    response = client.get("/staff/queue/")
    assert response.url == "/staff/account/verify/?next=%2Fstaff%2Fqueue%2F"
    done = client.post("/staff/account/verify/", {"code": code_for(device)})
    assert (done.status_code, done.url) == (302, "/staff/queue/")
    assert client.get("/staff/queue/").status_code == 200


def test_a_token_made_mid_session_asks_for_the_second_factor_at_once(client, helper, two_factor):
    client.force_login(helper)
    assert client.get("/staff/queue/").status_code == 200

    create_api_token(helper, name="kiosk", by=helper)

    assert client.get("/staff/queue/").url.startswith("/staff/account/two-factor/?next=")


def test_made_an_administrator_mid_session_the_admin_asks_at_once(client, helper, two_factor):
    client.force_login(helper)
    helper.is_staff = True
    helper.save()

    response = client.get("/admin/")

    assert response.url == "/staff/account/two-factor/?next=%2Fadmin%2F"


def test_a_helper_who_needs_no_second_factor_is_not_asked(client, helper, two_factor):
    client.force_login(helper)

    assert client.get("/staff/queue/").status_code == 200
    assert client.get("/staff/account/").status_code == 200


def test_signing_out_everywhere_ends_every_session(client, helper):
    other = Client()
    sign_in(client, helper)
    sign_in(other, helper)
    assert other.get("/staff/").status_code == 200

    response = client.post("/staff/account/sign-out-everywhere/")

    assert response.url == "/staff/login/"
    assert other.get("/staff/").status_code == 302
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(action="jobhelp.user.signed_out_everywhere").count() == 1
    # Signing in again works.
    assert sign_in(other, helper).url == "/staff/"


def test_signing_out_everywhere_is_post_only(client, helper):
    client.force_login(helper)

    assert client.get("/staff/account/sign-out-everywhere/").status_code == 405
    assert client.get("/staff/").status_code == 200


# --- Lockout ---------------------------------------------------------------------------------


def test_an_attacker_elsewhere_cannot_lock_a_colleague_out(client, helper, security_log):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        sign_in(attacker, helper, password="guessing-wrong")

    # The attacker is locked out; the colleague at the branch signs in.
    assert sign_in(attacker, helper).status_code == 429
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(colleague, helper).url == "/staff/"
    events = [json.loads(line)["event"] for line in security_log()]
    # The fifth failure locks the attacker's login-and-address, the sixth finds it locked.
    assert events == ["sign_in.failed"] * 4 + ["sign_in.locked_out"] * 3
    assert all(helper.username not in line for line in security_log())


def test_one_address_trying_many_logins_meets_the_ceiling(client, library, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    people = [staff_member(library, Role.HELPER) for _ in range(3)]
    for person in people:
        for _ in range(2):
            sign_in(client, person, password="guessing-wrong")

    # Each login has had only two failures, but the address has had six.
    response = sign_in(client, people[0])

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.20"), people[0]).url == "/staff/"


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "ask your manager or administrator"), ("es", "pida a su gerente o administrador")],
)
def test_the_lockout_page_says_what_to_do(client, helper, language, text):
    client.cookies["django_language"] = language
    for _ in range(5):
        sign_in(client, helper, password="guessing-wrong")

    response = sign_in(client, helper, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 429
    assert text in response.content.decode()


# --- No-store --------------------------------------------------------------------------------


def test_staff_pages_the_admin_and_the_api_are_never_stored(client, front_desk, admin_user):
    client.force_login(front_desk)
    staff_page = client.get("/staff/requests/")
    _token, key = create_api_token(front_desk, name="x", by=front_desk)
    api = client.get("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(admin_user)
    admin_page = client.get("/admin/")

    for response in (staff_page, api, admin_page):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_public_pages_keep_their_own_caching(client, library):
    response = client.get("/")

    assert "no-store" not in response.get("Cache-Control", "")


# --- Cross-organization 404s -----------------------------------------------------------------


def test_another_organizations_request_is_a_logged_404(client, outsider, library, security_log):
    from tests.factories.intake import HelpRequestFactory

    theirs = HelpRequestFactory(organization=library)
    client.force_login(outsider)

    response = client.get(f"/staff/requests/{theirs.reference}/")

    assert response.status_code == 404
    event = json.loads(security_log()[-1])
    assert event["event"] == "not_found.scoped"
    assert event["user_id"] == outsider.pk
    assert theirs.reference not in security_log()[-1]


def test_the_login_page_says_when_the_demo_waives_two_factor(client, db, settings):
    settings.TWO_FACTOR_REQUIRED = False
    waived = client.get("/staff/login/").content.decode()
    settings.TWO_FACTOR_REQUIRED = True
    required = client.get("/staff/login/").content.decode()

    assert "two-factor sign-in is offered but not required here" in waived
    assert "two-factor sign-in is offered but not required here" not in required


def test_an_administrator_removes_a_lost_phones_two_factor(client, helper, admin_user):
    from jobhelp.accounts.twofactor import regenerate_recovery_codes

    authenticator(helper)
    regenerate_recovery_codes(helper)
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "remove_two_factor", "_selected_action": [helper.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=helper).exists()
    assert not RecoveryCode.objects.filter(device__user=helper).exists()
    assert AuditEntry.objects.filter(action="jobhelp.two_factor.removed").count() == 1


def test_the_admin_never_shows_anyones_secret_key(client, helper, admin_user):
    device = authenticator(helper)
    client.force_login(admin_user)

    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
