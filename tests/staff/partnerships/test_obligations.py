"""Obligations and their occurrences on the staff pages: listed by the tier of the parties the
person acts for (an affiliate's staff see only their tier's), set up and changed by managers of
a party, and kept with evidence (a note, a file, a meeting) by managers and liaisons; the
second of two people marking the same occurrence is told who did it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.partnerships.errors import AlreadyDone
from jobhelp.partnerships.evidence import choice_value
from jobhelp.partnerships.models import Obligation, Occurrence
from jobhelp.partnerships.obligations import mark_occurrence_done
from tests.factories.partnerships import ObligationFactory
from tests.forms_in_html import form_values
from tests.partnerships.conftest import term_start
from tests.staff.partnerships.checks import queries_of, shown, snapshot
from tests.workshops.files import tiny_png, upload


def overdue(obligation) -> Occurrence:
    return obligation.occurrences.filter(due_on__lt=timezone.localdate()).order_by("due_on")[0]


def titles(response) -> list[str]:
    return [o.title for o in response.context["obligations"]]


# --- Seeing by tier ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["front_desk", "manager", "liaison", "partner_staff"])
def test_staff_of_a_full_party_see_every_obligation(
    client, log_in, agreement, obligations, persona
):
    log_in(persona)
    response = client.get(f"/staff/partnerships/agreements/{agreement.pk}/obligations/")
    assert titles(response) == [
        "Five temporary library cards",
        "Liaison tours of the job center",
        "Library e-resources training",
        "Monthly workshop flyers",
    ]


def test_an_affiliates_staff_see_only_their_tiers_obligations(
    client, log_in, agreement, obligations
):
    log_in("affiliate_staff")

    response = client.get(f"/staff/partnerships/agreements/{agreement.pk}/obligations/")

    assert titles(response) == ["Liaison tours of the job center", "Monthly workshop flyers"]
    hidden = [obligations.training, obligations.cards]
    for obligation in hidden:
        assert client.get(f"/staff/partnerships/obligations/{obligation.pk}/").status_code == 404
        occurrence = obligation.occurrences.first()
        path = f"/staff/partnerships/occurrences/{occurrence.pk}/done/"
        assert client.get(path).status_code == 404


def test_another_agreements_obligations_are_not_found(
    client, log_in, partnership, obligations, elsewhere
):
    log_in("manager")
    other = elsewhere.obligation
    assert client.get(f"/staff/partnerships/obligations/{other.pk}/").status_code == 404
    occurrence = other.occurrences.first()
    assert (
        client.post(
            f"/staff/partnerships/occurrences/{occurrence.pk}/done/", {"note": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/staff/partnerships/occurrences/{occurrence.pk}/evidence/").status_code == (
        404
    )


def test_the_obligation_page_shows_each_due_date_and_how_it_was_kept(
    client, log_in, obligations, center_manager
):
    first = overdue(obligations.tours)
    mark_occurrence_done(first, by=center_manager, note="Toured with six staff.")
    log_in("liaison")

    response = client.get(f"/staff/partnerships/obligations/{obligations.tours.pk}/")

    assert response.context["occurrences"] == list(
        obligations.tours.occurrences.order_by("due_on", "pk")
    )
    page = response.content.decode()
    assert "Toured with six staff." in page
    assert "By Carmen Ortiz on" in page
    assert "Overdue" in page
    assert response.context["may_record"] is True


def test_the_lists_read_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, agreement, center
):
    log_in("manager")
    path = f"/staff/partnerships/agreements/{agreement.pk}/obligations/"
    ObligationFactory(agreement=agreement, owner_organization=center, first_due_on=term_start())
    one = queries_of(client, path)
    for _ in range(2):
        ObligationFactory(agreement=agreement, owner_organization=center, first_due_on=term_start())
    assert queries_of(client, path) == one


def test_the_occurrences_read_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, agreement, center
):
    log_in("manager")
    obligation = ObligationFactory(
        agreement=agreement, owner_organization=center, frequency="once", first_due_on=term_start()
    )
    obligation.occurrences.create(due_on=term_start())
    path = f"/staff/partnerships/obligations/{obligation.pk}/"
    one = queries_of(client, path)
    for day in (2, 3):
        obligation.occurrences.create(due_on=term_start() + timedelta(days=day))
    assert queries_of(client, path) == one


# --- Setting one up ------------------------------------------------------------------------------


def obligation_post(center, **overrides) -> dict:
    data = {
        "title": "A shelf of library resources at the center",
        "description": "Kept stocked.",
        "kind": "resources",
        "owner_organization": str(center.pk),
        "owner": "",
        "frequency": "quarterly",
        "first_due_on": term_start().isoformat(),
        "ends_on": "",
        "reduced_tier_takes_part": "on",
    }
    data.update(overrides)
    return data


def test_a_manager_of_a_party_adds_an_obligation_with_its_due_dates(
    client, log_in, agreement, center
):
    log_in("center_manager")

    response = client.post(
        f"/staff/partnerships/agreements/{agreement.pk}/obligations/new/", obligation_post(center)
    )

    obligation = Obligation.objects.get(title="A shelf of library resources at the center")
    assert response.url == f"/staff/partnerships/obligations/{obligation.pk}/"
    assert obligation.occurrences.count() == 8  # every quarter of the two-year term
    assert obligation.reduced_tier_takes_part is True


def test_an_obligation_that_ends_before_it_starts_is_refused_and_nothing_written(
    client, log_in, agreement, center
):
    log_in("manager")
    before = snapshot()
    ends = (term_start() - timedelta(days=1)).isoformat()

    response = client.post(
        f"/staff/partnerships/agreements/{agreement.pk}/obligations/new/",
        obligation_post(center, ends_on=ends),
    )

    assert response.context["form"].errors == {
        "ends_on": ["The last due date cannot come before the first."]
    }
    assert form_values(response)["description"] == ["Kept stocked."]
    assert snapshot() == before


def test_an_owner_who_does_not_work_for_the_organization_is_refused(
    client, log_in, agreement, obligations, center, manager
):
    log_in("center_manager")
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/obligations/{obligations.tours.pk}/edit/",
        obligation_post(center, owner=str(manager.pk), title="Liaison tours of the job center"),
    )
    assert response.context["form"].non_field_errors() == [
        f"{manager} does not work for Riverbend County WorkForce Center."
    ]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["front_desk", "liaison"])
def test_staff_who_do_not_manage_a_party_cannot_add_obligations(
    client, log_in, agreement, center, persona
):
    log_in(persona)
    before = snapshot()
    path = f"/staff/partnerships/agreements/{agreement.pk}/obligations/new/"
    response = client.post(path, obligation_post(center))
    assert response.url == f"/staff/partnerships/agreements/{agreement.pk}/obligations/"
    assert shown(response) == ["Only managers of a party can change this agreement."]
    assert snapshot() == before


# --- Keeping them --------------------------------------------------------------------------------


def test_the_liaison_marks_a_tour_kept_with_a_note(client, log_in, obligations):
    liaison = log_in("liaison")
    occurrence = overdue(obligations.tours)

    response = client.post(
        f"/staff/partnerships/occurrences/{occurrence.pk}/done/",
        {"note": "Toured the center with eight library staff.", "record": ""},
    )

    occurrence.refresh_from_db()
    assert (occurrence.done_by, occurrence.note) == (
        liaison,
        "Toured the center with eight library staff.",
    )
    assert response.url == f"/staff/partnerships/obligations/{obligations.tours.pk}/"


def test_a_photo_is_kept_as_evidence_and_served_only_to_who_sees_it(
    client, log_in, obligations, elsewhere
):
    log_in("manager")
    occurrence = overdue(obligations.flyers)
    client.post(
        f"/staff/partnerships/occurrences/{occurrence.pk}/done/",
        {"note": "", "file": upload("shelf.png", tiny_png(), "image/png")},
    )
    occurrence.refresh_from_db()
    assert occurrence.evidence_file_name == "shelf.png"

    log_in("affiliate_staff")
    response = client.get(f"/staff/partnerships/occurrences/{occurrence.pk}/evidence/")
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'attachment; filename="shelf.png"',
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    log_in("outsider")
    path = f"/staff/partnerships/occurrences/{occurrence.pk}/evidence/"
    assert client.get(path).status_code == 404


def test_a_meeting_is_linked_as_the_record_that_kept_it(client, log_in, obligations, past_meeting):
    log_in("manager")
    occurrence = overdue(obligations.tours)
    path = f"/staff/partnerships/occurrences/{occurrence.pk}/done/"
    choices = dict(client.get(path).context["form"].fields["record"].choices)
    assert choice_value(past_meeting) in choices

    client.post(path, {"note": "", "record": choice_value(past_meeting)})

    occurrence.refresh_from_db()
    assert occurrence.evidence == past_meeting
    page = client.get(f"/staff/partnerships/obligations/{obligations.tours.pk}/")
    assert f'href="/staff/partnerships/meetings/{past_meeting.pk}/"' in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"note": "  ", "record": ""},
            None,
            "Say how it was kept: write a note, attach a file or link the record that shows it.",
        ),
        ({"note": "x", "record": "meeting:999999"}, "record", None),
        (
            {"note": "Flyers.", "file": upload("flyers.pdf", b"<html>not a pdf</html>")},
            "file",
            "The file must be a PDF, PNG or JPEG. This file is something else, whatever its "
            "name says.",
        ),
    ],
)
def test_bad_evidence_is_explained_and_nothing_written(
    client, log_in, obligations, media, data, field, message
):
    log_in("manager")
    occurrence = overdue(obligations.flyers)
    before = snapshot()

    response = client.post(f"/staff/partnerships/occurrences/{occurrence.pk}/done/", data)

    errors = response.context["form"].errors
    assert list(errors) == [field or "__all__"]
    if message:
        assert errors[field or "__all__"] == [message]
    assert snapshot() == before
    assert not (media / "evidence").exists()


def test_the_second_to_mark_it_is_told_who_did_it_and_one_record_is_kept(
    client, log_in, obligations, center_manager
):
    occurrence = overdue(obligations.tours)
    log_in("manager")
    page = client.get(f"/staff/partnerships/occurrences/{occurrence.pk}/done/")
    assert page.status_code == 200
    # Meanwhile the center's manager presses "done" first.
    mark_occurrence_done(occurrence, by=center_manager, note="Done by Carmen.")
    before = snapshot()

    response = client.post(
        f"/staff/partnerships/occurrences/{occurrence.pk}/done/", {"note": "Done by me."}
    )

    assert response.url == f"/staff/partnerships/obligations/{obligations.tours.pk}/"
    assert shown(response) == ["Carmen Ortiz already marked this done."]
    assert snapshot() == before
    occurrence.refresh_from_db()
    assert (occurrence.done_by, occurrence.note) == (center_manager, "Done by Carmen.")


def test_who_may_not_record_is_told_and_nothing_written(client, log_in, obligations):
    log_in("front_desk")
    occurrence = overdue(obligations.tours)
    before = snapshot()
    response = client.post(
        f"/staff/partnerships/occurrences/{occurrence.pk}/done/", {"note": "Done."}
    )
    assert shown(response) == [
        "Only managers and liaisons of the agreement's parties can record this."
    ]
    assert snapshot() == before


def test_a_kept_occurrence_is_reopened(client, log_in, obligations, liaison):
    occurrence = overdue(obligations.tours)
    mark_occurrence_done(occurrence, by=liaison, note="By mistake.")
    log_in("liaison")
    client.post(f"/staff/partnerships/occurrences/{occurrence.pk}/reopen/")
    occurrence.refresh_from_db()
    assert (occurrence.done_at, occurrence.note) == (None, "")


def test_an_already_kept_occurrence_cannot_be_marked_again(
    client, log_in, obligations, center_manager
):
    occurrence = overdue(obligations.tours)
    mark_occurrence_done(occurrence, by=center_manager, note="Done.")
    log_in("manager")
    response = client.get(f"/staff/partnerships/occurrences/{occurrence.pk}/done/")
    assert shown(response) == [str(AlreadyDone(Occurrence.objects.get(pk=occurrence.pk)))]
