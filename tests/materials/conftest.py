"""A small county for materials tests: the library system (`library`) with two branches,
Northtown and Lakeside, each with one location, and the workforce center (`center`) with its
office; the library and the center share with each other. Another library system, Elsewhere
(`other_library`), shares with nobody and has a location of its own, so tests can make data
that could leak."""

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.materials.models import Sharing
from tests.factories.accounts import staff_member
from tests.factories.organizations import BranchFactory, LocationFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def northtown(library):
    return BranchFactory(parent=library, name="Northtown Library", slug="northtown")


@pytest.fixture
def lakeside(library):
    return BranchFactory(parent=library, name="Lakeside Library", slug="lakeside")


@pytest.fixture
def north(northtown):
    return LocationFactory(organization=northtown, name="Northtown Library")


@pytest.fixture
def lake(lakeside):
    return LocationFactory(organization=lakeside, name="Lakeside Library")


@pytest.fixture
def office(center):
    return LocationFactory(organization=center, name="WorkForce Center office")


@pytest.fixture
def elsewhere(other_library):
    return LocationFactory(organization=other_library, name="Elsewhere Library")


@pytest.fixture
def sharing(library, center, north, lake, office):
    """The library and the center share with each other (as their managers would set up)."""
    Sharing.objects.create(organization=library, partner=center)
    Sharing.objects.create(organization=center, partner=library)


@pytest.fixture
def north_desk(northtown):
    """Front desk of the Northtown branch only."""
    return staff_member(northtown, Role.FRONT_DESK, first_name="Kiran", preferred_language="es")


@pytest.fixture
def lake_desk(lakeside):
    return staff_member(lakeside, Role.FRONT_DESK, first_name="Thanh")


@pytest.fixture
def center_manager(center):
    return staff_member(center, Role.MANAGER)
