"""Each app's provider (its `privacy.py`) collects and erases what it holds, and nothing of
anyone else's: the rows are read back after the erasure."""

import pytest
from django.db.models import Q
from django.utils import timezone

from jobhelp.core import privacy
from jobhelp.core.links import LinkUnknown, find
from jobhelp.organizations.models import Organization
from jobhelp.privacy.domain import Lookup, find_person
from jobhelp.scheduling.models import PatronLink
from jobhelp.workshops.models import RegistrationLink
from tests.privacy.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(rosa, privacy_officer):
    return find_person(privacy_officer, Lookup(reference="ROSA22"))


@pytest.fixture
def scope(library):
    return Organization.objects.filter(Q(pk=library.pk) | Q(parent=library))


def erase(name, person, scope):
    return privacy.registry.get(name).erase(person, organizations=scope, now=timezone.now())


def test_every_app_with_personal_data_has_a_provider():
    assert [p.name for p in privacy.registry.all()] == [
        "intake.requests",
        "scheduling.appointments",
        "casework.sessions",
        "casework.survey",
        "workshops.registrations",
        "referrals.referrals",
        "notifications.messages",
    ]


def test_intake_erases_the_requests_notes_and_calls(rosa, person, scope):
    assert erase("intake.requests", person, scope) == 2
    for request in (rosa.request, rosa.branch_request):
        request.refresh_from_db()
        assert (request.name, request.phone, request.email, request.note) == ("", "", "", "")
        assert request.erased_at is not None
    assert list(rosa.request.notes.values_list("text", flat=True)) == [""]
    assert list(rosa.request.contact_attempts.values_list("note", flat=True)) == [""]
    # Counts stay: the request, its needs and its state.
    assert list(rosa.request.needs.values_list("need", flat=True)) == ["resume"]
    rosa.neighbour.refresh_from_db()
    rosa.elsewhere.refresh_from_db()
    assert (rosa.neighbour.name, rosa.neighbour.note) == ("Nadia Neighbour", "Keep me")
    assert (rosa.elsewhere.name, rosa.elsewhere.phone) == (NAME, PHONE)
    rosa.email.refresh_from_db()
    assert (rosa.email.to, rosa.email.body, rosa.email.attachment) == ("", "", "")


def test_scheduling_turns_off_the_links_and_erases_the_calendar_files(rosa, person, scope):
    assert erase("scheduling.appointments", person, scope) == 1
    with pytest.raises(LinkUnknown):
        find(PatronLink.objects.all(), rosa.links["appointment"])
    rosa.email.refresh_from_db()
    # The calendar file went out in a message about the request: erased with the request's.
    assert rosa.email.attachment.startswith("BEGIN:VCALENDAR")


def test_casework_erases_notes_follow_ups_and_survey_comments(rosa, person, scope):
    assert erase("casework.sessions", person, scope) == 1
    assert erase("casework.survey", person, scope) == 1
    rosa.session.refresh_from_db()
    rosa.follow_up.refresh_from_db()
    rosa.feedback.refresh_from_db()
    assert rosa.session.private_note == ""
    assert rosa.follow_up.note == ""
    assert (rosa.feedback.comment, rosa.feedback.may_quote, rosa.feedback.helpful) == ("", False, 5)


def test_workshops_erases_the_registration_and_its_links(rosa, person, scope):
    assert erase("workshops.registrations", person, scope) == 1
    rosa.registration.refresh_from_db()
    r = rosa.registration
    assert (r.name, r.phone, r.email, r.person_key) == ("", "", "", f"erased:{r.pk}")
    assert r.erased_at is not None and r.state == "registered"
    with pytest.raises(LinkUnknown):
        find(RegistrationLink.objects.all(), rosa.links["registration"])


def test_referrals_erases_the_note_and_the_consented_details(rosa, person, scope):
    assert erase("referrals.referrals", person, scope) == 1
    rosa.referral.refresh_from_db()
    rosa.consent.refresh_from_db()
    assert (rosa.referral.note, rosa.referral.language) == ("", "")
    assert rosa.referral.details_erased_at is not None
    assert (rosa.consent.name, rosa.consent.phone, rosa.consent.notes) == ("", "", "")
    assert rosa.referral.code and rosa.referral.state == "requested"


def test_notifications_erases_the_messages_to_the_persons_addresses(rosa, person, scope):
    assert erase("notifications.messages", person, scope) == 2
    rosa.text.refresh_from_db()
    rosa.neighbour_message.refresh_from_db()
    assert (rosa.text.to, rosa.text.body) == ("", "")
    assert rosa.neighbour_message.to == "+17635550199"


def test_collect_finds_the_persons_records_only(rosa, person, scope):
    found = {p.name: p.collect(person, organizations=scope) for p in privacy.registry.all()}
    assert {name: len(records) for name, records in found.items()} == {
        "intake.requests": 2,
        "scheduling.appointments": 1,
        "casework.sessions": 1,
        "casework.survey": 1,
        "workshops.registrations": 1,
        "referrals.referrals": 1,
        "notifications.messages": 2,
    }
    first = found["intake.requests"][0]
    assert (first["reference"], first["name"], first["email"]) == ("ROSA22", NAME, EMAIL)
    assert first["staff_notes"][0]["text"] == "Prefers mornings; Anoka."
    assert found["referrals.referrals"][0]["consents"][0]["notes"] == "Anoka plant"
