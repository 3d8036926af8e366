"""The change stamp moves after every committed write to cached tables, and only then."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.models import ApiToken
from jobhelp.core import freshness
from jobhelp.core.models import AuditEntry, ChangeStamp
from jobhelp.intake.models import HelpRequest
from tests.factories.accounts import UserFactory
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def stamp():
    """A stamp to count from (a transactional test starts with empty tables)."""
    freshness.bump()


def test_a_committed_change_raises_the_stamp_once_per_transaction():
    before = freshness.current()
    with transaction.atomic():
        help_request = HelpRequestFactory(needs=["resume", "interview"])
        HelpRequest.objects.filter(pk=help_request.pk).update(name="Changed")
        assert freshness.current() == before
    assert freshness.current() == before + 1


def test_a_queryset_update_outside_a_transaction_raises_it_at_once():
    help_request = HelpRequestFactory()
    before = freshness.current()
    HelpRequest.objects.filter(pk=help_request.pk).update(name="Changed")
    assert freshness.current() == before + 1


def test_a_many_to_many_add_raises_it():
    # SQLite writes it as INSERT OR IGNORE INTO, PostgreSQL as INSERT ... ON CONFLICT.
    user = UserFactory()
    group = Group.objects.create(name="Coaches")
    before = freshness.current()
    user.groups.add(group)
    assert freshness.current() == before + 1


def test_a_rolled_back_transaction_leaves_it():
    before = freshness.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        HelpRequestFactory()
        raise RuntimeError
    assert freshness.current() == before


def test_a_write_after_a_rolled_back_savepoint_still_counts():
    before = freshness.current()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            HelpRequestFactory()
            raise RuntimeError
        HelpRequestFactory()
    assert freshness.current() == before + 1


def test_other_tables_and_recording_token_use_leave_it():
    user = UserFactory()
    token, _key = create_api_token(user, name="script", by=user)
    before = freshness.current()
    AuditEntry.objects.create(action="jobhelp.test.done")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    assert freshness.current() == before


def test_revoking_a_token_in_the_same_update_as_recording_its_use_raises_it():
    user = UserFactory()
    token, _key = create_api_token(user, name="script", by=user)
    before = freshness.current()
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, revoked_at=now)
    assert freshness.current() == before + 1


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT OR IGNORE INTO "accounts_user_groups" ("user_id") VALUES (%s)', True),
        ("insert into intake_helprequest (name) values (%s)", True),
        ('/* a note */ UPDATE "scheduling_appointment" SET "state" = %s', True),
        ('WITH x AS (SELECT 1) UPDATE "intake_helprequest" SET "name" = %s', True),
        ('DELETE FROM "organizations_location" WHERE "id" = %s', True),
        ('SELECT "id" FROM "intake_helprequest" WHERE "id" = %s FOR UPDATE', False),
        ('  select "value" from "core_changestamp"', False),
        ('UPDATE "core_auditentry" SET "data" = %s', False),
        ('SAVEPOINT "s1_x1"', False),
        ('TRUNCATE "intake_helprequest", "core_changestamp"', True),
        ('CREATE TABLE "intake_helprequest" ("id" bigint NOT NULL PRIMARY KEY)', False),
        ('ALTER TABLE "scheduling_appointment" ADD CONSTRAINT "x" EXCLUDE (...)', False),
    ],
)
def test_which_statements_count_as_writes(sql, writes):
    assert freshness.writes_cached_table(sql) is writes


def test_a_stamp_made_again_never_repeats_a_number():
    before = freshness.current()
    ChangeStamp.objects.all().delete()
    freshness.bump()
    assert freshness.current() > before


def test_failing_to_raise_it_neither_fails_the_change_nor_drops_later_callbacks(monkeypatch):
    ran = []

    def broken(alias="default"):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(freshness, "bump", broken)
    with transaction.atomic():
        HelpRequestFactory(reference="AAA222")
        transaction.on_commit(lambda: ran.append("outbox"))
    HelpRequest.objects.filter(reference="AAA222").update(name="Outside a transaction")

    assert (ran, HelpRequest.objects.get().name) == (["outbox"], "Outside a transaction")


def test_a_request_that_changed_something_reads_the_stamp_again():
    first = freshness.recent()
    with CaptureQueriesContext(connection) as queries:
        assert freshness.recent() == first
    HelpRequest.objects.filter(pk=HelpRequestFactory().pk).update(name="Changed")
    assert (len(queries), freshness.recent()) == (0, freshness.current())
    assert freshness.current() > first


def test_another_processs_change_is_seen_within_the_reuse_time(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: clock[0])
    first = freshness.recent()
    # As another process would: the number moves, but not through this one.
    ChangeStamp.objects.filter(name=freshness.STAMP).update(value=first + 5)

    clock[0] += freshness.REUSE_SECONDS / 2
    soon = freshness.recent()
    clock[0] += freshness.REUSE_SECONDS / 2
    later = freshness.recent()

    assert (soon, later) == (first, first + 5)


def test_cached_values_last_until_a_change_commits():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert freshness.cached(("test",), compute) == 1
    assert freshness.cached(("test",), compute) == 1
    HelpRequestFactory()
    assert freshness.cached(("test",), compute) == 2


def test_a_transaction_that_changed_data_reads_around_the_cache():
    assert freshness.cached(("test",), lambda: "before") == "before"
    with transaction.atomic():
        HelpRequestFactory()
        assert freshness.usable() is False
        assert freshness.cached(("test",), lambda: "own change") == "own change"
    assert freshness.usable() is True
    assert freshness.cached(("test",), lambda: "after") == "after"


def test_migrate_raises_it_once_when_it_is_done():
    before = freshness.current()
    call_command("migrate", verbosity=0)
    assert freshness.current() == before + 1
