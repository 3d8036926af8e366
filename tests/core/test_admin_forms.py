"""Every add and change form of the admin, tried with hostile input: the form comes back with
its messages (never a 500) and nothing is written. Also the password rules on the admin's
user forms, and that objects made through a domain function cannot be added here."""

from datetime import date, time

import pytest
from django.apps import apps
from django.contrib import admin

from jobhelp.accounts.models import User
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.models import AvailabilityException, Closure
from tests.factories.accounts import UserFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentTypeFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "abc",
    "-1",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "1 OR 1=1",
    "=cmd|' /C calc'!A0",
    "x" * 1000,
    "\u202e",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="root"))
    return client


def every_row() -> dict:
    return {
        model._meta.label_lower: sorted(map(repr, model._base_manager.values_list()))
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in {"sessions.session", "accounts.user"}
    }


def addable():
    return sorted(
        (model._meta.app_label, model._meta.model_name)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(_Request())
    )


class _Request:
    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True


def field_names(admin_client, url: str) -> list[str]:
    import re

    page = admin_client.get(url).content.decode()
    names = re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', page)
    return [n for n in dict.fromkeys(names) if n not in {"csrfmiddlewaretoken", "_save"}]


@pytest.mark.parametrize(("app_label", "model_name"), addable())
@pytest.mark.parametrize("value", HOSTILE)
def test_every_add_form_refuses_hostile_input_without_a_500(
    admin_client, library, app_label, model_name, value
):
    url = f"/admin/{app_label}/{model_name}/add/"
    data = dict.fromkeys(field_names(admin_client, url), value)
    before = every_row()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert every_row() == before


@pytest.fixture
def set_up_objects(library, helper):
    central = LocationFactory(organization=library, name="Central")
    hours = WeeklyHoursFactory(
        helper=helper, location=central, weekday=1, starts=time(9), ends=time(12)
    )
    exception = AvailabilityException.objects.create(
        helper=helper, date=date(2026, 12, 24), kind="off", location=central
    )
    kind = AppointmentTypeFactory(organization=library)
    from datetime import timedelta

    from django.utils import timezone

    closure = Closure.objects.create(
        location=central,
        starts=timezone.now(),
        ends=timezone.now() + timedelta(hours=1),
        reason="holiday",
    )
    return {
        "organizations/organization": library,
        "organizations/location": central,
        "scheduling/weeklyhours": hours,
        "scheduling/availabilityexception": exception,
        "scheduling/appointmenttype": kind,
        "scheduling/closure": closure,
        "accounts/user": helper,
    }


CHANGE_FORMS = [
    "organizations/organization",
    "organizations/location",
    "scheduling/weeklyhours",
    "scheduling/availabilityexception",
    "scheduling/appointmenttype",
    "scheduling/closure",
    "accounts/user",
]


@pytest.mark.parametrize("which", CHANGE_FORMS)
@pytest.mark.parametrize("value", HOSTILE)
def test_every_set_up_change_form_refuses_hostile_input_without_a_500(
    admin_client, set_up_objects, which, value
):
    obj = set_up_objects[which]
    url = f"/admin/{which}/{obj.pk}/change/"
    names = field_names(admin_client, url)
    data = {name: value for name in names if not name.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))}
    data.update({name: "0" for name in names if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))})
    before = every_row()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert every_row() == before


@pytest.mark.parametrize("which", ["weeklyhours", "availabilityexception"])
@pytest.mark.parametrize("page", ["add", "change"])
def test_a_helper_that_is_not_a_number_is_refused_in_the_autocomplete(
    admin_client, set_up_objects, which, page
):
    obj = set_up_objects[f"scheduling/{which}"]
    url = f"/admin/scheduling/{which}/" + ("add/" if page == "add" else f"{obj.pk}/change/")
    data = {
        "helper": "not-a-number",
        "location": set_up_objects["organizations/location"].pk,
        "weekday": 1,
        "starts": "09:00",
        "ends": "10:00",
        "date": "2026-12-24",
        "kind": "off",
    }
    before = every_row()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert every_row() == before


def test_help_requests_cannot_be_added_in_the_admin(admin_client, library):
    assert admin_client.get("/admin/intake/helprequest/add/").status_code == 403
    assert admin_client.post("/admin/intake/helprequest/add/", {}).status_code == 403
    assert not HelpRequest.objects.exists()


# --- Passwords on every path that sets one ---------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("newstaffmember", "too similar"),
        ("839201748392", "entirely numeric"),
    ],
)
def test_adding_a_user_in_the_admin_keeps_the_password_rules(admin_client, password, message):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newstaffmember",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newstaffmember").exists()


def test_changing_a_password_in_the_admin_keeps_the_password_rules(admin_client, helper):
    old = User.objects.get(pk=helper.pk).password

    response = admin_client.post(
        f"/admin/accounts/user/{helper.pk}/password/",
        {"password1": "qwertyuiop", "password2": "qwertyuiop"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert User.objects.get(pk=helper.pk).password == old


def test_a_good_password_set_in_the_admin_is_hashed_with_argon2(admin_client, helper, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    response = admin_client.post(
        f"/admin/accounts/user/{helper.pk}/password/",
        {"password1": "correct horse battery", "password2": "correct horse battery"},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=helper.pk).password.startswith("argon2$argon2id$")


def test_argon2_comes_first_in_the_settings():
    from jobhelp import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in project_settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"] == {"min_length": 12}
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(validators)


def test_createsuperuser_keeps_the_password_rules(monkeypatch, capsys):
    from django.core.management import call_command

    answers = iter(["short", "short", "a-much-longer-passphrase", "a-much-longer-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.createsuperuser.input",
        lambda prompt="": {"Bypass": "n"}.get(prompt.split()[0], "n"),
        raising=False,
    )

    class Terminal:
        def isatty(self):
            return True

    call_command(
        "createsuperuser",
        interactive=True,
        username="boss",
        email="boss@example.org",
        stdin=Terminal(),
    )

    assert "at least 12 characters" in capsys.readouterr().err
    assert User.objects.get(username="boss").check_password("a-much-longer-passphrase")
