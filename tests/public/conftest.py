# The scheduling app's helper and appointment type, for the patron's appointment pages.
from tests.scheduling.conftest import hana, phone_help  # noqa: F401
