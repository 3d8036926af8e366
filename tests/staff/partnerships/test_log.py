"""The liaison's log on the staff pages: a liaison logs a tour with who took part and sees the
month's total against the expected two hours; entries are their own to correct; nobody else
logs; bad input is a message with nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.partnerships.models import LogEntry
from tests.factories.accounts import staff_member
from tests.factories.partnerships import LogEntryFactory
from tests.forms_in_html import form_values
from tests.staff.partnerships.checks import queries_of, shown, snapshot


def log_post(**overrides) -> dict:
    data = {
        "occurred_on": timezone.localdate().isoformat(),
        "activity": "tour",
        "minutes": "45",
        "with_organization": "",
        "attendees": "Six staff of Northtown Library",
        "attendee_count": "6",
        "note": "They asked about the cards.",
    }
    data.update(overrides)
    return data


def test_the_liaison_logs_a_tour_and_sees_the_months_total(
    client, log_in, partnership, branch, log_entry
):
    liaison = log_in("liaison")

    response = client.post(
        f"/staff/partnerships/{partnership.pk}/log/new/", log_post(with_organization=branch.pk)
    )

    entry = LogEntry.objects.exclude(pk=log_entry.pk).get()
    month = timezone.localdate().strftime("%Y-%m")
    assert response.url == f"/staff/partnerships/{partnership.pk}/log/?month={month}"
    assert (entry.liaison, entry.minutes, entry.with_organization, entry.attendee_count) == (
        liaison,
        45,
        branch,
        6,
    )
    page = client.get(response.url)
    assert page.context["mine"].minutes == 90
    assert page.context["entries"] == [entry, log_entry]
    text = page.content.decode()
    assert "of 120 minutes expected this month" in text
    assert "Six staff of Northtown Library" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"occurred_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "occurred_on",
            "Log time once it has been given, not ahead.",
        ),
        ({"minutes": "0"}, "minutes", "Enter the time in minutes, between 1 and 1440."),
        ({"minutes": "1441"}, "minutes", "Enter the time in minutes, between 1 and 1440."),
        (
            {"activity": "nap"},
            "activity",
            "Select a valid choice. nap is not one of the available choices.",
        ),
    ],
)
def test_bad_log_input_is_explained_and_nothing_written(
    client, log_in, partnership, overrides, field, message
):
    log_in("liaison")
    before = snapshot()
    response = client.post(f"/staff/partnerships/{partnership.pk}/log/new/", log_post(**overrides))
    assert response.context["form"].errors == {field: [message]}
    assert form_values(response)["note"] == ["They asked about the cards."]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["front_desk", "manager", "partner_staff", "center_manager"])
def test_only_liaisons_keep_the_log(client, log_in, partnership, persona):
    log_in(persona)
    before = snapshot()
    response = client.post(f"/staff/partnerships/{partnership.pk}/log/new/", log_post())
    assert response.url == f"/staff/partnerships/{partnership.pk}/log/"
    assert shown(response) == ["Only a liaison of one of the partners keeps this log."]
    assert snapshot() == before


def test_a_liaison_corrects_and_deletes_their_own_entry_only(
    client, log_in, partnership, log_entry, center
):
    other = staff_member(center, Role.LIAISON, first_name="Other")
    client.force_login(other)
    before = snapshot()
    refused = client.post(f"/staff/partnerships/log/{log_entry.pk}/edit/", log_post(minutes="5"))
    assert shown(refused) == ["Only the liaison who logged it can change this entry."]
    assert snapshot() == before

    log_in("liaison")
    path = f"/staff/partnerships/log/{log_entry.pk}/edit/"
    data = {k: v[0] for k, v in form_values(client.get(path)).items()}
    data["minutes"] = "60"
    client.post(path, data)
    log_entry.refresh_from_db()
    assert log_entry.minutes == 60

    client.post(f"/staff/partnerships/log/{log_entry.pk}/delete/")
    assert not LogEntry.objects.filter(pk=log_entry.pk).exists()


def test_everyone_in_the_partnership_reads_the_log_and_nobody_else(
    client, log_in, partnership, log_entry, elsewhere
):
    log_in("affiliate_staff")
    assert client.get(f"/staff/partnerships/{partnership.pk}/log/").context["entries"] == [
        log_entry
    ]
    assert client.get(f"/staff/partnerships/log/{elsewhere.log_entry.pk}/edit/").status_code == 404
    log_in("outsider")
    assert client.get(f"/staff/partnerships/{partnership.pk}/log/").status_code == 404


def test_another_month_is_shown_and_a_bad_month_is_this_month(
    client, log_in, partnership, liaison, center
):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    old = LogEntryFactory(
        partnership=partnership, liaison=liaison, organization=center, occurred_on=last_month
    )
    log_in("liaison")
    path = f"/staff/partnerships/{partnership.pk}/log/"
    assert client.get(path, {"month": last_month.strftime("%Y-%m")}).context["entries"] == [old]
    bad = client.get(path, {"month": "soon"})
    assert bad.context["entries"] == []
    assert bad.context["form"].errors == {"month": ["Enter a month, for example 2026-03."]}


def test_the_list_reads_in_the_same_number_of_queries_for_one_and_three(
    client, log_in, partnership, liaison, center
):
    log_in("liaison")
    LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    path = f"/staff/partnerships/{partnership.pk}/log/"
    one = queries_of(client, path)
    for _ in range(2):
        LogEntryFactory(partnership=partnership, liaison=liaison, organization=center)
    assert queries_of(client, path) == one
