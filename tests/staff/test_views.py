import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import ApiToken
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.forms_in_html import as_form_values, form_values

# Requests of the library system, of its branch, and of another organization; each persona must
# see exactly its own share.
OURS, AT_BRANCH, THEIRS = "AAA222", "BBB333", "CCC444"
VISIBLE = {
    "outsider": {THEIRS},
    "front_desk": {OURS, AT_BRANCH},
    "helper": {OURS, AT_BRANCH},
    "manager": {OURS, AT_BRANCH},
}
STAFF = sorted(VISIBLE)


@pytest.fixture
def requests_everywhere(library, branch, other_library):
    return {
        OURS: HelpRequestFactory(organization=library, reference=OURS),
        AT_BRANCH: HelpRequestFactory(organization=branch, reference=AT_BRANCH),
        THEIRS: HelpRequestFactory(organization=other_library, reference=THEIRS),
    }


def references_shown(response) -> set[str]:
    return set(re.findall(r'href="/staff/requests/([A-Z0-9]+)/"', response.content.decode()))


def new_request_post(organization, **overrides) -> dict:
    data = {
        "channel": "phone",
        "organization": str(organization.pk),
        "name": "Luis",
        "phone": "763-555-0188",
        "email": "",
        "preferred_contact": "phone",
        "best_time": "morning",
        "needs": ["applications"],
        "language": "es",
        "preferred_location": "",
        "modality": "phone",
        "note": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


# --- Who may open what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/requests/", "/staff/requests/new/", "/staff/tokens/"]
)
def test_anonymous_visitor_is_sent_to_log_in(client, requests_everywhere, path):
    response = client.get(path)

    assert (response.status_code, response.url) == (302, f"/staff/login/?next={path}")


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/requests/", "/staff/requests/new/", "/staff/tokens/"]
)
def test_login_without_membership_is_refused(client, no_membership, requests_everywhere, path):
    client.force_login(no_membership)

    response = client.get(path)

    assert response.status_code == 403
    assert b"Not available to you" in response.content


@pytest.mark.parametrize("persona", STAFF)
def test_home_shows_only_the_requests_of_ones_organizations(
    client, log_in, requests_everywhere, persona
):
    log_in(persona)

    response = client.get("/staff/")

    assert response.status_code == 200
    assert references_shown(response) == VISIBLE[persona]
    assert response.context["new_count"] == len(VISIBLE[persona])


@pytest.mark.parametrize("persona", STAFF)
def test_request_list_shows_only_the_requests_of_ones_organizations(
    client, log_in, requests_everywhere, persona
):
    log_in(persona)

    response = client.get("/staff/requests/")

    assert response.status_code == 200
    assert references_shown(response) == VISIBLE[persona]
    assert {r.reference for r in response.context["page"].object_list} == VISIBLE[persona]


@pytest.mark.parametrize("persona", STAFF)
def test_new_request_form_opens_for_every_staff_member(
    client, log_in, requests_everywhere, persona
):
    log_in(persona)

    response = client.get("/staff/requests/new/")

    assert response.status_code == 200
    assert response.templates[0].name == "staff/requests/new.html"


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize("reference", [OURS, AT_BRANCH, THEIRS])
def test_request_detail_only_for_the_requests_organizations(
    client, log_in, requests_everywhere, persona, reference
):
    log_in(persona)
    help_request = requests_everywhere[reference]

    response = client.get(f"/staff/requests/{reference}/")

    if reference in VISIBLE[persona]:
        assert response.status_code == 200
        assert response.context["req"] == help_request
        assert help_request.display_reference.encode() in response.content
        assert help_request.name.encode() in response.content
    else:
        assert response.status_code == 404
        assert b"Page not found" in response.content
        assert help_request.name.encode() not in response.content


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("no_membership", 403)])
def test_request_detail_refuses_visitors_without_membership(
    client, log_in, requests_everywhere, persona, status
):
    log_in(persona)

    response = client.get(f"/staff/requests/{OURS}/")

    assert response.status_code == status
    assert requests_everywhere[OURS].name.encode() not in response.content


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("no_membership", 403)])
def test_new_request_post_refused_without_membership(client, log_in, library, persona, status):
    log_in(persona)

    response = client.post("/staff/requests/new/", new_request_post(library))

    assert response.status_code == status
    assert HelpRequest.objects.count() == 0


def test_outsider_cannot_file_a_request_for_our_library(client, outsider, library):
    client.force_login(outsider)

    response = client.post("/staff/requests/new/", new_request_post(library))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organization": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert HelpRequest.objects.count() == 0


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("no_membership", 403)])
def test_token_pages_refuse_visitors_without_membership(
    client, log_in, front_desk, persona, status
):
    token, _key = create_api_token(front_desk, name="kiosk", by=front_desk)
    log_in(persona)

    responses = [
        client.get("/staff/tokens/"),
        client.post("/staff/tokens/", {"name": "mine"}),
        client.post(f"/staff/tokens/{token.pk}/revoke/"),
    ]

    assert [r.status_code for r in responses] == [status] * 3
    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [("kiosk", None)]


@pytest.mark.parametrize("persona", STAFF)
def test_token_page_lists_only_ones_own_tokens(client, log_in, library, other_library, persona):
    colleague = staff_member(library, Role.FRONT_DESK)
    stranger = staff_member(other_library, Role.FRONT_DESK)
    create_api_token(colleague, name="colleague kiosk", by=colleague)
    create_api_token(stranger, name="stranger script", by=stranger)
    user = log_in(persona)
    create_api_token(user, name="my own", by=user)
    revoked, _key = create_api_token(user, name="my old one", by=user)
    revoke_api_token(revoked, by=user)

    response = client.get("/staff/tokens/")

    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["my own"]
    assert (b"colleague kiosk" in response.content, b"stranger script" in response.content) == (
        False,
        False,
    )


@pytest.mark.parametrize("persona", STAFF)
def test_creating_a_token_shows_its_key_once(client, log_in, persona):
    user = log_in(persona)

    response = client.post("/staff/tokens/", {"name": "Branch kiosk"})

    token = ApiToken.objects.get()
    assert response.status_code == 200
    assert (token.user, token.name) == (user, "Branch kiosk")
    assert response.context["new_key"].startswith("jh_" + token.prefix)
    assert response.context["new_key"].encode() in response.content

    again = client.get("/staff/tokens/")

    assert again.context["new_key"] is None
    assert response.context["new_key"].encode() not in again.content


def test_token_name_on_two_lines_is_refused(client, front_desk):
    client.force_login(front_desk)

    response = client.post("/staff/tokens/", {"name": "kiosk\r\nBcc: x@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Please keep this on one line."]}
    assert response.context["new_key"] is None
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("persona", STAFF)
def test_revoking_ones_own_token(client, log_in, persona):
    user = log_in(persona)
    token, _key = create_api_token(user, name="kiosk", by=user)

    response = client.post(f"/staff/tokens/{token.pk}/revoke/")

    assert (response.status_code, response.url) == (302, "/staff/tokens/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The token was revoked."]


@pytest.mark.parametrize("persona", ["outsider", "helper", "manager"])
def test_nobody_revokes_someone_elses_token(client, log_in, front_desk, persona):
    token, _key = create_api_token(front_desk, name="kiosk", by=front_desk)
    log_in(persona)

    response = client.post(f"/staff/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_a_post(client, front_desk):
    token, _key = create_api_token(front_desk, name="kiosk", by=front_desk)
    client.force_login(front_desk)

    response = client.get(f"/staff/tokens/{token.pk}/revoke/")

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Branches and library systems ----------------------------------------------------------------


def test_branch_front_desk_sees_only_the_branch(client, branch, requests_everywhere):
    branch_desk = staff_member(branch, Role.FRONT_DESK)
    client.force_login(branch_desk)

    listed = client.get("/staff/requests/")
    library_request = client.get(f"/staff/requests/{OURS}/")

    assert references_shown(listed) == {AT_BRANCH}
    assert library_request.status_code == 404


def test_library_system_staff_see_branch_requests(client, front_desk, requests_everywhere):
    client.force_login(front_desk)

    response = client.get(f"/staff/requests/{AT_BRANCH}/")

    assert response.status_code == 200
    assert response.context["req"] == requests_everywhere[AT_BRANCH]


# --- Taking a request on the phone --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["front_desk", "helper", "manager"])
def test_staff_take_a_phone_request_without_email(client, log_in, library, persona):
    user = log_in(persona)

    response = client.post("/staff/requests/new/", new_request_post(library))

    help_request = HelpRequest.objects.get()
    assert (response.status_code, response.url) == (
        302,
        f"/staff/requests/{help_request.reference}/",
    )
    assert (
        help_request.organization,
        help_request.channel,
        help_request.taken_by,
        help_request.name,
        help_request.phone,
        help_request.email,
        help_request.language,
        list(help_request.needs.values_list("need", flat=True)),
    ) == (library, "phone", user, "Luis", "+17635550188", "", "es", ["applications"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Request saved. Read the reference code back to the caller: "
        f"{help_request.display_reference}"
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organization) == (
        "jobhelp.request.created",
        user,
        library,
    )


def test_saved_request_page_shows_the_reference_to_read_back(client, front_desk, library):
    client.force_login(front_desk)

    response = client.post("/staff/requests/new/", new_request_post(library), follow=True)

    help_request = HelpRequest.objects.get()
    assert response.status_code == 200
    assert (
        "Request saved. Read the reference code back to the caller: "
        f"{help_request.display_reference}"
    ).encode() in response.content


def test_front_desk_takes_a_request_for_a_branch(client, front_desk, branch):
    client.force_login(front_desk)

    client.post("/staff/requests/new/", new_request_post(branch, channel="walk_in"))

    help_request = HelpRequest.objects.get()
    assert (help_request.organization, help_request.channel) == (branch, "walk_in")


def test_staff_form_with_bad_input_keeps_it_and_saves_nothing(client, front_desk, library):
    client.force_login(front_desk)
    data = new_request_post(library, phone="555-201-3344", note="Called twice.")

    response = client.post("/staff/requests/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "phone": ["That does not look like a working phone number. Check the area code and digits."]
    }
    assert form_values(response) == as_form_values(data)
    assert (HelpRequest.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_staff_form_refuses_the_web_channel(client, front_desk, library):
    client.force_login(front_desk)

    response = client.post("/staff/requests/new/", new_request_post(library, channel="web"))

    assert response.context["form"].errors == {
        "channel": ["Select a valid choice. web is not one of the available choices."]
    }
    assert HelpRequest.objects.count() == 0


# --- The request list ----------------------------------------------------------------------------


def test_request_list_query_count_does_not_grow_with_the_requests(
    client, front_desk, library, central
):
    client.force_login(front_desk)
    HelpRequestFactory(organization=library, preferred_location=central, needs=["resume"])
    client.get("/staff/requests/")

    with CaptureQueriesContext(connection) as one:
        response = client.get("/staff/requests/")
    assert len(response.context["page"].object_list) == 1

    for _ in range(2):
        HelpRequestFactory(
            organization=library,
            preferred_location=central,
            taken_by=front_desk,
            assigned_to=front_desk,
            needs=["resume", "digital"],
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get("/staff/requests/")
    assert len(response.context["page"].object_list) == 3

    assert len(three) == len(one)


@pytest.fixture
def varied_requests(library, branch):
    return [
        HelpRequestFactory(
            organization=library,
            reference="4K7M9Q",
            state="new",
            needs=["resume"],
            language="en",
            channel="web",
        ),
        HelpRequestFactory(
            organization=library,
            reference="7HX2PD",
            state="assigned",
            needs=["digital", "resume"],
            language="es",
            channel="phone",
        ),
        HelpRequestFactory(
            organization=branch,
            reference="9QW3ZR",
            state="new",
            needs=["interview"],
            language="so",
            channel="walk_in",
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"4K7M9Q", "7HX2PD", "9QW3ZR"}),
        ("?state=new", {"4K7M9Q", "9QW3ZR"}),
        ("?state=assigned", {"7HX2PD"}),
        ("?state=closed", set()),
        ("?need=resume", {"4K7M9Q", "7HX2PD"}),
        ("?need=interview", {"9QW3ZR"}),
        ("?language=es", {"7HX2PD"}),
        ("?language=so", {"9QW3ZR"}),
        ("?channel=phone", {"7HX2PD"}),
        ("?channel=web", {"4K7M9Q"}),
        ("?reference=4K7M9Q", {"4K7M9Q"}),
        ("?reference=4k7-m9q", {"4K7M9Q"}),
        ("?reference=+7hx+2pd+", {"7HX2PD"}),
        ("?reference=ZZZ999", set()),
        ("?state=new&need=resume", {"4K7M9Q"}),
        ("?state=new&language=en&channel=web&need=resume", {"4K7M9Q"}),
    ],
)
def test_request_list_filters(client, front_desk, varied_requests, query, expected):
    client.force_login(front_desk)

    response = client.get(f"/staff/requests/{query}")

    assert response.status_code == 200
    assert references_shown(response) == expected


def test_request_list_filters_by_organization(client, front_desk, branch, varied_requests):
    client.force_login(front_desk)

    response = client.get(f"/staff/requests/?organization={branch.pk}")

    assert references_shown(response) == {"9QW3ZR"}


def test_request_list_ignores_an_organization_filter_outside_ones_own(
    client, front_desk, other_library, varied_requests
):
    HelpRequestFactory(organization=other_library, reference="CCC444")
    client.force_login(front_desk)

    response = client.get(f"/staff/requests/?organization={other_library.pk}")

    assert response.status_code == 200
    assert list(response.context["filters"].errors) == ["organization"]
    assert references_shown(response) == {"4K7M9Q", "7HX2PD", "9QW3ZR"}


def test_filter_on_a_need_lists_each_request_once(client, front_desk, varied_requests):
    client.force_login(front_desk)

    response = client.get("/staff/requests/?need=digital")

    assert [r.reference for r in response.context["page"].object_list] == ["7HX2PD"]


def test_htmx_request_gets_only_the_results(client, front_desk, varied_requests):
    client.force_login(front_desk)

    response = client.get("/staff/requests/?language=es", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert html.strip().startswith('<div id="results"')
    assert references_shown(response) == {"7HX2PD"}


def test_htmx_history_restore_gets_the_whole_page(client, front_desk, varied_requests):
    # After "Back" with an empty history cache, htmx asks again with HX-Request set and puts
    # the answer in place of the whole <body>: it must be the full page.
    client.force_login(front_desk)

    response = client.get(
        "/staff/requests/?language=es",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" in html
    assert '<div id="results"' in html
    assert references_shown(response) == {"7HX2PD"}


def test_page_and_partial_are_cached_apart(client, front_desk, varied_requests):
    client.force_login(front_desk)

    page = client.get("/staff/requests/")
    partial = client.get("/staff/requests/", headers={"HX-Request": "true"})

    for response in (page, partial):
        varies = {h.strip().lower() for h in response.headers["Vary"].split(",")}
        assert {"hx-request", "hx-history-restore-request"} <= varies


def test_full_page_without_htmx(client, front_desk, varied_requests):
    client.force_login(front_desk)

    response = client.get("/staff/requests/?language=es")

    html = response.content.decode()
    assert "<html" in html
    assert '<div id="results"' in html


def test_request_list_pages_by_25(client, front_desk, library):
    HelpRequestFactory.create_batch(26, organization=library)
    client.force_login(front_desk)

    first = client.get("/staff/requests/")
    second = client.get("/staff/requests/?page=2")

    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (
        25,
        1,
    )
    assert references_shown(first) | references_shown(second) == set(
        HelpRequest.objects.values_list("reference", flat=True)
    )


# --- Logging in -----------------------------------------------------------------------------------


def log_in_with_password(client, username, password):
    return client.post("/staff/login/", {"username": username, "password": password})


def test_login_with_the_right_password(client, front_desk):
    response = log_in_with_password(client, front_desk.username, "a-long-test-password")

    assert (response.status_code, response.url) == (302, "/staff/")


def test_login_with_a_wrong_password_says_so(client, front_desk):
    response = log_in_with_password(client, front_desk.username, "wrong")

    assert response.status_code == 200
    assert b"That username and password did not match." in response.content


def test_five_wrong_passwords_lock_the_account(client, front_desk):
    for _ in range(5):
        log_in_with_password(client, front_desk.username, "wrong-password")

    response = log_in_with_password(client, front_desk.username, "a-long-test-password")

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_four_wrong_passwords_do_not_lock_the_account(client, front_desk):
    for _ in range(4):
        log_in_with_password(client, front_desk.username, "wrong-password")

    response = log_in_with_password(client, front_desk.username, "a-long-test-password")

    assert (response.status_code, response.url) == (302, "/staff/")


def test_lockout_of_one_username_leaves_others_alone(client, front_desk, helper):
    for _ in range(5):
        log_in_with_password(client, front_desk.username, "wrong-password")

    response = log_in_with_password(client, helper.username, "a-long-test-password")

    assert (response.status_code, response.url) == (302, "/staff/")


def test_each_partners_staff_see_their_own_name_in_the_header(client, library, branch):
    from jobhelp.organizations.enums import OrganizationKind
    from tests.factories.organizations import OrganizationFactory

    center = OrganizationFactory(
        name="Riverbend WorkForce Center", slug="center", kind=OrganizationKind.WORKFORCE_CENTER
    )
    shown = {}
    for organization in (center, branch):
        person = staff_member(organization, Role.FRONT_DESK, first_name="Kim")
        client.force_login(person)
        page = client.get("/staff/").content.decode()
        shown[organization.slug] = (
            re.search(
                r'<em class="usa-logo__text"><a [^>]*>([^<]*)<span class="usa-sr-only">', page
            ).group(1),
            re.search(r'<p class="jh-signed-in">([^<]*)</p>', page).group(1),
        )

    assert shown == {
        "center": ("Riverbend WorkForce Center", "Kim Member · Riverbend WorkForce Center"),
        "northtown": ("Riverbend County Library", "Kim Member · Northtown Library"),
    }
