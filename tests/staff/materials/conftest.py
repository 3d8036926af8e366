"""The county of tests/materials/conftest.py (the library system with Northtown and Lakeside,
the center with its office, sharing both ways; Elsewhere sharing with nobody), with this
month's flyer from the center to both branches and a title or two on each side."""

import pytest
from django.utils import timezone

from jobhelp.materials.enums import Circulation, TitleFormat
from jobhelp.materials.titles import TitleDetails, add_title
from tests.materials import conftest as domain
from tests.materials.helpers import send

center_manager = domain.center_manager
elsewhere = domain.elsewhere
lake = domain.lake
lake_desk = domain.lake_desk
lakeside = domain.lakeside
media = domain.media
north = domain.north
north_desk = domain.north_desk
northtown = domain.northtown
office = domain.office
sharing = domain.sharing


@pytest.fixture
def this_month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def flyer(sharing, center, liaison, north, lake, this_month):
    return send(center, liaison, [north, lake], title="Center workshops", month=this_month)


@pytest.fixture
def theirs(other_library, elsewhere, this_month):
    """Another library system's flyer for its own location: it must never leak."""
    from jobhelp.accounts.enums import Role
    from tests.factories.accounts import staff_member

    return send(
        other_library,
        staff_member(other_library, Role.MANAGER),
        [elsewhere],
        title="Elsewhere computer classes",
        month=this_month,
    )


def title(organization, by, location, name, *, isbn="", times_asked=0, **more):
    return add_title(
        organization,
        by=by,
        details=TitleDetails(
            title=name,
            location=location,
            isbn=isbn,
            times_asked=times_asked,
            format=more.pop("format", TitleFormat.BOOK),
            circulation=more.pop("circulation", Circulation.CIRCULATING),
            **more,
        ),
    )
