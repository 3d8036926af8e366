from datetime import time

import pytest

from jobhelp.directory.computers import set_public_computers
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory, open_every_day
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import agreement_between


@pytest.fixture
def central(library):
    return open_every_day(
        LocationFactory(organization=library, name="Central Library"),
        opens=time(0),
        closes=time(23, 59),
    )


@pytest.fixture
def computers(central, helper):
    set_public_computers(central, by=helper, count=16, software=["office"])
    return central


@pytest.fixture
def resume(library, central):
    service = ServiceFactory(organization=library, name="Resumé help")
    ServiceAtLocationFactory(service=service, location=central)
    return service


@pytest.fixture
def center_service(center):
    return ServiceFactory(organization=center, name="WIOA career services", needs=["coaching"])


@pytest.fixture
def partners(center, library):
    """The workforce center and the library system under an executed agreement (an MOU)."""
    return agreement_between(center, library)
