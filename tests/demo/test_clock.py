from datetime import UTC, datetime

import pytest
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.demo.clock import HistoryClock
from jobhelp.intake.models import ContactAttempt
from jobhelp.intake.triage import log_contact_attempt
from tests.factories.intake import HelpRequestFactory


def test_steps_run_at_the_clock_s_moment_and_their_rows_say_so(library, helper):
    help_request = HelpRequestFactory(organization=library, assigned_to=helper, state="assigned")
    before = AuditEntry.objects.count()
    clock = HistoryClock()
    moment = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    with clock.at(moment) as now:
        assert timezone.now() == now == moment
        log_contact_attempt(help_request, by=helper, channel="phone", outcome="voicemail")
    assert timezone.now() > moment
    attempt = ContactAttempt.objects.get(request=help_request)
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert attempt.created_at == moment
    assert [e.created_at for e in entries] == [moment] * len(entries) and entries
    # A row written after the block keeps the database's own time.
    log_contact_attempt(help_request, by=helper, channel="phone", outcome="voicemail")
    assert ContactAttempt.objects.order_by("pk").last().created_at > moment


def test_the_clock_needs_an_aware_moment(db):
    with pytest.raises(ValueError, match="aware"), HistoryClock().at(datetime(2026, 3, 2)):
        pass
