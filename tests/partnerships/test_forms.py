"""Input validation shared by the future pages and API: bad input gets a clear message."""

import re
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from jobhelp.core.audit_labels import LABELS
from jobhelp.organizations.models import Organization
from jobhelp.partnerships import evidence, forms, queries
from tests.factories.organizations import LocationFactory
from tests.factories.partnerships import MeetingFactory
from tests.workshops.files import tiny_png, upload

HTML = b"<html><script>alert(1)</script></html>"


def test_the_agreement_form_refuses_a_renewal_before_the_start_and_a_long_review():
    form = forms.AgreementForm(
        data={
            "title": "MOU",
            "effective_from": "2027-07-01",
            "renewal_on": "2027-06-30",
            "review_cycle_months": "48",
        }
    )
    assert form.errors == {
        "renewal_on": ["The renewal date must come after the date the agreement takes effect."],
        "review_cycle_months": [
            "An agreement must be reviewed at least every 36 months (20 CFR 678.500(b)(6)). "
            "Enter 36 months or fewer."
        ],
    }


def test_the_party_form_says_an_organization_is_already_a_party(agreement, library):
    form = forms.PartyForm(
        data={"organization": library.pk, "role": "additional_partner", "tier": "full"},
        organizations=Organization.objects.all(),
        agreement=agreement,
    )
    assert form.errors == {
        "organization": ["Riverbend County Library is already a party to this agreement."]
    }


def test_the_party_form_offers_only_the_organizations_given(agreement, other_library, library):
    form = forms.PartyForm(
        data={"organization": other_library.pk, "role": "required_partner", "tier": "full"},
        organizations=Organization.objects.filter(pk=library.pk),
        agreement=agreement,
    )
    assert form.errors == {"organization": ["Choose one of the options in the list."]}


def test_the_partner_form_says_an_organization_is_already_a_partner(partnership, library):
    form = forms.PartnerForm(
        data={"organization": library.pk, "tier": "full"},
        organizations=Organization.objects.all(),
        partnership=partnership,
    )
    assert form.errors == {"organization": ["Riverbend County Library is already a partner."]}


def test_a_signature_is_not_dated_ahead():
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = forms.SignatureForm(
        data={
            "signatory_name": "Alex Director",
            "signatory_title": "Director",
            "signed_on": tomorrow,
        }
    )
    assert form.errors == {"signed_on": ["This date cannot be in the future."]}


def test_an_obligation_ends_after_it_starts(agreement, center):
    form = forms.ObligationForm(
        data={
            "title": "Tours",
            "kind": "tour",
            "owner_organization": center.pk,
            "frequency": "quarterly",
            "first_due_on": "2027-01-01",
            "ends_on": "2026-12-31",
        },
        organizations=queries.partner_organizations(agreement.partnership),
        people=queries.party_staff(agreement),
    )
    assert form.errors == {"ends_on": ["The last due date cannot come before the first."]}


def test_an_occurrence_needs_some_evidence(center_manager):
    form = forms.OccurrenceDoneForm(data={"note": " "}, files={}, user=center_manager)
    assert form.errors == {
        "__all__": [
            "Say how it was kept: write a note, attach a file or link the record that shows it."
        ]
    }


def test_evidence_files_are_checked_by_content(center_manager):
    refused = forms.OccurrenceDoneForm(
        data={}, files={"file": upload("photo.png", HTML)}, user=center_manager
    )
    accepted = forms.OccurrenceDoneForm(
        data={}, files={"file": upload("photo.png", tiny_png())}, user=center_manager
    )
    assert refused.errors == {
        "file": [
            "The file must be a PDF, PNG or JPEG. This file is something else, "
            "whatever its name says."
        ]
    }
    assert (accepted.is_valid(), accepted.display_name) == (True, "photo.png")


def test_a_meeting_is_chosen_as_evidence_only_when_the_person_sees_it(
    partnership, center_manager, elsewhere
):
    ours = MeetingFactory(partnership=partnership)
    choices = [(evidence.choice_value(ours), ours.title)]

    chosen = forms.OccurrenceDoneForm(
        data={"record": evidence.choice_value(ours)}, user=center_manager, records=choices
    )
    theirs = forms.OccurrenceDoneForm(
        data={"record": evidence.choice_value(elsewhere.meeting)},
        user=center_manager,
        records=[*choices, (evidence.choice_value(elsewhere.meeting), "x")],
    )

    assert (chosen.is_valid(), chosen.cleaned_data["record"]) == (True, ours)
    assert theirs.errors == {"record": ["Choose one of the options in the list."]}


def test_log_time_is_not_logged_ahead_and_is_in_minutes(partnership):
    form = forms.LogEntryForm(
        data={
            "occurred_on": timezone.localdate() + timedelta(days=1),
            "activity": "tour",
            "minutes": "0",
        },
        organizations=queries.partner_organizations(partnership, with_branches=True),
    )
    assert form.errors == {
        "occurred_on": ["Log time once it has been given, not ahead."],
        "minutes": ["Enter the time in minutes, between 1 and 1440."],
    }


def test_the_meeting_form_offers_the_partners_places_and_staff(
    partnership, center, branch, center_manager, outsider
):
    other_place = LocationFactory(organization=outsider.memberships.get().organization)
    form = forms.MeetingForm(
        data={
            "title": "Q1",
            "location": other_place.pk,
            "day": date(2027, 1, 12),
            "starts": "14:00",
            "minutes": "90",
            "attendees": [center_manager.pk, outsider.pk],
        },
        locations=queries.partnership_locations(partnership),
        people=queries.partnership_staff(partnership),
    )
    assert form.errors == {
        "location": ["Choose one of the options in the list."],
        "attendees": ["Choose people from the list."],
    }
    assert set(queries.partnership_locations(partnership)) >= {
        center.locations.get(),
        branch.locations.get(),
    }


def test_every_partnership_audit_code_has_a_label():
    source = Path(forms.__file__).parent
    codes = set()
    for path in source.glob("*.py"):
        codes |= set(re.findall(r'"(jobhelp\.[a-z_]+\.[a-z_]+)"', path.read_text()))
    codes |= {
        f"jobhelp.agreement_party.{verb}" for verb in ("added", "updated", "removed", "signed")
    }
    assert sorted(codes - set(LABELS)) == []
