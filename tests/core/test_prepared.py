"""core.prepared: a query built once with the ORM, run again with new values as plain SQL, with
the database's values turned into Python's as the ORM would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.core.prepared import Prepared
from jobhelp.organizations.models import Organization
from tests.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db

# Integer values are ids: the markers that stand for them are big integers, which a lookup on a
# small integer field would turn into a constant (core.prepared then refuses to build it).
BY_SLUG = Prepared(
    lambda slug, above: (
        Organization.objects.filter(slug=slug, pk__gt=above)
        .order_by("pk")
        .values_list("pk", "name", "accepts_public_requests")
    ),
    slug=str,
    above=int,
)


def test_each_run_takes_its_own_values():
    one = OrganizationFactory(slug="one", name="One")
    two = OrganizationFactory(slug="two", name="Two", accepts_public_requests=False)

    assert (
        BY_SLUG.rows(slug="one", above=0),
        BY_SLUG.rows(slug="two", above=one.pk),
        BY_SLUG.rows(slug="one", above=one.pk),
        BY_SLUG.first(slug="nobody", above=0),
    ) == ([(one.pk, "One", True)], [(two.pk, "Two", False)], [], None)


def test_a_run_is_one_query_without_building_it_again():
    OrganizationFactory(slug="one")
    BY_SLUG.rows(slug="one", above=0)

    with CaptureQueriesContext(connection) as queries:
        BY_SLUG.rows(slug="one", above=0)

    assert len(queries) == 1


def test_dates_come_back_as_the_orm_gives_them():
    entry = AuditEntry.objects.create(action="jobhelp.test.done")
    created = Prepared(
        lambda pk: AuditEntry.objects.filter(pk=pk).values_list("created_at"), pk=int
    )

    assert created.first(pk=entry.pk) == (AuditEntry.objects.get().created_at,)


def test_a_value_that_does_not_reach_the_sql_as_given_is_refused():
    # icontains rewrites the value (wildcards around it), so it cannot be swapped in later.
    broken = Prepared(
        lambda name: Organization.objects.filter(name__icontains=name).values_list("pk"),
        name=str,
    )

    with pytest.raises(ValueError, match="lost its values"):
        broken.rows(name="x")


IN_ORGANIZATIONS = Prepared(
    lambda ids: Organization.objects.filter(pk__in=ids).order_by("pk").values_list("slug"),
    ids=list,
)


def test_a_list_of_ids_is_built_once_for_each_length():
    one, two, three = (OrganizationFactory(slug=slug) for slug in ("one", "two", "three"))

    assert (
        IN_ORGANIZATIONS.rows(ids=[one.pk]),
        IN_ORGANIZATIONS.rows(ids=[three.pk, one.pk]),
        IN_ORGANIZATIONS.rows(ids=[two.pk]),
        IN_ORGANIZATIONS.rows(ids=[]),
    ) == ([("one",)], [("one",), ("three",)], [("two",)], [])
