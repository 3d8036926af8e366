import pytest

from jobhelp.accounts.enums import Role
from tests.factories.accounts import staff_member
from tests.factories.scheduling import AppointmentTypeFactory


@pytest.fixture
def hana(library):
    return staff_member(library, Role.HELPER, needs=["resume"], first_name="Hana", last_name="Lee")


@pytest.fixture
def phone_help(library):
    return AppointmentTypeFactory(organization=library, name="Phone help", duration=30)
