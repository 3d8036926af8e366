from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import ApiToken
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import ContactAttempt, HelpRequest, RequestNote
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory, RoutingRuleFactory

UNAUTHORIZED = {"detail": "Unauthorized"}
NOT_FOUND = {"detail": "Not Found"}
NOW = timezone.now().replace(microsecond=0)


def bearer(user) -> dict:
    _token, key = create_api_token(user, name="script", by=user)
    return {"Authorization": f"Bearer {key}"}


def post(client, user, path: str, payload: dict | None = None):
    return client.post(
        f"/api/v1{path}", payload or {}, content_type="application/json", headers=bearer(user)
    )


def everything() -> tuple:
    """What any triage call could change, to show that a refused one changed nothing."""
    return (
        list(
            HelpRequest.objects.order_by("pk").values_list(
                "reference", "state", "assigned_to", "closing_reason", "finished_at", "updated_at"
            )
        ),
        list(AuditEntry.objects.exclude(action__startswith="jobhelp.api_token.").values_list()),
        list(RequestNote.objects.values_list()),
        list(ContactAttempt.objects.values_list()),
        list(OutboundMessage.objects.values_list()),
    )


def audit_trail() -> list[tuple]:
    return list(
        AuditEntry.objects.exclude(action__startswith="jobhelp.api_token.")
        .order_by("pk")
        .values_list("action", "actor", "object_id", "data")
    )


def without_created_at(body: dict) -> dict:
    assert datetime.fromisoformat(body.pop("created_at"))
    return body


# --- People and requests -------------------------------------------------------------------------


@pytest.fixture
def hana(library):
    """A helper for résumés, in English and Spanish."""
    return staff_member(
        library,
        Role.HELPER,
        needs=["resume"],
        languages=["en", "es"],
        first_name="Hana",
        last_name="Park",
        email="hana@example.org",
    )


@pytest.fixture
def omar(library):
    """A career coach for résumés and interviews, in English only."""
    return staff_member(
        library,
        Role.CAREER_COACH,
        needs=["resume", "interview"],
        languages=["en"],
        first_name="Omar",
        last_name="Diaz",
        email="omar@example.org",
    )


@pytest.fixture
def elsewhere_helper(other_library):
    """Qualified for everything we ask, but helps for another organization."""
    return staff_member(
        other_library,
        Role.HELPER,
        needs=["resume", "interview"],
        languages=["en", "es"],
        first_name="Eli",
        last_name="Far",
    )


@pytest.fixture
def rosa(library, central):
    """A new, unassigned request in Spanish from a patron who prefers email."""
    return HelpRequestFactory(
        organization=library,
        reference="AAA222",
        name="Rosa",
        phone="+17635550123",
        email="rosa@example.com",
        preferred_contact="email",
        language="es",
        preferred_location=central,
        modality="in_person",
        note="No computer at home.",
        channel="web",
        needs=["resume"],
        created_at=NOW - timedelta(hours=1),
    )


ROSA = {
    "reference": "AAA222",
    "display_reference": "AAA-222",
    "state": "new",
    "channel": "web",
    "name": "Rosa",
    "phone": "+17635550123",
    "email": "rosa@example.com",
    "preferred_contact": "email",
    "best_time": "any",
    "voicemail_ok": False,
    "needs": ["resume"],
    "language": "es",
    "modality": "in_person",
    "note": "No computer at home.",
    "assigned_to": None,
    "possible_duplicate_of": None,
    "closing_reason": None,
}


def rosa_json(library, central, **changes) -> dict:
    return {
        **ROSA,
        "organization_id": library.pk,
        "preferred_location_id": central.pk,
        **changes,
    }


@pytest.fixture
def theirs(other_library, elsewhere_helper):
    """Another organization's open request, which could leak."""
    return HelpRequestFactory(
        organization=other_library,
        reference="CCC444",
        language="es",
        needs=["resume"],
        created_at=NOW - timedelta(days=3),
    )


def with_hana(library, hana, **fields) -> HelpRequest:
    return HelpRequestFactory(
        organization=library, assigned_to=hana, state="assigned", needs=["resume"], **fields
    )


# --- The schema ----------------------------------------------------------------------------------


def test_openapi_schema_lists_the_triage_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    # The other routers' paths (scheduling, classes, ...) are checked in their own test files.
    assert {
        path: sorted(operations)
        for path, operations in paths.items()
        if all(op["tags"] in (["requests"], ["triage"]) for op in operations.values())
    } == {
        "/api/v1/requests": ["get", "post"],
        "/api/v1/requests/{reference}": ["get"],
        "/api/v1/queue": ["get"],
        "/api/v1/requests/{reference}/assign": ["post"],
        "/api/v1/requests/{reference}/claim": ["post"],
        "/api/v1/requests/{reference}/transition": ["post"],
        "/api/v1/requests/{reference}/contact-attempts": ["get", "post"],
    }
    queue = paths["/api/v1/queue"]["get"]
    assert [p["name"] for p in queue["parameters"]] == [
        "need",
        "location_id",
        "location",
        "language",
        "state",
        "assignee",
        "page",
        "page_size",
    ]
    assert sorted(paths["/api/v1/requests/{reference}/assign"]["post"]["responses"]) == [
        "200",
        "404",
        "409",
        "422",
    ]


# --- Authentication and scope --------------------------------------------------------------------

TRIAGE_CALLS = [
    ("get", "/queue", None),
    ("post", "/requests/AAA222/assign", {"helper_id": 1}),
    ("post", "/requests/AAA222/claim", None),
    ("post", "/requests/AAA222/transition", {"action": "close", "reason": "withdrawn"}),
    ("get", "/requests/AAA222/contact-attempts", None),
    ("post", "/requests/AAA222/contact-attempts", {"channel": "phone", "outcome": "reached"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), TRIAGE_CALLS)
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer jh_not-a-real-key"}], ids=["none", "bad"]
)
def test_without_a_valid_token_is_401(client, rosa, method, path, payload, headers):
    before = everything()

    response = getattr(client, method)(
        f"/api/v1{path}", payload, content_type="application/json", headers=headers
    )

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    assert everything() == before


@pytest.mark.parametrize(("method", "path", "payload"), TRIAGE_CALLS[1:])
def test_another_organizations_request_is_404_and_untouched(
    client, outsider, elsewhere_helper, rosa, method, path, payload
):
    # The outsider could do each of these to a request of their own organization.
    if payload and "helper_id" in payload:
        payload = {"helper_id": elsewhere_helper.pk}
    before = everything()

    response = getattr(client, method)(
        f"/api/v1{path}", payload, content_type="application/json", headers=bearer(outsider)
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert everything() == before


def test_unknown_reference_is_404(client, front_desk, rosa):
    response = post(client, front_desk, "/requests/ZZZ999/claim")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_queue_never_shows_another_organizations_requests(
    client, front_desk, outsider, rosa, theirs
):
    ours = client.get("/api/v1/queue", headers=bearer(front_desk)).json()
    their_queue = client.get("/api/v1/queue", headers=bearer(outsider)).json()

    assert [(i["reference"], ours["count"]) for i in ours["items"]] == [("AAA222", 1)]
    assert [(i["reference"], their_queue["count"]) for i in their_queue["items"]] == [("CCC444", 1)]


# --- The queue -----------------------------------------------------------------------------------


def test_queue_item_has_every_field_and_the_suggestions(
    client, front_desk, hana, omar, elsewhere_helper, library, central, rosa, theirs
):
    rule = RoutingRuleFactory(
        organization=library,
        name="Spanish résumés",
        language="es",
        needs=["resume"],
        target_role="",
        target_helper=hana,
    )
    with_hana(library, hana, created_at=NOW - timedelta(days=2))
    earlier = HelpRequestFactory(
        organization=library, reference="DUP111", state="closed", closing_reason="withdrawn"
    )
    HelpRequest.objects.filter(pk=rosa.pk).update(possible_duplicate_of=earlier)

    body = client.get("/api/v1/queue?assignee=none", headers=bearer(front_desk)).json()

    assert body["count"] == 1
    assert without_created_at(body["items"][0]) == rosa_json(
        library,
        central,
        possible_duplicate_of="DUP111",
        suggestions=[
            {
                "helper_id": hana.pk,
                "name": "Hana Park",
                "reasons": [
                    "routing rule “Spanish résumés”",
                    "speaks Spanish",
                    "qualified for Resumé",
                    "1 open request",
                ],
                "rule_id": rule.pk,
            },
            {
                "helper_id": omar.pk,
                "name": "Omar Diaz",
                "reasons": ["qualified for Resumé", "0 open requests"],
                "rule_id": None,
            },
        ],
    )


def test_queue_is_new_and_unassigned_first_then_oldest_first(
    client, front_desk, hana, library, branch, rosa
):
    with_hana(library, hana, reference="OLD111", created_at=NOW - timedelta(days=5))
    HelpRequestFactory(organization=branch, reference="BRA222", created_at=NOW - timedelta(days=1))
    HelpRequestFactory(organization=library, reference="NEW333", created_at=NOW)
    for state in ["resolved", "closed"]:
        HelpRequestFactory(
            organization=library,
            state=state,
            closing_reason="referred",
            created_at=NOW - timedelta(days=9),
        )

    body = client.get("/api/v1/queue", headers=bearer(front_desk)).json()

    assert (body["count"], [i["reference"] for i in body["items"]]) == (
        4,
        ["BRA222", "AAA222", "NEW333", "OLD111"],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AAA222", "REM222", "MIN333", "ANY444"]),
        ("?need=resume", ["AAA222", "ANY444"]),
        ("?need=interview", ["REM222", "MIN333"]),
        ("?location=remote", ["REM222", "MIN333", "ANY444"]),
        ("?language=en", ["REM222", "MIN333", "ANY444"]),
        ("?state=new", ["AAA222", "REM222"]),
        ("?state=in_progress", ["MIN333"]),
        ("?assignee=none", ["AAA222", "REM222"]),
        ("?assignee=me", ["MIN333"]),
        ("?need=interview&assignee=none", ["REM222"]),
    ],
)
def test_queue_filters(client, hana, omar, library, rosa, query, expected):
    HelpRequestFactory(
        organization=library, reference="REM222", needs=["interview"], created_at=NOW
    )
    HelpRequestFactory(
        organization=library,
        reference="MIN333",
        state="in_progress",
        assigned_to=omar,
        needs=["interview"],
        created_at=NOW - timedelta(days=2),
    )
    with_hana(library, hana, reference="ANY444", created_at=NOW - timedelta(days=1))

    body = client.get(f"/api/v1/queue{query}", headers=bearer(omar)).json()

    assert ([i["reference"] for i in body["items"]], body["count"]) == (expected, len(expected))


def test_queue_filters_by_location_and_assignee_id(client, front_desk, hana, library, central):
    at_central = with_hana(library, hana, reference="CEN111", preferred_location=central)
    HelpRequestFactory(organization=library, reference="REM222", created_at=NOW)

    by_location = client.get(
        f"/api/v1/queue?location_id={central.pk}", headers=bearer(front_desk)
    ).json()
    by_assignee = client.get(f"/api/v1/queue?assignee={hana.pk}", headers=bearer(front_desk)).json()

    assert [i["reference"] for i in by_location["items"]] == [at_central.reference]
    assert [i["reference"] for i in by_assignee["items"]] == [at_central.reference]


@pytest.mark.parametrize(
    "query",
    [
        "?state=closed",
        "?assignee=someone",
        "?need=knitting",
        "?location=mars",
        # Too big for the database: refused before it gets there.
        "?assignee=99999999999999999999",
        "?location_id=99999999999999999999",
    ],
)
def test_queue_with_a_bad_filter_is_422(client, front_desk, rosa, query):
    response = client.get(f"/api/v1/queue{query}", headers=bearer(front_desk))

    assert response.status_code == 422


def test_queue_is_paged_by_50(client, front_desk, library):
    for minutes in range(51):
        HelpRequestFactory(organization=library, created_at=NOW - timedelta(minutes=minutes))
    oldest_first = list(
        HelpRequest.objects.order_by("created_at", "pk").values_list("reference", flat=True)
    )
    headers = bearer(front_desk)

    first = client.get("/api/v1/queue", headers=headers).json()
    second = client.get("/api/v1/queue?page=2", headers=headers).json()

    assert (first["count"], len(first["items"]), second["count"]) == (51, 50, 51)
    assert [i["reference"] for i in first["items"] + second["items"]] == oldest_first


def test_queue_query_count_does_not_grow_with_the_requests(
    client, front_desk, hana, omar, library, branch, central
):
    RoutingRuleFactory(organization=library, needs=["resume"], target_role="helper")
    headers = bearer(front_desk)
    # Recording the token's use is written at most once a minute; keep it out of both counts.
    ApiToken.objects.update(last_used_at=timezone.now())
    first = with_hana(library, hana, preferred_location=central)

    with CaptureQueriesContext(connection) as one:
        body = client.get("/api/v1/queue", headers=headers).json()
    assert [len(i["suggestions"]) for i in body["items"]] == [2]

    HelpRequestFactory(
        organization=branch, assigned_to=omar, state="assigned", needs=["interview", "resume"]
    )
    HelpRequestFactory(organization=library, possible_duplicate_of=first, language="es")
    with CaptureQueriesContext(connection) as three:
        body = client.get("/api/v1/queue", headers=headers).json()
    assert [len(i["suggestions"]) for i in body["items"]] == [2, 2, 2]

    assert len(three) == len(one)


# --- Assigning -----------------------------------------------------------------------------------


def test_front_desk_assigns_a_new_request(client, front_desk, hana, library, central, rosa):
    response = post(client, front_desk, "/requests/aaa-222/assign", {"helper_id": hana.pk})

    assert response.status_code == 200
    assert without_created_at(response.json()) == rosa_json(
        library, central, state="assigned", assigned_to={"id": hana.pk, "name": "Hana Park"}
    )
    rosa.refresh_from_db()
    assert (rosa.state, rosa.assigned_to) == ("assigned", hana)
    assert audit_trail() == [
        ("jobhelp.request.assigned", front_desk.pk, str(rosa.pk), {"to": hana.pk, "from": None})
    ]
    assert list(OutboundMessage.objects.order_by("pk").values_list("to", "template")) == [
        ("hana@example.org", "request_assigned_helper"),
        ("rosa@example.com", "request_assigned_patron"),
    ]


def test_manager_reassigns_with_a_note_naming_who_they_saw(client, manager, hana, omar, library):
    help_request = with_hana(library, hana, reference="BBB333")

    response = post(
        client,
        manager,
        "/requests/BBB333/assign",
        {"helper_id": omar.pk, "note": "Hana is away.", "expected_assignee_id": hana.pk},
    )

    assert (response.status_code, response.json()["assigned_to"]) == (
        200,
        {"id": omar.pk, "name": "Omar Diaz"},
    )
    help_request.refresh_from_db()
    assert (help_request.state, help_request.assigned_to) == ("assigned", omar)
    assert list(RequestNote.objects.values_list("request", "author", "text")) == [
        (help_request.pk, manager.pk, "Hana is away.")
    ]
    assert audit_trail() == [
        (
            "jobhelp.request.reassigned",
            manager.pk,
            str(help_request.pk),
            {"to": omar.pk, "from": hana.pk},
        )
    ]


def assert_refused(client, user, path: str, payload: dict | None, status: int, body: dict) -> None:
    """Post, and check both the answer and that the refused call changed nothing."""
    before = everything()
    response = post(client, user, path, payload)
    assert (response.status_code, response.json()) == (status, body)
    assert everything() == before


def test_helper_cannot_assign(client, hana, omar, rosa):
    assert_refused(
        client,
        hana,
        "/requests/AAA222/assign",
        {"helper_id": omar.pk},
        409,
        {"detail": "Only front desk staff and managers can assign requests."},
    )


def test_assign_with_a_stale_expected_assignee_names_who_has_it(
    client, front_desk, hana, omar, library
):
    with_hana(library, hana, reference="BBB333")

    # The caller saw the request unassigned; Hana took it since.
    assert_refused(
        client,
        front_desk,
        "/requests/BBB333/assign",
        {"helper_id": omar.pk, "note": "Omar is free.", "expected_assignee_id": None},
        409,
        {
            "detail": "Someone else just changed this request: it is now with Hana Park.",
            "assigned_to": {"id": hana.pk, "name": "Hana Park"},
        },
    )


def test_reassigning_without_a_note_is_409(client, front_desk, hana, omar, library):
    with_hana(library, hana, reference="BBB333")

    assert_refused(
        client,
        front_desk,
        "/requests/BBB333/assign",
        {"helper_id": omar.pk},
        409,
        {"detail": "Please say why you are reassigning this request."},
    )


@pytest.mark.parametrize("who", ["nobody", "front_desk", "elsewhere_helper"])
def test_assigning_to_someone_who_cannot_help_here_is_422(
    client, request, front_desk, elsewhere_helper, rosa, who
):
    helper_id = 999_999 if who == "nobody" else request.getfixturevalue(who).pk

    assert_refused(
        client,
        front_desk,
        "/requests/AAA222/assign",
        {"helper_id": helper_id},
        422,
        {
            "detail": "The request is not valid.",
            "errors": {
                "helper": ["That person cannot take requests here. Choose someone from the list."]
            },
        },
    )


@pytest.mark.parametrize(
    "payload",
    [{"note": "x"}, {"helper_id": "Hana"}, {"helper_id": 99999999999999999999}],
)
def test_assign_without_a_usable_helper_id_is_422(client, front_desk, rosa, payload):
    before = everything()

    response = post(client, front_desk, "/requests/AAA222/assign", payload)

    assert response.status_code == 422
    assert everything() == before


def test_assign_with_a_bad_note_is_422(client, front_desk, hana, rosa):
    assert_refused(
        client,
        front_desk,
        "/requests/AAA222/assign",
        {"helper_id": hana.pk, "note": "a\x1bb"},
        422,
        {
            "detail": "The request is not valid.",
            "errors": {"note": ["This contains hidden special characters. Please type it again."]},
        },
    )


# --- Claiming ------------------------------------------------------------------------------------


def test_qualified_helper_claims_an_unassigned_request(client, hana, library, central, rosa):
    response = post(client, hana, "/requests/AAA222/claim")

    assert response.status_code == 200
    assert without_created_at(response.json()) == rosa_json(
        library, central, state="assigned", assigned_to={"id": hana.pk, "name": "Hana Park"}
    )
    rosa.refresh_from_db()
    assert (rosa.state, rosa.assigned_to) == ("assigned", hana)
    assert audit_trail() == [("jobhelp.request.claimed", hana.pk, str(rosa.pk), {"to": hana.pk})]
    # The patron chose email; the helper knows already.
    assert list(OutboundMessage.objects.values_list("to", "template")) == [
        ("rosa@example.com", "request_assigned_patron")
    ]


def test_claim_without_the_qualification_is_409(client, library, rosa):
    digital_only = staff_member(library, Role.HELPER, needs=["digital"])

    assert_refused(
        client,
        digital_only,
        "/requests/AAA222/claim",
        None,
        409,
        {"detail": "You can claim only requests you are qualified to help with."},
    )


def test_claiming_a_request_someone_has_is_409(client, hana, omar, library):
    with_hana(library, hana, reference="BBB333")

    assert_refused(
        client,
        omar,
        "/requests/BBB333/claim",
        None,
        409,
        {
            "detail": "Someone else just changed this request: it is now with Hana Park.",
            "assigned_to": {"id": hana.pk, "name": "Hana Park"},
        },
    )


# --- Resolving, closing, reopening ---------------------------------------------------------------


def test_resolve_defaults_to_helped(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")

    response = post(client, hana, "/requests/BBB333/transition", {"action": "resolve"})

    body = response.json()
    assert (response.status_code, body["state"], body["closing_reason"]) == (
        200,
        "resolved",
        "helped",
    )
    help_request.refresh_from_db()
    assert (help_request.state, help_request.closing_reason) == ("resolved", "helped")
    assert help_request.finished_at is not None
    assert audit_trail() == [
        ("jobhelp.request.resolved", hana.pk, str(help_request.pk), {"reason": "helped"})
    ]


def test_resolve_as_referred(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")

    response = post(
        client, hana, "/requests/BBB333/transition", {"action": "resolve", "reason": "referred"}
    )

    assert (response.status_code, response.json()["closing_reason"]) == (200, "referred")
    help_request.refresh_from_db()
    assert (help_request.state, help_request.closing_reason) == ("resolved", "referred")


def test_front_desk_closes_a_request(client, front_desk, library, central, rosa):
    response = post(
        client,
        front_desk,
        "/requests/AAA222/transition",
        {"action": "close", "reason": "withdrawn"},
    )

    assert response.status_code == 200
    assert without_created_at(response.json()) == rosa_json(
        library, central, state="closed", closing_reason="withdrawn"
    )
    rosa.refresh_from_db()
    assert (rosa.state, rosa.closing_reason) == ("closed", "withdrawn")
    assert audit_trail() == [
        ("jobhelp.request.closed", front_desk.pk, str(rosa.pk), {"reason": "withdrawn"})
    ]


def test_close_as_no_response_after_enough_failed_attempts(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")
    for outcome in ["no_answer", "voicemail", "wrong_number"]:
        ContactAttempt.objects.create(
            request=help_request, by=hana, channel="phone", outcome=outcome
        )

    response = post(
        client, hana, "/requests/BBB333/transition", {"action": "close", "reason": "no_response"}
    )

    assert (response.status_code, response.json()["state"]) == (200, "closed")
    help_request.refresh_from_db()
    assert (help_request.state, help_request.closing_reason) == ("closed", "no_response")


def test_close_as_no_response_too_early_is_409(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")
    for outcome in ["no_answer", "reached", "voicemail"]:
        ContactAttempt.objects.create(
            request=help_request, by=hana, channel="phone", outcome=outcome
        )

    assert_refused(
        client,
        hana,
        "/requests/BBB333/transition",
        {"action": "close", "reason": "no_response"},
        409,
        {"detail": "Close as “no response” after 3 failed attempts to reach the patron."},
    )


def test_closing_a_closed_request_is_409(client, front_desk, library):
    HelpRequestFactory(
        organization=library, reference="BBB333", state="closed", closing_reason="withdrawn"
    )

    assert_refused(
        client,
        front_desk,
        "/requests/BBB333/transition",
        {"action": "close", "reason": "duplicate"},
        409,
        {"detail": "This request is closed, so it cannot be changed that way."},
    )


def test_helper_cannot_close_someone_elses_request(client, omar, hana, library):
    with_hana(library, hana, reference="BBB333")

    assert_refused(
        client,
        omar,
        "/requests/BBB333/transition",
        {"action": "close", "reason": "withdrawn"},
        409,
        {"detail": "Only the person helping, front desk staff and managers can close a request."},
    )


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"action": "close"}, {"reason": ["This field is required."]}),
        (
            {"action": "close", "reason": "helped"},
            {"reason": ["Select a valid choice. helped is not one of the available choices."]},
        ),
        (
            {"action": "resolve", "reason": "withdrawn"},
            {"reason": ["Select a valid choice. withdrawn is not one of the available choices."]},
        ),
        (
            {"action": "reopen", "reason": "helped"},
            {"reason": ["Leave out the reason when reopening a request."]},
        ),
    ],
)
def test_transition_with_a_reason_that_does_not_fit_is_422(
    client, front_desk, rosa, payload, errors
):
    assert_refused(
        client,
        front_desk,
        "/requests/AAA222/transition",
        payload,
        422,
        {"detail": "The request is not valid.", "errors": errors},
    )


@pytest.mark.parametrize("payload", [{}, {"action": "explode"}, {"action": "close", "reason": "x"}])
def test_transition_with_unknown_values_is_422(client, front_desk, rosa, payload):
    before = everything()

    response = post(client, front_desk, "/requests/AAA222/transition", payload)

    assert response.status_code == 422
    assert everything() == before


def test_reopen_a_resolved_request_goes_back_to_its_helper(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")
    HelpRequest.objects.filter(pk=help_request.pk).update(
        state="resolved", closing_reason="helped", finished_at=NOW
    )

    response = post(client, hana, "/requests/BBB333/transition", {"action": "reopen"})

    body = response.json()
    assert (response.status_code, body["state"], body["closing_reason"]) == (200, "assigned", None)
    help_request.refresh_from_db()
    assert (help_request.state, help_request.closing_reason, help_request.finished_at) == (
        "assigned",
        "",
        None,
    )
    assert audit_trail() == [
        ("jobhelp.request.reopened", hana.pk, str(help_request.pk), {"state": "assigned"})
    ]


def test_reopening_an_open_request_is_409(client, front_desk, rosa):
    assert_refused(
        client,
        front_desk,
        "/requests/AAA222/transition",
        {"action": "reopen"},
        409,
        {"detail": "This request is still open."},
    )


# --- Contact attempts ----------------------------------------------------------------------------


def test_log_a_contact_attempt(client, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")

    response = post(
        client,
        hana,
        "/requests/BBB333/contact-attempts",
        {"channel": "phone", "outcome": "voicemail", "note": "Left my direct line."},
    )

    attempt = ContactAttempt.objects.get()
    assert response.status_code == 201
    assert without_created_at(response.json()) == {
        "id": attempt.pk,
        "channel": "phone",
        "outcome": "voicemail",
        "note": "Left my direct line.",
        "by_id": hana.pk,
    }
    assert (attempt.request, attempt.by, attempt.channel, attempt.outcome, attempt.note) == (
        help_request,
        hana,
        "phone",
        "voicemail",
        "Left my direct line.",
    )
    help_request.refresh_from_db()
    assert help_request.state == "in_progress"
    assert audit_trail() == [
        (
            "jobhelp.request.contact_logged",
            hana.pk,
            str(help_request.pk),
            {"channel": "phone", "outcome": "voicemail"},
        )
    ]


def test_contact_attempt_answer_carries_its_time(client, hana, library):
    with_hana(library, hana, reference="BBB333")

    response = post(
        client,
        hana,
        "/requests/BBB333/contact-attempts",
        {"channel": "email", "outcome": "email_sent"},
    )

    created_at = datetime.fromisoformat(response.json()["created_at"])
    stored = ContactAttempt.objects.get().created_at
    # JSON carries milliseconds (DjangoJSONEncoder); the database keeps microseconds.
    assert created_at == stored.replace(microsecond=stored.microsecond // 1000 * 1000)


def test_list_contact_attempts_oldest_first(client, front_desk, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")
    first = ContactAttempt.objects.create(
        request=help_request, by=hana, channel="phone", outcome="no_answer"
    )
    second = ContactAttempt.objects.create(
        request=help_request, by=hana, channel="email", outcome="email_sent", note="Sent times."
    )
    ContactAttempt.objects.create(
        request=HelpRequestFactory(organization=library),
        by=hana,
        channel="phone",
        outcome="reached",
    )

    response = client.get("/api/v1/requests/BBB333/contact-attempts", headers=bearer(front_desk))

    assert response.status_code == 200
    assert [without_created_at(a) for a in response.json()] == [
        {
            "id": first.pk,
            "channel": "phone",
            "outcome": "no_answer",
            "note": "",
            "by_id": hana.pk,
        },
        {
            "id": second.pk,
            "channel": "email",
            "outcome": "email_sent",
            "note": "Sent times.",
            "by_id": hana.pk,
        },
    ]


def test_list_contact_attempts_query_count_does_not_grow(client, front_desk, hana, library):
    help_request = with_hana(library, hana, reference="BBB333")
    headers = bearer(front_desk)
    ApiToken.objects.update(last_used_at=timezone.now())
    ContactAttempt.objects.create(request=help_request, by=hana, channel="phone", outcome="reached")

    with CaptureQueriesContext(connection) as one:
        assert (
            len(client.get("/api/v1/requests/BBB333/contact-attempts", headers=headers).json()) == 1
        )

    for _ in range(2):
        ContactAttempt.objects.create(
            request=help_request, by=front_desk, channel="email", outcome="email_sent"
        )
    with CaptureQueriesContext(connection) as three:
        assert (
            len(client.get("/api/v1/requests/BBB333/contact-attempts", headers=headers).json()) == 3
        )

    assert len(three) == len(one)


def test_helper_cannot_log_contact_on_someone_elses_request(client, omar, hana, library):
    with_hana(library, hana, reference="BBB333")

    assert_refused(
        client,
        omar,
        "/requests/BBB333/contact-attempts",
        {"channel": "phone", "outcome": "reached"},
        409,
        {"detail": "Only the person helping, front desk staff and managers can log contact."},
    )


def test_contact_on_a_finished_request_is_409(client, front_desk, library):
    HelpRequestFactory(
        organization=library, reference="BBB333", state="resolved", closing_reason="helped"
    )

    assert_refused(
        client,
        front_desk,
        "/requests/BBB333/contact-attempts",
        {"channel": "phone", "outcome": "reached"},
        409,
        {"detail": "This request is finished; reopen it first."},
    )


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"channel": "phone", "outcome": "reached", "note": "x" * 501},
            {"note": ["Ensure this value has at most 500 characters (it has 501)."]},
        ),
        (
            {"channel": "phone", "outcome": "reached", "note": "bad\x07bell"},
            {"note": ["This contains hidden special characters. Please type it again."]},
        ),
    ],
)
def test_contact_attempt_with_a_bad_note_is_422(client, hana, library, payload, errors):
    with_hana(library, hana, reference="BBB333")

    assert_refused(
        client,
        hana,
        "/requests/BBB333/contact-attempts",
        payload,
        422,
        {"detail": "The request is not valid.", "errors": errors},
    )


@pytest.mark.parametrize(
    "payload", [{"channel": "fax", "outcome": "reached"}, {"channel": "phone", "outcome": "meh"}]
)
def test_contact_attempt_with_unknown_values_is_422(client, hana, library, payload):
    with_hana(library, hana, reference="BBB333")
    before = everything()

    response = post(client, hana, "/requests/BBB333/contact-attempts", payload)

    assert response.status_code == 422
    assert everything() == before
