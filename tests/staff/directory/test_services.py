"""The directory's staff pages for entries (staff.views.directory.services): the organization's
list with the review flag, the internal page with staff-only details for any partner's staff,
creating and editing an entry, its staff-only details and hours, marking it reviewed. Another
organization's entry is a 404 for editing; bad input writes nothing."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.directory.domain import set_staff_details
from jobhelp.directory.models import Service, ServiceHours, ServiceStaffDetails
from jobhelp.partnerships.enums import AgreementStatus
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory
from tests.factories.organizations import BranchFactory
from tests.factories.referrals import agreement_between
from tests.forms_in_html import form_values

pytestmark = pytest.mark.django_db

SERVICE_FORM = {
    "name": "Interview practice",
    "description": "Practise with a volunteer.",
    "status": "active",
    "needs": ["interview"],
    "access": ["appointment"],
    "languages": ["en", "es"],
    "is_free": "on",
    "required_documents": "A job posting\nYour resumé",
}


def test_the_list_flags_entries_not_reviewed_for_a_year_and_shows_partners(
    client, helper, resume, center_service, other_library
):
    resume.reviewed_on = date(2020, 1, 1)
    resume.save()
    hidden = ServiceFactory(organization=other_library, name="Elsewhere help", status="inactive")
    client.force_login(helper)

    response = client.get("/staff/directory/")
    page = response.content.decode()

    assert [row["service"] for row in response.context["rows"]] == [resume]
    assert [row["due"] for row in response.context["rows"]] == [True]
    assert "Not reviewed for 12 months" in page
    assert list(response.context["partners"]) == [center_service]
    assert hidden.name not in page


def test_the_list_reads_the_same_queries_for_one_and_three_entries(
    client, helper, library, central
):
    client.force_login(helper)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/").status_code == 200
        return len(queries)

    ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    one = count_queries()
    for _ in range(2):
        ServiceAtLocationFactory(service=ServiceFactory(organization=library), location=central)
    assert count_queries() == one


def test_partner_staff_see_the_staff_only_details_the_public_never_does(
    client, helper, partner_staff, resume, partners
):
    set_staff_details(resume, by=helper, direct_line="763-555-0199", notes_for_referrers="Ask Ana")
    client.force_login(partner_staff)

    internal = client.get(f"/staff/directory/services/{resume.uuid}/").content.decode()
    client.logout()
    public = client.get(f"/directory/{resume.uuid}/").content.decode()

    assert "763-555-0199" in internal and "Ask Ana" in internal
    assert "Edit the entry" not in internal
    assert "763-555-0199" not in public and "Ask Ana" not in public


def test_an_entry_is_created_with_its_places(client, helper, library, central):
    client.force_login(helper)

    response = client.post(
        "/staff/directory/services/new/",
        {**SERVICE_FORM, "organization": library.pk, "locations": [central.pk]},
    )

    service = Service.objects.get(name="Interview practice")
    assert response.status_code == 302
    assert (service.organization, service.languages, service.required_documents) == (
        library,
        ["en", "es"],
        ["A job posting", "Your resumé"],
    )
    assert list(service.places.values_list("location", flat=True)) == [central.pk]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "This field is required"),
        ({"email": "nobody"}, "Enter a valid email address"),
        ({"needs": ["nothing"]}, "Select a valid choice"),
        ({"status": "open"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(
    client, helper, resume, central, change, message
):
    client.force_login(helper)
    before = list(Service.objects.values())

    response = client.post(
        f"/staff/directory/services/{resume.uuid}/edit/",
        {**SERVICE_FORM, "locations": [central.pk], **change},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Service.objects.values()) == before
    kept = form_values(response)
    assert (kept["description"], kept["languages"], kept["locations"]) == (
        ["Practise with a volunteer."],
        ["en", "es"],
        [str(central.pk)],
    )


def test_editing_changes_the_entry(client, helper, resume, central):
    client.force_login(helper)

    response = client.post(
        f"/staff/directory/services/{resume.uuid}/edit/",
        {**SERVICE_FORM, "locations": [central.pk]},
    )

    resume.refresh_from_db()
    assert response.status_code == 302
    assert (resume.name, resume.needs) == ("Interview practice", ["interview"])


def test_another_organizations_entry_is_404_for_editing(client, outsider, partner_staff, resume):
    for person in (outsider, partner_staff):
        client.force_login(person)
        for path in ("edit/", "staff-details/", f"hours/{resume.places.get().location_id}/"):
            assert client.get(f"/staff/directory/services/{resume.uuid}/{path}").status_code == 404
        assert client.post(f"/staff/directory/services/{resume.uuid}/review/").status_code == 404
    resume.refresh_from_db()
    assert resume.reviewed_on is None


def test_staff_only_details_are_saved_and_a_bad_email_writes_nothing(client, helper, resume):
    client.force_login(helper)
    url = f"/staff/directory/services/{resume.uuid}/staff-details/"

    bad = client.post(url, {"direct_line": "555-0100", "referral_email": "nobody"})
    assert bad.status_code == 400
    assert not ServiceStaffDetails.objects.exists()

    good = client.post(url, {"direct_line": "555-0100", "referral_contact": "Dana"})
    assert good.status_code == 302
    assert ServiceStaffDetails.objects.values_list("direct_line", "referral_contact").get() == (
        "555-0100",
        "Dana",
    )


def test_hours_at_a_place_and_bad_hours_write_nothing(client, helper, resume, central):
    client.force_login(helper)
    url = f"/staff/directory/services/{resume.uuid}/hours/{central.pk}/"

    bad = client.post(url, {"opens_0": "17:00", "closes_0": "09:00", "opens_1": "10:00"})
    assert bad.status_code == 400
    assert "must start before it ends" in bad.content.decode()
    assert "Give both times, or neither" in bad.content.decode()
    assert not ServiceHours.objects.exists()

    good = client.post(url, {"opens_0": "09:00", "closes_0": "12:00"})
    assert good.status_code == 302
    assert list(ServiceHours.objects.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(12))
    ]


def test_marking_reviewed_clears_the_flag(client, helper, resume):
    resume.reviewed_on = date(2020, 1, 1)
    resume.save()
    client.force_login(helper)

    client.post(f"/staff/directory/services/{resume.uuid}/review/")

    resume.refresh_from_db()
    assert resume.reviewed_on > date(2025, 1, 1)
    assert client.get("/staff/directory/").context["rows"][0]["due"] is False


def test_staff_of_an_organization_with_no_agreement_see_the_public_page_only(
    client, helper, outsider, resume
):
    set_staff_details(resume, by=helper, direct_line="763-555-0199", notes_for_referrers="Ask Ana")
    client.force_login(outsider)

    response = client.get(f"/staff/directory/services/{resume.uuid}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert resume.name in page
    assert "763-555-0199" not in page and "Ask Ana" not in page
    assert response.context["page"].staff_details is None


def test_a_running_agreement_is_what_opens_the_details_to_the_other_side(
    client, helper, partner_staff, resume, center, library
):
    """No agreement, or only a draft: the center's staff see the public page; once the MOU is
    in negotiation or executed, they see the details; the library's own staff always do."""
    set_staff_details(resume, by=helper, direct_line="763-555-0199")
    url = f"/staff/directory/services/{resume.uuid}/"
    client.force_login(partner_staff)
    assert "763-555-0199" not in client.get(url).content.decode()

    agreement = agreement_between(center, library, status=AgreementStatus.DRAFT)
    assert "763-555-0199" not in client.get(url).content.decode()

    agreement.status = AgreementStatus.IN_NEGOTIATION
    agreement.save()
    assert "763-555-0199" in client.get(url).content.decode()

    client.force_login(helper)
    assert "763-555-0199" in client.get(url).content.decode()


def test_the_partners_details_reach_a_branch_of_the_library_system(
    client, helper, partner_staff, center, library, partners
):
    """The agreement is the library system's; an entry of one of its branches is opened to
    the center's staff too, and the branch's staff see the center's details."""
    branch = BranchFactory(parent=library)
    entry = ServiceFactory(organization=branch, name="Branch resumé help")
    set_staff_details(entry, by=helper, direct_line="763-555-0111")
    center_entry = ServiceFactory(organization=center, name="WIOA career services")
    set_staff_details(center_entry, by=partner_staff, direct_line="612-555-0100")

    client.force_login(partner_staff)
    assert "763-555-0111" in client.get(f"/staff/directory/services/{entry.uuid}/").content.decode()
    client.force_login(staff_member(branch))
    assert (
        "612-555-0100"
        in client.get(f"/staff/directory/services/{center_entry.uuid}/").content.decode()
    )


def test_an_unlisted_entry_of_an_unrelated_organization_is_a_404(client, helper, outsider, resume):
    resume.status = "inactive"
    resume.save()
    client.force_login(outsider)

    assert client.get(f"/staff/directory/services/{resume.uuid}/").status_code == 404
