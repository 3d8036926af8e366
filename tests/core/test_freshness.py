"""The change stamp moves after every committed write to cached tables, and only then."""

import pytest
from django.db import connection, transaction

from jobhelp.core import freshness
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from tests.factories.intake import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_other_tables_and_token_use_do_not_move_it():
    before = freshness.current()
    AuditEntry.objects.create(action="jobhelp.test.done")
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "accounts_apitoken" SET "last_used_at" = NULL WHERE 1 = 0')
    assert freshness.current() == before


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
