import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from jobhelp.intake.triage import AlreadyTaken, assign_request
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory

ROUNDS = 10


def assign_at_once(help_request_pk: int, helpers: list, *, by) -> list:
    """Two people press "assign" on the same new request at the same moment, each for a
    different helper. Returns, per thread, the updated request or the exception raised."""
    barrier = threading.Barrier(len(helpers))
    results: list = [None] * len(helpers)

    def press(index: int, helper) -> None:
        try:
            # Each thread reads the request as its page showed it: new, with nobody.
            seen = HelpRequest.objects.select_related("organization").get(pk=help_request_pk)
            barrier.wait(timeout=10)
            results[index] = assign_request(seen, helper=helper, by=by, expected_assignee=None)
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(index, helper)) for index, helper in enumerate(helpers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_people_assigning_at_once_exactly_one_wins(library):
    front_desk = staff_member(library, Role.FRONT_DESK)
    helpers = [
        staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana", last_name="Lee"),
        staff_member(library, Role.HELPER, needs=["resume"], first_name="Kim", last_name="Park"),
    ]
    request_type = ContentType.objects.get_for_model(HelpRequest)

    for _round in range(ROUNDS):
        help_request = HelpRequestFactory(organization=library)

        results = assign_at_once(help_request.pk, helpers, by=front_desk)

        winners = [r for r in results if isinstance(r, HelpRequest)]
        losers = [r for r in results if not isinstance(r, HelpRequest)]
        assert (len(winners), [type(r) for r in losers]) == (1, [AlreadyTaken])
        winner = winners[0].assigned_to
        assert winner in helpers
        assert losers[0].assigned_to == winner
        assert str(losers[0]) == (
            f"Someone else just changed this request: it is now with {winner}."
        )
        stored = HelpRequest.objects.get(pk=help_request.pk)
        assert (stored.state, stored.assigned_to) == ("assigned", winner)
        assert list(
            AuditEntry.objects.filter(
                content_type=request_type, object_id=str(help_request.pk)
            ).values_list("action", "data")
        ) == [("jobhelp.request.assigned", {"to": winner.pk, "from": None})]
