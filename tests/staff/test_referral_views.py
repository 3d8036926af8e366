"""Referrals from the staff side: sending from a request and for a walk-in, the referral's page
for each side and the moves on it, the patron's consent, the slip, the receiving organization's
settings, the request page's section and My requests. Permissions across the personas are in
the role x view matrix (tests/matrix); here, what each page does."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage
from jobhelp.referrals import domain
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.models import Consent, Receiver, Referral
from tests.factories.directory import ServiceFactory
from tests.referrals.conftest import (  # noqa: F401 - fixtures
    NAME,
    agreement_fixture,
    center_manager_fixture,
    contains_any,
    referral_fixture,
    rosa_fixture,
    wioa_fixture,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def flashed(response) -> list[tuple[str, str]]:
    return [
        (kind, html.unescape(message))
        for kind, message in re.findall(
            r'usa-alert--(\w+) usa-alert--slim" role="status">\s*'
            r'<div class="usa-alert__body"><p class="usa-alert__text">(.*?)</p>',
            response.content.decode(),
        )
    ]


def spoken(referral, by, fields=("name", "phone")):
    return record_consent(
        referral,
        by=by,
        fields=list(fields),
        purpose="So the center can call her.",
        until=timezone.localdate() + timedelta(days=30),
        method="spoken",
    )


# --- Sending -----------------------------------------------------------------------------------


def test_the_form_offers_only_partners_services(client, log_in, agreement, wioa, rosa, branch):
    ServiceFactory(organization=branch, name="Our own branch's service")
    log_in("helper")
    page = text(client.get(f"/staff/requests/{rosa.reference}/refer/"))
    assert "WIOA career services — Riverbend WorkForce Center" in page
    assert "Our own branch" not in page
    # Rosa's language and first need are offered.
    assert '<option value="es" selected>' in page
    assert '<option value="coaching" selected>' in page


def test_a_helper_refers_a_request_and_is_shown_the_referral(client, log_in, agreement, wioa, rosa):
    helper = log_in("helper")
    response = client.post(
        f"/staff/requests/{rosa.reference}/refer/",
        {
            "service": wioa.pk,
            "need": "coaching",
            "reason": "program",
            "urgency": "soon",
            "note": "Interested in the welding certificate.",
            "language": "es",
            "notify_patron": "on",
        },
        follow=True,
    )
    referral = Referral.objects.get()
    assert response.redirect_chain == [(f"/staff/referrals/{referral.code}/", 302)]
    assert flashed(response) == [
        (
            "success",
            f"Referral {referral.display_code} sent to Riverbend WorkForce Center. "
            "Give the patron their slip.",
        )
    ]
    assert (referral.request, referral.sent_by, referral.notify_patron, referral.urgency) == (
        rosa,
        helper,
        True,
        "soon",
    )


def test_bad_input_is_shown_again_and_nothing_is_sent(client, log_in, agreement, wioa, rosa):
    log_in("helper")
    response = client.post(
        f"/staff/requests/{rosa.reference}/refer/",
        {"service": "", "need": "coaching", "reason": "program", "note": "Call 763 555 0188"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "Choose the service you refer them to." in page
    assert "Leave phone numbers, email addresses and other numbers out of the note" in page
    assert "Call 763 555 0188" in page
    assert Referral.objects.count() == 0


def test_a_walk_in_is_referred_from_the_referrals_page(client, log_in, agreement, wioa, library):
    log_in("front_desk")
    response = client.post(
        "/staff/referrals/new/",
        {
            "organization": library.pk,
            "service": wioa.pk,
            "need": "unemployment",
            "reason": "not_offered",
            "urgency": "routine",
            "language": "so",
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == f"/staff/referrals/{referral.code}/"
    assert (referral.request, referral.from_organization, referral.language) == (
        None,
        library,
        "so",
    )


# --- The referral's page ---------------------------------------------------------------------


def test_the_receiving_side_sees_what_to_answer_and_nothing_of_the_person(client, log_in, referral):
    log_in("partner_staff")
    page = text(client.get(f"/staff/referrals/{referral.code}/"))
    assert "Accept the referral" in page
    assert "Decline the referral" in page
    assert "The patron has not agreed to share their details with you." in page
    assert referral.request.reference not in page
    assert "Print the slip" not in page
    assert contains_any(page) == []


def test_the_sending_side_sees_the_slip_and_the_consent_and_no_answer(client, log_in, referral):
    log_in("helper")
    page = text(client.get(f"/staff/referrals/{referral.code}/"))
    assert "Print the slip, or send it to the patron" in page
    assert "Record the patron's consent to share details" in page
    assert f"/staff/requests/{referral.request.reference}/" in page
    assert "Accept the referral" not in page
    assert "Cancel the referral" in page


def test_the_partner_accepts_then_completes_with_got_help(client, log_in, referral):
    log_in("partner_staff")
    url = f"/staff/referrals/{referral.code}/"
    response = client.post(f"{url}accept/", {"note": ""}, follow=True)
    assert flashed(response) == [("success", f"You accepted referral {referral.display_code}.")]
    response = client.post(f"{url}complete/", {"outcome": "got_help"}, follow=True)
    assert flashed(response) == [("success", f"Referral {referral.display_code} is completed.")]
    referral.refresh_from_db()
    assert (referral.state, referral.outcome) == ("completed", "got_help")
    assert "Completed</span> (Got help)" in text(response)


def test_a_decline_without_a_reason_is_refused_with_the_reason_asked_for(client, log_in, referral):
    log_in("partner_staff")
    response = client.post(f"/staff/referrals/{referral.code}/decline/", {}, follow=True)
    assert flashed(response) == [("error", "Say why you decline the referral.")]
    referral.refresh_from_db()
    assert referral.state == "requested"


def test_an_answer_someone_else_gave_first_is_explained(client, log_in, referral, liaison):
    domain.accept_referral(referral, by=liaison)
    log_in("partner_staff")
    response = client.post(f"/staff/referrals/{referral.code}/accept/", {}, follow=True)
    assert flashed(response) == [
        ("error", f"Someone else just changed this referral: {liaison} made it “Accepted”.")
    ]


def test_accepting_can_open_a_request_with_what_is_shared(client, log_in, referral, helper):
    spoken(referral, helper)
    user = log_in("partner_staff")
    page = text(client.get(f"/staff/referrals/{referral.code}/"))
    assert "Also open a request for them in our desk" in page
    assert NAME in page
    client.post(f"/staff/referrals/{referral.code}/accept/", {"open_request": "on"})
    opened = HelpRequest.objects.get(organization=referral.to_organization)
    assert (opened.name, opened.taken_by) == (NAME, user)
    request_page = text(client.get(f"/staff/requests/{opened.reference}/"))
    assert f"This request came from referral {referral.display_code}" in request_page


def test_another_organizations_referral_is_not_found(client, log_in, referral):
    log_in("outsider")
    assert client.get(f"/staff/referrals/{referral.code}/").status_code == 404
    assert client.post(f"/staff/referrals/{referral.code}/accept/").status_code == 404


def test_the_receiving_side_has_no_slip_or_consent_pages(client, log_in, referral):
    log_in("partner_staff")
    assert client.get(f"/staff/referrals/{referral.code}/slip/").status_code == 404
    assert client.get(f"/staff/referrals/{referral.code}/consent/").status_code == 404


# --- Consent -----------------------------------------------------------------------------------


def test_a_spoken_consent_needs_the_attestation_and_shows_the_link_once(client, log_in, referral):
    log_in("helper")
    url = f"/staff/referrals/{referral.code}/consent/"
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "fields_shared": ["name", "phone"],
        "purpose": "So the center can call her.",
        "until": until,
        "method": "spoken",
    }
    response = client.post(url, data)
    assert "Confirm that the patron agreed, or send them the link instead." in text(response)
    assert Consent.objects.count() == 0
    response = client.post(url, {**data, "attest": "on"})
    page = text(response)
    consent = Consent.objects.get()
    link = re.search(r'id="consent-link" href="([^"]+)"', page).group(1)
    assert "/referrals/consent/" in link
    assert "It was also sent to the patron by email." in page
    # Only its hash is kept: the referral's page does not show it again.
    assert link.rsplit("/", 2)[-2] not in text(client.get(f"/staff/referrals/{referral.code}/"))
    assert (consent.fields, consent.method) == (["name", "phone"], "spoken")


def test_the_receiving_side_withdraws_at_the_patrons_word(client, log_in, referral, helper):
    recorded = spoken(referral, helper)
    log_in("partner_staff")
    response = client.post(
        f"/staff/referrals/{referral.code}/consent/{recorded.consent.pk}/withdraw/", follow=True
    )
    assert flashed(response) == [
        ("success", "The consent is withdrawn: the partner no longer sees the details.")
    ]
    assert NAME not in text(response)


# --- The slip ------------------------------------------------------------------------------------


def test_the_slip_is_in_the_patrons_language_with_the_address_hours_and_phone(
    client, log_in, referral
):
    log_in("helper")
    page = text(client.get(f"/staff/referrals/{referral.code}/slip/"))
    slip = page[page.index('<article class="jh-slip"') : page.index("</article>")]
    assert 'lang="es"' in slip
    assert referral.display_code in slip
    assert "1201 89th Ave NE, Blaine, MN 55434" in slip
    assert "763-555-0150" in slip
    assert "8:00–16:30" in slip
    assert "Su derivación a WIOA career services" in slip


def test_the_slip_goes_to_the_patron_by_email(client, log_in, referral):
    log_in("helper")
    response = client.post(f"/staff/referrals/{referral.code}/slip/send/", {}, follow=True)
    assert flashed(response) == [("success", "The slip is on its way to the patron.")]
    message = OutboundMessage.objects.get(template="referral_slip")
    assert (message.to, message.language) == (referral.request.email, "es")


# --- Settings, the request page, My requests ------------------------------------------------


def test_the_receiving_managers_set_the_webhook_and_see_its_secret_once(
    client, log_in, center_manager, settings
):
    settings.REFERRAL_WEBHOOK_ALLOW_LOCAL = True
    client.force_login(center_manager)
    response = client.post(
        "/staff/referrals/settings/",
        {"expire_after_days": "7", "webhook_url": "http://127.0.0.1:9/hook"},
    )
    receiver = Receiver.objects.get()
    assert receiver.expire_after_days == 7
    assert f'<code id="webhook-secret">{receiver.webhook_secret}</code>' in text(response)
    again = client.get("/staff/referrals/settings/")
    assert receiver.webhook_secret not in text(again)


def test_the_request_page_shows_the_state_as_the_partner_moves_it(
    client, log_in, referral, partner_staff
):
    log_in("helper")
    url = f"/staff/requests/{referral.request.reference}/"
    assert "Sent, waiting for an answer" in text(client.get(url))
    domain.accept_referral(referral, by=partner_staff)
    section = text(client.get(url))
    assert f'<li id="referral-{referral.code}">' in section
    assert "Accepted" in section


def test_my_requests_lists_referrals_waiting_on_the_partner(client, log_in, referral):
    log_in("helper")
    page = text(client.get("/staff/mine/"))
    assert "Referrals waiting on the other side" in page
    assert referral.display_code in page


def test_the_queue_filters_by_service_and_state(client, log_in, referral, partner_staff, center):
    other = ServiceFactory(organization=center, name="Adult education")
    log_in("partner_staff")
    assert referral.display_code in text(
        client.get(f"/staff/referrals/?service={referral.service_id}")
    )
    assert referral.display_code not in text(client.get(f"/staff/referrals/?service={other.pk}"))
    assert referral.display_code not in text(client.get("/staff/referrals/?state=completed"))
    partial = client.get("/staff/referrals/?state=open", headers={"HX-Request": "true"})
    assert text(partial).lstrip().startswith('<div id="results"')
