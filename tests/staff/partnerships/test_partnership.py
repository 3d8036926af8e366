"""The area's door and the partnership's page: who may open them (a 403 for someone in no
partnership, a 404 for another partnership), every partner with its tier and what it takes
part in, and the number of queries with one and three rows."""

import pytest

from jobhelp.organizations.enums import ParticipationTier
from tests.factories.organizations import OrganizationFactory
from tests.factories.partnerships import PartnerFactory, PartnershipFactory
from tests.staff.partnerships.checks import queries_of

PERSONAS_IN = ["front_desk", "helper", "manager", "partner_staff", "liaison", "affiliate_staff"]


def test_anonymous_visitors_are_sent_to_log_in(client, partnership):
    for path in ("/staff/partnerships/", f"/staff/partnerships/{partnership.pk}/"):
        response = client.get(path)
        assert (response.status_code, response.url) == (302, f"/staff/login/?next={path}")


@pytest.mark.parametrize("persona", ["no_membership", "admin_user", "branch_staff"])
def test_people_in_no_partnership_may_not_use_the_area(client, log_in, partnership, persona):
    log_in(persona)
    answers = [
        client.get("/staff/partnerships/").status_code,
        client.get(f"/staff/partnerships/{partnership.pk}/").status_code,
    ]
    assert answers == [403, 403]


def test_the_menu_links_the_area_only_for_people_in_a_partnership(client, log_in, partnership):
    log_in("front_desk")
    assert 'href="/staff/partnerships/"' in client.get("/staff/").content.decode()
    log_in("branch_staff")
    assert 'href="/staff/partnerships/"' not in client.get("/staff/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS_IN)
def test_everyone_acting_for_a_partner_sees_the_partnership_and_no_other(
    client, log_in, partnership, elsewhere, persona
):
    log_in(persona)

    listed = client.get("/staff/partnerships/").context["partnerships"]

    assert listed == [partnership]
    assert client.get(f"/staff/partnerships/{partnership.pk}/").status_code == 200
    assert client.get(f"/staff/partnerships/{elsewhere.partnership.pk}/").status_code == 404


def test_the_outsider_sees_their_own_partnership_and_not_ours(
    client, log_in, partnership, elsewhere
):
    log_in("outsider")
    assert client.get("/staff/partnerships/").context["partnerships"] == [elsewhere.partnership]
    assert client.get(f"/staff/partnerships/{partnership.pk}/").status_code == 404
    assert client.get("/staff/partnerships/999999/").status_code == 404


def test_the_page_shows_every_partner_its_tier_and_what_it_takes_part_in(
    client, log_in, partnership, obligations, center, library, affiliate
):
    log_in("manager")

    response = client.get(f"/staff/partnerships/{partnership.pk}/")

    rows = {
        row.partner.organization: (row.partner.tier, [o.title for o in row.obligations])
        for row in response.context["partners"]
    }
    everything = sorted(o.title for o in vars(obligations).values())
    assert rows == {
        center: (ParticipationTier.FULL, everything),
        library: (ParticipationTier.FULL, everything),
        # "Reduced level" means something visible: only the obligations marked for it.
        affiliate: (
            ParticipationTier.REDUCED,
            ["Liaison tours of the job center", "Monthly workshop flyers"],
        ),
    }
    page = response.content.decode()
    assert "Reduced participation" in page
    assert "Full participation" in page


def test_an_affiliates_staff_see_only_their_tiers_obligations_on_the_page(
    client, log_in, partnership, obligations
):
    log_in("affiliate_staff")

    response = client.get(f"/staff/partnerships/{partnership.pk}/")

    shown = {o.title for row in response.context["partners"] for o in row.obligations}
    assert shown == {"Liaison tours of the job center", "Monthly workshop flyers"}
    assert "Library e-resources training" not in response.content.decode()


def test_the_page_in_spanish(client, log_in, partnership, agreement):
    log_in("manager")
    response = client.get(
        f"/staff/partnerships/{partnership.pk}/", headers={"accept-language": "es"}
    )
    page = response.content.decode()
    for text in (
        "Participación reducida",
        "Organizaciones asociadas",
        "Registro del enlace",
        "Informe trimestral",
        "Convocada por",
    ):
        assert text in page, text


def more_partnerships(count: int, manager, library):
    """`count` partnerships the library system takes part in, each with three partners."""
    for _ in range(count):
        partnership = PartnershipFactory()
        PartnerFactory(partnership=partnership, organization=partnership.convener)
        PartnerFactory(partnership=partnership, organization=library)
        PartnerFactory(partnership=partnership, organization=OrganizationFactory())


def test_the_list_reads_in_the_same_number_of_queries_for_one_and_three(client, log_in, library):
    manager = log_in("manager")
    more_partnerships(1, manager, library)
    one = queries_of(client, "/staff/partnerships/")
    more_partnerships(2, manager, library)
    three = queries_of(client, "/staff/partnerships/")
    assert three == one


def test_the_page_reads_in_the_same_number_of_queries_for_one_and_three_partners(
    client, log_in, partnership, agreement, obligations
):
    log_in("manager")
    path = f"/staff/partnerships/{partnership.pk}/"
    one = queries_of(client, path)
    for _ in range(2):
        PartnerFactory(partnership=partnership, organization=OrganizationFactory())
    assert queries_of(client, path) == one
