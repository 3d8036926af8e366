import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.businessdays import add_business_days
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNote
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.forms_in_html import form_values

# Our library system's requests: one new, one with the helper, one finished. Their library has
# one too, and one of ours was given long ago to the person who is now the outsider.
NEW, WITH_HELPER, DONE, AT_BRANCH, GIVEN_AWAY, THEIRS = (
    "NEW222",
    "HLP333",
    "DNE444",
    "BRA555",
    "GVN666",
    "THR777",
)
STAFF = ["front_desk", "helper", "manager"]
ACTIONS = ["assign", "claim", "contact", "resolve", "close", "reopen"]


@pytest.fixture
def requests_everywhere(library, branch, other_library, helper, outsider):
    now = timezone.now()
    return {
        NEW: HelpRequestFactory(organization=library, reference=NEW, name="Nina New"),
        WITH_HELPER: HelpRequestFactory(
            organization=library,
            reference=WITH_HELPER,
            name="Hugo Helped",
            state="assigned",
            assigned_to=helper,
        ),
        DONE: HelpRequestFactory(
            organization=library,
            reference=DONE,
            name="Dora Done",
            state="resolved",
            closing_reason="helped",
            finished_at=now,
            assigned_to=helper,
        ),
        AT_BRANCH: HelpRequestFactory(organization=branch, reference=AT_BRANCH, name="Bea Branch"),
        GIVEN_AWAY: HelpRequestFactory(
            organization=library,
            reference=GIVEN_AWAY,
            name="Gil Given",
            state="assigned",
            assigned_to=outsider,
        ),
        THEIRS: HelpRequestFactory(organization=other_library, reference=THEIRS, name="Theo"),
    }


def action_post(action: str, helper) -> tuple[str, dict]:
    """A valid POST for each action, on the request it makes sense for."""
    return {
        "assign": (NEW, {"helper": str(helper.pk), "expected_assignee": ""}),
        "claim": (NEW, {}),
        "contact": (WITH_HELPER, {"channel": "phone", "outcome": "voicemail", "note": ""}),
        "resolve": (WITH_HELPER, {"reason": "helped"}),
        "close": (WITH_HELPER, {"reason": "withdrawn"}),
        "reopen": (DONE, {}),
    }[action]


def references_shown(response) -> list[str]:
    """The request links on the page, in order."""
    return re.findall(r'href="/staff/requests/([A-Z0-9]+)/"', response.content.decode())


def html_of(response) -> str:
    return html.unescape(response.content.decode())


def assign_form(response, reference) -> dict | None:
    """The queue's Assign form for a request: where it posts, its label, the helpers its list
    offers as (id, name), and its hidden fields other than the CSRF token."""
    forms = [
        m
        for m in re.finditer(
            r'<form class="jh-assign" method="post" action="([^"]+)">(.*?)</form>',
            response.content.decode(),
            re.S,
        )
        if f'id="assign-{reference}"' in m.group(2)
    ]
    if not forms:
        return None
    (form,) = forms
    body = form.group(2)
    return {
        "action": form.group(1),
        "label": html.unescape(
            re.search(rf'<label class="[^"]*" for="assign-{reference}">(.*?)</label>', body).group(
                1
            )
        ),
        "helpers": [
            (value, html.unescape(name))
            for value, name in re.findall(r'<option value="(\d+)">(.*?)</option>', body)
        ],
        "hidden": {
            name: html.unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="(\w+)" value="([^"]*)">', body
            )
            if name != "csrfmiddlewaretoken"
        },
    }


def flashed(response) -> list[tuple[str, str]]:
    """The messages shown at the top of the page, as (kind, text)."""
    return [
        (kind, html.unescape(text))
        for kind, text in re.findall(
            r'usa-alert--(\w+) usa-alert--slim" role="status">\s*'
            r'<div class="usa-alert__body"><p class="usa-alert__text">(.*?)</p>',
            response.content.decode(),
        )
    ]


def snapshot(*references) -> tuple:
    return (
        list(HelpRequest.objects.filter(reference__in=references).order_by("pk").values()),
        AuditEntry.objects.count(),
        OutboundMessage.objects.count(),
        ContactAttempt.objects.count(),
        RequestNote.objects.count(),
    )


def state_of(reference) -> tuple:
    row = HelpRequest.objects.get(reference=reference)
    return (row.state, row.closing_reason, row.assigned_to)


def set_created(help_request, when) -> None:
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=when)


# --- Who may open the queue and one's own list -------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/queue/", "/staff/mine/"])
def test_anonymous_visitor_is_sent_to_log_in(client, requests_everywhere, path):
    response = client.get(path)

    assert (response.status_code, response.url) == (302, f"/staff/login/?next={path}")


@pytest.mark.parametrize("path", ["/staff/queue/", "/staff/mine/"])
def test_login_without_membership_is_refused(client, no_membership, requests_everywhere, path):
    client.force_login(no_membership)

    response = client.get(path)

    assert response.status_code == 403
    assert b"Nina New" not in response.content


def test_outsider_sees_an_empty_queue(client, outsider, other_library, requests_everywhere):
    # Their own request is finished; ours are open and could leak.
    HelpRequest.objects.filter(reference=THEIRS).update(
        state="closed", closing_reason="withdrawn", finished_at=timezone.now()
    )
    client.force_login(outsider)

    response = client.get("/staff/queue/")

    assert response.status_code == 200
    assert references_shown(response) == []
    assert list(response.context["page"].object_list) == []
    assert b"Nothing waiting." in response.content


def test_outsider_sees_only_their_own_organizations_queue(client, outsider, requests_everywhere):
    client.force_login(outsider)

    response = client.get("/staff/queue/")

    assert references_shown(response) == [THEIRS]


def test_outsider_does_not_see_our_request_that_names_them(client, outsider, requests_everywhere):
    client.force_login(outsider)

    response = client.get("/staff/mine/")

    assert response.status_code == 200
    assert references_shown(response) == []
    assert response.context["rows"] == []
    assert b"Gil Given" not in response.content


@pytest.mark.parametrize("persona", STAFF)
def test_staff_see_the_open_requests_of_their_library_system(
    client, log_in, requests_everywhere, persona
):
    log_in(persona)

    response = client.get("/staff/queue/")

    assert response.status_code == 200
    assert sorted(references_shown(response)) == sorted([NEW, WITH_HELPER, AT_BRANCH, GIVEN_AWAY])


@pytest.mark.parametrize(
    ("persona", "expected"), [("helper", [WITH_HELPER]), ("front_desk", []), ("manager", [])]
)
def test_mine_lists_the_requests_with_me(client, log_in, requests_everywhere, persona, expected):
    log_in(persona)

    response = client.get("/staff/mine/")

    assert response.status_code == 200
    assert references_shown(response) == expected


def test_front_desk_may_assign_from_the_queue_but_not_claim(client, front_desk, helper, library):
    help_request = HelpRequestFactory(organization=library, reference=NEW)
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    (row,) = response.context["rows"]
    assert (row["req"], row["can_assign"], row["can_claim"]) == (help_request, True, False)
    assert [s.helper for s in row["suggestions"]] == [helper]
    assert assign_form(response, NEW) == {
        "action": f"/staff/requests/{NEW}/assign/",
        "label": "Assign NEW-222 to",
        "helpers": [(str(helper.pk), str(helper))],
        "hidden": {"expected_assignee": "", "next": "/staff/queue/"},
    }
    assert f'href="/staff/requests/{NEW}/#assign-heading">Someone else…</a>' in html_of(response)
    assert b"Claim it" not in response.content


def test_the_queue_offers_no_assign_form_for_a_request_someone_has(
    client, front_desk, helper, library
):
    HelpRequestFactory(organization=library, reference=NEW, state="assigned", assigned_to=helper)
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    (row,) = response.context["rows"]
    assert [s.helper for s in row["suggestions"]] == [helper]
    assert assign_form(response, NEW) is None
    assert "Someone else…" not in html_of(response)


def test_with_nobody_to_suggest_the_queue_sends_front_desk_to_the_request_page(
    client, front_desk, helper, library
):
    HelpRequestFactory(organization=library, reference=NEW, needs=["unemployment"])
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    assert assign_form(response, NEW) is None
    assert b"Nobody qualified yet." in response.content
    assert f'href="/staff/requests/{NEW}/#assign-heading">Someone else…</a>' in html_of(response)


def test_a_qualified_helper_may_claim_from_the_queue_but_not_assign(client, helper, library):
    help_request = HelpRequestFactory(organization=library, reference=NEW)
    client.force_login(helper)

    response = client.get("/staff/queue/")

    (row,) = response.context["rows"]
    assert (row["req"], row["can_assign"], row["can_claim"]) == (help_request, False, True)
    assert b"Claim it" in response.content
    assert assign_form(response, NEW) is None
    assert b'name="helper"' not in response.content
    assert "Someone else…" not in html_of(response)


def test_an_unqualified_helper_is_not_offered_the_claim(client, helper, library):
    HelpRequestFactory(organization=library, reference=NEW, needs=["unemployment"])
    client.force_login(helper)

    response = client.get("/staff/queue/")

    (row,) = response.context["rows"]
    assert (row["can_claim"], row["suggestions"]) == (False, [])
    assert b"Nobody qualified yet." in response.content


def test_the_queue_points_out_a_possible_duplicate(client, front_desk, library):
    earlier = HelpRequestFactory(organization=library, reference="4K7M9Q")
    HelpRequestFactory(organization=library, reference="7HX2PD", possible_duplicate_of=earlier)
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    assert b"Maybe same person as 4K7-M9Q" in response.content


# --- Who may act on a request ------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitor_cannot_act(client, requests_everywhere, helper, action):
    reference, data = action_post(action, helper)
    before = snapshot(*requests_everywhere)

    response = client.post(f"/staff/requests/{reference}/{action}/", data)

    assert (response.status_code, response.url) == (
        302,
        f"/staff/login/?next=/staff/requests/{reference}/{action}/",
    )
    assert snapshot(*requests_everywhere) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_login_without_membership_cannot_act(
    client, no_membership, requests_everywhere, helper, action
):
    reference, data = action_post(action, helper)
    client.force_login(no_membership)
    before = snapshot(*requests_everywhere)

    response = client.post(f"/staff/requests/{reference}/{action}/", data)

    assert response.status_code == 403
    assert snapshot(*requests_everywhere) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_outsider_acting_on_our_request_gets_404(
    client, outsider, requests_everywhere, helper, action
):
    reference, data = action_post(action, helper)
    client.force_login(outsider)
    before = snapshot(*requests_everywhere)

    response = client.post(f"/staff/requests/{reference}/{action}/", data)

    assert response.status_code == 404
    assert snapshot(*requests_everywhere) == before


def test_outsider_cannot_act_even_on_our_request_that_names_them(
    client, outsider, requests_everywhere
):
    client.force_login(outsider)
    before = snapshot(*requests_everywhere)

    responses = [
        client.post(
            f"/staff/requests/{GIVEN_AWAY}/contact/", {"channel": "phone", "outcome": "reached"}
        ),
        client.post(f"/staff/requests/{GIVEN_AWAY}/resolve/", {"reason": "helped"}),
        client.post(f"/staff/requests/{GIVEN_AWAY}/close/", {"reason": "withdrawn"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert snapshot(*requests_everywhere) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_need_a_post(client, front_desk, requests_everywhere, helper, action):
    reference, _data = action_post(action, helper)
    client.force_login(front_desk)

    response = client.get(f"/staff/requests/{reference}/{action}/")

    assert response.status_code == 405


# Who may do what, and what they are told. None as the new state means nothing may change.
OUTCOMES = {
    ("front_desk", "assign"): ("success", "Assigned to {helper}.", ("assigned", "", "helper")),
    ("manager", "assign"): ("success", "Assigned to {helper}.", ("assigned", "", "helper")),
    ("helper", "assign"): (
        "error",
        "Only front desk staff and managers can assign requests.",
        None,
    ),
    ("helper", "claim"): ("success", "The request is yours.", ("assigned", "", "helper")),
    ("front_desk", "claim"): (
        "error",
        "You can claim only requests you are qualified to help with.",
        None,
    ),
    ("manager", "claim"): (
        "error",
        "You can claim only requests you are qualified to help with.",
        None,
    ),
    ("helper", "contact"): ("success", "Contact attempt saved.", ("in_progress", "", "helper")),
    ("front_desk", "contact"): (
        "success",
        "Contact attempt saved.",
        ("in_progress", "", "helper"),
    ),
    ("helper", "resolve"): ("success", "Resolved. Thank you!", ("resolved", "helped", "helper")),
    ("manager", "resolve"): ("success", "Resolved. Thank you!", ("resolved", "helped", "helper")),
    ("helper", "close"): ("success", "Closed.", ("closed", "withdrawn", "helper")),
    ("front_desk", "close"): ("success", "Closed.", ("closed", "withdrawn", "helper")),
    ("helper", "reopen"): ("success", "Reopened.", ("assigned", "", "helper")),
    ("manager", "reopen"): ("success", "Reopened.", ("assigned", "", "helper")),
}


@pytest.mark.parametrize(("persona", "action"), sorted(OUTCOMES))
def test_staff_acting_on_a_request(client, log_in, requests_everywhere, helper, persona, action):
    reference, data = action_post(action, helper)
    log_in(persona)
    kind, message, new_state = OUTCOMES[persona, action]
    before = snapshot(*requests_everywhere)

    response = client.post(f"/staff/requests/{reference}/{action}/", data, follow=True)

    assert response.redirect_chain == [(f"/staff/requests/{reference}/", 302)]
    assert flashed(response) == [(kind, message.format(helper=helper))]
    if new_state is None:
        assert snapshot(*requests_everywhere) == before
    else:
        state, reason, who = new_state
        assert state_of(reference) == (state, reason, helper if who == "helper" else None)


def test_another_helper_cannot_work_on_the_helpers_request(client, library, requests_everywhere):
    colleague = staff_member(library, Role.HELPER, needs=["resume"])
    client.force_login(colleague)
    before = snapshot(*requests_everywhere)

    responses = [
        client.post(
            f"/staff/requests/{WITH_HELPER}/contact/",
            {"channel": "phone", "outcome": "reached"},
            follow=True,
        ),
        client.post(f"/staff/requests/{WITH_HELPER}/resolve/", {"reason": "helped"}, follow=True),
        client.post(f"/staff/requests/{WITH_HELPER}/close/", {"reason": "withdrawn"}, follow=True),
        client.post(f"/staff/requests/{DONE}/reopen/", follow=True),
    ]

    assert [flashed(r) for r in responses] == [
        [("error", "Only the person helping, front desk staff and managers can log contact.")],
        [
            (
                "error",
                "Only the person helping, front desk staff and managers can resolve a request.",
            )
        ],
        [("error", "Only the person helping, front desk staff and managers can close a request.")],
        [("error", "Only the person helping, front desk staff and managers can reopen a request.")],
    ]
    assert snapshot(*requests_everywhere) == before


def test_assigning_what_someone_else_just_took_says_who_has_it(client, front_desk, library, helper):
    colleague = staff_member(library, Role.HELPER, first_name="Kim", last_name="Park")
    HelpRequestFactory(organization=library, reference=NEW, state="assigned", assigned_to=helper)
    client.force_login(front_desk)
    before = snapshot(NEW)

    # The queue showed the request with nobody, so the form says so.
    response = client.post(
        f"/staff/requests/{NEW}/assign/",
        {"helper": str(colleague.pk), "expected_assignee": ""},
        follow=True,
    )

    assert flashed(response) == [
        ("error", f"Someone else just changed this request: it is now with {helper}.")
    ]
    assert snapshot(NEW) == before


def test_reassigning_with_a_note(client, front_desk, library, requests_everywhere, helper):
    colleague = staff_member(library, Role.HELPER, first_name="Kim", last_name="Park")
    client.force_login(front_desk)

    response = client.post(
        f"/staff/requests/{WITH_HELPER}/assign/",
        {"helper": str(colleague.pk), "expected_assignee": str(helper.pk), "note": "On leave"},
        follow=True,
    )

    assert flashed(response) == [("success", "Assigned to Kim Park.")]
    assert state_of(WITH_HELPER) == ("assigned", "", colleague)
    assert list(RequestNote.objects.values_list("text", "author")) == [("On leave", front_desk.pk)]


# --- Bad input ---------------------------------------------------------------------------------


@pytest.fixture
def stranger(other_library):
    return staff_member(other_library, Role.HELPER, needs=["resume"])


BAD_POSTS = {
    "missing helper": (
        NEW,
        "assign",
        {"helper": "", "expected_assignee": ""},
        "Choose who should take this request.",
    ),
    "unknown helper": (
        NEW,
        "assign",
        {"helper": "999999", "expected_assignee": ""},
        "That person cannot take requests here. Choose someone from the list.",
    ),
    "helper of another organization": (
        NEW,
        "assign",
        {"helper": "stranger", "expected_assignee": ""},
        "That person cannot take requests here. Choose someone from the list.",
    ),
    "not a helper": (
        NEW,
        "assign",
        {"helper": "front_desk", "expected_assignee": ""},
        "That person cannot take requests here. Choose someone from the list.",
    ),
    "reassign without a note": (
        WITH_HELPER,
        "assign",
        {"helper": "manager_helper", "expected_assignee": "helper", "note": "  "},
        "Please say why you are reassigning this request.",
    ),
    "bad outcome": (
        WITH_HELPER,
        "contact",
        {"channel": "phone", "outcome": "shrugged"},
        "Choose how you contacted them and what happened.",
    ),
    "missing outcome": (
        WITH_HELPER,
        "contact",
        {"channel": "phone"},
        "Choose how you contacted them and what happened.",
    ),
    "bad channel": (
        WITH_HELPER,
        "contact",
        {"channel": "pigeon", "outcome": "reached"},
        "Choose how you contacted them and what happened.",
    ),
    "bad resolve reason": (WITH_HELPER, "resolve", {"reason": "bogus"}, "Choose an outcome."),
    "closing reason to resolve": (
        WITH_HELPER,
        "resolve",
        {"reason": "no_response"},
        "Choose an outcome.",
    ),
    "bad close reason": (
        WITH_HELPER,
        "close",
        {"reason": "bogus"},
        "Choose why the request is being closed.",
    ),
    "missing close reason": (
        WITH_HELPER,
        "close",
        {},
        "Choose why the request is being closed.",
    ),
    "helped is not a close reason": (
        WITH_HELPER,
        "close",
        {"reason": "helped"},
        "Choose why the request is being closed.",
    ),
    "no response too soon": (
        WITH_HELPER,
        "close",
        {"reason": "no_response"},
        "Close as “no response” after 3 failed attempts to reach the patron.",
    ),
    "closing a resolved request": (
        DONE,
        "close",
        {"reason": "withdrawn"},
        "This request is resolved, so it cannot be changed that way.",
    ),
    "reopening an open request": (WITH_HELPER, "reopen", {}, "This request is still open."),
}


@pytest.mark.parametrize("case", sorted(BAD_POSTS))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, request, manager, requests_everywhere, library, case
):
    reference, action, data, message = BAD_POSTS[case]
    people = {
        "stranger": request.getfixturevalue("stranger"),
        "front_desk": request.getfixturevalue("front_desk"),
        "helper": request.getfixturevalue("helper"),
        "manager_helper": staff_member(library, Role.HELPER),
    }
    data = {k: str(people[v].pk) if v in people else v for k, v in data.items()}
    client.force_login(manager)
    before = snapshot(*requests_everywhere)

    response = client.post(f"/staff/requests/{reference}/{action}/", data, follow=True)

    assert response.redirect_chain == [(f"/staff/requests/{reference}/", 302)]
    assert response.status_code == 200
    assert flashed(response) == [("error", message)]
    assert snapshot(*requests_everywhere) == before


def test_a_bad_input_goes_back_to_the_queue_it_came_from(client, front_desk, requests_everywhere):
    client.force_login(front_desk)

    response = client.post(
        f"/staff/requests/{NEW}/assign/",
        {"helper": "", "next": "/staff/queue/?need=resume"},
        follow=True,
    )

    assert response.redirect_chain == [("/staff/queue/?need=resume", 302)]
    assert flashed(response) == [("error", "Choose who should take this request.")]


# --- Where an action goes back to ------------------------------------------------------------


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/staff/queue/?need=resume&language=es", "/staff/queue/?need=resume&language=es"),
        ("/staff/mine/", "/staff/mine/"),
        ("http://testserver/staff/queue/", "http://testserver/staff/queue/"),
        ("https://evil.example/staff/queue/", f"/staff/requests/{NEW}/"),
        ("//evil.example/staff/queue/", f"/staff/requests/{NEW}/"),
        ("javascript:alert(1)", f"/staff/requests/{NEW}/"),
        ("", f"/staff/requests/{NEW}/"),
    ],
)
def test_next_only_follows_urls_on_this_site(
    client, helper, requests_everywhere, next_url, expected
):
    client.force_login(helper)

    response = client.post(f"/staff/requests/{NEW}/claim/", {"next": next_url})

    assert (response.status_code, response.url) == (302, expected)
    assert state_of(NEW) == ("assigned", "", helper)


# --- The queue: order and filters --------------------------------------------------------------


@pytest.fixture
def queue_requests(library, branch, central, helper, front_desk):
    """Requests of various kinds, created at known ages (days ago)."""
    now = timezone.now()
    northtown = branch.locations.get()
    specs = [
        # reference, organization, age, fields
        ("NEWOLD", library, 3, {"needs": ["resume"], "language": "en"}),
        (
            "NEWYNG",
            library,
            1,
            {"needs": ["interview"], "language": "es", "preferred_location": central},
        ),
        (
            "ASGOLD",
            library,
            9,
            {
                "state": "assigned",
                "assigned_to": helper,
                "needs": ["resume", "digital"],
                "language": "es",
            },
        ),
        (
            "INPROG",
            branch,
            6,
            {
                "state": "in_progress",
                "assigned_to": front_desk,
                "needs": ["digital"],
                "preferred_location": northtown,
            },
        ),
        ("SCHEDU", library, 2, {"state": "scheduled", "assigned_to": helper, "language": "so"}),
        ("BRANEW", branch, 5, {"needs": ["digital"], "preferred_location": northtown}),
        (
            "CLOSED",
            library,
            20,
            {"state": "closed", "closing_reason": "withdrawn", "finished_at": now},
        ),
    ]
    made = {}
    for reference, organization, age, fields in specs:
        made[reference] = HelpRequestFactory(
            organization=organization, reference=reference, **fields
        )
        set_created(made[reference], now - timedelta(days=age, minutes=age))
    return made


def test_queue_puts_new_unassigned_first_then_oldest_first(client, front_desk, queue_requests):
    client.force_login(front_desk)

    response = client.get("/staff/queue/")

    assert references_shown(response) == [
        "BRANEW",
        "NEWOLD",
        "NEWYNG",
        "ASGOLD",
        "INPROG",
        "SCHEDU",
    ]
    assert [r.reference for r in response.context["page"].object_list] == [
        "BRANEW",
        "NEWOLD",
        "NEWYNG",
        "ASGOLD",
        "INPROG",
        "SCHEDU",
    ]


def test_a_new_request_with_someone_named_waits_with_the_assigned_ones(
    client, front_desk, library, helper
):
    # Taken on the phone and handed over at once: not waiting for triage any more.
    now = timezone.now()
    handed = HelpRequestFactory(organization=library, reference="HANDED", assigned_to=helper)
    waiting = HelpRequestFactory(organization=library, reference="WAITNG")
    set_created(handed, now - timedelta(days=5))
    set_created(waiting, now - timedelta(days=1))
    client.force_login(front_desk)

    assert references_shown(client.get("/staff/queue/")) == ["WAITNG", "HANDED"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("need=resume", ["NEWOLD", "ASGOLD", "SCHEDU"]),
        ("need=digital", ["BRANEW", "ASGOLD", "INPROG"]),
        ("need=unemployment", []),
        ("location=remote", ["NEWOLD", "ASGOLD", "SCHEDU"]),
        ("location=central", ["NEWYNG"]),
        ("location=northtown", ["BRANEW", "INPROG"]),
        ("language=es", ["NEWYNG", "ASGOLD"]),
        ("language=so", ["SCHEDU"]),
        ("state=new", ["BRANEW", "NEWOLD", "NEWYNG"]),
        ("state=assigned", ["ASGOLD"]),
        ("state=in_progress", ["INPROG"]),
        ("state=scheduled", ["SCHEDU"]),
        ("assignee=none", ["BRANEW", "NEWOLD", "NEWYNG"]),
        ("assignee=me", ["INPROG"]),
        ("assignee=helper", ["ASGOLD", "SCHEDU"]),
        ("need=resume&language=es", ["ASGOLD"]),
        ("state=new&location=remote", ["NEWOLD"]),
        ("need=digital&assignee=none", ["BRANEW"]),
    ],
)
def test_queue_filters(
    client, front_desk, helper, central, branch, queue_requests, query, expected
):
    ids = {
        "central": str(central.pk),
        "northtown": str(branch.locations.get().pk),
        "helper": str(helper.pk),
    }
    query = re.sub(r"=(central|northtown|helper)\b", lambda m: "=" + ids[m.group(1)], query)
    client.force_login(front_desk)

    response = client.get(f"/staff/queue/?{query}")

    assert response.status_code == 200
    assert response.context["filters"].errors == {}
    assert references_shown(response) == expected


def test_queue_filter_on_me_for_a_helper(client, helper, queue_requests):
    client.force_login(helper)

    response = client.get("/staff/queue/?assignee=me")

    assert references_shown(response) == ["ASGOLD", "SCHEDU"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=closed", "state"),
        ("need=bogus", "need"),
        ("location=999999", "location"),
        ("assignee=999999", "assignee"),
    ],
)
def test_a_filter_value_that_is_not_offered_shows_everything(
    client, front_desk, queue_requests, query, field
):
    client.force_login(front_desk)

    response = client.get(f"/staff/queue/?{query}")

    assert list(response.context["filters"].errors) == [field]
    assert references_shown(response) == [
        "BRANEW",
        "NEWOLD",
        "NEWYNG",
        "ASGOLD",
        "INPROG",
        "SCHEDU",
    ]


def test_the_assignee_filter_offers_the_helping_staff_one_works_with(
    client, front_desk, helper, library, branch, other_library
):
    branch_helper = staff_member(branch, Role.CAREER_COACH, first_name="Bea", last_name="Brand")
    staff_member(other_library, Role.HELPER, first_name="Theo", last_name="Their")
    staff_member(library, Role.HELPER, first_name="Ina", last_name="Active", is_active=False)
    branch_desk = staff_member(branch, Role.FRONT_DESK)

    def offered(user) -> list:
        client.force_login(user)
        return client.get("/staff/queue/").context["filters"].fields["assignee"].choices

    assert offered(front_desk) == [
        ("", "Any"),
        ("none", "Nobody yet"),
        ("me", "Me"),
        (str(branch_helper.pk), "Bea Brand"),
        (str(helper.pk), str(helper)),
    ]
    # A branch's staff see their branch's requests, so its people only.
    assert offered(branch_desk) == [
        ("", "Any"),
        ("none", "Nobody yet"),
        ("me", "Me"),
        (str(branch_helper.pk), "Bea Brand"),
    ]


def test_the_filters_show_what_was_chosen_and_what_was_wrong(
    client, front_desk, central, queue_requests
):
    client.force_login(front_desk)

    response = client.get(f"/staff/queue/?language=es&assignee=none&location={central.pk}&state=x")

    # A value that is not offered selects nothing, as with Django's own select.
    assert form_values(response) == {
        "need": [""],
        "location": [str(central.pk)],
        "language": ["es"],
        "assignee": ["none"],
    }
    content = response.content.decode()
    assert '<select name="state" aria-describedby="id_state-error" aria-invalid="true"' in content
    assert '<span class="usa-error-message" id="id_state-error" role="alert">' in content


def test_a_location_of_another_organization_is_not_a_filter(
    client, front_desk, other_library, queue_requests
):
    elsewhere = LocationFactory(organization=other_library)
    client.force_login(front_desk)

    response = client.get(f"/staff/queue/?location={elsewhere.pk}")

    assert list(response.context["filters"].errors) == ["location"]


def test_htmx_gets_only_the_results(client, front_desk, queue_requests):
    client.force_login(front_desk)

    response = client.get("/staff/queue/?language=es", headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'method="get"' not in content
    assert content.strip().startswith('<div id="results"')
    assert content.strip().endswith("</div>")
    assert references_shown(response) == ["NEWYNG", "ASGOLD"]
    varies = {h.strip().lower() for h in response.headers["Vary"].split(",")}
    assert "hx-request" in varies


def test_htmx_history_restore_gets_the_whole_queue_page(client, front_desk, queue_requests):
    client.force_login(front_desk)

    response = client.get(
        "/staff/queue/?language=es",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    content = response.content.decode()
    assert "<html" in content
    assert '<div id="results"' in content
    varies = {h.strip().lower() for h in response.headers["Vary"].split(",")}
    assert {"hx-request", "hx-history-restore-request"} <= varies


def test_without_htmx_the_queue_is_a_whole_page(client, front_desk, queue_requests):
    client.force_login(front_desk)

    content = client.get("/staff/queue/").content.decode()

    assert "<html" in content
    assert '<div id="results"' in content


def test_queue_pages_by_25(client, front_desk, library):
    HelpRequestFactory.create_batch(26, organization=library)
    client.force_login(front_desk)

    first = client.get("/staff/queue/")
    second = client.get("/staff/queue/?page=2")

    assert (len(references_shown(first)), len(references_shown(second))) == (25, 1)
    assert set(references_shown(first)) | set(references_shown(second)) == set(
        HelpRequest.objects.values_list("reference", flat=True)
    )


# --- Overdue count on the staff home page ----------------------------------------------------


def test_home_counts_requests_past_the_response_target_without_contact(
    client, front_desk, outsider, library, branch, other_library, helper
):
    now = timezone.now()
    long_ago = now - timedelta(days=10)
    late = [
        HelpRequestFactory(organization=library),
        HelpRequestFactory(organization=library, state="assigned", assigned_to=helper),
        HelpRequestFactory(organization=branch),
    ]
    contacted = HelpRequestFactory(organization=library, state="in_progress", assigned_to=helper)
    ContactAttempt.objects.create(
        request=contacted, by=helper, channel="phone", outcome="no_answer"
    )
    finished = HelpRequestFactory(
        organization=library, state="closed", closing_reason="duplicate", finished_at=now
    )
    theirs = HelpRequestFactory(organization=other_library)
    for help_request in [*late, contacted, finished, theirs]:
        set_created(help_request, long_ago)
    HelpRequestFactory(organization=library)  # just arrived
    client.force_login(front_desk)

    response = client.get("/staff/")

    assert response.context["overdue_count"] == 3
    assert b'<span class="jh-count jh-count--late">3</span>' in response.content

    client.force_login(outsider)
    assert client.get("/staff/").context["overdue_count"] == 1


def test_the_response_target_is_the_organizations(client, front_desk, library):
    library.response_target_days = 30
    library.save()
    set_created(HelpRequestFactory(organization=library), timezone.now() - timedelta(days=10))
    client.force_login(front_desk)

    response = client.get("/staff/")

    assert response.context["overdue_count"] == 0
    assert b'<span class="jh-count">0</span>' in response.content


# --- My requests -----------------------------------------------------------------------------


def test_mine_says_what_to_do_next_and_by_when(client, helper, library, front_desk):
    now = timezone.now()
    zone = timezone.get_default_timezone()

    def mine(reference, created, attempts=()):
        help_request = HelpRequestFactory(
            organization=library, reference=reference, state="assigned", assigned_to=helper
        )
        set_created(help_request, created)
        for outcome, when in attempts:
            attempt = ContactAttempt.objects.create(
                request=help_request, by=helper, channel="phone", outcome=outcome
            )
            ContactAttempt.objects.filter(pk=attempt.pk).update(created_at=when)
        return help_request

    mine("JUSTIN", now)
    mine("LATE01", now - timedelta(days=10))
    mine("TRYAGN", now - timedelta(days=3), [("voicemail", now - timedelta(hours=1))])
    mine(
        "NORESP",
        now - timedelta(days=8),
        [
            (o, now - timedelta(days=d))
            for o, d in [("no_answer", 3), ("voicemail", 2), ("wrong_number", 1)]
        ],
    )
    mine(
        "REACHD",
        now - timedelta(days=4),
        [("no_answer", now - timedelta(days=3)), ("reached", now - timedelta(hours=2))],
    )
    HelpRequestFactory(organization=library, state="assigned", assigned_to=front_desk)
    HelpRequestFactory(
        organization=library,
        state="resolved",
        closing_reason="helped",
        finished_at=now,
        assigned_to=helper,
    )
    client.force_login(helper)

    response = client.get("/staff/mine/")

    rows = [
        (row.request.reference, row.action.label, row.action.overdue)
        for row in response.context["rows"]
    ]
    assert rows == [
        ("LATE01", "Make first contact", True),
        ("NORESP", "Close as “no response”, or try once more", True),
        ("TRYAGN", "Try again (attempt 2 of 3)", False),
        ("JUSTIN", "Make first contact", False),
        ("REACHD", "Follow up, or resolve if they were helped", False),
    ]
    dues = {row.request.reference: row.action.due for row in response.context["rows"]}
    created = dict(HelpRequest.objects.values_list("reference", "created_at"))
    assert dues == {
        "LATE01": add_business_days(created["LATE01"], 2, zone),
        "NORESP": ContactAttempt.objects.filter(request__reference="NORESP")
        .latest("created_at")
        .created_at,
        "TRYAGN": add_business_days(now - timedelta(hours=1), 1, zone),
        "JUSTIN": add_business_days(created["JUSTIN"], 2, zone),
        "REACHD": add_business_days(now - timedelta(hours=2), 5, zone),
    }
    assert references_shown(response) == ["LATE01", "NORESP", "TRYAGN", "JUSTIN", "REACHD"]
    assert response.content.decode().count("(overdue)") == 2


def test_mine_counts_the_organizations_number_of_attempts(client, helper, library):
    library.max_contact_attempts = 5
    library.save()
    help_request = HelpRequestFactory(organization=library, state="in_progress", assigned_to=helper)
    for outcome in ["no_answer", "voicemail"]:
        ContactAttempt.objects.create(
            request=help_request, by=helper, channel="phone", outcome=outcome
        )
    client.force_login(helper)

    response = client.get("/staff/mine/")

    assert [row.action.label for row in response.context["rows"]] == ["Try again (attempt 3 of 5)"]


def test_mine_when_there_is_nothing(client, helper, library):
    client.force_login(helper)

    response = client.get("/staff/mine/")

    assert response.context["rows"] == []
    assert b"You have no open requests." in response.content


# --- Query counts ----------------------------------------------------------------------------


def test_queue_query_count_does_not_grow_with_the_requests(
    client, front_desk, library, branch, central, helper
):
    staff_member(library, Role.CAREER_COACH, needs=["resume", "interview"], languages=["es"])
    client.force_login(front_desk)
    first = HelpRequestFactory(organization=library, preferred_location=central, needs=["resume"])
    client.get("/staff/queue/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/queue/")
    assert len(response.context["rows"]) == 1

    HelpRequestFactory(
        organization=branch,
        needs=["interview", "digital"],
        language="es",
        possible_duplicate_of=first,
        taken_by=front_desk,
    )
    HelpRequestFactory(
        organization=library, state="assigned", assigned_to=helper, needs=["resume", "digital"]
    )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/queue/")
    assert len(response.context["rows"]) == 3

    assert len(three) == len(one)


def test_mine_query_count_does_not_grow_with_the_requests(client, helper, library, branch):
    client.force_login(helper)
    HelpRequestFactory(organization=library, state="assigned", assigned_to=helper)
    client.get("/staff/mine/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/mine/")
    assert len(response.context["rows"]) == 1

    contacted = HelpRequestFactory(
        organization=branch, state="in_progress", assigned_to=helper, needs=["resume", "digital"]
    )
    ContactAttempt.objects.create(request=contacted, by=helper, channel="phone", outcome="reached")
    HelpRequestFactory(organization=library, state="scheduled", assigned_to=helper)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/mine/")
    assert len(response.context["rows"]) == 3

    assert len(three) == len(one)
