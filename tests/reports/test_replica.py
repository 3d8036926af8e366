"""Reports read from the replica (DATABASE_REPLICA_URL), and nothing else does.

The first tests hold in every run. The last ones need the second database: `make drills`
(drills/replica.sh) runs this module with DATABASE_REPLICA_URL pointing at another database
on the same PostgreSQL cluster, which the test fills differently from the primary, so that a
figure tells which one was read."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import User
from jobhelp.intake.models import HelpRequest
from jobhelp.organizations.models import Organization
from jobhelp.reports.filters import ReportFilters, month_of
from jobhelp.reports.queries import compute_report, report_scope
from jobhelp.reports.replica import REPLICA, ReplicaRouter, reads_from, report_database
from tests.factories.accounts import staff_member
from tests.factories.organizations import OrganizationFactory

has_replica = REPLICA in settings.DATABASES
needs_replica = pytest.mark.skipif(
    not has_replica, reason="needs DATABASE_REPLICA_URL (make drills runs it with one)"
)


def test_without_a_replica_reports_read_the_primary():
    if has_replica:
        pytest.skip("a replica is configured in this run")
    assert report_database() == DEFAULT_DB_ALIAS


def test_the_router_sends_only_reads_inside_a_report_to_the_replica():
    router = ReplicaRouter()

    assert router.db_for_read(HelpRequest) == DEFAULT_DB_ALIAS
    with reads_from(REPLICA):
        assert router.db_for_read(HelpRequest) == REPLICA
        # Writes never go to the replica, whatever an object was read from.
        assert router.db_for_write(HelpRequest) == DEFAULT_DB_ALIAS
    assert router.db_for_read(HelpRequest) == DEFAULT_DB_ALIAS


def _requests(organization, count: int, *, using: str) -> None:
    HelpRequest.objects.using(using).bulk_create(
        HelpRequest(
            organization=organization,
            reference=f"{using[0].upper()}{n:05d}",
            name=f"Patron {n}",
            phone="+17635550100",
            preferred_contact="phone",
            language="en",
            modality="phone",
            channel="web",
            consent_at=timezone.now(),
        )
        for n in range(count)
    )


@needs_replica
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_a_report_reads_the_replica_and_who_may_see_it_the_primary():
    library = OrganizationFactory(name="Riverbend County Library", slug="riverbend")
    manager = staff_member(library, Role.MANAGER)
    # The replica holds the same organization with three requests, the primary with one.
    Organization.objects.using(REPLICA).bulk_create([library])
    _requests(library, 3, using=REPLICA)
    _requests(library, 1, using=DEFAULT_DB_ALIAS)
    # The manager exists only on the primary: their scope could not be read from the replica.
    assert not User.objects.using(REPLICA).filter(pk=manager.pk).exists()
    start, end = month_of(timezone.localdate())
    filters = ReportFilters(start=start, end=end + timedelta(days=1))

    scope = report_scope(manager)
    figures = compute_report(scope, filters)

    assert scope.ids == {library.pk}
    assert figures.requests == 3
    # Inside a transaction on the primary (what it wrote is not on the replica yet), the same
    # report reads the primary.
    with transaction.atomic():
        assert compute_report(scope, filters).requests == 1
    # Nothing read outside a report goes to the replica.
    assert HelpRequest.objects.count() == 1
    assert connections[REPLICA].vendor == connections[DEFAULT_DB_ALIAS].vendor
