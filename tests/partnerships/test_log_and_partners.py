"""The liaison's log and its month totals; partnerships, partners, contacts and the liaison."""

from datetime import date, timedelta

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships import log, partners, queries
from jobhelp.partnerships.enums import Activity
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.models import LogEntry, Partner, PartnerContact, Partnership
from tests.factories.accounts import staff_member

TODAY = date(2026, 3, 20)


def entry(partnership, by, **fields):
    values = {"occurred_on": date(2026, 3, 2), "activity": Activity.TOUR, "minutes": 45}
    return log.record_log_entry(partnership, by=by, today=TODAY, **{**values, **fields})


# --- The log --------------------------------------------------------------------------------------


def test_the_liaison_logs_a_tour_with_attendees_and_sees_the_months_total(
    partnership, liaison, branch, center
):
    entry(
        partnership,
        liaison,
        with_organization=branch,
        attendees="Northtown front desk and two new pages",
        attendee_count=3,
    )
    entry(partnership, liaison, activity=Activity.MATERIALS, minutes=30)
    entry(partnership, liaison, occurred_on=date(2026, 2, 27), minutes=60)

    (total,) = queries.month_totals_for_user(liaison, year=2026, month=3)
    assert (total.partnership, total.minutes, total.expected, total.share) == (
        partnership,
        75,
        120,
        62,
    )
    assert total.by_activity == {
        "tour": 45,
        "training": 0,
        "meeting": 0,
        "materials": 30,
        "outreach": 0,
        "other": 0,
    }
    first = LogEntry.objects.order_by("pk").first()
    assert (first.organization, first.attendee_count) == (center, 3)
    assert AuditEntry.objects.filter(action="jobhelp.liaison_log.recorded").order_by(
        "pk"
    ).first().data == {"activity": "tour", "minutes": 45}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"occurred_on": TODAY + timedelta(days=1)}, "not ahead"),
        ({"minutes": 0}, "between 1 and 1440"),
        ({"minutes": 1441}, "between 1 and 1440"),
    ],
)
def test_bad_log_entries_are_refused(partnership, liaison, fields, message):
    with pytest.raises(PartnershipError, match=message):
        entry(partnership, liaison, **fields)
    assert LogEntry.objects.count() == 0


def test_only_liaisons_of_a_partner_keep_the_log(partnership, center_manager, front_desk, outsider):
    for person in (center_manager, front_desk, outsider):
        with pytest.raises(PartnershipError, match="Only a liaison"):
            entry(partnership, person)


def test_time_with_someone_outside_the_partnership_is_refused(partnership, liaison, other_library):
    with pytest.raises(PartnershipError, match="one of the partners"):
        entry(partnership, liaison, with_organization=other_library)


def test_a_liaison_corrects_and_deletes_only_their_own_entries(partnership, liaison, center):
    other = staff_member(center, Role.LIAISON)
    mine = entry(partnership, liaison)
    with pytest.raises(PartnershipError, match="Only the liaison who logged it"):
        log.update_log_entry(mine, by=other, minutes=10, today=TODAY)

    log.update_log_entry(mine, by=liaison, minutes=50, today=TODAY)
    log.delete_log_entry(mine, by=liaison)

    assert LogEntry.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.liaison_log")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "jobhelp.liaison_log.recorded",
        "jobhelp.liaison_log.updated",
        "jobhelp.liaison_log.deleted",
    ]


# --- Partnerships and partners ------------------------------------------------------------------


def test_a_manager_starts_a_partnership_with_their_organization_as_full_partner(
    center, center_manager
):
    partnership = partners.create_partnership(
        by=center_manager, name="County partnership", convener=center
    )
    assert list(partnership.partners.values_list("organization", "tier")) == [(center.pk, "full")]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "jobhelp.partnership.created",
        "jobhelp.partner.added",
    ]


def test_only_a_manager_starts_a_partnership_for_an_organization(center, liaison, outsider):
    for person in (liaison, outsider):
        with pytest.raises(PartnershipError, match="only for an organization you manage"):
            partners.create_partnership(by=person, name="x", convener=center)
    assert Partnership.objects.count() == 0


def test_a_partner_is_added_once(partnership, other_library, center_manager):
    partners.add_partner(
        partnership, by=center_manager, organization=other_library, tier=ParticipationTier.REDUCED
    )
    with pytest.raises(PartnershipError, match="already a partner"):
        partners.add_partner(partnership, by=center_manager, organization=other_library)
    assert partnership.partners.filter(organization=other_library).count() == 1


def test_an_affiliates_manager_keeps_its_offer_but_not_its_tier(
    partnership, affiliate, affiliate_manager
):
    partner = Partner.objects.get(partnership=partnership, organization=affiliate)

    partners.update_partner(partner, by=affiliate_manager, offers="A shelf of job-search books.")
    with pytest.raises(PartnershipError, match="full participation"):
        partners.update_partner(partner, by=affiliate_manager, tier=ParticipationTier.FULL)

    partner.refresh_from_db()
    assert (partner.offers, partner.tier) == ("A shelf of job-search books.", "reduced")


def test_the_convener_and_a_party_to_a_current_agreement_stay(
    partnership, agreement, center, library, center_manager
):
    with pytest.raises(PartnershipError, match="convenes the partnership stays"):
        partners.remove_partner(partnership.partners.get(organization=center), by=center_manager)
    with pytest.raises(PartnershipError, match="party to a current agreement"):
        partners.remove_partner(partnership.partners.get(organization=library), by=center_manager)


def test_contacts_are_added_and_removed_without_their_details_in_the_log(
    partnership, library, manager
):
    partner = partnership.partners.get(organization=library)
    contact = partners.add_contact(
        partner, by=manager, name="Maria Garcia", title="Manager", email="MGARCIA@example.org"
    )
    assert contact.email == "mgarcia@example.org"
    partners.remove_contact(contact, by=manager)
    assert PartnerContact.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(action__startswith="jobhelp.partner_contact")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [{"partner": partner.pk, "user": None}, {"partner": partner.pk}]


def test_the_designated_liaison_holds_the_liaison_role_at_a_partner(
    partnership, liaison, front_desk, center_manager
):
    with pytest.raises(PartnershipError, match="hold the liaison role"):
        partners.designate_liaison(partnership, by=center_manager, liaison=front_desk)
    partners.designate_liaison(partnership, by=center_manager, liaison=liaison)
    assert Partnership.objects.get(pk=partnership.pk).liaison == liaison


def test_the_expected_time_is_a_partnership_setting(partnership, center_manager):
    partners.update_partnership(partnership, by=center_manager, expected_liaison_minutes=90)
    with pytest.raises(PartnershipError, match="between 0 and 1440"):
        partners.update_partnership(partnership, by=center_manager, expected_liaison_minutes=2000)
    assert Partnership.objects.get(pk=partnership.pk).expected_liaison_minutes == 90


def test_a_partner_outside_every_current_agreement_is_removed(
    partnership, other_library, center_manager
):
    partner = partners.add_partner(partnership, by=center_manager, organization=other_library)

    partners.remove_partner(partner, by=center_manager)

    assert not partnership.partners.filter(organization=other_library).exists()
    entry = AuditEntry.objects.get(action="jobhelp.partner.removed")
    assert (entry.organization, entry.data) == (other_library, {"partnership": partnership.pk})
