"""The second program in small: the workforce center's liaison trains the library's front desk;
the library lends temporary cards to the center's staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory


@pytest.fixture
def center_location(center):
    return LocationFactory(
        organization=center, name="WorkForce Center", time_zone="America/Chicago"
    )


@pytest.fixture
def desk(library):
    """A library front desk who started 100 days ago."""
    person = staff_member(library, Role.FRONT_DESK, first_name="Dana", email="dana@example.org")
    person.date_joined = timezone.now() - timedelta(days=100)
    person.save(update_fields=["date_joined"])
    return person


@pytest.fixture
def library_liaison(library):
    return staff_member(library, Role.LIAISON, first_name="Lou", email="lou@example.org")
