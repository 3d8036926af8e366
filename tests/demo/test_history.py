"""The demo county's past year (demo.history), loaded once for this module as `make demo` loads
it: about 1,500 requests through the real domain functions. How long the load takes is not
asserted here (it is a measurement, not a rule; see README's demo section)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.utils import timezone

from jobhelp.casework.models import FeedbackResponse, HelpSession, Outcome
from jobhelp.demo import history
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.organizations.models import Organization
from jobhelp.reports import queries as reports
from jobhelp.reports.filters import ReportFilters, month_of
from jobhelp.reports.queries import report_scope
from jobhelp.reports.suppression import SUPPRESSED
from jobhelp.reports.tables import build_tables
from jobhelp.scheduling.models import Appointment
from jobhelp.workshops.models import Registration, WorkshopSession


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, with its year, once for the module; rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEMO_HISTORY_REQUESTS=1500, MEDIA_ROOT=str(media)):
            call_command("seed_demo", "--force", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def past(year, db):
    """Requests of the history received before the seed's last month of open ones."""
    return HelpRequest.objects.filter(created_at__lt=timezone.now() - timedelta(days=31))


def _last_full_month():
    return month_of(timezone.localdate().replace(day=1) - timedelta(days=1))


def test_the_year_has_about_1500_requests_over_twelve_months(past):
    total = HelpRequest.objects.filter(created_at__lt=timezone.now() - timedelta(days=10))
    assert 1350 <= total.count() <= 1650
    months = dict(
        total.annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    full_months = sorted(months)[1:-1]
    # Twelve whole months between the first (partial) one and the last, each with a real shape:
    # January busier than July.
    assert len(full_months) >= 11
    assert min(months[m] for m in full_months) >= 60
    by_month = {m.month: n for m, n in months.items() if m in full_months}
    assert by_month[1] > by_month[7]


def test_the_year_reaches_every_branch_the_affiliates_and_the_center(past):
    places = Counter(
        past.exclude(preferred_location=None).values_list(
            "preferred_location__organization__slug", flat=True
        )
    )
    branches = set(Organization.objects.filter(kind="branch").values_list("slug", flat=True))
    affiliates = set(Organization.objects.filter(kind="affiliate").values_list("slug", flat=True))
    assert branches | affiliates | {"riverbend-workforce"} <= set(places)
    assert min(places[slug] for slug in branches | affiliates) >= 10
    assert past.filter(organization__slug="riverbend-workforce").count() >= 200
    channels = Counter(past.values_list("channel", flat=True))
    languages = Counter(past.values_list("language", flat=True))
    assert min(channels[c] for c in ("web", "phone", "walk_in", "email")) >= 50
    assert languages["es"] >= 200 and languages["en"] >= 700
    # Every request of the past is finished: resolved or closed.
    assert set(past.values_list("state", flat=True)) == {"resolved", "closed"}


def test_the_year_has_appointments_help_sessions_surveys_and_classes(past):
    appointments = Counter(
        Appointment.objects.filter(request__in=past).values_list("state", flat=True)
    )
    assert appointments["attended"] >= 400
    assert appointments["no_show"] >= 40
    assert appointments["cancelled"] >= 20
    assert appointments["booked"] == 0
    sessions = HelpSession.objects.filter(request__in=past)
    assert sessions.count() >= 1000
    # Each resolved request of the past has its one help session; no duplicates.
    assert sessions.values("request").distinct().count() == sessions.count()
    outcomes = Counter(Outcome.objects.filter(session__in=sessions).values_list("kind", flat=True))
    assert outcomes["hired"] >= 50 and outcomes["resume_completed"] >= 300
    answers = FeedbackResponse.objects.filter(session__in=sessions)
    assert answers.count() >= 200
    assert answers.filter(testimonial=True, may_quote=True).exclude(comment="").count() >= 20
    held = WorkshopSession.objects.filter(starts__lt=timezone.now())
    assert held.count() >= 30
    registrations = Counter(
        Registration.objects.filter(session__in=held).values_list("state", flat=True)
    )
    assert registrations["attended"] >= 100 and registrations["no_show"] >= 20


def test_every_appointment_of_the_year_is_in_its_request_s_life(past):
    kept = Appointment.objects.filter(request__in=past, state__in=["attended", "no_show"])
    assert kept.exists()
    for starts, created, finished in kept.values_list(
        "starts", "request__created_at", "request__finished_at"
    ):
        assert created < starts < finished


def test_the_last_full_month_report_of_the_library_system_has_no_suppressed_patron_figure(
    past,
):
    manager = get_user_model().objects.get(username="mgarcia")
    start, end = _last_full_month()
    figures = reports.compute_report(report_scope(manager), ReportFilters(start=start, end=end))
    assert figures.requests >= 80 and figures.sessions >= 50 and figures.appointments >= 30
    shown = {
        (table.key, row.key, column.key): cell.display
        for table in build_tables(figures)
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
    }
    assert len(shown) >= 50
    # Every figure is shown, how many times a class met (twice a month: not a figure about
    # patrons) included.
    suppressed = sorted(key for key, value in shown.items() if value == SUPPRESSED)
    assert suppressed == []
    assert reports.testimonials(report_scope(manager), ReportFilters(start=start, end=end)) != []


def test_no_message_of_the_year_waits_to_be_sent(past):
    about_the_past = OutboundMessage.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=history.HISTORY_ENDS_DAYS_AGO)
    )
    assert about_the_past.count() >= 1500
    assert set(about_the_past.values_list("state", flat=True)) == {MessageState.SENT}
    assert about_the_past.exclude(body="").count() == 0
    assert about_the_past.filter(sent_at__gte=timezone.now() - timedelta(days=9)).count() == 0


def test_no_request_is_scheduled_without_an_appointment_to_come(year, db):
    scheduled = set(HelpRequest.objects.filter(state="scheduled").values_list("pk", flat=True))
    to_come = set(
        Appointment.objects.filter(state="booked", starts__gt=timezone.now()).values_list(
            "request_id", flat=True
        )
    )
    assert scheduled and scheduled <= to_come


def _fingerprint():
    return sorted(
        HelpRequest.objects.values_list(
            "organization__slug",
            "state",
            "channel",
            "language",
            "modality",
            "created_at",
            "finished_at",
            "assigned_to__username",
        )
    ), Counter(Appointment.objects.values_list("state", "starts"))


def test_the_history_is_the_same_every_time(db):
    call_command("seed_demo", "--force", verbosity=0)  # the county, without its year
    today = timezone.localdate()
    prints = []
    for _run in range(2):
        with transaction.atomic():
            made = history.build_history(today=today, yearly=60)
            prints.append((made, _fingerprint()))
            transaction.set_rollback(True)
    assert prints[0][0] >= 40
    assert prints[0] == prints[1]
