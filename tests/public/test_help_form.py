import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from jobhelp.core.models import AuditEntry, RateLimitBucket
from jobhelp.intake.models import HelpRequest
from jobhelp.intake.queries import SAME_REQUEST_MINUTES
from jobhelp.notifications.models import OutboundMessage
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.forms_in_html import as_form_values, form_values

BAD_REQUEST_HEADING = "Something was wrong with that request"
RATE_LIMIT_HEADING = "Please wait a little while"
RATE_LIMIT_TEXT = (
    "Several requests were sent from this connection in a short time, so we did not send this "
    "one yet. Everything you typed is still below. Please try again in an hour, or call us and "
    "we will take your request by phone."
)


def valid_post(**overrides) -> dict:
    data = {
        "name": "Rosa María",
        "phone": "(763) 555-0123",
        "email": "rosa@example.com",
        "preferred_contact": "email",
        "best_time": "evening",
        "voicemail_ok": "on",
        "needs": ["resume", "digital"],
        "language": "es",
        "preferred_location": "",
        "modality": "in_person",
        "note": "Laid off <b>last</b> month.\r\nI have no computer.",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_visitor_gets_the_form(client, library):
    response = client.get("/help/")

    assert response.status_code == 200
    assert response.templates[0].name == "public/help/form.html"
    assert b"Ask for job help" in response.content


def test_form_offers_the_open_locations_of_the_library_and_its_branches(
    client, library, central, branch, other_library
):
    LocationFactory(organization=other_library, name="Elsewhere Library")
    LocationFactory(organization=library, name="Closed Library", is_active=False)

    response = client.get("/help/")

    assert list(response.context["form"].fields["preferred_location"].queryset) == [
        central,
        branch.locations.get(),
    ]


def test_valid_request_is_saved_and_the_reference_shown(client, library, central):
    response = client.post("/help/", valid_post(preferred_location=str(central.pk)))

    help_request = HelpRequest.objects.get()
    assert (response.status_code, response.url) == (302, "/help/received/")
    assert (
        help_request.organization,
        help_request.channel,
        help_request.name,
        help_request.phone,
        help_request.preferred_location,
        help_request.taken_by,
    ) == (library, "web", "Rosa María", "+17635550123", central, None)

    received = client.get("/help/received/")

    assert received.status_code == 200
    assert received.context["reference"] == help_request.display_reference
    assert help_request.display_reference.encode() in received.content
    assert b"We also sent this code to your email address." in received.content


def test_request_without_email_says_no_email_was_sent(client, library):
    client.post("/help/", valid_post(email="", preferred_contact="phone"))

    received = client.get("/help/received/")

    assert received.context["reference"] == HelpRequest.objects.get().display_reference
    assert b"We also sent this code to your email address." not in received.content
    assert OutboundMessage.objects.count() == 0


def test_confirmation_email_is_sent_by_the_worker(
    client, library, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/help/", valid_post(language="en"))
    assert mail.outbox == []

    run_worker()

    help_request = HelpRequest.objects.get()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["rosa@example.com"],
            f"We received your request for job help ({help_request.display_reference})",
        )
    ]
    assert help_request.display_reference in mail.outbox[0].body
    assert OutboundMessage.objects.get().state == "sent"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "123"}, "phone", "That does not look like a working phone number."),
        ({"email": "rosa-at-example"}, "email", "Enter a valid email address."),
        ({"name": "Rosa\r\nBcc: x@example.com"}, "name", "Please keep this on one line."),
        ({"needs": None}, "needs", "Choose at least one thing you need help with."),
        (
            {"consent": None},
            "consent",
            "Please agree to the privacy notice so we can help you.",
        ),
        (
            {"phone": "", "preferred_contact": "text"},
            "preferred_contact",
            "You chose text messages; please add a mobile phone number above",
        ),
        (
            {"preferred_location": "999999"},
            "preferred_location",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_input_keeps_everything_typed_and_saves_nothing(
    client, library, overrides, field, message
):
    data = valid_post(**overrides)

    response = client.post("/help/", data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert message in response.context["form"].errors[field][0]
    # The message sits in the field's own group, next to the input.
    group = response.content.decode().split(f'id="id_{field}-group"')[1].split("usa-form-group")[0]
    assert f'id="id_{field}-error"' in group
    assert message in group.replace("&#x27;", "'")
    kept = as_form_values(data)
    if field == "preferred_location":
        # A location that is not on the list cannot be shown as chosen; with nothing marked,
        # the browser shows the first entry, "Any library".
        del kept["preferred_location"]
    assert form_values(response) == kept
    assert (HelpRequest.objects.count(), AuditEntry.objects.count()) == (0, 0)
    assert OutboundMessage.objects.count() == 0


def test_texts_without_a_phone_are_explained_in_spanish_and_nothing_is_lost(client, library):
    data = valid_post(phone="", preferred_contact="text")

    response = client.post("/help/", data, HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, list(response.context["form"].errors)) == (
        200,
        ["preferred_contact"],
    )
    group = response.content.decode().split('id="id_preferred_contact-group"')[1]
    assert (
        "Usted eligió mensajes de texto. Por favor, escriba un número de teléfono celular "
        "arriba, o elija otra forma." in group.split("usa-form-group")[0]
    )
    assert form_values(response) == as_form_values(data)
    assert (HelpRequest.objects.count(), OutboundMessage.objects.count()) == (0, 0)


def test_a_patron_who_chose_texts_is_told_the_code_was_texted(client, library, texting):
    client.post("/help/", valid_post(email="", preferred_contact="text"))

    received = client.get("/help/received/")

    help_request = HelpRequest.objects.get()
    assert (help_request.preferred_contact, received.context["text_sent"]) == ("text", True)
    assert b"We also sent this code to your phone in a text message." in received.content
    assert b"We also sent this code to your email address." not in received.content
    assert list(OutboundMessage.objects.values_list("template", "channel", "to")) == [
        ("request_received", "sms", "+17635550123")
    ]


def test_bad_input_is_summarised_at_the_top(client, library):
    response = client.post("/help/", valid_post(phone="123", email="nope"))

    assert b"Please fix 2 things below." in response.content
    assert b"Everything you typed is still here." in response.content


def test_spanish_visitor_gets_a_spanish_page(client, library):
    response = client.get("/help/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert b'<html lang="es"' in response.content
    assert response.headers["Content-Language"] == "es"
    assert form_values(response)["language"] == ["es"]


def test_english_is_the_default(client, library):
    response = client.get("/help/")

    assert b'<html lang="en"' in response.content


def test_oversized_post_gets_the_friendly_400_page(client, library, settings):
    body = valid_post(note="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    response = client.post("/help/", body)

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING.encode() in response.content
    assert HelpRequest.objects.count() == 0


def test_post_with_too_many_fields_gets_400(client, library, settings):
    body = valid_post(needs=["resume"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.post("/help/", body)

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING.encode() in response.content
    assert HelpRequest.objects.count() == 0


def test_oversized_post_gets_400_when_csrf_is_checked(library, settings):
    client = Client(enforce_csrf_checks=True)
    client.get("/help/")
    token = client.cookies["csrftoken"].value
    body = valid_post(
        csrfmiddlewaretoken=token, note="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    )

    response = client.post("/help/", body)

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING.encode() in response.content
    assert HelpRequest.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data; boundary=",
        "multipart/form-data",
        "multipart/form-data; boundary=" + "b" * 300,
    ],
)
def test_malformed_multipart_body_gets_400(client, library, content_type):
    response = client.generic(
        "POST", "/help/", data=b"--b\r\nnot a part\r\n", content_type=content_type
    )

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING.encode() in response.content
    assert HelpRequest.objects.count() == 0


def test_filled_honeypot_saves_nothing_and_says_so(client, library):
    response = client.post("/help/", valid_post(homepage="https://cheap-pills.example.com"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"homepage": ["Please leave this field empty."]}
    assert b"Please leave this field empty." in response.content
    assert HelpRequest.objects.count() == 0


def test_the_limits_are_a_lab_an_address_and_five_sends_a_browser(settings):
    assert (
        settings.FORM_RATE_LIMIT,
        settings.FORM_BROWSER_RATE_LIMIT,
        settings.FORM_RATE_WINDOW_SECONDS,
        SAME_REQUEST_MINUTES,
    ) == (60, 5, 3600, 10)


def patron(n: int) -> dict:
    return valid_post(name=f"Patron {n}", phone=f"763-555-{1000 + n}", email=f"p{n}@example.org")


def test_a_computer_lab_of_sixty_is_served_and_the_sixty_first_asked_to_wait(library):
    """One branch address, a browser each: the old limit of ten refused the eleventh."""
    answers = [Client().post("/help/", patron(n)).status_code for n in range(61)]

    assert answers == [302] * 60 + [429]
    assert HelpRequest.objects.count() == 60


def test_rate_limit_keeps_what_was_typed(client, library, settings):
    settings.FORM_RATE_LIMIT = 2
    for n in range(2):
        response = Client().post("/help/", patron(n), REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 302
    data = valid_post(name="Third Try", note="Still here?")

    response = client.post("/help/", data, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert RATE_LIMIT_HEADING.encode() in response.content
    assert RATE_LIMIT_TEXT.encode() in response.content
    assert form_values(response) == as_form_values(data)
    assert HelpRequest.objects.count() == 2

    elsewhere = client.post("/help/", valid_post(), REMOTE_ADDR="203.0.113.20")

    assert elsewhere.status_code == 302
    assert HelpRequest.objects.count() == 3


def test_one_browser_sends_five_and_the_next_person_at_the_lab_is_not_refused(client, library):
    answers = [client.post("/help/", patron(n)).status_code for n in range(6)]
    kept = form_values(client.post("/help/", patron(6)))
    next_person = Client().post("/help/", patron(7))

    assert (answers, kept["name"], next_person.status_code) == (
        [302] * 5 + [429],
        ["Patron 6"],
        302,
    )
    assert HelpRequest.objects.count() == 6


def test_mistakes_do_not_count_against_the_limits(client, library, settings):
    settings.FORM_RATE_LIMIT = 1
    settings.FORM_BROWSER_RATE_LIMIT = 1
    for mistake in (valid_post(phone="123"), valid_post(needs=[]), valid_post(consent=None)):
        assert client.post("/help/", mistake).status_code == 200

    response = client.post("/help/", valid_post())

    assert (response.status_code, HelpRequest.objects.count()) == (302, 1)
    assert RateLimitBucket.objects.get().hits == 1


def test_the_same_request_sent_again_shows_the_earlier_confirmation(client, library):
    client.post("/help/", valid_post())
    first = client.get("/help/received/").context["reference"]

    again = Client().post("/help/", valid_post(phone="763-555-0123", email="ROSA@example.com"))

    assert (again.status_code, again.url) == (302, "/help/received/")
    assert HelpRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(template="request_received").count() == 1
    assert RateLimitBucket.objects.get().hits == 1
    assert client.get("/help/received/").context["reference"] == first


def test_other_needs_another_name_or_ten_minutes_later_make_a_new_request(
    client, library, monkeypatch
):
    client.post("/help/", valid_post())
    client.post("/help/", valid_post(needs=["interview"]))
    client.post("/help/", valid_post(name="Luis"))  # the same phone, another person
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    client.post("/help/", valid_post())

    first = HelpRequest.objects.earliest("pk")
    assert list(
        HelpRequest.objects.order_by("pk").values_list("name", "possible_duplicate_of")
    ) == [
        ("Rosa María", None),
        ("Rosa María", first.pk),
        ("Luis", first.pk),
        ("Rosa María", first.pk),
    ]


def test_form_of_another_library_by_slug(client, library):
    other = OrganizationFactory(name="Lakeside Library", slug="lakeside", phone="218-555-0199")

    response = client.post("/help/lakeside/", valid_post())

    assert (response.status_code, response.url) == (302, "/help/received/")
    assert HelpRequest.objects.get().organization == other

    received = client.get("/help/received/")

    assert received.context["phone"] == "218-555-0199"
    assert b"218-555-0199" in received.content
    assert library.phone.encode() not in received.content


def test_the_confirmation_gives_the_number_of_the_branch_that_helps(client, library, branch):
    """A request for one of a branch's libraries goes to the branch: its number, not the
    library system's, on the page that follows."""
    # As in the demo: a branch has no number of its own, its library has.
    branch.phone = ""
    branch.save()
    northtown = branch.locations.get()
    northtown.phone = "763-555-0111"
    northtown.save()

    client.post("/help/", valid_post(preferred_location=str(northtown.pk)))
    received = client.get("/help/received/")

    assert HelpRequest.objects.get().organization == branch
    assert ("763-555-0111" in received.content.decode(), received.context["phone"]) == (
        True,
        "763-555-0111",
    )
    assert "763-555-0100" not in received.content.decode()


@pytest.mark.parametrize("slug", ["nowhere", "elsewhere", "northtown"])
def test_unknown_or_closed_slug_is_404(client, library, branch, other_library, slug):
    response = client.get(f"/help/{slug}/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_received_page_without_a_session_goes_back_to_the_form(client, library):
    response = client.get("/help/received/")

    assert (response.status_code, response.url) == (302, "/help/")


def test_help_form_only_answers_get_and_post(client, library):
    response = client.put("/help/", valid_post())

    assert response.status_code == 405


def test_health_is_ok_with_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")

    assert (response.status_code, response.content, response.headers["Content-Type"]) == (
        200,
        b"OK",
        "text/plain",
    )


def test_health_is_503_when_the_database_is_down(client, db, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", database_down)
        response = client.get("/health/")

    assert (response.status_code, response.content) == (503, b"Database unavailable")


def test_received_page_forgets_the_reference_after_a_quarter_hour(client, library, monkeypatch):
    import time

    from jobhelp.public.views import help as views

    session = client.session
    session["last_request"] = {
        "reference": "4K7-M9Q",
        "email_given": False,
        "organization_slug": library.slug,
        "at": time.time(),
    }
    session.save()
    assert "4K7-M9Q" in client.get("/help/received/").content.decode()

    monkeypatch.setattr(views, "RECEIVED_PAGE_SECONDS", -1)
    response = client.get("/help/received/")
    assert (response.status_code, response.url) == (302, "/help/")
    assert "last_request" not in client.session


def header_name(response) -> str:
    match = re.search(r'<em class="usa-logo__text"><a [^>]*>([^<]*)</a>', response.content.decode())
    return match.group(1)


def test_the_home_page_links_each_partners_own_form(client, library, center, other_library):
    """Each organization that takes requests here has its own door on the home page; a
    library that does not take public requests has none."""
    response = client.get("/")

    assert [door.slug for door in response.context["doors"]] == ["riverbend", "riverbend-workforce"]
    assert b'href="/help/riverbend-workforce/"' in response.content
    assert b"Ask Riverbend WorkForce Center for help" in response.content
    assert b'href="/help/elsewhere/"' not in response.content


def test_with_one_organization_the_home_page_has_one_button(client, library):
    response = client.get("/")

    assert (response.context["doors"], b'href="/help/"' in response.content) == ([], True)


def test_the_centers_form_and_confirmation_carry_the_centers_name(client, library, center):
    form = client.get("/help/riverbend-workforce/")
    client.post("/help/riverbend-workforce/", valid_post())
    received = client.get("/help/received/")

    assert (header_name(form), header_name(received)) == (
        "Riverbend WorkForce Center",
        "Riverbend WorkForce Center",
    )
    assert header_name(client.get("/help/")) == "Riverbend County Library"
