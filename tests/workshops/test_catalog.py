"""Creating and editing classes (workshops.catalog); flyers are in test_flyers.py."""

import pytest

from jobhelp.core.models import AuditEntry
from jobhelp.workshops.catalog import create_workshop, update_workshop
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.seats import WorkshopError

FIELDS = {
    "title": "Online Interviewing Tips",
    "description": "Practise video interviews.",
    "language": "en",
    "needs": ["interview"],
    "capacity": 12,
    "delivery": "video",
    "offer_hold_hours": 24,
}


def audit_trail() -> list:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "actor", "data"))


def test_create_a_class_with_co_hosts(library, other_library, manager):
    workshop = create_workshop(library, by=manager, co_hosts=[other_library], **FIELDS)

    assert (workshop.organization, workshop.title, list(workshop.co_hosts.all())) == (
        library,
        "Online Interviewing Tips",
        [other_library],
    )
    assert audit_trail() == [
        (
            "jobhelp.workshop.created",
            manager.pk,
            {"delivery": "video", "capacity": 12, "co_hosts": [other_library.pk]},
        )
    ]


def test_a_branch_class_may_be_created_by_its_systems_staff(branch, manager):
    assert create_workshop(branch, by=manager, **FIELDS).organization == branch


def test_no_one_creates_a_class_for_another_organization(other_library, manager):
    with pytest.raises(WorkshopError, match="your own organizations"):
        create_workshop(other_library, by=manager, **FIELDS)

    assert (Workshop.objects.count(), audit_trail()) == (0, [])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "Enter a title."),
        ({"capacity": 0}, "at least one seat"),
        ({"offer_hold_hours": 0}, "at least one hour"),
        ({"needs": ["astrology"]}, "Choose needs from the list."),
        ({"delivery": "pigeon"}, "not a valid choice"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(library, manager, overrides, message):
    with pytest.raises(WorkshopError, match=message):
        create_workshop(library, by=manager, **{**FIELDS, **overrides})

    assert (Workshop.objects.count(), audit_trail()) == (0, [])


def test_the_host_is_not_its_own_co_host(library, manager):
    with pytest.raises(WorkshopError, match="cannot also be a co-host"):
        create_workshop(library, by=manager, co_hosts=[library], **FIELDS)


def test_unknown_fields_are_a_programming_error(library, manager):
    with pytest.raises(TypeError):
        create_workshop(library, by=manager, organization_id=1, **FIELDS)


def test_update_writes_and_audits_only_what_changed(library, other_library, manager):
    workshop = create_workshop(library, by=manager, **FIELDS)
    AuditEntry.objects.all().delete()

    unchanged = update_workshop(workshop, by=manager, **FIELDS, co_hosts=[])
    changed = update_workshop(
        workshop, by=manager, **{**FIELDS, "capacity": 20}, co_hosts=[other_library]
    )

    assert unchanged.capacity == 12
    assert (changed.capacity, list(changed.co_hosts.all())) == (20, [other_library])
    assert audit_trail() == [
        ("jobhelp.workshop.updated", manager.pk, {"fields": ["capacity", "co_hosts"]})
    ]


def test_staff_of_another_organization_cannot_edit(library, manager, outsider):
    workshop = create_workshop(library, by=manager, **FIELDS)

    with pytest.raises(WorkshopError):
        update_workshop(workshop, by=outsider, title="Hijacked")

    assert Workshop.objects.get().title == "Online Interviewing Tips"


def test_a_co_hosts_staff_may_edit(library, manager, other_library, outsider):
    workshop = create_workshop(library, by=manager, co_hosts=[other_library], **FIELDS)

    update_workshop(workshop, by=outsider, materials="A résumé")

    assert Workshop.objects.get().materials == "A résumé"
