"""Who sees which referrals, and every list (queries, pages, CSV, API) read in the same number
of queries for one referral and for three."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.referrals import queries
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.sharing import shared_details
from tests.factories.directory import ServiceFactory
from tests.factories.referrals import ReferralFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


def test_each_side_sees_its_referrals_and_nobody_else_does(
    referral, helper, partner_staff, outsider, admin_user, other_library
):
    elsewhere = ReferralFactory(
        from_organization=other_library, service=ServiceFactory(name="Elsewhere coaching")
    )
    assert list(queries.referrals_for_user(helper)) == [referral]
    assert list(queries.referrals_for_user(partner_staff)) == [referral]
    assert list(queries.referrals_for_user(outsider)) == [elsewhere]
    assert list(queries.referrals_for_user(admin_user)) == []
    assert list(queries.received_for_user(helper)) == []
    assert list(queries.sent_for_user(partner_staff)) == []
    seen = queries.find_referral_for_user(partner_staff, referral.display_code)
    assert (seen, seen.is_sender, seen.is_receiver) == (referral, False, True)
    seen = queries.find_referral_for_user(helper, referral.code.lower())
    assert (seen.is_sender, seen.is_receiver) == (True, False)
    assert queries.find_referral_for_user(outsider, referral.code) is None


def test_the_queue_flags_overdue_ones_and_lists_unanswered_first(
    referral, agreement, wioa, rosa, helper, partner_staff
):
    answered = refer(rosa, wioa, helper)
    from jobhelp.referrals.domain import accept_referral

    accept_referral(answered, by=partner_staff)
    later = referral.respond_by + timedelta(minutes=1)
    rows = list(queries.received_for_user(partner_staff, now=later))
    assert [(r, r.overdue) for r in rows] == [(referral, True), (answered, False)]
    assert list(
        queries.filter_received(
            rows and queries.received_for_user(partner_staff), now=later, state="accepted"
        )
    ) == [answered]


def test_my_requests_lists_what_waits_on_the_partner(referral, helper, front_desk, partner_staff):
    from jobhelp.referrals.domain import decline_referral

    assert list(queries.waiting_on_partner(helper)) == [referral]
    assert list(queries.waiting_on_partner(front_desk)) == []
    decline_referral(referral, by=partner_staff, reason="no_capacity")
    assert list(queries.waiting_on_partner(helper)) == []


def test_only_partners_services_are_offered(
    agreement, wioa, library, center, branch, other_library
):
    ServiceFactory(organization=branch, name="Our own branch")
    ServiceFactory(organization=other_library, name="Not a partner")
    ServiceFactory(organization=center, name="Closed for good", status="defunct")
    assert list(queries.services_to_refer_to(library)) == [wioa]
    assert list(queries.services_to_refer_to(branch)) == [wioa]
    assert list(queries.services_to_refer_to(other_library)) == []


# --- 1 and 3 ---------------------------------------------------------------------------------


def count(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def one_more(rosa, wioa, helper):
    referral = refer(rosa, wioa, helper, note="Welding.")
    record_consent(
        referral,
        by=helper,
        fields=["name", "phone", "needs"],
        purpose="Contact",
        until=timezone.localdate() + timedelta(days=9),
        method="spoken",
    )
    return referral


def _page(user, path):
    client = Client()
    client.force_login(user)

    def read():
        response = client.get(path)
        assert response.status_code == 200, path
        return response.content

    return read


def _api(user, path):
    _token, key = create_api_token(user, name="counts", by=user)

    def read():
        response = Client().get(path, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200, path
        return response.content

    return read


def _shared_rows(user):
    now = timezone.now()
    return [shared_details(r, now=now) for r in queries.received_for_user(user, now=now)]


LISTS = {
    "received_for_user with what is shared": lambda s: _shared_rows(s.partner_staff),
    "sent_for_user": lambda s: list(queries.sent_for_user(s.helper)),
    "waiting_on_partner": lambda s: list(queries.waiting_on_partner(s.helper)),
    "referrals_for_request": lambda s: queries.referrals_for_request(s.helper, s.rosa),
    "queue page": lambda s: _page(s.partner_staff, "/staff/referrals/")(),
    "queue page, searched": lambda s: _page(s.partner_staff, "/staff/referrals/?q=Rosa")(),
    "queue CSV": lambda s: _page(s.partner_staff, "/staff/referrals/received.csv")(),
    "sent page": lambda s: _page(s.helper, "/staff/referrals/sent/")(),
    "my requests": lambda s: _page(s.helper, "/staff/mine/")(),
    "request page": lambda s: _page(s.helper, f"/staff/requests/{s.rosa.reference}/")(),
    "API received": lambda s: s.api_partner(),
    "API sent": lambda s: s.api_helper(),
}


class Setting:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_reads_in_the_same_number_of_queries_for_1_and_3_referrals(
    name, agreement, wioa, rosa, helper, partner_staff
):
    rosa.assigned_to = helper
    rosa.state = "assigned"
    rosa.save()
    setting = Setting(
        helper=helper,
        partner_staff=partner_staff,
        rosa=rosa,
        api_partner=_api(partner_staff, "/api/v1/referrals"),
        api_helper=_api(helper, "/api/v1/referrals?direction=sent"),
    )
    read = LISTS[name]
    one_more(rosa, wioa, helper)
    # Once first, for what a first call does once (a token's last use, the content types).
    read(setting)
    one = count(lambda: read(setting))
    one_more(rosa, wioa, helper)
    one_more(rosa, wioa, helper)
    three = count(lambda: read(setting))
    assert three == one
