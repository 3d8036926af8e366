# The scheduling personas and types, for the appointment and calendar pages.
from tests.scheduling.conftest import hana, phone_help  # noqa: F401
