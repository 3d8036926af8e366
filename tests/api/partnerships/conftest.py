"""The partnership hub's API, tested with the county of the seed in small
(tests/partnerships/conftest.py) and the personas of tests/conftest.py, each calling with an
API token of their own."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from tests.factories.accounts import staff_member
from tests.factories.partnerships import ActionItemFactory, MeetingFactory
from tests.partnerships import conftest as domain

affiliate = domain.affiliate
affiliate_manager = domain.affiliate_manager
affiliate_staff = domain.affiliate_staff
agreement = domain.agreement
center = domain.center
center_manager = domain.center_manager
elsewhere = domain.elsewhere
liaison = domain.liaison
media = domain.media
obligations = domain.obligations
partnership = domain.partnership

NOT_FOUND = {"detail": "Not Found"}


@pytest.fixture
def partner_staff(center):
    return staff_member(center, Role.PARTNER_STAFF, first_name="Dana")


class Caller:
    """One person calling /api/v1 with their token."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        _token, key = create_api_token(user, name="script", by=user)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body or {}, default=str),
            content_type="application/json",
            headers=self.headers,
        )

    def patch(self, path: str, body=None):
        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body or {}, default=str),
            content_type="application/json",
            headers=self.headers,
        )

    def queries(self, path: str, params=None) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.get(path, params)
        assert response.status_code == 200, response.content
        return len(captured.captured_queries)


@pytest.fixture
def api(client, request):
    """api("manager") calls as the manager persona."""

    def caller(persona: str) -> Caller:
        return Caller(client, request.getfixturevalue(persona))

    return caller


@pytest.fixture
def past_meeting(partnership, center):
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
