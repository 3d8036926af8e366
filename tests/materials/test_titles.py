"""Reference titles: ISBNs, the text rules, listing titles, the combined list across partners,
"popular there, not held here" suggestions with their order marks, the partner shelf's list."""

import pytest
from django.core.exceptions import ValidationError

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.materials import queries, titles
from jobhelp.materials.enums import OrderState
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.models import ReferenceTitle, TitleOrder
from jobhelp.materials.titles import TitleDetails, TitleInvalid
from jobhelp.materials.validators import (
    check_plain_text,
    format_isbn,
    match_key,
    normalize_isbn,
)
from tests.factories.accounts import staff_member
from tests.factories.materials import ReferenceTitleFactory

pytestmark = pytest.mark.usefixtures("sharing")

RESUMES = "9780306406157"


# --- ISBNs and text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "isbn13"),
    [
        ("0-306-40615-2", RESUMES),
        ("0306406152", RESUMES),
        ("978-0-306-40615-7", RESUMES),
        (" 978 0 306 40615 7 ", RESUMES),
        ("0-8044-2957-X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("979-10-90636-07-1", "9791090636071"),
        ("", ""),
    ],
)
def test_an_isbn_10_or_13_with_or_without_hyphens_becomes_its_isbn_13(typed, isbn13):
    assert normalize_isbn(typed) == isbn13


@pytest.mark.parametrize("typed", ["978-0-306-40615-8", "0-306-40615-3", "0-8044-2957-1"])
def test_a_wrong_check_digit_is_named_as_such(typed):
    with pytest.raises(ValidationError) as refused:
        normalize_isbn(typed)

    assert (refused.value.code, refused.value.messages) == (
        "isbn_check_digit",
        [f"The ISBN {typed} has a wrong check digit: check it against the book."],
    )


@pytest.mark.parametrize("typed", ["9.78031E+12", "12345", "ISBN please", "978-0-306"])
def test_something_that_is_not_an_isbn_says_what_an_isbn_is(typed):
    with pytest.raises(ValidationError) as refused:
        normalize_isbn(typed)

    assert refused.value.code == "isbn_format"
    assert "an ISBN has 10 or 13 digits" in refused.value.messages[0]


def test_isbns_are_exported_with_their_hyphens():
    assert (format_isbn(RESUMES), format_isbn("")) == ("978-0-306-40615-7", "")


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'=cmd|' /C calc'!A0", "|cmd", "%0A"],
)
def test_text_a_spreadsheet_would_run_as_a_formula_is_refused(text):
    with pytest.raises(ValidationError) as refused:
        check_plain_text(text, max_length=300, label="Title")

    assert refused.value.code == "formula"
    assert "which a spreadsheet would run as a formula" in refused.value.messages[0]


def test_text_is_one_line_of_at_most_its_length():
    assert check_plain_text("  Résumé Writing  ", max_length=300, label="Title") == "Résumé Writing"
    with pytest.raises(ValidationError, match="one line of text"):
        check_plain_text("Résumé\tWriting", max_length=300, label="Title")
    with pytest.raises(ValidationError, match="Title has 10,000 characters; at most 300"):
        check_plain_text("x" * 10_000, max_length=300, label="Title")


def test_a_title_without_isbn_is_matched_on_its_folded_title_and_author():
    assert match_key(isbn=RESUMES, title="x", author="y") == f"isbn:{RESUMES}"
    assert match_key(isbn="", title="Résumé Writing!", author="Ann  Lee") == match_key(
        isbn="", title="resume writing", author="ann lee"
    )


# --- Listing titles ---------------------------------------------------------------------------


def details(location, **values) -> TitleDetails:
    return TitleDetails(
        **{"title": "Resumes for Dummies", "isbn": "0-306-40615-2", "location": location, **values}
    )


def actions() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id", "data"))


def test_branch_staff_list_a_title_with_its_isbn_13(library, northtown, north, north_desk):
    title = titles.add_title(northtown, by=north_desk, details=details(north, copies=2))
    with pytest.raises(MaterialError, match="your own organizations"):
        titles.add_title(library, by=north_desk, details=details(north))

    assert (title.isbn, title.match_key, title.copies, title.organization) == (
        RESUMES,
        f"isbn:{RESUMES}",
        2,
        northtown,
    )
    assert actions() == [
        ("jobhelp.reference_title.added", north_desk.pk, {"location": north.pk, "format": "book"})
    ]


def test_a_library_keeps_titles_on_the_center_s_partner_shelf_only(library, office, manager):
    with pytest.raises(TitleInvalid, match="only on its shelf of partner resources"):
        titles.add_title(library, by=manager, details=details(office))

    title = titles.add_title(library, by=manager, details=details(office, partner_shelf=True))
    assert (title.location, title.partner_shelf) == (office, True)


def test_titles_go_only_where_the_organization_may_keep_them(library, elsewhere, manager, outsider):
    with pytest.raises(TitleInvalid, match="cannot list titles at that location"):
        titles.add_title(library, by=manager, details=details(elsewhere, partner_shelf=True))
    with pytest.raises(MaterialError, match="your own organizations"):
        titles.add_title(library, by=outsider, details=details(elsewhere))

    assert ReferenceTitle.objects.count() == 0


def test_every_broken_column_is_named(library, north, manager):
    with pytest.raises(TitleInvalid) as refused:
        titles.add_title(
            library,
            by=manager,
            details=details(
                None,
                title='=HYPERLINK("http://evil")',
                isbn="978-0-306-40615-8",
                format="scroll",
                circulation="sometimes",
                copies=-1,
                times_asked=10**7,
            ),
        )

    assert sorted(refused.value.errors) == [
        "circulation",
        "copies",
        "format",
        "isbn",
        "location",
        "times_asked",
        "title",
    ]


def test_the_same_title_twice_at_one_location_is_refused(library, north, lake, manager):
    titles.add_title(library, by=manager, details=details(north))
    titles.add_title(library, by=manager, details=details(lake))

    with pytest.raises(TitleInvalid, match="already listed at that location"):
        titles.add_title(library, by=manager, details=details(north, isbn="0306406152"))


def test_changing_and_removing_a_title_are_audited_once(library, north, manager, outsider):
    title = titles.add_title(library, by=manager, details=details(north))
    AuditEntry.objects.all().delete()

    titles.update_title(title, by=manager, details=details(north, times_asked=7, shelf="650.14"))
    titles.update_title(title, by=manager, details=details(north, times_asked=7, shelf="650.14"))
    with pytest.raises(MaterialError):
        titles.update_title(title, by=outsider, details=details(north))
    with pytest.raises(MaterialError):
        titles.remove_title(title, by=outsider)
    titles.remove_title(title, by=manager)

    assert actions() == [
        ("jobhelp.reference_title.updated", manager.pk, {"fields": ["shelf", "times_asked"]}),
        ("jobhelp.reference_title.removed", manager.pk, {"location": north.pk}),
    ]
    assert ReferenceTitle.objects.count() == 0


# --- The combined list ------------------------------------------------------------------------


@pytest.fixture
def shelves(library, center, other_library, north, lake, office, elsewhere):
    """Titles of the library (at two branches), of the center, and of another library."""
    return {
        "resumes": ReferenceTitleFactory(
            organization=northtown_of(library),
            location=north,
            title="Resumes for Dummies",
            isbn=RESUMES,
            author="Joyce Lain Kennedy",
        ),
        "ooh": ReferenceTitleFactory(
            organization=library,
            location=lake,
            title="Occupational Outlook Handbook",
        ),
        "interviews": ReferenceTitleFactory(
            organization=center,
            location=office,
            title="Knock 'em Dead Job Interview",
            author="Martin Yate",
            isbn="9781440590184",
            times_asked=40,
        ),
        "theirs": ReferenceTitleFactory(
            organization=other_library,
            location=elsewhere,
            title="Elsewhere's secret list",
            times_asked=99,
        ),
    }


def northtown_of(library):
    return library.children.get(slug="northtown")


def names(rows) -> list[str]:
    return [row.title for row in rows]


def test_each_side_reads_its_own_tree_and_the_partners_that_share_with_it(
    shelves, north_desk, liaison, outsider, no_membership
):
    ours_and_center = [
        "Knock 'em Dead Job Interview",
        "Occupational Outlook Handbook",
        "Resumes for Dummies",
    ]
    assert names(queries.titles_for_user(north_desk)) == ours_and_center
    assert names(queries.titles_for_user(liaison)) == ours_and_center
    assert names(queries.titles_for_user(outsider)) == ["Elsewhere's secret list"]
    assert names(queries.titles_for_user(no_membership)) == []
    assert queries.title_for_user(outsider, shelves["resumes"].pk) is None


def test_a_library_that_stops_sharing_is_no_longer_read_by_the_center(
    shelves, library, center, manager, liaison
):
    from jobhelp.materials.domain import stop_sharing

    stop_sharing(library, partner=center, by=manager)

    assert names(queries.titles_for_user(liaison)) == ["Knock 'em Dead Job Interview"]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("resumes", ["Resumes for Dummies"]),
        ("kennedy dummies", ["Resumes for Dummies"]),
        ("0-306-40615-2", ["Resumes for Dummies"]),
        ("978 0306406157", ["Resumes for Dummies"]),
        ("yate", ["Knock 'em Dead Job Interview"]),
        ("secret", []),
    ],
)
def test_the_combined_list_is_searchable(shelves, north_desk, search, found):
    assert names(queries.titles_for_user(north_desk, search=search)) == found


@pytest.mark.parametrize("n", [1, 3])
def test_the_combined_list_costs_one_query(
    n, library, north, north_desk, django_assert_num_queries
):
    for i in range(n):
        ReferenceTitleFactory(organization=library, location=north, title=f"Title {i}")

    with django_assert_num_queries(1):
        rows = [(t.organization.name, t.location.name) for t in queries.titles_for_user(north_desk)]

    assert len(rows) == n


# --- The partner shelf ------------------------------------------------------------------------


def test_the_printable_list_of_the_center_s_shelf_of_library_resources(
    library, center, office, manager, liaison, outsider, django_assert_num_queries
):
    for name in ("Library card application", "Applying for Jobs Online"):
        titles.add_title(
            library,
            by=manager,
            details=TitleDetails(title=name, location=office, partner_shelf=True),
        )
    ReferenceTitleFactory(organization=center, location=office, title="The center's own book")

    with django_assert_num_queries(1):
        shelf = [
            (t.title, t.organization.name) for t in queries.shelf_list(liaison, location=office)
        ]

    assert shelf == [
        ("Applying for Jobs Online", "Riverbend County Library"),
        ("Library card application", "Riverbend County Library"),
    ]
    assert list(queries.shelf_list(outsider, location=office)) == []


# --- Suggestions and orders -------------------------------------------------------------------


@pytest.fixture
def popular(center, library, office, north):
    """At the center: two popular titles the library lacks (one listed at two places), one it
    holds, and one nobody asks for."""
    second_office = office.__class__.objects.create(
        organization=center,
        name="Center annex",
        street="1",
        city="R",
        state="MN",
        postal_code="55400",
        time_zone="America/Chicago",
    )
    return {
        "interviews": ReferenceTitleFactory(
            organization=center,
            location=office,
            title="Knock 'em Dead",
            isbn="9781440590184",
            times_asked=40,
        ),
        "interviews_annex": ReferenceTitleFactory(
            organization=center,
            location=second_office,
            title="Knock 'em Dead",
            isbn="9781440590184",
            times_asked=12,
        ),
        "onet": ReferenceTitleFactory(
            organization=center, location=office, title="O*NET Occupation Guide", times_asked=25
        ),
        "held": ReferenceTitleFactory(
            organization=center,
            location=office,
            title="Resumes for Dummies",
            isbn=RESUMES,
            times_asked=30,
        ),
        "quiet": ReferenceTitleFactory(
            organization=center, location=office, title="Rarely Asked", times_asked=1
        ),
        "ours": ReferenceTitleFactory(
            organization=northtown_of(library),
            location=north,
            title="Resumes (our copy)",
            isbn=RESUMES,
        ),
    }


def suggested(user, organization) -> list[tuple[str, int, str | None]]:
    return [
        (s.title.title, s.title.times_asked, s.order_state)
        for s in queries.suggestions_for_user(user, organization=organization)
    ]


def test_popular_at_the_partner_and_not_held_here_most_asked_first(popular, library, manager):
    assert suggested(manager, library) == [
        ("Knock 'em Dead", 40, None),
        ("O*NET Occupation Guide", 25, None),
    ]


def test_the_library_orders_two_titles_and_marks_one_received(
    popular, library, manager, north_desk
):
    first = titles.order_title(popular["interviews"], organization=library, by=manager, copies=3)
    second = titles.order_title(popular["onet"], organization=library, by=manager)
    titles.mark_received(second, by=manager)
    titles.mark_received(second, by=manager)

    assert suggested(manager, library) == [
        ("Knock 'em Dead", 40, OrderState.ORDERED),
        ("O*NET Occupation Guide", 25, OrderState.RECEIVED),
    ]
    assert (first.copies, first.state, first.source) == (3, "ordered", popular["interviews"])
    assert [a for a, _actor, _data in actions()] == [
        "jobhelp.title_order.ordered",
        "jobhelp.title_order.ordered",
        "jobhelp.title_order.received",
    ]
    # Once the library lists it, it is held here and leaves the suggestions.
    ReferenceTitleFactory(
        organization=library,
        location=popular["ours"].location,
        title="O*NET Occupation Guide",
    )
    assert suggested(manager, library) == [("Knock 'em Dead", 40, OrderState.ORDERED)]


def test_orders_are_refused_when_they_make_no_sense(
    popular, library, center, other_library, north_desk, manager, outsider
):
    titles.order_title(popular["interviews"], organization=library, by=manager)
    theirs = ReferenceTitleFactory(organization=other_library, title="Theirs", times_asked=50)

    for source, organization, person, message in [
        (popular["interviews"], library, manager, "already been ordered"),
        (popular["held"], library, manager, "already holds"),
        (theirs, library, manager, "not on the list of a partner"),
        (popular["onet"], library, north_desk, "by a library system or a center"),
        (popular["onet"], northtown_of(library), north_desk, "by a library system or a center"),
        (popular["onet"], library, outsider, "by a library system or a center"),
    ]:
        with pytest.raises(MaterialError, match=message):
            titles.order_title(source, organization=organization, by=person)

    with pytest.raises(MaterialError, match="from 1 to"):
        titles.order_title(popular["onet"], organization=library, by=manager, copies=0)
    assert TitleOrder.objects.count() == 1


def test_an_order_is_cancelled_only_before_it_is_received(popular, library, manager, outsider):
    order = titles.order_title(popular["onet"], organization=library, by=manager)
    with pytest.raises(MaterialError):
        titles.cancel_order(order, by=outsider)
    titles.cancel_order(order, by=manager)
    again = titles.order_title(popular["onet"], organization=library, by=manager)
    received = titles.mark_received(again, by=manager)

    with pytest.raises(MaterialError, match="cannot be cancelled"):
        titles.cancel_order(received, by=manager)
    assert list(TitleOrder.objects.values_list("state", flat=True)) == ["received"]


def test_suggestions_and_orders_are_for_staff_of_the_library_system_only(
    popular, library, north_desk, outsider, manager, django_assert_num_queries
):
    titles.order_title(popular["onet"], organization=library, by=manager)

    assert suggested(north_desk, library) == []
    assert suggested(outsider, library) == []
    assert list(queries.orders_for_user(outsider, organization=library)) == []
    with django_assert_num_queries(1):
        orders = [
            (o.title, o.source.organization.name, o.ordered_by.username)
            for o in queries.orders_for_user(manager, organization=library)
        ]
    assert orders == [("O*NET Occupation Guide", "Riverbend WorkForce Center", manager.username)]


@pytest.mark.parametrize("n", [1, 3])
def test_suggestions_cost_one_query(n, center, office, library, manager, django_assert_num_queries):
    for i in range(n):
        source = ReferenceTitleFactory(
            organization=center, location=office, title=f"Popular {i}", times_asked=10 + i
        )
        titles.order_title(source, organization=library, by=manager)

    with django_assert_num_queries(1):
        rows = [
            (s.title.organization.name, s.title.location.name, s.order_state)
            for s in queries.suggestions_for_user(manager, organization=library)
        ]

    assert len(rows) == n


def test_a_center_manager_sees_the_library_s_popular_titles(library, center, north, center_manager):
    ReferenceTitleFactory(organization=library, location=north, title="GED Prep", times_asked=9)

    assert suggested(center_manager, center) == [("GED Prep", 9, None)]


def test_staff_of_another_role_may_order(library, popular):
    helper = staff_member(library, Role.HELPER)

    assert titles.order_title(popular["onet"], organization=library, by=helper).state == "ordered"


@pytest.mark.parametrize("n", [1, 3])
def test_the_orders_and_the_shelf_cost_one_query_each(
    n, library, center, office, manager, liaison, django_assert_num_queries
):
    for i in range(n):
        source = ReferenceTitleFactory(organization=center, location=office, title=f"Asked {i}")
        titles.order_title(source, organization=library, by=manager)
        titles.add_title(
            library,
            by=manager,
            details=TitleDetails(title=f"Shelf {i}", location=office, partner_shelf=True),
        )

    with django_assert_num_queries(1):
        orders = [
            (o.source.organization.name, o.ordered_by.username, o.received_by)
            for o in queries.orders_for_user(manager, organization=library)
        ]
    with django_assert_num_queries(1):
        shelf = [
            (t.organization.name, t.location.name)
            for t in queries.shelf_list(liaison, location=office)
        ]

    assert (len(orders), len(shelf)) == (n, n)
