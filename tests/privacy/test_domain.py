"""Finding a person by code, phone or email; exporting and erasing everything, audited with
counts only; nothing of another organization's; nobody without a privacy role."""

import json

import pytest

from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest
from jobhelp.privacy.domain import (
    Lookup,
    PrivacyRefused,
    accesses_for,
    collect_person,
    erase_person,
    export_person,
    find_person,
    record_access,
)
from tests.privacy.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lookup",
    [Lookup(reference="ROSA22"), Lookup(phone=PHONE), Lookup(email=EMAIL.upper().lower())],
)
def test_a_code_a_phone_or_an_email_finds_the_same_person(rosa, privacy_officer, lookup):
    person = find_person(privacy_officer, lookup)
    assert person.phones == {PHONE}
    assert person.emails == {EMAIL}
    assert person.request_ids == {rosa.request.pk, rosa.branch_request.pk}


def test_an_email_in_other_case_still_finds_her(rosa, privacy_officer):
    person = find_person(privacy_officer, Lookup(email="rosa.leakwell@example.org"))
    HelpRequest.objects.filter(pk=rosa.request.pk).update(email="Rosa.Leakwell@Example.org")
    person = find_person(privacy_officer, Lookup(email="rosa.leakwell@example.org"))
    assert rosa.request.pk in person.request_ids


def test_another_organizations_request_is_never_found(rosa, privacy_officer):
    person = find_person(privacy_officer, Lookup(phone=PHONE))
    assert rosa.elsewhere.pk not in person.request_ids
    # A code of another organization's request finds nothing at all.
    assert (
        find_person(privacy_officer, Lookup(reference=rosa.elsewhere.reference)).request_ids
        == set()
    )


@pytest.mark.parametrize(
    "persona", ["front_desk", "helper", "manager", "outsider", "no_membership"]
)
def test_without_a_privacy_role_nothing_is_found_or_erased(rosa, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PrivacyRefused):
        find_person(user, Lookup(phone=PHONE))
    with pytest.raises(PrivacyRefused):
        erase_person(user, find_person_as_officer(request))
    rosa.request.refresh_from_db()
    assert rosa.request.name == NAME


def find_person_as_officer(request):
    return find_person(request.getfixturevalue("privacy_officer"), Lookup(phone=PHONE))


def test_export_is_the_whole_record_and_is_audited_with_counts_only(rosa, privacy_officer):
    person = find_person(privacy_officer, Lookup(reference="ROSA22"))
    document = json.loads(export_person(privacy_officer, person))
    assert document["identifiers"] == {"phones": [PHONE], "emails": [EMAIL]}
    assert sorted(document["records"]) == sorted(
        s.name for s in collect_person(privacy_officer, person)
    )
    assert [r["reference"] for r in document["records"]["intake.requests"]] == [
        "ROSA22",
        rosa.branch_request.reference,
    ]
    entry = AuditEntry.objects.get(action="jobhelp.person.exported")
    assert entry.actor == privacy_officer
    assert entry.data["intake_requests"] == 2
    assert PHONE not in json.dumps(entry.data) and "ROSA22" not in json.dumps(entry.data)


def test_erasing_empties_every_app_in_one_go_keeps_the_counts_and_is_audited(rosa, privacy_officer):
    person = find_person(privacy_officer, Lookup(email=EMAIL))
    counts = erase_person(privacy_officer, person)
    assert counts == {
        "intake_requests": 2,
        "scheduling_appointments": 1,
        "casework_sessions": 1,
        "casework_survey": 1,
        "workshops_registrations": 1,
        "referrals_referrals": 1,
        "notifications_messages": 2,
        # What was still going on ended first (tests/privacy/test_erase_cancels.py).
        "scheduling_appointments_cancelled": 1,
        "workshops_registrations_cancelled": 1,
        "referrals_referrals_cancelled": 1,
        "notifications_messages_cancelled": 2,
    }
    assert AuditEntry.objects.get(action="jobhelp.person.erased").data == counts
    # Nothing of her is left to find, in any app: every record found is empty of her.
    text = json.dumps(
        [s.records for s in collect_person(privacy_officer, person)], ensure_ascii=False
    )
    for secret in (NAME, PHONE, EMAIL, "Anoka", "Rosa"):
        assert secret not in text
    # The requests are still there for the reports, and the neighbour's and elsewhere's intact.
    assert HelpRequest.objects.count() == 4
    rosa.neighbour.refresh_from_db()
    rosa.elsewhere.refresh_from_db()
    assert rosa.neighbour.name == "Nadia Neighbour"
    assert rosa.elsewhere.name == NAME


def test_erasing_twice_changes_nothing_more(rosa, privacy_officer):
    person = find_person(privacy_officer, Lookup(reference="ROSA22"))
    erase_person(privacy_officer, person)
    first = HelpRequest.objects.get(pk=rosa.request.pk).erased_at
    erase_person(privacy_officer, person)
    assert HelpRequest.objects.get(pk=rosa.request.pk).erased_at == first


def test_who_opened_a_request_is_shown_to_privacy_staff_only(rosa, privacy_officer, helper):
    record_access(rosa.request, by=helper)
    record_access(rosa.request, by=privacy_officer)
    seen = accesses_for(privacy_officer, rosa.request)
    assert [a.by for a in seen] == [privacy_officer, helper]
    assert accesses_for(helper, rosa.request) is None


def test_another_organizations_privacy_officer_finds_only_their_own(rosa, other_library):
    from jobhelp.accounts.enums import Role
    from tests.factories.accounts import staff_member

    theirs = staff_member(other_library, Role.PRIVACY_OFFICER)
    person = find_person(theirs, Lookup(phone=PHONE))
    assert person.request_ids == {rosa.elsewhere.pk}
    records = json.loads(export_person(theirs, person))["records"]
    assert [r["note"] for r in records["intake.requests"]] == ["Elsewhere's own"]
    assert records["workshops.registrations"] == []
    assert records["referrals.referrals"] == []
    assert records["notifications.messages"] == []
    counts = erase_person(theirs, person)
    assert counts["intake_requests"] == 1
    rosa.request.refresh_from_db()
    rosa.registration.refresh_from_db()
    assert (rosa.request.name, rosa.registration.name) == (NAME, NAME)
