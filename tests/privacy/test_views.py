"""The privacy pages under /staff/privacy/: the door, finding, the JSON download, erasing with
a confirmation, bad input, no caching; and the request page's record of who opened it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from jobhelp.privacy.models import RequestAccess
from tests.factories.intake import HelpRequestFactory
from tests.privacy.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("privacy_officer", 200),
        ("front_desk", 403),
        ("helper", 403),
        ("manager", 403),
        ("outsider", 403),
        ("admin_user", 403),
    ],
)
def test_only_privacy_staff_come_in(client, log_in, persona, status, rosa):
    log_in(persona)
    assert client.get("/staff/privacy/").status_code == status
    response = client.post("/staff/privacy/", {"q": "ROSA22"})
    assert response.status_code == status
    if status == 403:
        assert NAME.encode() not in response.content


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/staff/privacy/")["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("q", ["ROSA22", "rosa-22", "(763) 555-0188", "Rosa.Leakwell@example.org"])
def test_finding_shows_everything_held_and_is_not_cached(client, log_in, rosa, q):
    log_in("privacy_officer")
    response = client.post("/staff/privacy/", {"q": q})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    for shown in (NAME, PHONE, EMAIL, "Anoka", "Rosa says thanks", rosa.referral.code):
        assert shown in page
    assert "Nadia" not in page and "Elsewhere&#x27;s own" not in page
    assert "9 records found for this person." in page


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "This field is required."),
        ("rosa@", "Enter an email address like name@example.com."),
        ("hello there", "Enter a request&#x27;s reference code"),
        ("x" * 300, "Ensure this value has at most 254 characters"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, log_in, rosa, q, message):
    log_in("privacy_officer")
    for path in ("/staff/privacy/", "/staff/privacy/export/", "/staff/privacy/erase/"):
        response = client.post(path, {"q": q, "confirm": "on"})
        assert response.status_code in (200, 400)
        assert message in response.content.decode()
    rosa.request.refresh_from_db()
    assert rosa.request.name == NAME
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.person.").exists()


def test_a_code_nobody_has_finds_nothing(client, log_in, rosa):
    log_in("privacy_officer")
    response = client.post("/staff/privacy/", {"q": "ZZZ999"})
    assert response.status_code == 200
    assert "0 records found" in response.content.decode()


def test_the_download_is_json_an_attachment_and_not_cached(client, log_in, rosa):
    log_in("privacy_officer")
    response = client.post("/staff/privacy/export/", {"q": PHONE})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="person-')
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert document["records"]["intake.requests"][0]["name"] == NAME
    assert AuditEntry.objects.filter(action="jobhelp.person.exported").count() == 1


def test_erasing_needs_the_box_ticked(client, log_in, rosa):
    log_in("privacy_officer")
    response = client.post("/staff/privacy/erase/", {"q": "ROSA22"})
    assert response.status_code == 400
    assert "Check the box to confirm the erasure." in response.content.decode()
    rosa.request.refresh_from_db()
    assert rosa.request.name == NAME


def test_erasing_shows_the_counts(client, log_in, rosa):
    log_in("privacy_officer")
    response = client.post("/staff/privacy/erase/", {"q": "ROSA22", "confirm": "on"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Help requests</th><td>2</td>" in page
    # What was still to come was cancelled first, and the page says how much.
    cancelled = page.split("Cancelled first, by kind", 1)[1].split("</table>", 1)[0]
    for label, count in [("Appointments", 1), ("Class registrations", 1), ("Referrals", 1)]:
        assert f"{label}</th><td>{count}</td>" in cancelled
    assert "Messages</th><td>2</td>" in cancelled
    assert NAME not in page
    rosa.request.refresh_from_db()
    assert (rosa.request.name, rosa.request.phone, rosa.request.email) == ("", "", "")
    assert HelpRequest.objects.filter(pk=rosa.request.pk).exists()


def test_the_person_page_reads_the_same_number_of_queries_for_1_or_3_requests(
    client, log_in, library, helper
):
    log_in("privacy_officer")

    def queries(n):
        phone = f"+1763555{n:04d}"
        for _ in range(n):
            HelpRequestFactory(organization=library, phone=phone, email="")
        with CaptureQueriesContext(connection) as ctx:
            assert client.post("/staff/privacy/", {"q": phone}).status_code == 200
        return len(ctx)

    assert queries(1) == queries(3)


def test_opening_a_request_records_who_and_privacy_staff_see_it(client, log_in, rosa, helper):
    log_in("helper")
    client.get(f"/staff/requests/{rosa.request.reference}/")
    assert list(RequestAccess.objects.values_list("request", "by")) == [
        (rosa.request.pk, helper.pk)
    ]
    # The helper's page does not list who looked; the privacy officer's does.
    assert (
        "Who opened the details"
        not in client.get(f"/staff/requests/{rosa.request.reference}/").content.decode()
    )
    log_in("privacy_officer")
    page = client.get(f"/staff/requests/{rosa.request.reference}/").content.decode()
    assert "Who opened the details" in page
    assert str(helper) in page
    person_page = client.post("/staff/privacy/", {"q": "ROSA22"}).content.decode()
    assert "Who opened their requests" in person_page
    assert RequestAccess.objects.count() == 3


def test_the_menu_offers_the_page_to_privacy_staff_only(client, log_in):
    log_in("privacy_officer")
    assert "/staff/privacy/" in client.get("/staff/").content.decode()
    log_in("helper")
    assert "/staff/privacy/" not in client.get("/staff/").content.decode()


def test_reading_a_request_through_the_api_records_who_too(client, rosa, helper, outsider):
    from jobhelp.accounts.domain import create_api_token

    _, key = create_api_token(helper, name="test", by=helper)
    response = client.get(
        f"/api/v1/requests/{rosa.request.reference}", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    # Another organization's caller gets a 404 and leaves no trace on our request.
    _, their_key = create_api_token(outsider, name="test", by=outsider)
    assert (
        client.get(
            f"/api/v1/requests/{rosa.request.reference}",
            headers={"Authorization": f"Bearer {their_key}"},
        ).status_code
        == 404
    )
    assert list(RequestAccess.objects.values_list("request", "by")) == [
        (rosa.request.pk, helper.pk)
    ]
