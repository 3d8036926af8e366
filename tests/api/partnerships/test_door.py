"""Who may use the partnership API at all: a token is needed (401), someone in no partnership
gets a 403, another partnership's objects are a 404 in every endpoint, and every list reads in
the same number of queries with one and three rows."""

import pytest

from jobhelp.accounts.enums import Role
from tests.api.partnerships.conftest import NOT_FOUND
from tests.factories.accounts import staff_member
from tests.factories.organizations import OrganizationFactory
from tests.factories.partnerships import (
    ActionItemFactory,
    AgreementFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
    ObligationFactory,
    PartnerFactory,
    PartnershipFactory,
    PartyFactory,
)
from tests.partnerships.conftest import term_start


def test_without_a_token_it_is_a_401(client, partnership):
    assert client.get("/api/v1/partnerships").status_code == 401
    assert client.get("/api/v1/partnerships/agreements").status_code == 401


@pytest.mark.parametrize("persona", ["admin_user", "branch_staff"])
def test_someone_in_no_partnership_gets_a_403(api, partnership, agreement, persona):
    caller = api(persona)
    answers = [
        caller.get("/partnerships"),
        caller.get("/partnerships/agreements"),
        caller.get(f"/partnerships/agreements/{agreement.pk}"),
        caller.post(
            "/partnerships/log",
            {
                "partnership_id": partnership.pk,
                "occurred_on": "2026-01-05",
                "activity": "tour",
                "minutes": 30,
            },
        ),
    ]
    assert [r.status_code for r in answers] == [403, 403, 403, 403]
    assert answers[0].json() == {"detail": "You do not take part in any partnership."}


@pytest.fixture
def branch_staff(branch):
    return staff_member(branch, Role.FRONT_DESK)


def test_the_partnership_with_its_partners_tiers_and_what_they_take_part_in(
    api, partnership, obligations, center, library, affiliate
):
    answer = api("manager").get("/partnerships").json()

    assert [p["id"] for p in answer] == [partnership.pk]
    partners = {
        p["organization"]["name"]: (p["tier"], sorted(p["obligation_ids"]))
        for p in answer[0]["partners"]
    }
    every = sorted(o.pk for o in vars(obligations).values())
    assert partners == {
        center.name: ("full", every),
        library.name: ("full", every),
        affiliate.name: ("reduced", sorted([obligations.tours.pk, obligations.flyers.pk])),
    }


def test_another_partnerships_objects_are_a_404_everywhere(api, partnership, agreement, elsewhere):
    caller = api("manager")
    other = elsewhere
    occurrence = other.obligation.occurrences.first()
    party = other.agreement.parties.first()
    answers = {
        path: caller.get(path).status_code
        for path in (
            f"/partnerships/agreements/{other.agreement.pk}",
            f"/partnerships/agreements/{other.agreement.pk}/parties",
            f"/partnerships/agreements/{other.agreement.pk}/amendments",
            f"/partnerships/agreements/{other.agreement.pk}/obligations",
            f"/partnerships/agreements?partnership_id={other.partnership.pk}",
            f"/partnerships/obligations/{other.obligation.pk}",
            f"/partnerships/obligations/{other.obligation.pk}/occurrences",
            f"/partnerships/meetings/{other.meeting.pk}",
            f"/partnerships/meetings/{other.meeting.pk}/action-items",
            f"/partnerships/grants/{other.grant.pk}",
            f"/partnerships/log/{other.log_entry.pk}",
        )
    }
    writes = {
        path: caller.post(path, body).status_code
        for path, body in (
            (
                f"/partnerships/agreements/{other.agreement.pk}/transition",
                {"action": "return_to_draft"},
            ),
            (
                f"/partnerships/parties/{party.pk}/signature",
                {"signatory_name": "A B", "signatory_title": "C", "signed_on": "2026-01-01"},
            ),
            (f"/partnerships/occurrences/{occurrence.pk}/done", {"note": "x"}),
            (f"/partnerships/meetings/{other.meeting.pk}/cancel", {}),
            (f"/partnerships/action-items/{other.action_item.pk}/status", {"status": "done"}),
            (f"/partnerships/grants/{other.grant.pk}/status", {"status": "withdrawn"}),
            (
                "/partnerships/log",
                {
                    "partnership_id": other.partnership.pk,
                    "occurred_on": "2026-01-01",
                    "activity": "tour",
                    "minutes": 5,
                },
            ),
        )
    }
    assert set(answers.values()) == {404}, answers
    assert set(writes.values()) == {404}, writes
    assert caller.get(f"/partnerships/grants/{other.grant.pk}").json() == NOT_FOUND


# --- Query counts -------------------------------------------------------------------------------


def one_and_three(caller, path, add, params=None):
    add()
    one = caller.queries(path, params)
    add()
    add()
    return one, caller.queries(path, params)


def test_every_list_reads_in_the_same_number_of_queries_for_one_and_three(
    api, partnership, agreement, center, library, liaison
):
    caller = api("manager")
    # The token's first use is noted once a minute: not a query of any list.
    caller.get("/partnerships")
    place = center.locations.get()
    meeting = MeetingFactory(partnership=partnership, location=place)
    obligation = ObligationFactory(
        agreement=agreement, owner_organization=center, frequency="once", first_due_on=term_start()
    )
    days = iter(range(1, 10))

    def partnership_():
        other = PartnershipFactory()
        PartnerFactory(partnership=other, organization=library)
        PartnerFactory(partnership=other, organization=OrganizationFactory())

    def agreement_():
        PartyFactory(agreement=AgreementFactory(partnership=partnership), organization=library)

    cases = {
        "/partnerships": partnership_,
        "/partnerships/agreements": agreement_,
        f"/partnerships/agreements/{agreement.pk}/parties": lambda: PartyFactory(
            agreement=agreement, organization=OrganizationFactory()
        ),
        f"/partnerships/agreements/{agreement.pk}/amendments": lambda: agreement.amendments.create(
            number=next(days), kind="minor", summary="x", effective_on=term_start()
        ),
        f"/partnerships/agreements/{agreement.pk}/obligations": lambda: ObligationFactory(
            agreement=agreement, owner_organization=center, first_due_on=term_start()
        ),
        f"/partnerships/obligations/{obligation.pk}/occurrences": lambda: (
            obligation.occurrences.create(due_on=term_start().replace(day=next(days)))
        ),
        "/partnerships/meetings": lambda: MeetingFactory(partnership=partnership, location=place),
        f"/partnerships/meetings/{meeting.pk}/action-items": lambda: ActionItemFactory(
            meeting=meeting, owner=caller.user, owner_organization=library
        ),
        "/partnerships/action-items": lambda: ActionItemFactory(
            meeting=meeting, owner=caller.user, owner_organization=library
        ),
        "/partnerships/grants": lambda: GrantFactory(
            partnership=partnership, lead_organization=center
        ),
        "/partnerships/log": lambda: LogEntryFactory(
            partnership=partnership, liaison=liaison, organization=center
        ),
    }
    counts = {path: one_and_three(caller, path, add) for path, add in cases.items()}
    assert {path: one for path, (one, _three) in counts.items()} == {
        path: three for path, (_one, three) in counts.items()
    }
