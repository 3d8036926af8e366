"""The demo's five weeks of public computer counts, reduced to hourly figures by the periodic
job's function, so the reports' "Public computers" table has something to show."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from jobhelp.directory.models import ComputerCount, ComputerUsageHour
from jobhelp.reports.computers import computer_use
from jobhelp.reports.filters import ReportFilters
from jobhelp.reports.queries import report_scope


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--force", verbosity=0)


def test_the_demo_has_hourly_computer_figures_for_the_reports(seeded):
    now = timezone.now()
    # Counts older than a day are kept only as hourly sums; today's stay as they were taken.
    assert not ComputerCount.objects.filter(recorded_at__lt=now - timedelta(days=1)).exists()
    assert ComputerUsageHour.objects.count() > 100
    manager = get_user_model().objects.get(username="mgarcia")
    today = timezone.localdate()
    two_weeks = ReportFilters(start=today - timedelta(days=14), end=today)

    hours = computer_use(report_scope(manager), two_weeks)

    central = {h.hour: h for h in hours if h.location == "Central Library"}
    assert set(range(10, 18)) <= set(central)
    # Full after lunch, with people waiting; quiet at opening.
    assert central[14].in_use_average == central[14].computers
    assert central[14].waiting_max > 0
    assert central[10].in_use_average < central[14].in_use_average
