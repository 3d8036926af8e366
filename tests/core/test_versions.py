"""core.versions: numbers raised inside the changing transaction, and entries cached under them.
Transactional, because the cache is not used inside a transaction and the numbers must be seen
(or not) as committed."""

import threading

import pytest
from django.db import connection, transaction

from jobhelp.core import versions
from jobhelp.core.models import Version

pytestmark = pytest.mark.django_db(transaction=True)

KEY = ("test", 1)


def test_a_version_never_raised_reads_zero():
    assert versions.read([KEY, ("test", 2)]) == (0, 0)


def test_bump_raises_only_its_own_name_and_scope():
    versions.bump("test", 1)
    versions.bump("test", 1)
    versions.bump("test", 2)

    assert versions.read([("test", 1), ("test", 2), ("other", 1)]) == (2, 1, 0)


def test_a_rolled_back_change_takes_its_number_back():
    versions.bump(*KEY)

    with pytest.raises(RuntimeError), transaction.atomic():
        versions.bump(*KEY)
        raise RuntimeError

    assert versions.read([KEY]) == (1,)


def test_a_number_raised_in_a_transaction_is_seen_by_others_only_once_it_commits():
    seen = []
    raised, go_on = threading.Event(), threading.Event()

    def change():
        with transaction.atomic():
            versions.bump(*KEY)
            raised.set()
            go_on.wait(5)
        connection.close()

    writer = threading.Thread(target=change)
    writer.start()
    raised.wait(5)
    seen.append(versions.read([KEY]))
    go_on.set()
    writer.join(5)
    seen.append(versions.read([KEY]))

    assert seen == [(0,), (1,)]


def test_cached_computes_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return f"page {len(calls)}"

    first = versions.cached(("page",), versions=[KEY], compute=compute)
    again = versions.cached(("page",), versions=[KEY], compute=compute)
    versions.bump(*KEY)
    after = versions.cached(("page",), versions=[KEY], compute=compute)

    assert (first, again, after, len(calls)) == ("page 1", "page 1", "page 2", 2)


def test_each_key_and_each_scope_has_its_own_entry():
    a = versions.cached(("page", "a"), versions=[KEY], compute=lambda: "a")
    b = versions.cached(("page", "b"), versions=[KEY], compute=lambda: "b")
    other_scope = versions.cached(("page", "a"), versions=[("test", 2)], compute=lambda: "c")

    assert (a, b, other_scope) == ("a", "b", "c")


def test_inside_a_transaction_nothing_is_read_from_or_kept_in_the_cache():
    versions.cached(("page",), versions=[KEY], compute=lambda: "before")

    with transaction.atomic():
        versions.bump(*KEY)
        inside = versions.cached(("page",), versions=[KEY], compute=lambda: "uncommitted")
        transaction.set_rollback(True)
    after = versions.cached(("page",), versions=[KEY], compute=lambda: "recomputed")

    assert (inside, after, Version.objects.count()) == ("uncommitted", "before", 0)


def test_reading_the_versions_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        versions.read([KEY, ("test", 2), ("other", 0)])
