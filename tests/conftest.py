import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

from jobhelp.accounts.enums import Role
from tests.factories.accounts import UserFactory, staff_member
from tests.factories.organizations import BranchFactory, LocationFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Full-strength hashing costs a quarter second per test user and tests nothing of ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_asked_only_where_tested(settings):
    # Tests sign people in with force_login, which passes no second factor; the tests of
    # two-factor sign-in (tests/staff/test_account.py and others) turn the requirement on.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A Spanish page leaves Spanish active in the test's thread (the test client runs the
    # request in it); the next test must start in the site's default language.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_cached_entries_from_other_tests():
    # Each test's data is rolled back, and the versions in the database with it: an entry
    # cached in one test must not be served in the next under the same version.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _empty_static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _plain_static_files(settings, _empty_static_root):
    # Tests render templates without running collectstatic first. WhiteNoise reads every file
    # under STATIC_ROOT each time a test client starts: after `make demo` has collected the
    # static files there (thousands, with their compressed copies), a test of many clients
    # would take minutes, so tests see an empty one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = str(_empty_static_root)


@pytest.fixture
def library(db):
    """A library system with one branch; the public form's organization."""
    return OrganizationFactory(name="Riverbend County Library", slug="riverbend")


@pytest.fixture
def branch(library):
    branch = BranchFactory(parent=library, name="Northtown Library", slug="northtown")
    LocationFactory(organization=branch, name="Northtown Library")
    return branch


@pytest.fixture
def central(library):
    return LocationFactory(organization=library, name="Central Library")


@pytest.fixture
def other_library(db):
    return OrganizationFactory(
        name="Elsewhere Library", slug="elsewhere", accepts_public_requests=False
    )


@pytest.fixture
def front_desk(library):
    return staff_member(library, Role.FRONT_DESK, first_name="Sam")


@pytest.fixture
def helper(library):
    return staff_member(library, Role.HELPER, needs=["resume"], languages=["en", "es"])


@pytest.fixture
def manager(library):
    return staff_member(library, Role.MANAGER)


@pytest.fixture
def center(db):
    """The county's workforce center, beside the library system."""
    from jobhelp.organizations.enums import OrganizationKind

    return OrganizationFactory(
        name="Riverbend WorkForce Center",
        slug="riverbend-workforce",
        kind=OrganizationKind.WORKFORCE_CENTER,
    )


@pytest.fixture
def partner_staff(center):
    return staff_member(center, Role.PARTNER_STAFF, needs=["benefits"], languages=["en"])


@pytest.fixture
def liaison(center):
    """The workforce center's liaison to the libraries."""
    return staff_member(center, Role.LIAISON, needs=["coaching"], first_name="Lee")


@pytest.fixture
def privacy_officer(library):
    """Finds, exports and erases a patron's data in the library system (and its branches)."""
    return staff_member(library, Role.PRIVACY_OFFICER, first_name="Pat")


@pytest.fixture
def admin_user(db):
    """The installation's administrator: a Django superuser with no membership."""
    return UserFactory(is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def outsider(other_library):
    """Staff of another organization: may use the staff area, never sees our data."""
    return staff_member(other_library, Role.FRONT_DESK)


@pytest.fixture
def no_membership(db):
    """A valid login that belongs to no organization."""
    return UserFactory()


@pytest.fixture
def run_worker(monkeypatch):
    """Drain the task queue once, as `manage.py db_worker --batch` does.

    The worker closes connections that are not in autocommit mode, which inside a test's
    transaction would be the test's own connection; Django's test runner disables the same
    housekeeping for requests.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


@pytest.fixture
def log_in(client, request):
    """Log the named persona fixture in and return the user (None for anonymous)."""

    def log_in_as(persona: str):
        if persona == "anonymous":
            return None
        user = request.getfixturevalue(persona)
        client.force_login(user)
        return user

    return log_in_as


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    # Like django.core.mail.outbox, the texts a test "sent" are not seen by the next test.
    from jobhelp.notifications import sms

    sms.outbox.clear()


@pytest.fixture
def texting(settings):
    """Texting on, through the test backend; returns the list of texts sent."""
    from jobhelp.notifications import sms

    settings.SMS_BACKEND = "jobhelp.notifications.sms.LocmemBackend"
    settings.SMS_FROM_NUMBER = "+17635550100"
    return sms.outbox


@pytest.fixture
def retention(settings):
    """Set retention periods by kind of personal data, in days: retention(requests=30)."""
    from datetime import timedelta

    def set_days(**days: int) -> None:
        settings.RETENTION = {
            **settings.RETENTION,
            **{kind: timedelta(days=n) for kind, n in days.items()},
        }

    return set_days


@pytest.fixture(autouse=True)
def _demo_without_its_year(settings):
    # seed_demo's year of history takes a minute; tests/demo/test_history.py asks for it.
    settings.DEMO_HISTORY_REQUESTS = 0
