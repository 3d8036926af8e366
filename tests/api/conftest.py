# The scheduling fixtures (Hana the helper, the "Phone help" type) for test_scheduling.py; a
# test module's own fixture of the same name (test_triage.py's `hana`) still wins there.
from tests.scheduling.conftest import hana, phone_help  # noqa: F401
