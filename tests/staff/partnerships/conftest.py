"""The county of the seed in small (tests/partnerships/conftest.py): a workforce center and
the library system with a branch and an affiliate at a reduced level, one partnership under an
executed agreement with obligations; and another partnership, the outsider's, with one of
everything that could leak. The personas of tests/conftest.py act in it: front desk, helper
and manager of the library system, partner staff and the liaison of the center."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from tests.factories.accounts import staff_member
from tests.factories.partnerships import (
    ActionItemFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
)
from tests.partnerships import conftest as domain

# The domain app's fixtures, shared rather than copied.
affiliate = domain.affiliate
affiliate_manager = domain.affiliate_manager
affiliate_staff = domain.affiliate_staff
agreement = domain.agreement
branch_staff = domain.branch_staff
center = domain.center
center_manager = domain.center_manager
elsewhere = domain.elsewhere
liaison = domain.liaison
media = domain.media
obligations = domain.obligations
partnership = domain.partnership


@pytest.fixture
def partner_staff(center):
    return staff_member(center, Role.PARTNER_STAFF, first_name="Dana")


@pytest.fixture
def past_meeting(partnership, center):
    """Last week's meeting at the center, with an action item for the library's manager."""
    return MeetingFactory(
        partnership=partnership,
        title="Quarterly management meeting",
        location=center.locations.get(),
        starts=timezone.now() - timedelta(days=7),
    )


@pytest.fixture
def action_item(past_meeting, manager, library):
    return ActionItemFactory(
        meeting=past_meeting,
        title="Send the e-resources list",
        owner=manager,
        owner_organization=library,
    )


@pytest.fixture
def grant(partnership, center):
    return GrantFactory(partnership=partnership, lead_organization=center)


@pytest.fixture
def log_entry(partnership, liaison, center):
    return LogEntryFactory(
        partnership=partnership, liaison=liaison, organization=center, minutes=45
    )
