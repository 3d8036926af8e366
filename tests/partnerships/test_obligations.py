"""Obligations, their due dates, and marking occurrences kept with evidence."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.partnerships import obligations as domain
from jobhelp.partnerships.enums import Frequency, ObligationKind
from jobhelp.partnerships.errors import AlreadyDone, PartnershipError
from jobhelp.partnerships.models import Obligation, Occurrence
from tests.factories.accounts import staff_member
from tests.factories.partnerships import MeetingFactory
from tests.partnerships.conftest import term_end, term_start
from tests.workshops.files import tiny_png, upload

HTML = b"<html><script>alert(1)</script></html>"


# --- Due dates ------------------------------------------------------------------------------------


def test_monthly_due_dates_keep_the_day_or_the_months_last():
    assert domain.due_dates(date(2026, 1, 31), Frequency.MONTHLY, date(2026, 5, 31)) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_quarterly_yearly_and_once():
    assert domain.due_dates(date(2026, 2, 15), Frequency.QUARTERLY, date(2027, 2, 14)) == [
        date(2026, 2, 15),
        date(2026, 5, 15),
        date(2026, 8, 15),
        date(2026, 11, 15),
    ]
    assert domain.due_dates(date(2024, 2, 29), Frequency.YEARLY, date(2026, 12, 31)) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
    ]
    assert domain.due_dates(date(2026, 3, 1), Frequency.ONCE, date(2027, 1, 1)) == [
        date(2026, 3, 1)
    ]
    assert domain.due_dates(date(2026, 3, 1), Frequency.ONCE, date(2026, 2, 1)) == []


# --- Setting one up -------------------------------------------------------------------------------


def add(agreement, by, owner_organization, **fields):
    values = {
        "title": "Monthly workshop flyers",
        "kind": ObligationKind.FLYERS,
        "frequency": Frequency.MONTHLY,
        "first_due_on": term_start(),
        **fields,
    }
    return domain.add_obligation(agreement, by=by, owner_organization=owner_organization, **values)


def test_an_obligation_gets_its_occurrences_up_to_the_renewal_date(
    agreement, center, center_manager, liaison
):
    obligation = add(agreement, center_manager, center, owner=liaison)

    due = list(obligation.occurrences.values_list("due_on", flat=True))
    assert (len(due), due[0], due[-1] <= term_end()) == (24, term_start(), True)
    entry = AuditEntry.objects.get(action="jobhelp.obligation.added")
    assert entry.data == {
        "agreement": agreement.pk,
        "kind": "flyers",
        "frequency": "monthly",
        "owner_organization": center.pk,
        "occurrences": 24,
    }


def test_the_organization_doing_it_must_be_a_party_and_the_person_work_there(
    agreement, center, other_library, center_manager, front_desk
):
    with pytest.raises(PartnershipError, match="must be a party"):
        add(agreement, center_manager, other_library)
    with pytest.raises(PartnershipError, match="does not work for"):
        add(agreement, center_manager, center, owner=front_desk)
    assert Obligation.objects.count() == 0


def test_a_new_schedule_keeps_what_was_kept_and_drops_what_it_no_longer_has(
    agreement, center, center_manager, liaison
):
    obligation = add(agreement, center_manager, center)
    first = obligation.occurrences.order_by("due_on").first()
    domain.mark_occurrence_done(first, by=liaison, note="Sent to all branches.")
    second = obligation.occurrences.order_by("due_on")[1]

    domain.update_obligation(obligation, by=center_manager, frequency=Frequency.QUARTERLY)

    due = list(obligation.occurrences.values_list("due_on", flat=True))
    assert due[:2] == [first.due_on, domain.add_months(term_start(), 3)]
    assert second.due_on not in due
    assert len(due) == 8
    assert AuditEntry.objects.filter(action="jobhelp.obligation.updated").get().data == {
        "fields": ["frequency"],
        "added": 0,
        "deleted": 16,
    }


def test_an_obligation_that_was_kept_is_ended_not_removed(
    agreement, center, center_manager, liaison
):
    obligation = add(agreement, center_manager, center)
    domain.mark_occurrence_done(obligation.occurrences.first(), by=liaison, note="Delivered.")
    with pytest.raises(PartnershipError, match="Give it a last due date instead"):
        domain.remove_obligation(obligation, by=center_manager)

    domain.update_obligation(
        obligation, by=center_manager, ends_on=term_start() + timedelta(days=40)
    )
    assert obligation.occurrences.count() == 2


# --- Marking kept ---------------------------------------------------------------------------------


def test_the_liaison_marks_an_occurrence_kept_with_a_note(obligations, liaison):
    occurrence = obligations.flyers.occurrences.first()
    now = timezone.now()

    done = domain.mark_occurrence_done(
        occurrence, by=liaison, note="Emailed to 10 branches.", now=now
    )

    assert (done.done_at, done.done_by, done.note) == (now, liaison, "Emailed to 10 branches.")
    entry = AuditEntry.objects.get(action="jobhelp.occurrence.done")
    assert (entry.actor, entry.data) == (
        liaison,
        {
            "obligation": obligations.flyers.pk,
            "due": occurrence.due_on.isoformat(),
            "note": True,
            "file": None,
            "record": None,
        },
    )


def test_a_meeting_is_evidence_of_the_meeting_obligation(obligations, partnership, center_manager):
    meeting = MeetingFactory(partnership=partnership)
    occurrence = obligations.tours.occurrences.first()

    done = domain.mark_occurrence_done(occurrence, by=center_manager, evidence=meeting)

    assert (done.evidence, done.evidence_type.model) == (meeting, "meeting")
    assert AuditEntry.objects.get(action="jobhelp.occurrence.done").data["record"] == "meeting"


def test_a_record_the_person_does_not_see_cannot_be_linked(obligations, center_manager, elsewhere):
    occurrence = obligations.tours.occurrences.first()
    with pytest.raises(PartnershipError, match="cannot be linked"):
        domain.mark_occurrence_done(occurrence, by=center_manager, evidence=elsewhere.meeting)
    assert Occurrence.objects.get(pk=occurrence.pk).done_at is None


def test_a_file_is_kept_as_evidence_under_a_random_name(obligations, liaison, media):
    occurrence = obligations.flyers.occurrences.first()

    done = domain.mark_occurrence_done(
        occurrence, by=liaison, upload=upload("shelf photo.png", tiny_png(), "image/png")
    )

    (path,) = [p for p in Path(media).rglob("*") if p.is_file()]
    assert (path.suffix, path.read_bytes(), done.evidence_file_name) == (
        ".png",
        tiny_png(),
        "shelf photo.png",
    )


def test_bad_evidence_is_refused_and_nothing_written(obligations, liaison, media):
    occurrence = obligations.flyers.occurrences.first()
    with pytest.raises(PartnershipError, match="PDF, PNG or JPEG"):
        domain.mark_occurrence_done(occurrence, by=liaison, upload=upload("x.pdf", HTML))
    with pytest.raises(PartnershipError, match="Say how it was kept"):
        domain.mark_occurrence_done(occurrence, by=liaison, note="  ")

    assert Occurrence.objects.get(pk=occurrence.pk).done_at is None
    assert not Path(media).exists() or not any(p.is_file() for p in Path(media).rglob("*"))
    assert not AuditEntry.objects.filter(action="jobhelp.occurrence.done").exists()


def test_marking_done_twice_tells_who_did_it(obligations, liaison, center_manager):
    occurrence = obligations.flyers.occurrences.first()
    domain.mark_occurrence_done(occurrence, by=liaison, note="Sent.")

    with pytest.raises(AlreadyDone) as refused:
        domain.mark_occurrence_done(occurrence, by=center_manager, note="Sent too.")

    assert str(refused.value) == "Lee Brooks already marked this done."
    assert refused.value.done_by == liaison
    assert Occurrence.objects.get(pk=occurrence.pk).note == "Sent."


def test_who_may_record_evidence(
    obligations, liaison, center_manager, manager, front_desk, affiliate_manager, outsider
):
    training = obligations.training.occurrences.first()
    tours = obligations.tours.occurrences.first()
    for person in (front_desk, outsider):
        with pytest.raises(PartnershipError, match="Only managers and liaisons"):
            domain.mark_occurrence_done(tours, by=person, note="x")
    # An affiliate's manager records only what their tier takes part in.
    with pytest.raises(PartnershipError, match="Only managers and liaisons"):
        domain.mark_occurrence_done(training, by=affiliate_manager, note="x")
    domain.mark_occurrence_done(tours, by=affiliate_manager, note="Toured with Harbor City staff.")
    domain.mark_occurrence_done(training, by=manager, note="Trained 6 center staff.")


def test_the_obligations_own_person_may_record_it(agreement, center, center_manager, liaison):
    coach = staff_member(center, Role.PARTNER_STAFF)
    obligation = add(agreement, center_manager, center, owner=coach)
    domain.mark_occurrence_done(obligation.occurrences.first(), by=coach, note="Done.")


def test_undoing_done_makes_it_due_again_and_deletes_its_file(
    obligations, liaison, media, django_capture_on_commit_callbacks
):
    occurrence = obligations.flyers.occurrences.first()
    domain.mark_occurrence_done(occurrence, by=liaison, upload=upload("p.png", tiny_png()))

    with django_capture_on_commit_callbacks(execute=True):
        again = domain.reopen_occurrence(occurrence, by=liaison)

    assert (again.done_at, again.done_by, again.evidence_file.name) == (None, None, "")
    assert not any(p.is_file() for p in Path(media).rglob("*"))
    assert AuditEntry.objects.filter(action="jobhelp.occurrence.reopened").count() == 1
    with pytest.raises(PartnershipError, match="not marked done"):
        domain.reopen_occurrence(occurrence, by=liaison)


def test_a_fixed_clock_is_kept(obligations, liaison):
    at = datetime(2026, 3, 8, 8, 30, tzinfo=timezone.get_fixed_timezone(0))
    done = domain.mark_occurrence_done(
        obligations.flyers.occurrences.first(), by=liaison, note="x", now=at
    )
    assert done.done_at == at


def test_an_obligation_never_kept_is_removed_with_its_occurrences(
    agreement, center, center_manager, front_desk
):
    obligation = add(agreement, center_manager, center)
    with pytest.raises(PartnershipError, match="Only managers of a party"):
        domain.remove_obligation(obligation, by=front_desk)

    domain.remove_obligation(obligation, by=center_manager)

    assert (Obligation.objects.count(), Occurrence.objects.count()) == (0, 0)
    assert AuditEntry.objects.get(action="jobhelp.obligation.removed").data == {
        "agreement": agreement.pk
    }
