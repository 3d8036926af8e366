"""Set-up changed in the Django admin is audited (codes and field names only) and raises the
versions of the cached data it feeds, in the same transaction."""

from datetime import time

import pytest

from jobhelp.core import versions
from jobhelp.core.models import AuditEntry
from jobhelp.organizations.models import Location
from tests.factories.accounts import UserFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import WeeklyHoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="root"))
    return client


def entries() -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action__startswith="jobhelp.admin.")
        .order_by("pk")
        .values_list("action", "organization__slug", "data")
    )


def test_hours_changed_in_the_admin_are_audited_and_raise_the_schedule(
    admin_client, library, helper, central
):
    hours = WeeklyHoursFactory(
        helper=helper, location=central, weekday=1, starts=time(9), ends=time(12)
    )

    response = admin_client.post(
        f"/admin/scheduling/weeklyhours/{hours.pk}/change/",
        {
            "helper": helper.pk,
            "location": central.pk,
            "weekday": 1,
            "starts": "09:00",
            "ends": "10:00",
        },
    )

    assert response.status_code == 302
    assert entries() == [
        (
            "jobhelp.admin.changed",
            "riverbend",
            {"model": "scheduling.weeklyhours", "fields": ["ends"]},
        )
    ]
    assert versions.read([(versions.SCHEDULE, library.pk)]) == (1,)


def test_a_closure_added_in_the_admin_is_audited(admin_client, library, branch):
    location = Location.objects.get(organization=branch)

    response = admin_client.post(
        "/admin/scheduling/closure/add/",
        {
            "location": location.pk,
            "starts_0": "2026-12-24",
            "starts_1": "12:00",
            "ends_0": "2026-12-26",
            "ends_1": "09:00",
            "reason": "holiday",
        },
    )

    assert response.status_code == 302, response.content
    assert [(action, slug) for action, slug, _data in entries()] == [
        ("jobhelp.admin.added", "northtown")
    ]
    assert versions.read([(versions.SCHEDULE, library.pk)]) == (1,)


def test_a_location_removed_from_its_organization_in_the_admin_is_audited(
    admin_client, other_library
):
    gone = LocationFactory(organization=other_library, name="Old annex")
    data = {
        "name": other_library.name,
        "slug": other_library.slug,
        "kind": other_library.kind,
        "participation_tier": other_library.participation_tier,
        "response_target_days": 2,
        "max_contact_attempts": 3,
        "phone": other_library.phone,
        "website": other_library.website,
        "locations-TOTAL_FORMS": 1,
        "locations-INITIAL_FORMS": 1,
        "locations-0-id": gone.pk,
        "locations-0-organization": other_library.pk,
        "locations-0-name": gone.name,
        "locations-0-city": gone.city,
        "locations-0-time_zone": gone.time_zone,
        "locations-0-is_active": "on",
        "locations-0-DELETE": "on",
    }

    response = admin_client.post(
        f"/admin/organizations/organization/{other_library.pk}/change/", data
    )

    assert response.status_code == 302, response.content
    assert entries() == [
        (
            "jobhelp.admin.changed",
            "elsewhere",
            {"model": "organizations.organization", "fields": []},
        ),
        ("jobhelp.admin.deleted", "elsewhere", {"model": "organizations.location", "fields": []}),
    ]
    assert (Location.objects.filter(pk=gone.pk).exists(), versions.read([(versions.STAFF, 0)])) == (
        False,
        (2,),
    )


def test_help_requests_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/intake/helprequest/add/").status_code == 403
