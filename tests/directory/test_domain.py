"""Directory entries: creating, editing, places, hours, staff-only details, reviews, exceptions
(directory.domain); each audited, each refused to another organization's staff."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jobhelp.accounts.enums import Role
from jobhelp.core import versions
from jobhelp.core.models import AuditEntry
from jobhelp.directory.domain import (
    DirectoryError,
    create_service,
    mark_reviewed,
    remove_hours_exception,
    save_place,
    set_hours_exception,
    set_location_details,
    set_service_hours,
    set_service_locations,
    set_staff_details,
    update_service,
)
from jobhelp.directory.models import HoursException, Service, ServiceStaffDetails
from tests.factories.accounts import staff_member
from tests.factories.directory import ServiceFactory
from tests.factories.organizations import LocationFactory

FIELDS = {
    "name": "Resumé help",
    "description": "Start or polish a resumé with a librarian.",
    "needs": ["resume", "applications"],
    "access": ["walk_in", "appointment"],
    "languages": ["en", "es"],
    "required_documents": ["Your resumé, if you have one"],
}


def audit_trail() -> list:
    return list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor", "organization", "data")
    )


def test_create_a_service_audits_codes_only_and_raises_the_directory_version(library, helper):
    before = versions.read([(versions.DIRECTORY, library.pk)])

    service = create_service(library, by=helper, **FIELDS)

    assert (service.organization, service.needs, service.languages, service.status) == (
        library,
        ["resume", "applications"],
        ["en", "es"],
        "active",
    )
    assert audit_trail() == [
        (
            "jobhelp.directory_service.created",
            helper.pk,
            library.pk,
            {
                "status": "active",
                "needs": ["resume", "applications"],
                "access": ["walk_in", "appointment"],
            },
        )
    ]
    assert versions.read([(versions.DIRECTORY, library.pk)]) == (before[0] + 1,)


def test_a_branchs_entry_is_edited_by_its_systems_staff_too(branch, helper):
    service = create_service(branch, by=helper, **FIELDS)

    assert update_service(service, by=helper, name="Resumé clinic")[1] == ["name"]


def test_another_organizations_staff_cannot_create_or_edit(library, outsider, helper):
    with pytest.raises(PermissionDenied):
        create_service(library, by=outsider, **FIELDS)
    service = create_service(library, by=helper, **FIELDS)

    for change in (
        lambda: update_service(service, by=outsider, name="Taken over"),
        lambda: set_staff_details(service, by=outsider, direct_line="763-555-0199"),
        lambda: mark_reviewed(service, by=outsider),
        lambda: set_service_locations(service, by=outsider, locations=[]),
    ):
        with pytest.raises(PermissionDenied):
            change()
    service.refresh_from_db()
    assert (service.name, service.reviewed_on, ServiceStaffDetails.objects.count()) == (
        "Resumé help",
        None,
        0,
    )
    assert [row[0] for row in audit_trail()] == ["jobhelp.directory_service.created"]


def test_a_branchs_staff_cannot_edit_their_systems_entry(library, branch):
    branch_staff = staff_member(branch, Role.HELPER)
    service = ServiceFactory(organization=library)

    with pytest.raises(PermissionDenied):
        update_service(service, by=branch_staff, name="Mine now")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "  "}, "Enter the service's name."),
        ({"needs": ["astrology"]}, "Choose needs from the list."),
        ({"access": ["telepathy"]}, "Choose how to get it from the list."),
        ({"languages": ["xx"]}, "Choose languages from the list."),
        ({"required_documents": [""]}, "a line of its own"),
        ({"email": "not an address"}, "Enter an email address"),
        ({"url": "not a url"}, "Enter a valid URL"),
        ({"status": "open"}, "Choose a status"),
        ({"minimum_age": 30, "maximum_age": 18}, "minimum age"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(library, helper, overrides, message):
    with pytest.raises(DirectoryError, match=message):
        create_service(library, by=helper, **{**FIELDS, **overrides})

    assert (Service.objects.count(), audit_trail()) == (0, [])


def test_update_writes_and_audits_only_what_changed(library, helper):
    service = create_service(library, by=helper, **FIELDS)

    assert update_service(service, by=helper, **FIELDS)[1] == []
    _service, changed = update_service(service, by=helper, languages=["es"], is_free=False)

    assert changed == ["is_free", "languages"]
    assert audit_trail()[1:] == [
        (
            "jobhelp.directory_service.updated",
            helper.pk,
            library.pk,
            {"fields": ["is_free", "languages"]},
        )
    ]


def test_places_and_hours_replace_and_audit(library, helper, central):
    other = LocationFactory(organization=library, name="Eastgate Library")
    service = create_service(library, by=helper, **FIELDS)

    assert set_service_locations(service, by=helper, locations=[central, other]) == (
        sorted([central.pk, other.pk]),
        [],
    )
    assert set_service_locations(service, by=helper, locations=[central]) == ([], [other.pk])
    at = service.places.get()
    hours = [(1, time(10), time(12)), (3, time(10), time(12))]
    assert set_service_hours(at, by=helper, hours=hours) is True
    assert set_service_hours(at, by=helper, hours=hours) is False
    with pytest.raises(DirectoryError, match="start before it ends"):
        set_service_hours(at, by=helper, hours=[(1, time(12), time(10))])

    assert list(at.hours.values_list("weekday", "opens", "closes")) == hours
    assert [row[0] for row in audit_trail()] == [
        "jobhelp.directory_service.created",
        "jobhelp.directory_service.places_set",
        "jobhelp.directory_service.places_set",
        "jobhelp.directory_service.hours_set",
    ]


def test_staff_details_are_kept_apart_and_audited_by_field_name_only(library, helper):
    service = create_service(library, by=helper, **FIELDS)

    changed = set_staff_details(
        service,
        by=helper,
        direct_line="763-555-0142",
        referral_contact="Dana at the resource room",
        notes_for_referrers="Call ahead on Mondays.",
    )

    assert changed == ["direct_line", "notes_for_referrers", "referral_contact"]
    assert audit_trail()[-1] == (
        "jobhelp.directory_service.staff_details_set",
        helper.pk,
        library.pk,
        {"fields": ["direct_line", "notes_for_referrers", "referral_contact"]},
    )


def test_mark_reviewed_sets_the_date_and_clears_the_reminder(library, helper):
    service = ServiceFactory(organization=library, review_reminded_at="2026-01-01T00:00Z")

    mark_reviewed(service, by=helper, today=date(2026, 5, 4))

    service.refresh_from_db()
    assert (service.reviewed_on, service.review_reminded_at) == (date(2026, 5, 4), None)
    assert audit_trail()[-1][0] == "jobhelp.directory_service.reviewed"


def test_location_details_go_through_organizations_and_raise_the_versions(
    library, helper, central, outsider
):
    with pytest.raises(PermissionDenied):
        set_location_details(
            central, by=outsider, latitude=None, longitude=None, accessibility="Ramp"
        )
    with pytest.raises(DirectoryError, match="both"):
        set_location_details(
            central, by=helper, latitude=Decimal("45.1"), longitude=None, accessibility=""
        )
    keys = [(versions.COMPUTERS, library.pk), (versions.STAFF, 0)]
    before = versions.read(keys)

    changed = set_location_details(
        central,
        by=helper,
        latitude=Decimal("45.197000"),
        longitude=Decimal("-93.387000"),
        accessibility="Step-free entrance on Main St; a height-adjustable computer.",
    )

    assert changed == ["accessibility", "latitude", "longitude"]
    assert versions.read(keys) == (before[0] + 1, before[1] + 1)
    assert audit_trail() == [
        (
            "jobhelp.location.updated",
            helper.pk,
            library.pk,
            {"fields": ["accessibility", "latitude", "longitude"]},
        )
    ]


def test_hours_exceptions_are_closed_days_or_other_hours(library, helper, central):
    set_hours_exception(central, by=helper, on=date(2026, 11, 26), note="Thanksgiving")
    set_hours_exception(central, by=helper, on=date(2026, 12, 24), opens=time(9), closes=time(12))
    with pytest.raises(DirectoryError, match="opening before closing"):
        set_hours_exception(central, by=helper, on=date(2026, 12, 31), opens=time(9))

    assert list(HoursException.objects.values_list("on", "opens", "closes")) == [
        (date(2026, 11, 26), None, None),
        (date(2026, 12, 24), time(9), time(12)),
    ]
    assert remove_hours_exception(central, by=helper, on=date(2026, 11, 26)) is True
    assert remove_hours_exception(central, by=helper, on=date(2026, 11, 26)) is False
    assert [row[0] for row in audit_trail()] == [
        "jobhelp.hours_exception.set",
        "jobhelp.hours_exception.set",
        "jobhelp.hours_exception.removed",
    ]


def test_places_are_managers_reference_data(manager, helper):
    with pytest.raises(PermissionDenied):
        save_place(
            by=helper,
            name="Riverbend",
            postal_code="55401",
            latitude=Decimal(45),
            longitude=Decimal(-93),
        )
    with pytest.raises(DirectoryError, match="five-digit"):
        save_place(
            by=manager, name="Riverbend", postal_code="554", latitude=Decimal(45), longitude=0
        )

    place = save_place(
        by=manager,
        name="Riverbend",
        postal_code="55401",
        latitude=Decimal("45.1"),
        longitude=Decimal("-93.3"),
    )
    assert (str(place), audit_trail()[-1][0]) == ("Riverbend 55401", "jobhelp.place.saved")
