# The scheduling app's helper, for the reminders the outbox sends.
from tests.scheduling.conftest import hana  # noqa: F401
