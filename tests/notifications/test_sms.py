"""Text messages through the one outbox: queuing, the backends, and Twilio's API faked locally."""

import base64
import io
import json
import threading
import time
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from jobhelp.core.models import AuditEntry
from jobhelp.notifications import sms
from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.enums import MessageChannel, MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import queue_message
from tests.factories.intake import HelpRequestFactory

PHONE = "+17635550123"
SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "secret-token"


@pytest.fixture
def help_request(library):
    return HelpRequestFactory(
        organization=library,
        name="Rosa",
        reference="4K7M9Q",
        phone=PHONE,
        preferred_contact="text",
    )


def _queue_text(help_request, *, language="en", **kwargs):
    return queue_message(
        to=PHONE,
        channel=MessageChannel.SMS,
        template="request_received",
        context={"request": help_request},
        language=language,
        organization=help_request.organization,
        related=help_request,
        **kwargs,
    )


def test_a_text_is_rendered_stored_and_sent_after_commit(
    help_request, texting, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue_text(help_request)
        assert texting == []

    stored = (message.channel, message.to, message.subject, message.body, message.attachment)
    run_worker()

    assert stored == (
        "sms",
        PHONE,
        "We received your request for job help (4K7-M9Q)",
        "Riverbend County Library: we have your request for job help.\n"
        "Code: 4K7-M9Q\n"
        "Someone will contact you, usually within two business days. "
        "If you call us, give your code.",
        "",
    )
    assert texting == [sms.TextMessage(to=PHONE, body=stored[3])]
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.state, message.attempts, message.body) == (MessageState.SENT, 1, "")
    assert list(
        AuditEntry.objects.filter(action="jobhelp.message.sent").values_list("data", flat=True)
    ) == [{"template": "request_received", "channel": "sms", "attempts": 1}]


def test_a_text_is_in_the_recipients_language(help_request, texting):
    message = _queue_text(help_request, language="es")

    assert (message.language, message.body.splitlines()[0]) == (
        "es",
        "Riverbend County Library: recibimos su solicitud de ayuda de empleo.",
    )


def test_nothing_is_queued_while_texting_is_off(help_request, run_worker):
    assert _queue_text(help_request) is None

    run_worker()

    assert (OutboundMessage.objects.count(), sms.outbox) == (0, [])


def test_a_text_queued_before_texting_was_turned_off_fails_for_staff_to_see(
    help_request, texting, settings
):
    message = _queue_text(help_request)
    settings.SMS_BACKEND = ""

    assert deliver_message(message.pk) == MessageState.FAILED
    message.refresh_from_db()
    assert (message.state, message.last_error, message.body) == (
        MessageState.FAILED,
        "texting is off",
        "",
    )


def test_a_text_takes_no_attachment_and_only_a_phone_number(help_request, texting):
    with pytest.raises(ValueError, match="no attachment"):
        _queue_text(help_request, attachment=("a.ics", "text/calendar", "BEGIN:VCALENDAR"))
    with pytest.raises(ValueError, match=r"E\.164"):
        queue_message(
            to="rosa@example.com",
            channel=MessageChannel.SMS,
            template="request_received",
            context={"request": help_request},
            language="en",
        )
    assert OutboundMessage.objects.count() == 0


def test_the_dedupe_key_holds_for_texts(help_request, texting):
    first = _queue_text(help_request, dedupe_key="text:1")
    second = _queue_text(help_request, dedupe_key="text:1")

    assert (first is not None, second, OutboundMessage.objects.count()) == (True, None, 1)


def test_the_console_backend_prints_the_text(settings):
    settings.SMS_FROM_NUMBER = "+17635550100"
    out = io.StringIO()

    sms.ConsoleBackend(stream=out).send(sms.TextMessage(to=PHONE, body="Hello\nCode: 4K7-M9Q"))

    assert out.getvalue() == (
        "Text message\nFrom: +17635550100\nTo: +17635550123\n\nHello\nCode: 4K7-M9Q\n"
        + "-" * 79
        + "\n"
    )


# --- Twilio, faked by a local HTTP server --------------------------------------------------------


class FakeTwilio(BaseHTTPRequestHandler):
    """Answers each POST with the next (status, JSON body) of `replies`, recording the request."""

    replies: list[tuple[int, dict]] = []
    received: list[dict] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        FakeTwilio.received.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "content_type": self.headers["Content-Type"],
                "form": urllib.parse.parse_qs(self.rfile.read(length).decode()),
            }
        )
        status, reply = FakeTwilio.replies.pop(0)
        if status is None:
            time.sleep(reply)  # too slow: the client has given up by now
            return
        body = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.replies, FakeTwilio.received = [], []
    settings.SMS_BACKEND = "jobhelp.notifications.sms.TwilioBackend"
    settings.SMS_TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}/"
    settings.SMS_TWILIO_ACCOUNT_SID = SID
    settings.SMS_TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_FROM_NUMBER = "+17635550100"
    settings.SMS_TIMEOUT = 5
    yield FakeTwilio
    server.shutdown()
    server.server_close()


ACCEPTED = (201, {"sid": "SM0123", "status": "queued"})


def test_twilio_receives_one_form_post_with_basic_auth(help_request, twilio):
    twilio.replies = [ACCEPTED]
    message = _queue_text(help_request)
    body = message.body

    assert deliver_message(message.pk) == MessageState.SENT

    assert twilio.received == [
        {
            "path": f"/2010-04-01/Accounts/{SID}/Messages.json",
            "authorization": "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode(),
            "content_type": "application/x-www-form-urlencoded",
            "form": {"To": [PHONE], "From": ["+17635550100"], "Body": [body]},
        }
    ]
    message.refresh_from_db()
    assert (message.state, message.body, message.last_error) == (MessageState.SENT, "", "")


def test_twilio_busy_is_retried_later_then_sent(help_request, twilio):
    twilio.replies = [(429, {"code": 20429, "message": "Too Many Requests"}), ACCEPTED]
    message = _queue_text(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error, len(message.body) > 0) == (
        MessageState.QUEUED,
        1,
        "twilio 429 20429",
        True,
    )
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)

    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_message(message.pk) == MessageState.SENT
    assert len(twilio.received) == 2


def test_a_twilio_server_error_is_transient(help_request, twilio):
    twilio.replies = [(503, {})]
    message = _queue_text(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.last_error == "twilio 503"


def test_a_number_twilio_refuses_fails_for_good_and_is_audited(help_request, twilio):
    # Twilio's message quotes the number; only the status and its code are kept.
    twilio.replies = [
        (400, {"code": 21211, "message": f"The 'To' number {PHONE} is not a valid phone number."})
    ]
    message = _queue_text(help_request)

    assert deliver_message(message.pk) == MessageState.FAILED

    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error, message.body) == (
        MessageState.FAILED,
        1,
        "twilio 400 21211",
        "",
    )
    assert list(
        AuditEntry.objects.filter(action="jobhelp.message.failed").values_list("object_id", "data")
    ) == [(str(message.pk), {"template": "request_received", "channel": "sms", "attempts": 1})]
    assert len(twilio.received) == 1


def test_a_slow_twilio_times_out_and_is_retried(help_request, twilio, settings):
    settings.SMS_TIMEOUT = 0.2
    twilio.replies = [(None, 1)]
    message = _queue_text(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert (message.state, message.last_error) == (MessageState.QUEUED, "TimeoutError")


def test_twilio_out_of_reach_is_transient(help_request, twilio, settings):
    # Nothing listens on the port of a server that was closed.
    closed = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    closed.server_close()
    settings.SMS_TWILIO_API_BASE = f"http://127.0.0.1:{closed.server_port}"
    message = _queue_text(help_request)

    assert deliver_message(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.last_error == "ConnectionRefusedError"
