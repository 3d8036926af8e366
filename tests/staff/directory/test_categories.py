"""Categories (HSDS taxonomy terms) from the staff side (staff.views.directory.categories):
managers add one, any staff read the list, an entry's own staff file it under categories, which
HSDS then publishes. Bad input stays on the form, nothing written; another organization's entry
is a 404; the list reads the same queries for one and three categories."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core.models import AuditEntry
from jobhelp.directory.domain import create_term
from jobhelp.directory.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_category_and_staff_file_an_entry_under_it(
    client, manager, helper, resume
):
    client.force_login(manager)
    added = client.post(
        "/staff/directory/categories/",
        {"name": "Services for veterans", "description": "For veterans and their families."},
    )
    assert added.status_code == 302
    term = TaxonomyTerm.objects.get()
    assert (term.name, term.taxonomy) == ("Services for veterans", None)

    client.force_login(helper)
    assert (
        "Services for veterans"
        in client.get(f"/staff/directory/services/{resume.uuid}/categories/").content.decode()
    )
    filed = client.post(
        f"/staff/directory/services/{resume.uuid}/categories/", {"terms": [term.pk]}
    )

    assert filed.status_code == 302
    assert list(resume.terms.all()) == [term]
    assert AuditEntry.objects.filter(
        action="jobhelp.directory_service.updated", data__fields=["terms"]
    ).exists()
    listed = client.get("/staff/directory/categories/")
    assert [(t.name, t.service_count) for t in listed.context["terms"]] == [
        ("Services for veterans", 1)
    ]
    published = client.get(f"/api/hsds/services/{resume.uuid}").json()
    assert str(term.uuid) in {
        a["taxonomy_term"]["id"] for a in published["attributes"] if a.get("taxonomy_term")
    }

    cleared = client.post(f"/staff/directory/services/{resume.uuid}/categories/", {})
    assert cleared.status_code == 302
    assert not resume.terms.exists()


def test_a_category_with_no_name_or_an_unknown_broader_one_is_refused(client, manager):
    client.force_login(manager)

    empty = client.post("/staff/directory/categories/", {"name": "  ", "description": "Kept"})
    forged = client.post("/staff/directory/categories/", {"name": "Kept", "parent": "999999"})

    assert (empty.status_code, forged.status_code) == (400, 400)
    assert "This field is required." in empty.content.decode()
    assert "Kept" in empty.content.decode()
    assert "Select a valid choice" in forged.content.decode()
    assert not TaxonomyTerm.objects.exists()


def test_only_managers_add_categories(client, helper):
    client.force_login(helper)

    page = client.get("/staff/directory/categories/")
    response = client.post("/staff/directory/categories/", {"name": "Anything"})

    assert page.status_code == 200 and page.context["form"] is None
    assert response.status_code == 403
    assert not TaxonomyTerm.objects.exists()


def test_a_forged_category_on_an_entry_is_an_error_and_nothing_changes(
    client, manager, helper, resume
):
    term = create_term(by=manager, name="Services for veterans")
    resume.terms.set([term])
    client.force_login(helper)
    audits = AuditEntry.objects.count()

    response = client.post(
        f"/staff/directory/services/{resume.uuid}/categories/", {"terms": ["999999"]}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert list(resume.terms.all()) == [term]
    assert AuditEntry.objects.count() == audits


def test_another_organizations_entry_is_a_404(client, manager, outsider, partner_staff, resume):
    term = create_term(by=manager, name="Services for veterans")
    for person in (outsider, partner_staff):
        client.force_login(person)
        url = f"/staff/directory/services/{resume.uuid}/categories/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"terms": [term.pk]}).status_code == 404
    assert not resume.terms.exists()


def test_the_list_reads_the_same_queries_for_one_and_three_categories(client, manager, resume):
    client.force_login(manager)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/directory/categories/").status_code == 200
        return len(queries)

    resume.terms.add(create_term(by=manager, name="One"))
    one = count_queries()
    parent = create_term(by=manager, name="Two")
    resume.terms.add(parent, create_term(by=manager, name="Three", parent=parent))
    assert count_queries() == one
